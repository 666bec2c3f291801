// Tensor indexing: x[0], x[:, -1, :], x[..., :2], x[None], x[idx]. Integers drop a dimension, slices keep it, one
// int64 index tensor replaces its dimension by its own shape.
import { Dim, Origin, UNKNOWN_DIM, afterDropping, dataCountDim, intDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue } from '../values/value';
import { stridesFit, stridesOf } from './layout';

export type IndexItem =
  | { kind: 'int'; value?: number }
  /**
   * `window`: bounds not known, but `x[i:i + length]` with 0 ≤ i and i + length ≤ maxStop: the slice has `length`
   * entries on an axis of at least maxStop.
   */
  | { kind: 'slice'; start?: number; stop?: number; step?: number; full: boolean; window?: { length: number; maxStop: number } }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' }
  /** An int64 tensor of known rank (advanced indexing). */
  | { kind: 'tensor'; shape: Shape }
  /**
   * A bool mask of known rank k ≥ 1: it takes k axes and leaves one axis in their place, as long as the count of its
   * True entries, which depends on the data (a uint8 mask, or one of unknown rank, is 'other').
   */
  | { kind: 'mask'; rank: number }
  /** `notAnIndex`: a str (`batch['ids']` on a tensor), which PyTorch and NumPy refuse (IndexError, TypeError). */
  | { kind: 'other'; notAnIndex?: true };

/** A slice bound as Python clamps it to an axis of n entries. */
export function clampIndex(v: number, n: number): number {
  return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
}

function sliceLength(dim: Dim, item: Extract<IndexItem, { kind: 'slice' }>, origin: Origin): Dim {
  if (item.full) return dim;
  if (dim.kind !== 'int') return UNKNOWN_DIM;
  const n = dim.value;
  // The window ends within the axis wherever it starts: exactly its length (Python clamps only past the end).
  if (item.window) return item.window.maxStop <= n ? intDim(item.window.length, { origin }) : UNKNOWN_DIM;
  const step = item.step ?? 1;
  // A bound the analysis could not evaluate (NaN) leaves the length unknown.
  if (!(step > 0) || (item.start !== undefined && !Number.isFinite(item.start)) || (item.stop !== undefined && !Number.isFinite(item.stop))) return UNKNOWN_DIM;
  const start = item.start === undefined ? 0 : clampIndex(item.start, n);
  const stop = item.stop === undefined ? n : clampIndex(item.stop, n);
  // x[:m] of an axis of one entry with m ≥ 2 keeps that entry: noted for SL170, which sees it broadcast over m.
  if (n === 1 && start === 0 && step === 1 && item.stop !== undefined && item.stop >= 2) return intDim(1, { origin, clampedFrom: item.stop });
  return intDim(Math.max(0, Math.ceil((stop - start) / step)), { origin });
}

/**
 * The indexed tensor with its shape: the bounds of its values kept unless they were mixed. Written out field by field
 * (no spread of a conditional object), so every result of this function has one of two hidden classes.
 */
function indexed(t: TensorValue, origin: Origin, shape: Shape): TensorValue {
  return t.mixedBounds
    ? { kind: 'tensor', dtype: t.dtype, origin, shape }
    : { kind: 'tensor', dtype: t.dtype, origin, minValue: t.minValue, maxValue: t.maxValue, minBoundOnly: true, maxBoundOnly: true, shape };
}

/**
 * Indexes `t`. An item of a parameter the analysis only assumed to be a tensor (a forward nobody calls in the file, run
 * on symbolic inputs) is marked `assumedFrom`: the caller may pass a list or a tuple there, whose item is anything.
 */
export function indexTensor(t: TensorValue, items: IndexItem[], origin: Origin): TensorValue {
  const result = indexKnownTensor(t, items, origin);
  if (!t.shape.rankKnown && t.shape.dims.length === 0 && (t.name !== undefined || t.assumedFrom !== undefined) && !result.shape.rankKnown) result.assumedFrom = t.assumedFrom ?? t.name;
  return result;
}

