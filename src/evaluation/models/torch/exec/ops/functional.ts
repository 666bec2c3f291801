// torch.nn.functional ops that stand for a layer: embedding, layer_norm, 1-D pooling.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { pNorm } from './reductions';
import { Bound, boolArg, intArg, isNone, numberArg, op, result, rolesOf, tensorArg } from './registry';

const tf = () => tfjs();

/**
 * Rows looked up with max_norm: each whose p-norm exceeds max_norm is scaled by max_norm / (norm + 1e-7), as
 * PyTorch's embedding_renorm_ does to the table in place before the lookup. The rescaled row's norm is then below
 * max_norm, so a later lookup leaves it as it is: scaling the looked-up rows gives every call's output.
 */
export function renormed(rows: Tensor, maxNorm: number, normType: number): Tensor {
  const norm = pNorm(rows, normType, -1, true);
  const scale = tf().where(tf().greater(norm, maxNorm), tf().div(maxNorm, tf().add(norm, 1e-7)), tf().onesLike(norm));
  return tf().mul(rows, scale);
}

op(['embedding'], 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False', (a) => {
  const ids = tensorArg(a, 'input');
  const weight = tensorArg(a, 'weight');
  const roles = rolesOf(a.get('input'));
  const rows = tf().gather(weight, ids.dtype === 'int32' ? ids : tf().cast(ids, 'int32'));
  return result(isNone(a.get('max_norm')) ? rows : renormed(rows, numberArg(a, 'max_norm'), numberArg(a, 'norm_type')), roles ? [...roles, null] : undefined);
});

/** LayerNorm over the trailing `shape` axes, with the biased variance PyTorch uses. */
export function layerNorm(x: Tensor, axes: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const dims = [...Array(axes).keys()].map((k) => x.rank - axes + k);
  const { mean, variance } = tf().moments(x, dims, true);
  let out = tf().mul(tf().sub(x, mean), tf().rsqrt(tf().add(variance, eps)));
  if (weight) out = tf().mul(out, weight);
  if (bias) out = tf().add(out, bias);
  return out;
}

op(['layer_norm'], 'input, normalized_shape, weight=None, bias=None, eps=1e-05', (a) => {
  const x = tensorArg(a, 'input');
  const shape = a.get('normalized_shape')!;
  const sizes = shape.kind === 'int' ? [shape.value] : shape.kind === 'tuple' || shape.kind === 'list' ? shape.items.map((v) => (v.kind === 'int' ? v.value : NaN)) : [NaN];
  if (sizes.some((s, i) => s !== x.shape[x.rank - sizes.length + i])) throw fail(a.site, `Given normalized_shape=${JSON.stringify(sizes)}, expected input with shape [*, ${sizes.join(', ')}], but got input of size${JSON.stringify(x.shape)}`);
  return result(layerNorm(x, sizes.length, isNone(a.get('weight')) ? null : tensorArg(a, 'weight'), isNone(a.get('bias')) ? null : tensorArg(a, 'bias'), numberArg(a, 'eps')), rolesOf(a.get('input')));
});

/** 1-D pooling over the last axis of (N, C, L) or (C, L), PyTorch's output length (padding, ceil_mode, stride). */
export function pool1d(a: Bound | null, site: import('../errors').CallSite, x: Tensor, kind: 'max' | 'avg', kernel: number, stride: number, padding: number, ceil: boolean, countIncludePad: boolean): Tensor {
  if (x.rank !== 2 && x.rank !== 3) throw fail(site, `${kind}_pool1d expects a 2-D or 3-D input, got ${x.rank}-D`);
  if (padding > kernel / 2) throw fail(site, `pad should be at most half of effective kernel size, but got pad=${padding}, kernel_size=${kernel}`);
  const length = x.shape[x.rank - 1];
  let out = Math.floor((length + 2 * padding - kernel + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= length + padding) out--;
  if (out < 1) throw fail(site, `Given input size: (${x.shape.join('x')}). Calculated output size: (${x.shape.slice(0, -1).join('x')}x${out}). Output size is too small`);
  void a;
  const t = tf();
  const batched = x.rank === 3 ? x : t.expandDims(x, 0);
  const fill = kind === 'max' ? -Infinity : 0;
  const right = Math.max(0, (out - 1) * stride + kernel - length - padding);
  const padded = padding > 0 || right > 0 ? t.pad(batched, [[0, 0], [0, 0], [padding, right]], fill) : batched;
  const windows: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const start = i * stride;
    const w = t.slice(padded, [0, 0, start], [-1, -1, kernel]);
    if (kind === 'max') windows.push(t.max(w, 2));
    else {
      // Average over the window: padding counts when count_include_pad, the part past the input never does.
      const lo = Math.max(start - padding, 0);
      const hi = Math.min(start - padding + kernel, length);
      const padHi = Math.min(start - padding + kernel, length + padding);
      const divisor = countIncludePad ? padHi - (start - padding) : hi - lo;
      windows.push(t.div(t.sum(w, 2), divisor));
    }
  }
  const pooled = t.stack(windows, 2);
  return x.rank === 3 ? pooled : t.squeeze(pooled, [0]);
}

function poolOp(names: string[], kind: 'max' | 'avg'): void {
  op(names, kind === 'max' ? 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False' : 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True', (a) => {
    if (kind === 'max' && (intArg(a, 'dilation') !== 1 || boolArg(a, 'return_indices'))) throw fail(a.site, 'max_pool1d with dilation or return_indices is not something SeqLens runs');
    const kernel = intArg(a, 'kernel_size');
    const stride = isNone(a.get('stride')) || (a.get('stride')!.kind === 'list' && (a.get('stride') as { items: unknown[] }).items.length === 0) ? kernel : intArg(a, 'stride');
    const x = tensorArg(a, 'input');
    return result(pool1d(a, a.site, x, kind, kernel, stride, intArg(a, 'padding'), boolArg(a, 'ceil_mode'), kind === 'avg' ? boolArg(a, 'count_include_pad') : false));
  });
}
poolOp(['max_pool1d'], 'max');
poolOp(['avg_pool1d'], 'avg');

/** Adaptive pooling: window i spans [floor(i·L/out), ceil((i+1)·L/out)). */
export function adaptivePool1d(x: Tensor, out: number, kind: 'max' | 'avg'): Tensor {
  const t = tf();
  const length = x.shape[x.rank - 1];
  const windows: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * length) / out);
    const end = Math.ceil(((i + 1) * length) / out);
    const begin = x.shape.map((_, k) => (k === x.rank - 1 ? start : 0));
    const size = x.shape.map((s, k) => (k === x.rank - 1 ? end - start : s));
    const w = t.slice(x, begin, size);
    windows.push(kind === 'max' ? t.max(w, x.rank - 1) : t.mean(w, x.rank - 1));
  }
  return t.stack(windows, x.rank - 1);
}

op(['adaptive_max_pool1d'], 'input, output_size, return_indices=False', (a) => result(adaptivePool1d(tensorArg(a, 'input'), intArg(a, 'output_size'), 'max')));
op(['adaptive_avg_pool1d'], 'input, output_size', (a) => result(adaptivePool1d(tensorArg(a, 'input'), intArg(a, 'output_size'), 'avg')));
