// TensorFlow's tensor functions (tf.*, tf.math.*, tf.nn.*, tf.linalg.*) and Keras' backend (keras.backend as K)
// as Keras code calls them: inside a custom layer's call(), a Lambda, an attention block. Each shape rule is
// TensorFlow's, and where it is PyTorch's too the torch op table computes it; where the two differ it is written
// here:
//   - tf.matmul takes no 1-D operand (torch.matmul promotes one); transpose_a/transpose_b swap the last two axes.
//   - K.dot of a 3-D x and a 2-D weight contracts x's last axis with the weight's first: x[:-1] + w[-1:]
//     (keras/backend.py reshapes to do it); for two 2-D operands it is a matrix product.
//   - tf.squeeze(x, axis) raises unless the axis is 1, so after it the axis is gone (torch keeps an axis that is
//     not 1); without an axis it drops every axis of size 1, as torch does.
//   - tf.argmax's axis defaults to 0; K.argmax's to -1. tf.transpose without perm reverses the axes.
//   - The reductions take (x, axis=None, keepdims=False): no axis reduces them all; TensorFlow 1 spelled keepdims
//     keep_dims.
//   - tf.range(start, limit=None, delta=1) and K.arange(start, stop=None, step=1) are 1-D (see numberRange).
// An op not listed, or arguments the analysis does not know, give unknown. Checked against tfjs-core (which
// ports TensorFlow's ops) on random shapes: test/unit/analysis/tf-functions.test.ts.
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../values/value';
import { broadcast } from './broadcast';
import { matmul } from './products';
import { keepdimOf } from './reductions';
import { permute, reduce, tensor, transpose, unsqueeze } from './tensor-methods';
import { tensorFunction } from './torch-functions';

const UNARY = new Set([
  'exp', 'log', 'tanh', 'sigmoid', 'relu', 'relu6', 'elu', 'selu', 'gelu', 'softplus', 'softsign', 'square', 'sqrt', 'rsqrt', 'abs', 'negative', 'sign',
  'round', 'floor', 'ceil', 'sin', 'cos', 'log1p', 'expm1', 'reciprocal', 'identity', 'stop_gradient', 'softmax', 'log_softmax', 'l2_normalize', 'dropout',
  'clip_by_value', 'clip', 'zeros_like', 'ones_like', 'leaky_relu', 'erf', 'hard_sigmoid', 'cumsum', 'cumprod',
]);

/** Of those, the ones whose result keeps an integer input's dtype (the others compute floats). */
const KEEPS_DTYPE = new Set(['abs', 'negative', 'sign', 'identity', 'stop_gradient', 'zeros_like', 'ones_like', 'cumsum', 'cumprod', 'clip', 'clip_by_value', 'relu', 'relu6', 'square']);

const BINARY: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/', truediv: '/', maximum: 'max', minimum: 'min', pow: '**', squared_difference: '-', floordiv: '//', mod: '%' };

const REDUCTIONS: Record<string, string> = {
  reduce_sum: 'sum', reduce_mean: 'mean', reduce_max: 'amax', reduce_min: 'amin', reduce_prod: 'prod', reduce_logsumexp: 'logsumexp', reduce_std: 'sum', reduce_variance: 'sum', reduce_any: 'sum', reduce_all: 'sum',
};
const BACKEND_REDUCTIONS: Record<string, string> = { sum: 'sum', mean: 'mean', max: 'amax', min: 'amin', prod: 'prod', logsumexp: 'logsumexp', std: 'sum', var: 'sum', any: 'sum', all: 'sum' };

/** `tensorflow.math.reduce_sum` → ['tf', 'reduce_sum']; `keras.backend.sum` → ['K', 'sum']; other paths undefined. */
export function tfOpName(path: string): ['tf' | 'K', string] | undefined {
  const k = /^keras\.backend\.(\w+)$/.exec(path);
  if (k) return ['K', k[1]];
  const t = /^tensorflow\.(?:compat\.v1\.)?(?:math\.|nn\.|linalg\.)?(\w+)$/.exec(path);
  return t ? ['tf', t[1]] : undefined;
}

function arg(args: Value[], kwargs: Map<string, Value>, i: number, ...names: string[]): Value | undefined {
  if (args[i] !== undefined) return args[i];
  for (const n of names) if (kwargs.has(n)) return kwargs.get(n);
  return undefined;
}

function dtypeOf(v: Value | undefined): TensorValue['dtype'] {
  const name = v?.kind === 'str' ? v.value : undefined;
  if (name === undefined) return 'unknown';
  if (/^(float|bfloat|half|double)/.test(name)) return 'float';
  if (/^u?int/.test(name)) return 'long';
  return name === 'bool' ? 'bool' : 'unknown';
}