function indexKnownTensor(t: TensorValue, items: IndexItem[], origin: Origin): TensorValue {
  // One pass over the items (indexing is frequent): what the checks below count and look for.
  let tensors = 0;
  let consuming = 0;
  let ellipsis = -1;
  let other = false;
  for (let i = 0; i < items.length; i++) {
    const kind = items[i].kind;
    if (kind === 'other') other = true;
    else if (kind === 'tensor' || kind === 'mask') tensors++;
    else if (kind === 'ellipsis' && ellipsis === -1) ellipsis = i;
    if (kind === 'int' || kind === 'slice' || kind === 'tensor') consuming++;
    else if (kind === 'mask') consuming += (items[i] as { rank: number }).rank;
  }
  if (other) return indexed(t, origin, UNKNOWN_SHAPE);
  // Several index tensors broadcast together and move to the front when apart: not modelled.
  if (tensors > 1 || (tensors === 1 && !t.shape.rankKnown)) return indexed(t, origin, UNKNOWN_SHAPE);
  const dims = t.shape.dims;
  if (!t.shape.rankKnown) {
    // Only `x[..., k]`-style access on the known trailing dims can be followed.
    if (ellipsis !== 0) return indexed(t, origin, UNKNOWN_SHAPE);
    const tail = items.length - 1;
    if (tail > dims.length) return indexed(t, origin, UNKNOWN_SHAPE);
    for (let k = 1; k < items.length; k++) if (items[k].kind === 'newaxis') return indexed(t, origin, UNKNOWN_SHAPE);
    const kept = dims.slice(0, dims.length - tail);
    for (let k = 0; k < tail; k++) {
      const item = items[k + 1];
      if (item.kind === 'slice') kept.push(sliceLength(dims[dims.length - tail + k], item, origin));
    }
    return indexed(t, origin, { dims: kept, rankKnown: false });
  }
  if (consuming > dims.length) return indexed(t, origin, UNKNOWN_SHAPE);
  const expanded: IndexItem[] = [];
  for (const item of items) {
    if (item.kind === 'ellipsis') for (let k = 0; k < dims.length - consuming; k++) expanded.push({ kind: 'slice', full: true });
    else expanded.push(item);
  }
  const out: Dim[] = [];
  // An integer into an axis only assumed (see afterDropping): the axes left stand where they do only if it exists.
  let droppedAssumed: Dim | undefined;
  // Basic indexing is a view: an integer drops its axis, a slice multiplies its stride by the step.
  const before = stridesOf(t);
  let strides: number[] | undefined = before ? [] : undefined;
  let axis = 0;
  for (const item of expanded) {
    if (item.kind === 'newaxis') {
      out.push(intDim(1, { origin }));
      strides = undefined;
      continue;
    }
    if (item.kind === 'mask') {
      // PyTorch and NumPy alike: the masked axes become one, of as many entries as the mask holds True: a count of
      // this evaluation's own.
      out.push(dataCountDim(origin));
      axis += item.rank;
      strides = undefined;
      continue;
    }
    const d = dims[axis++];
    if (item.kind === 'tensor') {
      // PyTorch applies integers (select), slices and None first; the one index tensor's shape then takes the place of
      // the axis it indexes. The result is a new tensor whose strides are not modelled.
      out.push(...item.shape.dims);
      strides = undefined;
      continue;
    }
    if (item.kind === 'slice') {
      out.push(sliceLength(d, item, origin));
      strides?.push(before![axis - 1] * (item.full ? 1 : item.step ?? 1));
    } else if (item.kind === 'int' && d && d.kind !== 'unknown' && d.layoutAssumed) droppedAssumed ??= d;
  }
  out.push(...dims.slice(axis));
  strides?.push(...before!.slice(axis));
  const result = indexed(t, origin, shapeOf(droppedAssumed ? afterDropping(droppedAssumed, out) : out));
  if (strides && stridesFit(result.shape, strides)) result.strides = strides;
  return result;
}

/** An integer index past its axis: the item's position in the index, the axis it reads, and that axis's size. */
export interface IndexOutOfBounds {
  item: number;
  axis: number;
  index: number;
  size: number;
  dim: Dim;
}

/**
 * The first integer index that PyTorch refuses with "index i is out of bounds for dimension d with size n": an int
 * outside [-n, n - 1] on an axis whose size n is known. Items are matched to axes as indexTensor does (None takes no
 * axis, `...` the axes the others leave); a mask or anything not followed ends the check, since the axes it takes
 * are not known.
 */
export function indexOutOfBounds(t: TensorValue, items: readonly IndexItem[]): IndexOutOfBounds | undefined {
  if (!t.shape.rankKnown) return undefined;
  const dims = t.shape.dims;
  let consuming = 0;
  let other = false;
  for (const item of items) {
    if (item.kind === 'int' || item.kind === 'slice' || item.kind === 'tensor') consuming++;
    else if (item.kind === 'other' || item.kind === 'mask') other = true;
  }
  if (consuming > dims.length) return undefined;
  let axis = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind === 'other' || item.kind === 'mask') return undefined;
    if (item.kind === 'newaxis') continue;
    if (item.kind === 'ellipsis') {
      // The axes `...` stands for are not known when a mask takes some of the rest.
      if (other) return undefined;
      axis += dims.length - consuming;
      continue;
    }
    const dim = dims[axis];
    if (item.kind === 'int' && item.value !== undefined && dim?.kind === 'int') {
      const n = dim.value;
      if (item.value >= n || item.value < -n) return { item: i, axis, index: item.value, size: n, dim };
    }
    axis++;
  }
  return undefined;
}
