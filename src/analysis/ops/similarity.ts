// Distances and similarities of two broadcast tensors along one axis: F.cosine_similarity, F.pairwise_distance.
import { Origin, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue, intValue } from '../values/value';
import { broadcast } from './broadcast';

/** Both operands as tensors of known rank, broadcast; undefined when either is not. */
function common(x1: Value | undefined, x2: Value | undefined, origin: Origin): TensorValue | undefined {
  if (x1?.kind !== 'tensor' || x2?.kind !== 'tensor' || !x1.shape.rankKnown || !x2.shape.rankKnown) return undefined;
  return broadcast(x1, x2, origin);
}

/**
 * `F.cosine_similarity(x1, x2, dim=1)`: the two broadcast to one shape, then `dim` is summed away. The result is a
 * float tensor (integer operands make PyTorch raise).
 */
export function cosineSimilarity(x1: Value | undefined, x2: Value | undefined, dimArg: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  const both = common(x1, x2, origin);
  const axis = dimArg === undefined ? 1 : intValue(dimArg);
  if (!both || axis === undefined) return base;
  const dims = both.shape.dims;
  const i = normaliseAxis(axis, Math.max(dims.length, 1));
  if (i === undefined) return base;
  return { ...base, shape: shapeOf(dims.filter((_, k) => k !== i)) };
}

/**
 * `F.pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False)`: the p-norm of x1 - x2 over the last axis of the
 * broadcast shape (kept as a 1 with keepdim). A float tensor, whatever the operands' dtype.
 */
export function pairwiseDistance(x1: Value | undefined, x2: Value | undefined, keepdimArg: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  const both = common(x1, x2, origin);
  const keepdim = keepdimArg === undefined ? false : boolValue(keepdimArg);
  if (!both || keepdim === undefined) return base;
  const dims = both.shape.dims;
  // Two 0-D operands give a 0-D distance, keepdim or not.
  if (dims.length === 0) return { ...base, shape: shapeOf([]) };
  return { ...base, shape: shapeOf(keepdim ? [...dims.slice(0, -1), intDim(1, { origin })] : dims.slice(0, -1)) };
}
