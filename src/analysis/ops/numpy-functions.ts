// NumPy's element-wise functions, reductions and products called as functions of the module (np.exp(x),
// np.mean(x, axis=0), np.maximum(x, 0), np.where(c, x, y), np.dot(a, b), np.linalg.pinv(a), np.repeat, np.tile, …).
// Each reads its array-like operands as arrays (a list of numbers is np.asarray of it) and follows NumPy's own rule,
// checked by test/oracle/op_shapes.py through torch.from_numpy:
// - a unary ufunc keeps the shape; a binary one broadcasts as PyTorch does;
// - a reduction drops its axes (or keeps them as 1s with keepdims=True), every axis without one; np.max/np.min give
//   the values alone, where a tensor's max(dim) gives (values, indices);
// - np.dot is matmul for operands of at most 2 axes; np.repeat is repeat_interleave, flattening without an axis;
//   np.tile pads the shorter of the shape and the repeats with leading 1s.
// A Python number alone is left to the math functions (it gives a NumPy scalar, which the analysis reads as a float).
import { Dim, Origin, UNKNOWN_DIM, dataCountDim, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { DType, TensorValue, UNKNOWN, Value, intValue } from '../values/value';
import { broadcast } from './broadcast';
import { asArray as asNumpyArray } from './numpy-arrays';
import { matmul } from './products';
import { keepdimOf } from './reductions';
import { repeatInterleave } from './repetition';
import { flatten, reduce, tensorMethod } from './tensor-methods';
import { dimsFromSizeArgs } from './dims-from-values';

/** Unary ufuncs and shape-keeping functions: the dtype of the result, 'same' for the input's. */
const UNARY: Record<string, DType | 'same'> = {
  exp: 'float', exp2: 'float', expm1: 'float', log: 'float', log1p: 'float', log2: 'float', log10: 'float', sqrt: 'float',
  cbrt: 'float', tanh: 'float', sinh: 'float', cosh: 'float', sin: 'float', cos: 'float', tan: 'float', arcsin: 'float',
  arccos: 'float', arctan: 'float', arctanh: 'float', reciprocal: 'same', deg2rad: 'float', rad2deg: 'float',
  square: 'same', abs: 'same', absolute: 'same', fabs: 'float', sign: 'same', negative: 'same', positive: 'same',
  floor: 'float', ceil: 'float', trunc: 'float', rint: 'float', round: 'same', around: 'same', real: 'same', imag: 'same',
  conj: 'same', conjugate: 'same', isnan: 'bool', isinf: 'bool', isfinite: 'bool', logical_not: 'bool',
  nan_to_num: 'same', copy: 'same', ascontiguousarray: 'same', flip: 'same', fliplr: 'same', flipud: 'same', sort: 'same',
  argsort: 'long', clip: 'same',
};

/** Binary ufuncs: the op whose dtype promotion they follow, or 'bool' for comparisons and logical ones. */
const BINARY: Record<string, string> = {
  add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', power: '**', float_power: '/', maximum: 'max',
  minimum: 'min', fmax: 'max', fmin: 'min', mod: '%', remainder: '%', hypot: '/', arctan2: '/', logaddexp: '/',
  greater: 'bool', greater_equal: 'bool', less: 'bool', less_equal: 'bool', equal: 'bool', not_equal: 'bool',
  logical_and: 'bool', logical_or: 'bool', logical_xor: 'bool',
};

/** Reductions over `axis`: the dtype of the result, 'same' for the input's, 'counted' for a sum's (bools count as ints). */
const REDUCTIONS: Record<string, DType | 'same' | 'counted'> = {
  mean: 'float', average: 'float', std: 'float', var: 'float', median: 'float', nanmean: 'float', nanstd: 'float',
  nanvar: 'float', nanmedian: 'float', sum: 'counted', nansum: 'counted', prod: 'counted', max: 'same', min: 'same',
  amax: 'same', amin: 'same', nanmax: 'same', nanmin: 'same', ptp: 'same', all: 'bool', any: 'bool',
};

const NUMPY = 'numpy.';

/** The method name under which the interpreter asks for an array's in-place `resize`'s new value. */
export const NUMPY_RESIZE = 'resize in place';

export function isNumpyFunction(path: string): boolean {
  if (!path.startsWith(NUMPY)) return false;
  const name = path.slice(NUMPY.length);
  return (
    Object.hasOwn(UNARY, name) || Object.hasOwn(BINARY, name) || Object.hasOwn(REDUCTIONS, name) ||
    ['where', 'dot', 'matmul', 'repeat', 'tile', 'ravel', 'linalg.pinv', 'linalg.inv', 'linalg.norm'].includes(name)
  );
}

/** An operand read as NumPy reads it: an array or tensor as it is, a list, tuple or Python number as np.asarray of it. */
function asArray(value: Value | undefined, origin: Origin): TensorValue | undefined {
  // An empty list given to NumPy is most often one filled where the analysis did not follow (a loop whose first pass
  // skips the append, a notebook cell that does not parse): not read as an empty array.
  if ((value?.kind === 'list' || value?.kind === 'tuple') && !value.element && value.items.length === 0) return undefined;
  const read = asNumpyArray(value, origin);
  return read.kind === 'tensor' ? read : undefined;
}

const isPythonNumber = (v: Value | undefined): boolean => v?.kind === 'int' || v?.kind === 'float' || v?.kind === 'bool' || v?.kind === 'symint';

function array(t: TensorValue, origin: Origin, dtype: DType = t.dtype, shape = t.shape): TensorValue {
  return { kind: 'tensor', dtype, origin, shape, numpy: true };
}

function numpyResult(v: Value): Value {
  return v.kind === 'tensor' ? { ...v, numpy: true } : v;
}

/** A reduction's dtype: NumPy's mean of ints is a float, its sum of bools an int, its max of bools a bool. */
function reducedDtype(rule: DType | 'same' | 'counted', input: DType): DType {
  if (rule === 'same') return input;
  if (rule === 'counted') return input === 'bool' ? 'long' : input;
  return rule;
}

/**
 * np.<name>(…) for the functions above; undefined when the call is not one of them or its operands are not arrays
 * (the caller then gives what it gave before). Unknown where NumPy's answer depends on what the analysis cannot see.
 */
export function numpyFunction(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const name = path.slice(NUMPY.length);
  const first = args[0] ?? kwargs.get('a') ?? kwargs.get('x');
  if (Object.hasOwn(UNARY, name)) {
    // A number alone gives a NumPy scalar: left to the math functions.
    if (isPythonNumber(first)) return undefined;
    const a = asArray(first, origin);
    if (!a) return undefined;
    const rule = UNARY[name];
    // A complex array's dtype is not known here, so neither is that of its real or imag part, or its abs.
    const dtype = rule === 'same' ? a.dtype : rule;
    if (name === 'clip') {
      // np.clip(a, lo, hi): lo and hi broadcast with a.
      let out: TensorValue = a;
      for (const bound of [args[1] ?? kwargs.get('a_min'), args[2] ?? kwargs.get('a_max')]) {
        if (bound && bound.kind !== 'none') out = broadcast(out, bound.kind === 'list' || bound.kind === 'tuple' ? asArray(bound, origin) ?? UNKNOWN : bound, origin, 'max');
      }
      return array(out, origin, out.dtype);
    }
    if ((name === 'sort' || name === 'argsort' || name === 'flip') && (args[1] ?? kwargs.get('axis'))?.kind === 'none') {
      // axis=None: sort flattens first; flip reverses every axis.
      return name === 'flip' ? array(a, origin, dtype) : array(flatten(a, 0, -1, origin), origin, dtype);
    }
    return array(a, origin, dtype);
  }
  if (Object.hasOwn(BINARY, name)) {
    const read = (v: Value | undefined): Value | undefined => (v?.kind === 'list' || v?.kind === 'tuple' ? asArray(v, origin) : v);
    const [l, r] = [read(args[0] ?? kwargs.get('x1')), read(args[1] ?? kwargs.get('x2'))];
    // Two numbers give a NumPy scalar, not followed here.
    if (!l || !r || (l.kind !== 'tensor' && r.kind !== 'tensor')) return undefined;
    const op = BINARY[name];
    const out = broadcast(l, r, origin, op === 'bool' ? '==' : op === 'max' || op === 'min' ? '+' : op);
    return array(out, origin, op === 'bool' ? 'bool' : out.dtype);
  }
  if (Object.hasOwn(REDUCTIONS, name)) {
    if (isPythonNumber(first)) return undefined;
    const a = asArray(first, origin);
    if (!a) return undefined;
    const axis = args[1] ?? kwargs.get('axis');
    // keepdims is a keyword in practice; the positions after axis differ from one reduction to the next.
    const keepdims = kwargs.has('keepdims') ? keepdimOf(kwargs.get('keepdims')) : args.length > 2 ? undefined : false;
    const dtype = reducedDtype(REDUCTIONS[name], a.dtype);
    // Every axis reduced gives a NumPy scalar, which works as a Python number (np.float64 is a float; an np.int64
    // indexes and sizes as an int): `np.zeros((n, np.max(lengths)))`.
    if ((axis === undefined || axis.kind === 'none') && keepdims === false) return dtype === 'float' ? { kind: 'float' } : dtype === 'long' ? { kind: 'symint', dim: UNKNOWN_DIM } : UNKNOWN;
    const reduced = reduce(a, name === 'max' || name === 'min' ? `a${name}` : name === 'ptp' ? 'amax' : 'mean', axis, keepdims, origin);
    return reduced.kind === 'tensor' ? array(reduced, origin, dtype) : UNKNOWN;
  }
  switch (name) {
    case 'where': {
      const cond = asArray(first ?? kwargs.get('condition'), origin);
      const [x, y] = [args[1] ?? kwargs.get('x'), args[2] ?? kwargs.get('y')];
      // np.where(cond) alone gives one index array per axis, each as long as the count of True entries.
      // The count is the data's, one for all of them, minted at this evaluation.
      if (!x && !y) {
        if (!cond?.shape.rankKnown) return undefined;
        const count = dataCountDim(origin);
        return { kind: 'tuple', items: cond.shape.dims.map(() => array(cond, origin, 'long', shapeOf([count]))) };
      }
      if (!cond || !x || !y) return undefined;
      const read = (v: Value): Value => (v.kind === 'list' || v.kind === 'tuple' ? asArray(v, origin) ?? UNKNOWN : v);
      const [xs, ys] = [read(x), read(y)];
      // The values broadcast with each other and with the condition; their dtype is the two operands' promotion.
      const values = xs.kind === 'tensor' || ys.kind === 'tensor' ? broadcast(xs, ys, origin) : undefined;
      const scalarDtype: DType = xs.kind === 'float' || ys.kind === 'float' ? 'float' : (xs.kind === 'int' || xs.kind === 'symint') && (ys.kind === 'int' || ys.kind === 'symint') ? 'long' : 'unknown';
      return array(values ? broadcast(cond, values, origin) : cond, origin, values?.dtype ?? scalarDtype, (values ? broadcast(cond, values, origin) : cond).shape);
    }
    case 'dot': {
      const [a, b] = [asArray(args[0] ?? kwargs.get('a'), origin), asArray(args[1] ?? kwargs.get('b'), origin)];
      if (!a || !b) return undefined;
      // For at most 2 axes on each side np.dot is matmul (0-D operands multiply); beyond that its axes differ.
      const small = (t: TensorValue) => t.shape.rankKnown && t.shape.dims.length <= 2;
      if (!small(a) || !small(b)) return array(a, origin, 'unknown', UNKNOWN_SHAPE);
      if (a.shape.dims.length === 0 || b.shape.dims.length === 0) return array(broadcast(a, b, origin, '*'), origin);
      return numpyResult(matmul(a, b, origin));
    }
    case 'matmul': {
      const [a, b] = [asArray(args[0] ?? kwargs.get('x1'), origin), asArray(args[1] ?? kwargs.get('x2'), origin)];
      return a && b ? numpyResult(matmul(a, b, origin)) : undefined;
    }
    case 'repeat': {
      const a = asArray(first, origin);
      const repeats = args[1] ?? kwargs.get('repeats');
      if (!a || !repeats) return undefined;
      const counts = repeats.kind === 'list' || repeats.kind === 'tuple' ? asArray(repeats, origin) : repeats;
      return array(repeatInterleave(a, counts, args[2] ?? kwargs.get('axis'), undefined, origin), origin, a.dtype);
    }
    case 'tile':
      return tile(asArray(first, origin), args[1] ?? kwargs.get('reps'), origin);
    case 'ravel': {
      const a = asArray(first, origin);
      return a ? array(flatten(a, 0, -1, origin), origin, a.dtype) : undefined;
    }
    case 'linalg.pinv':
    case 'linalg.inv': {
      const a = asArray(first, origin);
      if (!a) return undefined;
      if (!a.shape.rankKnown || a.shape.dims.length < 2) return array(a, origin, 'float', UNKNOWN_SHAPE);
      const dims = a.shape.dims;
      const [m, n] = dims.slice(-2);
      // inv keeps its square matrices; pinv gives each (M, N) matrix's (N, M) pseudo-inverse.
      return array(a, origin, a.dtype === 'unknown' ? 'unknown' : 'float', shapeOf([...dims.slice(0, -2), ...(name === 'linalg.inv' ? [m, n] : [n, m])]));
    }
    case 'linalg.norm': {
      const a = asArray(first, origin);
      if (!a) return undefined;
      const axis = args[2] ?? kwargs.get('axis');
      // With an order and no axis, a 2-D array has a matrix norm: 0-D either way.
      const keepdims = kwargs.has('keepdims') ? keepdimOf(kwargs.get('keepdims')) : args.length > 3 ? undefined : false;
      const reduced = reduce(a, 'norm', axis, keepdims, origin);
      return reduced.kind === 'tensor' ? array(reduced, origin, 'float') : UNKNOWN;
    }
    default:
      return undefined;
  }
}

/** np.tile(a, reps): the shorter of a's shape and reps padded with leading 1s, then each axis times its count. */
function tile(a: TensorValue | undefined, reps: Value | undefined, origin: Origin): Value | undefined {
  if (!a || !reps) return undefined;
  const counts = reps.kind === 'tuple' || reps.kind === 'list' ? (reps.element ? undefined : reps.items.map(intValue)) : [intValue(reps)];
  if (!counts || !a.shape.rankKnown) return array(a, origin, a.dtype, UNKNOWN_SHAPE);
  const rank = Math.max(counts.length, a.shape.dims.length);
  const dims: Dim[] = [...Array.from({ length: rank - a.shape.dims.length }, () => intDim(1)), ...a.shape.dims];
  const padded = [...Array.from({ length: rank - counts.length }, () => 1), ...counts];
  const out = dims.map((d, i) => {
    const c = padded[i];
    if (c === undefined || c < 0) return UNKNOWN_DIM;
    if (c === 1) return d;
    return d.kind === 'int' ? intDim(d.value * c, { origin }) : UNKNOWN_DIM;
  });
  return array(a, origin, a.dtype, shapeOf(out));
}

/**
 * A NumPy array's method where NumPy's meaning differs from PyTorch's; undefined where they agree (tensorMethod's).
 * - `a.max(axis)` / `a.min(axis)` give the values alone (a tensor's give (values, indices));
 * - `a.repeat(n, axis)` repeats each entry (np.repeat; a tensor's repeat tiles);
 * - `a.transpose(*axes)` permutes (a tensor's swaps two axes);
 * - `a.sort()` sorts in place and gives None; `a.nonzero()` gives one index array per axis;
 * - `a.view(dtype)` reinterprets the bytes, and `a.size` is an int, not a method.
 */
export function numpyMethod(a: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  switch (name) {
    case 'max':
    case 'min': {
      const axis = args[0] ?? kwargs.get('axis');
      const keepdims = kwargs.has('keepdims') ? keepdimOf(kwargs.get('keepdims')) : args.length > 2 ? undefined : false;
      if (axis?.kind === 'tensor') return UNKNOWN;
      const reduced = reduce(a, `a${name}`, axis, keepdims, origin);
      return reduced.kind === 'tensor' ? array(reduced, origin, a.dtype) : UNKNOWN;
    }
    case 'repeat': {
      const repeats = args[0] ?? kwargs.get('repeats');
      if (!repeats) return UNKNOWN;
      const counts = repeats.kind === 'list' || repeats.kind === 'tuple' ? asArray(repeats, origin) : repeats;
      return array(repeatInterleave(a, counts, args[1] ?? kwargs.get('axis'), undefined, origin), origin, a.dtype);
    }
    case 'transpose': {
      if (args.length === 0 || (args.length === 1 && args[0].kind === 'none')) return array(tensorMethod(a, 'T', [], new Map(), origin) as TensorValue, origin);
      const order = args.length === 1 && (args[0].kind === 'tuple' || args[0].kind === 'list') ? (args[0].element ? undefined : args[0].items) : args;
      if (!order || !a.shape.rankKnown || order.length !== a.shape.dims.length) return array(a, origin, a.dtype, UNKNOWN_SHAPE);
      return numpyResult(tensorMethod(a, 'permute', [{ kind: 'tuple', items: order }], new Map(), origin));
    }
    case 'sort':
      return { kind: 'none' };
    case NUMPY_RESIZE: {
      // a.resize(new_shape) in place (the interpreter rebinds the array): the sizes given, however many entries it had.
      const dims = dimsFromSizeArgs(args.length ? args : kwargs.has('new_shape') ? [kwargs.get('new_shape')!] : [], origin);
      return array(a, origin, a.dtype, dims ? shapeOf(dims) : UNKNOWN_SHAPE);
    }
    case 'nonzero':
    case 'view':
    case 'size':
    case 'resize':
    case 'fill':
      return UNKNOWN;
    default:
      return undefined;
  }
}