/** The values of one TensorFlow or Keras backend call; undefined when it is not one the analysis models. */
export function tfFunction(space: 'tf' | 'K', name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const first = arg(args, kwargs, 0, 'x', 'input', 'input_tensor', 'a', 'tensor', 'logits', 'features', 't');
  const x = first?.kind === 'tensor' ? first : undefined;
  if (name === 'cast') return x ? tensor(x, x.shape, origin, dtypeOf(arg(args, kwargs, 1, 'dtype'))) : undefined;
  if (UNARY.has(name)) return x ? tensor(x, x.shape, origin, x.dtype === 'long' && !KEEPS_DTYPE.has(name) ? 'float' : x.dtype) : undefined;
  if (Object.hasOwn(BINARY, name)) {
    const y = arg(args, kwargs, 1, 'y', 'b');
    if (!first || !y || (first.kind !== 'tensor' && y.kind !== 'tensor')) return undefined;
    return broadcast(first, y, origin, BINARY[name]);
  }
  const reduction = space === 'tf' ? (Object.hasOwn(REDUCTIONS, name) ? REDUCTIONS[name] : undefined) : Object.hasOwn(BACKEND_REDUCTIONS, name) ? BACKEND_REDUCTIONS[name] : undefined;
  if (reduction) {
    if (!x) return undefined;
    const axis = arg(args, kwargs, 1, 'axis', 'reduction_indices');
    const keep = keepdimOf(arg(args, kwargs, 2, 'keepdims', 'keep_dims'));
    const out = reduce(x, reduction, axis ?? { kind: 'none' }, keep, origin);
    const dtype = name.endsWith('any') || name.endsWith('all') ? 'bool' : x.dtype === 'long' && reduction === 'mean' ? 'long' : x.dtype;
    return out.kind === 'tensor' ? { ...out, dtype } : out;
  }
  switch (name) {
    case 'argmax':
    case 'argmin': {
      if (!x) return undefined;
      const axis = arg(args, kwargs, 1, 'axis', 'dimension') ?? { kind: 'int', value: space === 'tf' ? 0 : -1 };
      return reduce(x, name, axis.kind === 'none' ? { kind: 'int', value: 0 } : axis, false, origin);
    }
    case 'matmul': {
      const b = arg(args, kwargs, 1, 'b');
      if (!x || b?.kind !== 'tensor' || !x.shape.rankKnown || !b.shape.rankKnown || x.shape.dims.length < 2 || b.shape.dims.length < 2) return undefined;
      const flag = (names: string[]) => {
        const v = names.map((n) => kwargs.get(n)).find((f) => f !== undefined);
        return v === undefined ? false : v.kind === 'bool' ? v.value : undefined;
      };
      const ta = flag(['transpose_a', 'adjoint_a']);
      const tb = flag(['transpose_b', 'adjoint_b']);
      if (ta === undefined || tb === undefined) return tensor(x, UNKNOWN_SHAPE, origin);
      return matmul(ta ? transpose(x, -2, -1, origin) : x, tb ? transpose(b, -2, -1, origin) : b, origin);
    }
    case 'dot':
      return space === 'K' ? backendDot(x, arg(args, kwargs, 1, 'y'), origin) : undefined;
    case 'reshape':
      return x ? tensorFunction('reshape', [x, arg(args, kwargs, 1, 'shape') ?? UNKNOWN], new Map(), origin) : undefined;
    case 'transpose':
    case 'permute_dimensions': {
      if (!x) return undefined;
      const perm = arg(args, kwargs, 1, 'perm', 'pattern');
      if (perm === undefined || perm.kind === 'none') {
        if (name === 'permute_dimensions') return undefined;
        return x.shape.rankKnown ? permute(x, x.shape.dims.map((_, i) => x.shape.dims.length - 1 - i), origin) : tensor(x, UNKNOWN_SHAPE, origin);
      }
      return (perm.kind === 'tuple' || perm.kind === 'list') && !perm.element ? permute(x, perm.items.map(intValue), origin) : tensor(x, UNKNOWN_SHAPE, origin);
    }
    case 'expand_dims': {
      if (!x) return undefined;
      const axis = arg(args, kwargs, 1, 'axis', 'dim') ?? (space === 'K' ? { kind: 'int', value: -1 } : undefined);
      return axis ? unsqueeze(x, intValue(axis), origin) : undefined;
    }
    case 'squeeze':
      return x ? squeezed(x, arg(args, kwargs, 1, 'axis', 'squeeze_dims'), origin) : undefined;
    case 'concat':
    case 'concatenate':
    case 'stack': {
      const values = arg(args, kwargs, 0, 'values', 'tensors', 'x');
      const axis = arg(args, kwargs, 1, 'axis') ?? { kind: 'int', value: name === 'concatenate' ? -1 : 0 };
      if (name === 'concat' && arg(args, kwargs, 1, 'axis') === undefined) return undefined;
      return values ? tensorFunction(name === 'stack' ? 'stack' : 'cat', [values, axis], new Map(), origin) : undefined;
    }
    case 'one_hot': {
      const depth = intValue(arg(args, kwargs, 1, 'depth', 'num_classes'));
      const axis = arg(args, kwargs, 3, 'axis');
      if (!x || (axis !== undefined && intValue(axis) !== -1)) return undefined;
      return x.shape.rankKnown ? tensor(x, shapeOf([...x.shape.dims, depth !== undefined ? intDim(depth, { origin }) : UNKNOWN_DIM]), origin, 'float') : tensor(x, UNKNOWN_SHAPE, origin, 'float');
    }
    case 'tile':
      return x ? tiled(x, arg(args, kwargs, 1, 'multiples', 'n'), origin) : undefined;
    case 'repeat':
      // K.repeat(x, n): (batch, features) → (batch, n, features), as RepeatVector.
      if (space !== 'K' || !x) return undefined;
      return x.shape.rankKnown && x.shape.dims.length === 2 ? tensor(x, shapeOf([x.shape.dims[0], dimOf(arg(args, kwargs, 1, 'n'), origin), x.shape.dims[1]]), origin) : tensor(x, UNKNOWN_SHAPE, origin);
    case 'repeat_elements': {
      if (space !== 'K' || !x) return undefined;
      const rep = intValue(arg(args, kwargs, 1, 'rep'));
      const axis = intValue(arg(args, kwargs, 2, 'axis'));
      if (!x.shape.rankKnown || axis === undefined) return tensor(x, UNKNOWN_SHAPE, origin);
      const i = normaliseAxis(axis, x.shape.dims.length);
      if (i === undefined) return tensor(x, UNKNOWN_SHAPE, origin);
      const d = x.shape.dims[i];
      return tensor(x, shapeOf(x.shape.dims.map((e, j) => (j !== i ? e : rep !== undefined && d.kind === 'int' ? intDim(d.value * rep, { origin }) : UNKNOWN_DIM))), origin);
    }
    case 'ones':
    case 'zeros': {
      // K.ones(shape), K.zeros(shape): a list or tuple of sizes (tf.ones and tf.zeros are array factories,
      // read before these functions with tf.constant and the others).
      const shape = arg(args, kwargs, 0, 'shape');
      if (shape?.kind !== 'list' && shape?.kind !== 'tuple') return undefined;
      if (shape.element) return { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
      const dtype = arg(args, kwargs, 1, 'dtype');
      return { kind: 'tensor', dtype: dtype === undefined ? 'float' : dtypeOf(dtype), origin, shape: shapeOf(shape.items.map((v) => dimOf(v, origin))) };
    }
    case 'range':
    case 'arange':
      return (space === 'tf') === (name === 'range') ? numberRange(space, args, kwargs, origin) : undefined;
    case 'shape':
    case 'int_shape':
      return x && x.shape.rankKnown ? { kind: 'size', dims: x.shape.dims, of: x } : undefined;
    default:
      return undefined;
  }
}

/**
 * tf.range(start, limit=None, delta=1, dtype=None) and K.arange(start, stop=None, step=1, dtype='int32'): the 1-D
 * tensor of the numbers from start (included) to limit (excluded) by delta, ceil((limit - start) / delta) of them;
 * with one bound, from 0 to it. A delta that moves away from the limit makes TensorFlow raise ("Requires start <=
 * limit when delta > 0"), as does a delta of 0. Ints give int32 and a float bound float32, unless a
 * dtype is given (K.arange casts only to a dtype other than int32, so it keeps float32 bounds' dtype). Bounds that
 * are not numbers (a string, a list) are not a range the analysis reads.
 */
function numberRange(space: 'tf' | 'K', args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const given = (v: Value | undefined): v is Value => v !== undefined && v.kind !== 'none';
  const first = arg(args, kwargs, 0, 'start');
  const second = arg(args, kwargs, 1, space === 'tf' ? 'limit' : 'stop');
  const third = arg(args, kwargs, 2, space === 'tf' ? 'delta' : 'step');
  if (!given(first)) return undefined;
  const bounds = [first, second, third].filter(given);
  const isNumber = (v: Value) => v.kind === 'int' || v.kind === 'symint' || v.kind === 'float' || v.kind === 'unknown' || (v.kind === 'tensor' && (!v.shape.rankKnown || v.shape.dims.length === 0));
  if (!bounds.every(isNumber)) return undefined;
  // K.arange(n) of a negative n starts at 0 up to no stop: tf.range(0), empty.
  const one = intValue(first);
  const [start, limit] = given(second) ? [one, intValue(second)] : space === 'K' && one !== undefined && one < 0 ? [0, 0] : [0, one];
  const delta = given(third) ? intValue(third) : 1;
  if (delta === 0) return undefined;
  const known = start !== undefined && limit !== undefined && delta !== undefined;
  if (known && ((delta > 0 && start > limit) || (delta < 0 && start < limit))) return undefined;
  const length = known ? Math.ceil(Math.abs((limit - start) / delta)) : undefined;
  const inferred = bounds.every((v) => v.kind === 'int' || v.kind === 'symint') ? 'long' : bounds.some((v) => v.kind === 'float') ? 'float' : 'unknown';
  const dtypeArg = arg(args, kwargs, 3, 'dtype');
  const cast = given(dtypeArg) && !(space === 'K' && dtypeArg.kind === 'str' && dtypeArg.value === 'int32');
  const dtype = cast ? dtypeOf(dtypeArg) : inferred;
  const out: TensorValue = { kind: 'tensor', dtype, origin, shape: shapeOf([length !== undefined ? intDim(length, { origin }) : UNKNOWN_DIM]) };
  if (length === undefined || length === 0 || dtype !== 'long') return out;
  const last = start! + (length - 1) * delta!;
  return { ...out, minValue: Math.min(start!, last), maxValue: Math.max(start!, last) };
}

function dimOf(v: Value | undefined, origin: Origin): Dim {
  const n = intValue(v);
  return n !== undefined ? intDim(n, { origin }) : UNKNOWN_DIM;
}

/** K.dot(x, y): a matrix product for two 2-D operands; x's last axis against y's second to last otherwise. */
function backendDot(x: TensorValue | undefined, y: Value | undefined, origin: Origin): Value | undefined {
  if (!x || y?.kind !== 'tensor') return undefined;
  if (!x.shape.rankKnown || !y.shape.rankKnown) return tensor(x, UNKNOWN_SHAPE, origin);
  const a = x.shape.dims;
  const b = y.shape.dims;
  if (a.length < 2 || b.length < 2) return tensor(x, UNKNOWN_SHAPE, origin);
  if (a.length === 2 && b.length === 2) return matmul(x, y, origin);
  return tensor(x, shapeOf([...a.slice(0, -1), ...b.slice(0, -2), b[b.length - 1]]), origin);
}

/** tf.squeeze: without an axis every axis of size 1 goes (unknown when a size is not known); a named axis goes. */
function squeezed(x: TensorValue, axis: Value | undefined, origin: Origin): TensorValue {
  if (!x.shape.rankKnown) return tensor(x, UNKNOWN_SHAPE, origin);
  const dims = x.shape.dims;
  if (axis === undefined || axis.kind === 'none' || ((axis.kind === 'list' || axis.kind === 'tuple') && !axis.element && axis.items.length === 0)) {
    if (dims.some((d) => d.kind !== 'int')) return tensor(x, UNKNOWN_SHAPE, origin);
    return tensor(x, shapeOf(dims.filter((d) => d.kind !== 'int' || d.value !== 1)), origin);
  }
  const axes = axis.kind === 'list' || axis.kind === 'tuple' ? (axis.element ? [undefined] : axis.items.map(intValue)) : [intValue(axis)];
  const normalised = axes.map((a) => (a === undefined ? undefined : normaliseAxis(a, dims.length)));
  if (normalised.some((a) => a === undefined)) return tensor(x, UNKNOWN_SHAPE, origin);
  // An axis known not to be 1 raises in TensorFlow: nothing is said about what follows.
  if (normalised.some((a) => dims[a!].kind === 'int' && (dims[a!] as { value: number }).value !== 1)) return tensor(x, UNKNOWN_SHAPE, origin);
  return tensor(x, shapeOf(dims.filter((_, i) => !normalised.includes(i))), origin);
}

/** tf.tile(x, multiples) / K.tile: one multiple per axis (TensorFlow raises on another count). */
function tiled(x: TensorValue, multiples: Value | undefined, origin: Origin): TensorValue {
  if (!x.shape.rankKnown || (multiples?.kind !== 'list' && multiples?.kind !== 'tuple') || multiples.element || multiples.items.length !== x.shape.dims.length) return tensor(x, UNKNOWN_SHAPE, origin);
  const counts = multiples.items.map(intValue);
  return tensor(x, shapeOf(x.shape.dims.map((d, i) => {
    const n = counts[i];
    if (n === 1) return d;
    return n !== undefined && d.kind === 'int' ? intDim(d.value * n, { origin }) : UNKNOWN_DIM;
  })), origin);
}
