// Element-wise arithmetic between tensors (and scalars) broadcasts shapes.
import { Dim, Origin, UNKNOWN_DIM, sameDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value } from '../values/value';

function broadcastDim(a: Dim | undefined, b: Dim | undefined): Dim {
  if (!a) return b ?? UNKNOWN_DIM;
  if (!b) return a;
  if (a.kind === 'int' && a.value === 1) return b;
  if (b.kind === 'int' && b.value === 1) return a;
  if (sameDim(a, b) || b.kind === 'unknown') return a;
  if (a.kind === 'unknown') return b;
  return UNKNOWN_DIM;
}

export function broadcast(left: Value, right: Value, origin: Origin): TensorValue {
  const l = left.kind === 'tensor' ? left : undefined;
  const r = right.kind === 'tensor' ? right : undefined;
  const dtype = l && r ? (l.dtype === r.dtype ? l.dtype : 'float') : (l ?? r)!.dtype;
  if (!l || !r) return { kind: 'tensor', dtype: right.kind === 'float' || left.kind === 'float' ? 'float' : dtype, origin, shape: (l ?? r)!.shape };
  if (!l.shape.rankKnown || !r.shape.rankKnown) return { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
  const rank = Math.max(l.shape.dims.length, r.shape.dims.length);
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const a = l.shape.dims[l.shape.dims.length - rank + i];
    const b = r.shape.dims[r.shape.dims.length - rank + i];
    dims.push(broadcastDim(a, b));
  }
  return { kind: 'tensor', dtype, origin, shape: shapeOf(dims) };
}
