// Element-wise arithmetic between tensors and scalars: shapes broadcast from the right, dtypes promote.
// torch.add/sub/mul/div, the operators + - * / // % **, and the tensor methods of the same names.
import { Dim, Origin, UNKNOWN_DIM, sameDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf, trailing } from '../shapes/shape';
import { DType, TensorValue, Value } from '../values/value';

/** One broadcast axis: a 1 takes the other's size; equal sizes stay; an unknown takes the known one (else it would raise). */
export function broadcastDim(a: Dim | undefined, b: Dim | undefined): Dim {
  if (!a) return b ?? UNKNOWN_DIM;
  if (!b) return a;
  if (a.kind === 'int' && a.value === 1) return b;
  if (b.kind === 'int' && b.value === 1) return a;
  // Equal sizes are the same axis: what either side knows of its role (x + attn, the attention's batch) is kept.
  if (sameDim(a, b)) return mergeRoles(mergedInOneOrder(a, b), b);
  // An unknown axis is 1 or the other's size (anything else raises): the other side's size wins. So is a count the data
  // decides, against a known size.
  if (b.kind === 'unknown' || (b.kind === 'sym' && b.dataCount && a.kind === 'int')) return a;
  if (a.kind === 'unknown' || (a.kind === 'sym' && a.dataCount && b.kind === 'int')) return b;
  return UNKNOWN_DIM;
}

/** Two known sizes on which shapes cannot broadcast, and where: `back` counts axes from the last (1 for the last). */
export interface BroadcastClash {
  back: number;
  a: Dim & { kind: 'int' };
  b: Dim & { kind: 'int' };
}

/**
 * The first axis, lined up from the last, on which two shapes certainly cannot broadcast: known sizes that differ,
 * neither of them 1. PyTorch, NumPy and Keras check from the last axis backwards and name the first clash they meet;
 * so does this. A size not known may fit.
 */
export function broadcastClash(a: readonly Dim[], b: readonly Dim[]): BroadcastClash | undefined {
  for (let back = 1; back <= Math.min(a.length, b.length); back++) {
    const x = a[a.length - back];
    const y = b[b.length - back];
    if (x.kind === 'int' && y.kind === 'int' && x.value !== y.value && x.value !== 1 && y.value !== 1) return { back, a: x, b: y };
  }
  return undefined;
}

/**
 * `a` without its merged sizes (DimInfo.merged) when `b` merged the same rows in another order ((sample, step) rows
 * against (step, sample) rows, SL160): the result's rows are neither.
 */
function mergedInOneOrder(a: Dim, b: Dim): Dim {
  if (a.kind !== 'int' || b.kind !== 'int' || !a.merged || !b.merged) return a;
  if (a.merged.length === b.merged.length && a.merged.every((d, i) => sameDim(d, b.merged![i]))) return a;
  const { merged: _dropped, ...rest } = a;
  return rest as Dim;
}

/** `a` with `b`'s role when `a` has none; two different roles leave none, since neither can be trusted. */
function mergeRoles(a: Dim, b: Dim): Dim {
  if (!b.role || a.role === b.role) return a;
  if (!a.role) return { ...a, role: b.role };
  const { role: _dropped, ...rest } = a;
  return rest as Dim;
}

/** The result dtype of `l op r`: true division always gives floats; mixing integer and float gives float. */
export function promote(op: string, l: DType, r: DType): DType {
  if (op === '/' || op === 'div' || op === 'true_divide') return 'float';
  if (l === 'unknown' || r === 'unknown') return l === 'float' || r === 'float' ? 'float' : 'unknown';
  if (l === r) return l;
  if (l === 'float' || r === 'float') return 'float';
  return 'long';
}

function scalarDtype(v: Value): DType {
  if (v.kind === 'float') return 'float';
  if (v.kind === 'int' || v.kind === 'symint') return 'long';
  if (v.kind === 'bool') return 'bool';
  return 'unknown';
}

/**
 * The shape of `t op other` where other is not a tensor value. A Python number leaves t's shape as it is. A value the
 * analysis could not follow may be a tensor of any shape: it may add leading axes and widen each of t's axes of size
 * 1, but every other known size of t stays (other's axis there is 1 or the same size, or PyTorch raises), so the
 * result has those sizes as trailing axes of a rank not known. A 0-D t tells nothing: `scale * x` has x's shape.
 */
export function withNonTensorOperand(shape: Shape, other: Value): Shape {
  if (other.kind !== 'unknown' && other.kind !== 'instance') return shape;
  if (!shape.dims.length) return UNKNOWN_SHAPE;
  return trailing(shape.dims.map((d) => (d.kind === 'int' && d.value === 1 ? UNKNOWN_DIM : d)));
}

/**
 * `left op right` where at least one side is a tensor. A Python scalar does not widen a tensor's integer
 * dtype except to float (`ids * 2` stays int64, `ids * 0.5` is float).
 */
export function broadcast(left: Value, right: Value, origin: Origin, op = '+'): TensorValue {
  const l = left.kind === 'tensor' ? left : undefined;
  const r = right.kind === 'tensor' ? right : undefined;
  if (!l || !r) {
    const t = (l ?? r)!;
    const other = l ? right : left;
    const od = scalarDtype(other);
    let dtype: DType = t.dtype;
    if (op === '/' || op === 'div' || op === 'true_divide') dtype = 'float';
    else if (od === 'float' && t.dtype !== 'float') dtype = t.dtype === 'unknown' ? 'unknown' : 'float';
    else if (od === 'unknown' && t.dtype !== 'float') dtype = 'unknown';
    else if (t.dtype === 'bool' && od === 'long') dtype = 'long';
    return { kind: 'tensor', dtype, origin, shape: withNonTensorOperand(t.shape, other) };
  }
  const dtype = promote(op, l.dtype, r.dtype);
  if (!l.shape.rankKnown || !r.shape.rankKnown) return { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
  const rank = Math.max(l.shape.dims.length, r.shape.dims.length);
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    dims.push(broadcastDim(l.shape.dims[l.shape.dims.length - rank + i], r.shape.dims[r.shape.dims.length - rank + i]));
  }
  return { kind: 'tensor', dtype, origin, shape: shapeOf(dims) };
}
