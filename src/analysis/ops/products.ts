// Matrix products: matmul (with its 1-D and batch-broadcasting cases), bmm, mm, addmm, F.linear.
import { Dim, Origin, UNKNOWN_DIM } from '../shapes/dim';
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

/**
 * torch.bmm: (b, n, m) @ (b, m, p) → (b, n, p). Both operands must be 3-D, so the result is 3-D even when an
 * operand's rank is not known; each size is taken from whichever operand tells it.
 */
export function bmm(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  const dtype = a?.kind === 'tensor' && b?.kind === 'tensor' ? promote('*', a.dtype, b.dtype) : 'unknown';
  // An operand the analysis cannot follow is a tensor of the rank bmm takes, or PyTorch raises (as for dot).
  if (!followedOperands(a, b)) return result(dtype, origin, UNKNOWN_SHAPE);
  const x = fitRank(operandShape(a), 3);
  const y = fitRank(operandShape(b), 3);
  if (!x || !y) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([agreed(x[0], y[0]), x[1], y[2]]));
}

/**
 * torch.baddbmm(input, batch1, batch2): input + batch1 @ batch2, with (b, n, m) @ (b, m, p) → (b, n, p) and input
 * broadcast to it (input of rank 3 at most, or PyTorch raises); a size the product does not tell may come from input.
 */
export function baddbmm(input: Value | undefined, a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  return addedProduct(input, a, b, 3, origin, (x, y, at) => [broadcastDim(agreed(x[0], y[0]), at(0)), broadcastDim(x[1], at(1)), broadcastDim(y[2], at(2))]);
}

/** Two operands of which at least one is a tensor and the other a tensor or a value the analysis cannot follow. */
function followedOperands(a: Value | undefined, b: Value | undefined): boolean {
  if (a?.kind !== 'tensor' && b?.kind !== 'tensor') return false;
  return (a?.kind === 'tensor' || a?.kind === 'unknown') && (b?.kind === 'tensor' || b?.kind === 'unknown');
}

function operandShape(v: Value | undefined): Shape {
  return v?.kind === 'tensor' ? v.shape : UNKNOWN_SHAPE;
}

/**
 * input + a @ b for addmm (rank 2) and baddbmm (rank 3): the three operands' dtype, and the product's axes (`dims` of
 * the operands fitted to `rank`) with input broadcast into them from the last axis (`at(i)`, undefined where input's
 * rank is not known). Unknown when no operand is a tensor, one is something else, or input has more axes than `rank`.
 */
function addedProduct(input: Value | undefined, a: Value | undefined, b: Value | undefined, rank: number, origin: Origin, dims: (x: Dim[], y: Dim[], at: (i: number) => Dim | undefined) => Dim[]): TensorValue {
  const operands = [input, a, b];
  const tensors = operands.filter((v): v is TensorValue => v?.kind === 'tensor');
  const dtype = tensors.length === 3 ? tensors.map((t) => t.dtype).reduce((l, r) => promote('*', l, r)) : 'unknown';
  if (!tensors.length || operands.some((v) => v?.kind !== 'tensor' && v?.kind !== 'unknown')) return result(dtype, origin, UNKNOWN_SHAPE);
  const x = fitRank(operandShape(a), rank);
  const y = fitRank(operandShape(b), rank);
  const added = operandShape(input);
  if (!x || !y || added.dims.length > rank) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf(dims(x, y, (i) => (added.rankKnown ? added.dims[added.dims.length - rank + i] : undefined))));
}

/** The dims of a shape that must have `rank` axes (unknown leading ones filled in), or undefined if it cannot. */
function fitRank(shape: Shape, rank: number): Dim[] | undefined {
  if (shape.rankKnown) return shape.dims.length === rank ? shape.dims : undefined;
  if (shape.dims.length > rank) return undefined;
  return [...Array<Dim>(rank - shape.dims.length).fill(UNKNOWN_DIM), ...shape.dims];
}

/** Two sizes that must be equal: the known one. */
function agreed(a: Dim, b: Dim): Dim {
  return a.kind === 'unknown' ? b : a;
}

/** torch.mm: (n, m) @ (m, p) → (n, p); both operands are 2-D, so the result is, whatever else is unknown. */
export function mm(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  const dtype = a?.kind === 'tensor' && b?.kind === 'tensor' ? promote('*', a.dtype, b.dtype) : 'unknown';
  if (!followedOperands(a, b)) return result(dtype, origin, UNKNOWN_SHAPE);
  const x = fitRank(operandShape(a), 2);
  const y = fitRank(operandShape(b), 2);
  if (!x || !y) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([x[0], y[1]]));
}

/** torch.outer / ger: (n,) and (m,) → (n, m); both operands are 1-D, so the result is 2-D whatever else is unknown. */
export function outer(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  const dtype = a?.kind === 'tensor' && b?.kind === 'tensor' ? promote('*', a.dtype, b.dtype) : 'unknown';
  if (!followedOperands(a, b)) return result(dtype, origin, UNKNOWN_SHAPE);
  const x = fitRank(operandShape(a), 1);
  const y = fitRank(operandShape(b), 1);
  if (!x || !y) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([x[0], y[0]]));
}

/** torch.dot / vdot: two 1-D tensors → a 0-D scalar. */
export function dot(a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  const dtype = a?.kind === 'tensor' && b?.kind === 'tensor' ? promote('*', a.dtype, b.dtype) : 'unknown';
  // dot runs only on two 1-D tensors and gives a 0-D one: an operand the analysis cannot follow is such a tensor, or
  // PyTorch raises; a known operand of another rank is for the rules to report.
  const operand = (v: Value | undefined) => v?.kind === 'unknown' || (v?.kind === 'tensor' && fitRank(v.shape, 1));
  if ((a?.kind !== 'tensor' && b?.kind !== 'tensor') || !operand(a) || !operand(b)) return result(dtype, origin, UNKNOWN_SHAPE);
  return result(dtype, origin, shapeOf([]));
}

/** F.linear(x, weight[, bias]): (…, in) → (…, out) with weight (out, in). */
export function linear(x: Value | undefined, weight: Value | undefined, origin: Origin): TensorValue {
  if (x?.kind !== 'tensor') return result('unknown', origin, UNKNOWN_SHAPE);
  if (weight?.kind !== 'tensor' || !weight.shape.rankKnown || weight.shape.dims.length !== 2 || x.shape.dims.length === 0) return result(x.dtype, origin, UNKNOWN_SHAPE);
  return result(x.dtype, origin, { dims: [...x.shape.dims.slice(0, -1), weight.shape.dims[0]], rankKnown: x.shape.rankKnown });
}

/**
 * torch.addmm(input, mat1, mat2): input + mat1 @ mat2, with (n, m) @ (m, p) → (n, p). The product is 2-D and input must
 * broadcast to it without growing it, so the result is (n, p) even when an operand is not followed (it is a tensor of
 * the rank addmm takes, or PyTorch raises); a size the product does not tell may come from input.
 */
export function addmm(input: Value | undefined, a: Value | undefined, b: Value | undefined, origin: Origin): TensorValue {
  return addedProduct(input, a, b, 2, origin, (x, y, at) => [broadcastDim(x[0], at(0)), broadcastDim(y[1], at(1))]);
}
