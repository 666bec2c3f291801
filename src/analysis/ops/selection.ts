// Ops that pick along a dimension: topk, sort/argsort, index_select, gather, multinomial, F.one_hot.
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { Bounds, DType, TensorValue, Value, boolValue, intValue } from '../values/value';
import { dimFromValue } from './dims-from-values';

function out(t: TensorValue, shape: Shape, origin: Origin, dtype: DType = t.dtype): TensorValue {
  return { kind: 'tensor', dtype, origin, shape };
}

/** The shape with axis `axis` replaced by `size`; unknown when the axis cannot be placed. */
function replaceAxis(shape: Shape, axis: number | undefined, size: Dim): Shape {
  if (axis === undefined) return UNKNOWN_SHAPE;
  if (!shape.rankKnown) {
    if (axis >= 0 || -axis > shape.dims.length) return UNKNOWN_SHAPE;
    const dims = [...shape.dims];
    dims[dims.length + axis] = size;
    return { dims, rankKnown: false };
  }
  const i = normaliseAxis(axis, Math.max(shape.dims.length, 1));
  if (i === undefined) return UNKNOWN_SHAPE;
  if (shape.dims.length === 0) return shapeOf([]);
  const dims = [...shape.dims];
  dims[i] = size;
  return shapeOf(dims);
}

/** topk(k, dim=-1) → (values, indices), the dim cut to k. */
export function topk(t: TensorValue, k: Value | undefined, dim: Value | undefined, origin: Origin): Value {
  const axis = dim === undefined || dim.kind === 'none' ? -1 : intValue(dim);
  const shape = replaceAxis(t.shape, axis, dimFromValue(k, origin));
  return { kind: 'tuple', items: [out(t, shape, origin), Object.assign(out(t, shape, origin, 'long'), positionsAlong(t, axis))] };
}

/** The positions along an axis of known size, 0 to size - 1: what topk's and sort's indices hold (ids picked by score). */
export function positionsAlong(t: TensorValue, axis: number | undefined): Bounds {
  const at = axis === undefined || !t.shape.rankKnown ? undefined : normaliseAxis(axis, t.shape.dims.length);
  const size = at === undefined ? undefined : t.shape.dims[at];
  return size?.kind === 'int' && size.value > 0 ? { minValue: 0, maxValue: size.value - 1, mixedBounds: undefined, minBoundOnly: true, maxBoundOnly: true } : {};
}

/** sort(dim=-1, descending=False) → (values, indices) of the input's shape; argsort → the indices. */
export function sort(t: TensorValue, origin: Origin, indicesOnly: boolean, dim?: Value, descending?: Value): Value {
  const axis = dim === undefined || dim.kind === 'none' ? -1 : intValue(dim);
  const indices = Object.assign(out(t, t.shape, origin, 'long'), positionsAlong(t, axis));
  if (indicesOnly) return indices;
  // The same values in another order: their bounds are the input's.
  const { minValue, maxValue, mixedBounds, minBoundOnly, maxBoundOnly } = t;
  const values: TensorValue = { ...out(t, t.shape, origin), ...(minValue !== undefined && { minValue }), ...(maxValue !== undefined && { maxValue }), ...(mixedBounds && { mixedBounds }), ...(minBoundOnly && { minBoundOnly }), ...(maxBoundOnly && { maxBoundOnly }) };
  // The sorted values of a 1-D tensor whose values are listed (lengths), in the order asked for: pack_padded_sequence
  // (SL112) then sees whether they decrease.
  const order = descending === undefined ? false : boolValue(descending);
  if (t.literal && order !== undefined && (axis === 0 || axis === -1) && t.shape.rankKnown && t.shape.dims.length === 1) {
    const sorted = [...t.literal].sort((a, b) => (order ? b - a : a - b));
    values.literal = sorted;
    values.sortedDescending = sorted.every((v, i) => i === 0 || sorted[i - 1] >= v);
    values.minValue = t.minValue;
    values.maxValue = t.maxValue;
  }
  return { kind: 'tuple', items: [values, indices] };
}

/** index_select(dim, index): the dim becomes the length of the 1-D index. */
export function indexSelect(t: TensorValue, dim: Value | undefined, index: Value | undefined, origin: Origin): TensorValue {
  const n = index?.kind === 'tensor' && index.shape.rankKnown && index.shape.dims.length <= 1 ? index.shape.dims[0] ?? intDim(1) : UNKNOWN_DIM;
  const axis = intValue(dim);
  // Whichever axis it picks along, the result has the input's rank (PyTorch 1.13): only the picked axis' size changes.
  if (axis === undefined && dim !== undefined && t.shape.rankKnown) return out(t, shapeOf(t.shape.dims.map(() => UNKNOWN_DIM)), origin);
  return out(t, replaceAxis(t.shape, axis, n), origin);
}

/** gather(dim, index): the index's shape, the input's dtype. */
export function gather(t: TensorValue, index: Value | undefined, origin: Origin): TensorValue {
  if (index?.kind === 'tensor' && index.shape.rankKnown) return out(t, index.shape, origin);
  // An index whose rank is not known has the input's (PyTorch 1.13 raises otherwise), but for an input of 0 or 1 axes,
  // which takes an index of 0 or 1 axes: the result has the index's rank.
  if (t.shape.rankKnown && t.shape.dims.length >= 2) return out(t, shapeOf(t.shape.dims.map(() => UNKNOWN_DIM)), origin);
  return out(t, index?.kind === 'tensor' ? index.shape : UNKNOWN_SHAPE, origin);
}

/** multinomial(probs, num_samples): (…, num_samples) int64 ids, from 1-D or 2-D probabilities. */
export function multinomial(probs: TensorValue, samples: Value | undefined, origin: Origin): TensorValue {
  const n = dimFromValue(samples, origin);
  const shape = probs.shape.rankKnown && (probs.shape.dims.length === 1 || probs.shape.dims.length === 2) ? shapeOf([...probs.shape.dims.slice(0, -1), n]) : UNKNOWN_SHAPE;
  return { kind: 'tensor', dtype: 'long', origin, shape, minValue: 0, maxValue: probs.shape.dims.length ? lastSize(probs.shape) : undefined, minBoundOnly: true, maxBoundOnly: true };
}

function lastSize(shape: Shape): number | undefined {
  const d = shape.dims[shape.dims.length - 1];
  return d?.kind === 'int' ? d.value - 1 : undefined;
}

/**
 * F.one_hot(ids, num_classes): a trailing axis of num_classes, int64 (num_classes=-1 means max id + 1), whose role is
 * 'feature' when its size is known.
 */
export function oneHot(ids: TensorValue, classes: Value | undefined, origin: Origin): TensorValue {
  const c = intValue(classes);
  let size: Dim = UNKNOWN_DIM;
  if (c !== undefined && c >= 0) size = dimFromValue(classes, origin);
  else if ((c === undefined && classes === undefined) || c === -1) size = ids.maxValue !== undefined && ids.minValue !== undefined && ids.minValue === ids.maxValue ? intDim(ids.maxValue + 1) : UNKNOWN_DIM;
  else if (classes?.kind === 'symint') size = classes.dim;
  // The new axis holds one entry per class of each id: a features axis, as an embedding's is.
  if (size.kind !== 'unknown') size = { ...size, role: 'feature' };
  const shape: Shape = ids.shape.rankKnown ? shapeOf([...ids.shape.dims, size]) : { dims: [...ids.shape.dims, size], rankKnown: false };
  return { kind: 'tensor', dtype: 'long', origin, shape, minValue: 0, maxValue: 1 };
}
