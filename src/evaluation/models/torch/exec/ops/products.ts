// Matrix products: matmul (with PyTorch's 1-D and batched broadcasting rules), bmm, mm, F.linear.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { Bound, isNone, op, result, rolesOf, tensorArg } from './registry';
import type { CallSite } from '../errors';
import { broadcastShapes } from './elementwise';

const tf = () => tfjs();

export function matmul(site: CallSite, x: Tensor, y: Tensor): Tensor {
  const t = tf();
  if (x.dtype !== y.dtype) throw fail(site, `expected scalar type ${x.dtype === 'float32' ? 'Float' : 'Long'} but found ${y.dtype === 'float32' ? 'Float' : 'Long'}`);
  if (x.rank === 0 || y.rank === 0) throw fail(site, 'both arguments to matmul need to be at least 1D');
  const a = x.rank === 1 ? x.reshape([1, -1]) : x;
  const b = y.rank === 1 ? y.reshape([-1, 1]) : y;
  const as = a.shape as number[];
  const bs = b.shape as number[];
  const k = as[as.length - 1];
  if (k !== bs[bs.length - 2]) {
    throw fail(site, `mat1 and mat2 shapes cannot be multiplied (${as.slice(0, -1).reduce((p, s) => p * s, 1)}x${k} and ${bs[bs.length - 2]}x${bs[bs.length - 1]})`);
  }
  let out: Tensor;
  if (a.rank === 2 && b.rank === 2) out = t.matMul(a, b);
  else {
    const batchA = as.slice(0, -2);
    const batchB = bs.slice(0, -2);
    const m = as[as.length - 2];
    const n = bs[bs.length - 1];
    const batch = broadcastShapes(batchA, batchB);
    if (!batch) throw fail(site, `matmul cannot broadcast the batch dimensions ${JSON.stringify(batchA)} and ${JSON.stringify(batchB)}`);
    if (b.rank === 2) {
      out = t.matMul(a.reshape([-1, k]) as import('@tensorflow/tfjs').Tensor2D, b as import('@tensorflow/tfjs').Tensor2D).reshape([...batchA, m, n]);
    } else {
      const count = batch.reduce((p, s) => p * s, 1);
      const aa = t.broadcastTo(a, [...batch, m, k]).reshape([count, m, k]);
      const bb = t.broadcastTo(b, [...batch, k, n]).reshape([count, k, n]);
      out = t.matMul(aa as import('@tensorflow/tfjs').Tensor3D, bb as import('@tensorflow/tfjs').Tensor3D).reshape([...batch, m, n]);
    }
  }
  if (x.rank === 1) out = t.squeeze(out, [out.rank - 2]);
  if (y.rank === 1) out = t.squeeze(out, [out.rank - 1]);
  return out;
}

op(['matmul'], 'input, other', (a) => {
  const x = tensorArg(a, 'input');
  const out = matmul(a.site, x, tensorArg(a, 'other'));
  const roles = rolesOf(a.get('input'));
  return result(out, roles && x.rank === out.rank ? roles.map((r, i) => (i === roles.length - 1 ? null : r)) : undefined);
});

function checkRank(a: Bound, x: Tensor, rank: number, what: string): void {
  if (x.rank !== rank) throw fail(a.site, `${what} must be a ${rank}D tensor, got ${x.rank}D`);
}

op(['bmm'], 'input, mat2', (a) => {
  const x = tensorArg(a, 'input');
  const y = tensorArg(a, 'mat2');
  checkRank(a, x, 3, 'batch1');
  checkRank(a, y, 3, 'batch2');
  if (x.shape[0] !== y.shape[0]) throw fail(a.site, `Expected size for first two dimensions of batch2 tensor to be: [${x.shape[0]}, ${x.shape[2]}] but got: [${y.shape[0]}, ${y.shape[1]}].`);
  if (x.shape[2] !== y.shape[1]) throw fail(a.site, `Expected size for first two dimensions of batch2 tensor to be: [${x.shape[0]}, ${x.shape[2]}] but got: [${y.shape[0]}, ${y.shape[1]}].`);
  const roles = rolesOf(a.get('input'));
  return result(matmul(a.site, x, y), roles ? [roles[0], roles[1], null] : undefined);
});

op(['mm'], 'input, mat2', (a) => {
  const x = tensorArg(a, 'input');
  const y = tensorArg(a, 'mat2');
  checkRank(a, x, 2, 'self');
  checkRank(a, y, 2, 'mat2');
  return result(matmul(a.site, x, y));
});

/**
 * F.linear(x, weight, bias): x @ weight.T + bias, weight stored (out, in) as nn.Linear keeps it.
 * `kernel` is weight.T when the caller keeps one (nn.Linear makes it once): the wasm backend
 * multiplies by a transposed operand several times slower than by a plain one, so a product by
 * weight.T is always taken against a transposed copy.
 */
export function linear(site: CallSite, x: Tensor, weight: Tensor, bias: Tensor | null, kernel?: Tensor): Tensor {
  const inFeatures = weight.shape[weight.rank - 1];
  if (x.shape[x.rank - 1] !== inFeatures) {
    throw fail(site, `mat1 and mat2 shapes cannot be multiplied (${x.shape.slice(0, -1).reduce((p, s) => p * s, 1)}x${x.shape[x.rank - 1]} and ${inFeatures}x${weight.shape[0]})`);
  }
  const t = tf();
  const rows = x.reshape([-1, inFeatures]) as import('@tensorflow/tfjs').Tensor2D;
  const b = (kernel ?? t.transpose(weight)) as import('@tensorflow/tfjs').Tensor2D;
  const out = bias && bias.rank === 1 && bias.dtype === 'float32' && rows.dtype === 'float32' ? t.fused.matMul({ a: rows, b, bias }) : bias ? t.add(t.matMul(rows, b), bias) : t.matMul(rows, b);
  return out.reshape([...x.shape.slice(0, -1), weight.shape[0]]);
}

op(['linear'], 'input, weight, bias=None', (a) => {
  const x = tensorArg(a, 'input');
  const out = linear(a.site, x, tensorArg(a, 'weight'), isNone(a.get('bias')) ? null : tensorArg(a, 'bias'));
  const roles = rolesOf(a.get('input'));
  return result(out, roles?.map((r, i) => (i === roles.length - 1 ? null : r)));
});
