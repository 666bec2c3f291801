// Ops that cut a tensor into pieces along a dimension: chunk, split (by size or by sections), unbind.
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, Value, intValue, listOf } from '../values/value';

const MAX_PIECES = 64;

function piece(t: TensorValue, shape: Shape, origin: Origin): TensorValue {
  return { kind: 'tensor', dtype: t.dtype, origin, shape };
}

function withAxis(t: TensorValue, axis: number, size: Dim): Shape {
  const dims = [...t.shape.dims];
  dims[axis] = size;
  return shapeOf(dims);
}

/** The normalised axis of a rank-known tensor, or undefined. */
function axisOf(t: TensorValue, dim: Value | undefined): number | undefined {
  if (!t.shape.rankKnown) return undefined;
  const a = dim === undefined ? 0 : intValue(dim);
  return a === undefined ? undefined : normaliseAxis(a, t.shape.dims.length);
}

/** Pieces of the given sizes along the axis, as a tuple. */
function pieces(t: TensorValue, axis: number, sizes: number[], origin: Origin): Value {
  return { kind: 'tuple', items: sizes.map((n) => piece(t, withAxis(t, axis, intDim(n, { origin })), origin)) };
}

/** An unknown number of pieces whose size along the axis is unknown. */
function unknownPieces(t: TensorValue, axis: number | undefined, origin: Origin): Value {
  return listOf(piece(t, axis === undefined ? UNKNOWN_SHAPE : withAxis(t, axis, UNKNOWN_DIM), origin));
}

/** chunk(chunks, dim=0): pieces of ceil(n / chunks), the last one smaller; fewer pieces when n is small. */
export function chunk(t: TensorValue, chunksValue: Value | undefined, dim: Value | undefined, origin: Origin): Value {
  const axis = axisOf(t, dim);
  const chunks = intValue(chunksValue);
  const n = axis === undefined ? undefined : t.shape.dims[axis];
  if (axis === undefined || chunks === undefined || chunks <= 0 || chunks > MAX_PIECES) return unknownPieces(t, axis, origin);
  if (n?.kind !== 'int') {
    // Code that unpacks `a, b = x.chunk(2, -1)` relies on n ≥ chunks: that many pieces, sizes unknown.
    return { kind: 'tuple', items: Array.from({ length: chunks }, () => piece(t, withAxis(t, axis, UNKNOWN_DIM), origin)) };
  }
  const size = Math.ceil(n.value / chunks);
  if (size === 0) return pieces(t, axis, [0], origin);
  return pieces(t, axis, sizesOf(n.value, size), origin);
}

function sizesOf(n: number, size: number): number[] {
  const count = Math.ceil(n / size);
  return Array.from({ length: Math.min(count, MAX_PIECES) }, (_, i) => Math.min(size, n - i * size));
}

/** split(split_size_or_sections, dim=0). */
export function split(t: TensorValue, sizeValue: Value | undefined, dim: Value | undefined, origin: Origin): Value {
  const axis = axisOf(t, dim);
  if (axis === undefined) return unknownPieces(t, axis, origin);
  if (sizeValue?.kind === 'list' || sizeValue?.kind === 'tuple') {
    const sections = sizeValue.element ? undefined : sizeValue.items.map(intValue);
    if (!sections || sections.some((s) => s === undefined) || sections.length > MAX_PIECES) return unknownPieces(t, axis, origin);
    return pieces(t, axis, sections as number[], origin);
  }
  const size = intValue(sizeValue);
  const n = t.shape.dims[axis];
  if (size === undefined || size <= 0 || n.kind !== 'int' || Math.ceil(n.value / size) > MAX_PIECES) return unknownPieces(t, axis, origin);
  return pieces(t, axis, sizesOf(n.value, size), origin);
}

/** unbind(dim=0): one piece per index, without the dim. */
export function unbind(t: TensorValue, dim: Value | undefined, origin: Origin): Value {
  const axis = axisOf(t, dim);
  if (axis === undefined) return listOf(piece(t, UNKNOWN_SHAPE, origin));
  const rest = shapeOf(t.shape.dims.filter((_, i) => i !== axis));
  const n = t.shape.dims[axis];
  if (n.kind !== 'int' || n.value > MAX_PIECES) return listOf(piece(t, rest, origin));
  return { kind: 'tuple', items: Array.from({ length: n.value }, () => piece(t, rest, origin)) };
}
