// Matrix products: matmul (with its 1-D and batch-broadcasting cases), bmm, mm, F.linear.
import { Dim, Origin } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { DType, TensorValue, Value } from '../values/value';
import { broadcastDim, promote } from './broadcast';

function result(dtype: DType, origin: Origin, shape: Shape): TensorValue {
  return { kind: 'tensor', dtype, origin, shape };
}

/** torch.matmul / `@`: 1-D operands gain and lose an axis, batch axes broadcast. */
export function matmul(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  const dtype = a?.kind === 'tensor' && b?.kind === 'tensor' ? promote('*', a.dtype, b.dtype) : 'unknown';
  if (a?.kind !== 'tensor' || b?.kind !== 'tensor') return result(dtype, origin, UNKNOWN_SHAPE);
  const x = a.shape;
  const y = b.shape;
  if (!x.rankKnown || !y.rankKnown || x.dims.length === 0 || y.dims.length === 0) {
    // (…, n, m) @ (m, p) still ends in p when the left rank is unknown but at least 2.
    if (y.rankKnown && y.dims.length === 2 && x.dims.length >= 2) return result(dtype, origin, { dims: [...x.dims.slice(0, -1), y.dims[1]], rankKnown: x.rankKnown });
    return result(dtype, origin, UNKNOWN_SHAPE);
  }
  const xr = x.dims.length;
  const yr = y.dims.length;
  if (xr === 1 && yr === 1) return result(dtype, origin, shapeOf([]));
  if (xr === 2 && yr === 2) return result(dtype, origin, shapeOf([x.dims[0], y.dims[1]]));
  if (xr === 1) return result(dtype, origin, shapeOf([...y.dims.slice(0, -2), y.dims[yr - 1]]));
  if (yr === 1) return result(dtype, origin, shapeOf(x.dims.slice(0, -1)));
  const xb = x.dims.slice(0, -2);
  const yb = y.dims.slice(0, -2);
  const rank = Math.max(xb.length, yb.length);
  const batch: Dim[] = [];
  for (let i = 0; i < rank; i++) batch.push(broadcastDim(xb[xb.length - rank + i], yb[yb.length - rank + i]));
  return result(dtype, origin, shapeOf([...batch, x.dims[xr - 2], y.dims[yr - 1]]));
}

/** torch.bmm: (b, n, m) @ (b, m, p) → (b, n, p); anything but 3-D operands is left unknown. */
export function bmm(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  if (a?.kind !== 'tensor' || b?.kind !== 'tensor') return result('unknown', origin, UNKNOWN_SHAPE);
  const dtype = promote('*', a.dtype, b.dtype);
  if (!a.shape.rankKnown || !b.shape.rankKnown || a.shape.dims.length !== 3 || b.shape.dims.length !== 3) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([broadcastDim(a.shape.dims[0], b.shape.dims[0]), a.shape.dims[1], b.shape.dims[2]]));
}

/** torch.mm: (n, m) @ (m, p) → (n, p). */
export function mm(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  if (a?.kind !== 'tensor' || b?.kind !== 'tensor') return result('unknown', origin, UNKNOWN_SHAPE);
  const dtype = promote('*', a.dtype, b.dtype);
  if (!a.shape.rankKnown || !b.shape.rankKnown || a.shape.dims.length !== 2 || b.shape.dims.length !== 2) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([a.shape.dims[0], b.shape.dims[1]]));
}

/** F.linear(x, weight[, bias]): (…, in) → (…, out) with weight (out, in). */
export function linear(x: Value | undefined, weight: Value | undefined, origin: Origin): TensorValue {
  if (x?.kind !== 'tensor') return result('unknown', origin, UNKNOWN_SHAPE);
  if (weight?.kind !== 'tensor' || !weight.shape.rankKnown || weight.shape.dims.length !== 2 || !x.shape.rankKnown || x.shape.dims.length === 0) return result(x.dtype, origin, UNKNOWN_SHAPE);
  return result(x.dtype, origin, shapeOf([...x.shape.dims.slice(0, -1), weight.shape.dims[0]]));
}
