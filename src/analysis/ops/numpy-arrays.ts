// NumPy functions that join, add, drop or reorder an array's axes (np.stack, np.concatenate, np.vstack, np.hstack,
// np.expand_dims, np.squeeze, np.reshape, np.transpose, np.argmax, np.zeros_like, …), on the tensor values NumPy's
// arrays are in the analysis. Each follows NumPy's own rule (checked by test/oracle/op_shapes.py through
// torch.from_numpy), which differs from PyTorch's where noted: np.squeeze(a, axis) raises on an axis that is not 1,
// np.transpose(a) reverses the axes, np.vstack and np.hstack first raise 1-D arrays to 2-D or keep them 1-D;
// np.trim_zeros keeps the rank and dtype, but how many entries it keeps depends on the values.
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { DType, TensorValue, UNKNOWN, Value, intValue } from '../values/value';
import { dimsFromSizeArgs } from './dims-from-values';
import { numpyDtype, permute, reduce, reshape, squeeze, tensor, tensorMethod } from './tensor-methods';
import { tensorFactory } from './tensor-factory';
import { tensorFunction } from './torch-functions';

/** The np.<name> functions read here. */
const NUMPY_ARRAY_OPS = new Set([
  'stack', 'concatenate', 'vstack', 'row_stack', 'hstack', 'column_stack', 'expand_dims', 'squeeze', 'reshape', 'transpose',
  'argmax', 'argmin', 'zeros_like', 'ones_like', 'empty_like', 'full_like', 'cumsum', 'cumprod', 'trim_zeros',
]);

export function isNumpyArrayOp(path: string): boolean {
  return path.startsWith('numpy.') && NUMPY_ARRAY_OPS.has(path.slice(6));
}

/** NumPy reads any array-like as an array: a list of numbers (or of arrays) is np.asarray of it. */
export function asArray(value: Value | undefined, origin: Origin): Value {
  if (!value || value.kind === 'tensor' || value.kind === 'unknown') return value ?? UNKNOWN;
  const arrayLike = value.kind === 'int' || value.kind === 'float' || value.kind === 'bool' || value.kind === 'list' || value.kind === 'tuple';
  return arrayLike ? tensorFactory('array', [value], new Map(), origin) ?? UNKNOWN : UNKNOWN;
}

function unknownArray(origin: Origin, dtype: DType = 'unknown'): TensorValue {
  return { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
}

/** The arrays of a sequence argument, each read as an array; undefined when the sequence is not one the analysis sees item by item. */
function arraysOf(seq: Value | undefined, origin: Origin): Value[] | undefined {
  if ((seq?.kind !== 'list' && seq?.kind !== 'tuple') || seq.element) return undefined;
  return seq.items.map((item) => asArray(item, origin));
}

/** The one dtype of the arrays, or unknown when they differ (NumPy promotes: int64 with float64 is float64, and so on). */
function commonDtype(arrays: Value[]): DType {
  let dtype: DType | undefined;
  for (const a of arrays) {
    if (a.kind !== 'tensor') return 'unknown';
    if (dtype === undefined) dtype = a.dtype;
    else if (a.dtype !== dtype) return 'unknown';
  }
  return dtype ?? 'unknown';
}

/** np.atleast_2d for vstack: a 1-D (N,) array becomes (1, N), a 0-D one (1, 1); an unknown rank stays unknown. */
function atLeast2d(a: Value, origin: Origin): Value {
  if (a.kind !== 'tensor' || !a.shape.rankKnown) return a.kind === 'tensor' ? { ...a, shape: UNKNOWN_SHAPE } : a;
  const dims = a.shape.dims;
  if (dims.length >= 2) return a;
  return { ...a, shape: shapeOf(dims.length === 1 ? [intDim(1, { origin }), dims[0]] : [intDim(1, { origin }), intDim(1, { origin })]) };
}

/**
 * np.concatenate / np.stack of arrays already read: the join PyTorch's cat and stack make on equal ranks (NumPy raises
 * on unequal ranks, where PyTorch's cat would skip an empty 1-D tensor, so a result PyTorch's rule gives is NumPy's).
 */
function join(arrays: Value[], axis: Value | undefined, stack: boolean, origin: Origin): Value {
  const joined = tensorFunction(stack ? 'stack' : 'cat', [{ kind: 'list', items: arrays }, axis ?? { kind: 'int', value: 0 }], new Map(), origin);
  if (joined?.kind !== 'tensor') return unknownArray(origin);
  // Bounds of values are kept only when every item carried them; the dtype is NumPy's promotion, known when all agree.
  return { ...joined, dtype: commonDtype(arrays) };
}

/** np.concatenate(arrays, axis=None): the arrays flattened one after the other, (sum of their sizes,). */
function flattenedJoin(arrays: Value[], origin: Origin): Value {
  let total = 0;
  for (const a of arrays) {
    if (a.kind !== 'tensor' || !a.shape.rankKnown) return { ...unknownArray(origin, commonDtype(arrays)), shape: shapeOf([UNKNOWN_DIM]) };
    let n = 1;
    for (const d of a.shape.dims) {
      if (d.kind !== 'int') return { ...unknownArray(origin, commonDtype(arrays)), shape: shapeOf([UNKNOWN_DIM]) };
      n *= d.value;
    }
    total += n;
  }
  return { ...unknownArray(origin, commonDtype(arrays)), shape: shapeOf([Number.isSafeInteger(total) ? intDim(total, { origin }) : UNKNOWN_DIM]) };
}

/** The axes of an `axis=` argument that is an int or a tuple of ints; undefined when one is not known. */
function axesOf(value: Value | undefined): number[] | undefined {
  if (!value) return undefined;
  if (value.kind === 'tuple' || value.kind === 'list') {
    if (value.element) return undefined;
    const axes = value.items.map(intValue);
    return axes.every((a) => a !== undefined) ? (axes as number[]) : undefined;
  }
  const a = intValue(value);
  return a === undefined ? undefined : [a];
}

/** np.expand_dims(a, axis): a 1 at each of the axes, counted in the result's rank (NumPy 1.18 takes a tuple). */
function expandDims(a: Value, axisArg: Value | undefined, origin: Origin): Value {
  if (a.kind !== 'tensor') return unknownArray(origin);
  const axes = axesOf(axisArg);
  if (!axes || !a.shape.rankKnown) return tensor(a, UNKNOWN_SHAPE, origin);
  const rank = a.shape.dims.length + axes.length;
  const at = new Set<number>();
  for (const axis of axes) {
    const i = normaliseAxis(axis, rank);
    // An axis out of range, or named twice, makes NumPy raise.
    if (i === undefined || at.has(i)) return tensor(a, UNKNOWN_SHAPE, origin);
    at.add(i);
  }
  const dims: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) dims.push(at.has(i) ? intDim(1, { origin }) : a.shape.dims[k++]);
  return tensor(a, shapeOf(dims), origin);
}

/**
 * np.squeeze(a, axis=None): without an axis every axis of size 1 goes (known only when every size is); with axes,
 * those go, and NumPy raises on one whose size is not 1, so the result has that many axes fewer whatever the sizes.
 */
function squeezeArray(a: Value, axisArg: Value | undefined, origin: Origin): Value {
  if (a.kind !== 'tensor') return unknownArray(origin);
  if (axisArg === undefined || axisArg.kind === 'none') return squeeze(a, undefined, false, origin);
  const axes = axesOf(axisArg);
  if (!axes || !a.shape.rankKnown) return tensor(a, UNKNOWN_SHAPE, origin);
  const rank = a.shape.dims.length;
  const at = new Set<number>();
  for (const axis of axes) {
    const i = normaliseAxis(axis, rank);
    const d = i === undefined ? undefined : a.shape.dims[i];
    if (i === undefined || at.has(i) || (d?.kind === 'int' && d.value !== 1)) return tensor(a, UNKNOWN_SHAPE, origin);
    at.add(i);
  }
  return tensor(a, shapeOf(a.shape.dims.filter((_, i) => !at.has(i))), origin);
}

/** np.transpose(a, axes=None): the axes reversed, or in the order given. */
function transposeArray(a: Value, axesArg: Value | undefined, origin: Origin): Value {
  if (a.kind !== 'tensor') return unknownArray(origin);
  if (axesArg === undefined || axesArg.kind === 'none') return tensorMethod(a, 'T', [], new Map(), origin);
  if ((axesArg.kind !== 'tuple' && axesArg.kind !== 'list') || axesArg.element) return tensor(a, UNKNOWN_SHAPE, origin);
  return permute(a, axesArg.items.map(intValue), origin);
}

export function numpyArrayOp(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const name = path.slice(6);
  const axis = (at: number): Value | undefined => args[at] ?? kwargs.get('axis');
  switch (name) {
    case 'stack':
    case 'concatenate': {
      const seq = args[0] ?? kwargs.get('arrays');
      const ax = axis(1);
      // A list known by what its items are like (a comprehension, a loop's appends): the items are alike, so the join
      // is PyTorch's over such a list, its joined axis the list's length when that is known, else unknown.
      if ((seq?.kind === 'list' || seq?.kind === 'tuple') && seq.element) {
        if (name === 'concatenate' && ax?.kind === 'none') return unknownArray(origin);
        const element = asArray(seq.element, origin);
        const joined = tensorFunction(name === 'stack' ? 'stack' : 'cat', [{ ...seq, element }, ax ?? { kind: 'int', value: 0 }], new Map(), origin);
        return joined?.kind === 'tensor' ? { ...joined, dtype: element.kind === 'tensor' ? element.dtype : 'unknown' } : unknownArray(origin);
      }
      const arrays = arraysOf(seq, origin);
      if (!arrays || arrays.length === 0) return unknownArray(origin);
      if (name === 'concatenate' && ax?.kind === 'none') return flattenedJoin(arrays, origin);
      return join(arrays, ax, name === 'stack', origin);
    }
    case 'vstack':
    case 'row_stack': {
      const arrays = arraysOf(args[0] ?? kwargs.get('tup'), origin);
      if (!arrays || arrays.length === 0) return unknownArray(origin);
      return join(arrays.map((a) => atLeast2d(a, origin)), { kind: 'int', value: 0 }, false, origin);
    }
    case 'hstack': {
      const arrays = arraysOf(args[0] ?? kwargs.get('tup'), origin);
      if (!arrays || arrays.length === 0) return unknownArray(origin);
      // np.atleast_1d, then along axis 0 when the first array is 1-D, else along axis 1.
      const first = arrays[0];
      if (first.kind !== 'tensor' || !first.shape.rankKnown) return unknownArray(origin, commonDtype(arrays));
      const ones = arrays.map((a) => (a.kind === 'tensor' && a.shape.rankKnown && a.shape.dims.length === 0 ? { ...a, shape: shapeOf([intDim(1, { origin })]) } : a));
      return join(ones, { kind: 'int', value: first.shape.dims.length <= 1 ? 0 : 1 }, false, origin);
    }
    case 'column_stack': {
      // np.column_stack: each array of fewer than 2 axes becomes a column, np.array(a, ndmin=2).T ((N,) is (N, 1), a
      // scalar (1, 1)); arrays of 2 axes or more are kept; then all are joined along axis 1.
      const arrays = arraysOf(args[0] ?? kwargs.get('tup'), origin);
      if (!arrays || arrays.length === 0) return unknownArray(origin);
      if (arrays.some((a) => a.kind !== 'tensor' || !a.shape.rankKnown)) return unknownArray(origin, commonDtype(arrays));
      const columns = arrays.map((a) => {
        const t = a as TensorValue;
        if (t.shape.dims.length >= 2) return t;
        return { ...t, shape: shapeOf([t.shape.dims[0] ?? intDim(1, { origin }), intDim(1, { origin })]) };
      });
      return join(columns, { kind: 'int', value: 1 }, false, origin);
    }
    case 'expand_dims':
      return expandDims(asArray(args[0] ?? kwargs.get('a'), origin), axis(1), origin);
    case 'squeeze':
      return squeezeArray(asArray(args[0] ?? kwargs.get('a'), origin), axis(1), origin);
    case 'reshape': {
      const a = asArray(args[0] ?? kwargs.get('a'), origin);
      const shape = args[1] ?? kwargs.get('newshape');
      const dims = shape ? dimsFromSizeArgs([shape], origin) : undefined;
      if (a.kind !== 'tensor') return unknownArray(origin);
      return dims ? reshape(a, dims, origin) : tensor(a, UNKNOWN_SHAPE, origin);
    }
    case 'transpose':
      return transposeArray(asArray(args[0] ?? kwargs.get('a'), origin), args[1] ?? kwargs.get('axes'), origin);
    case 'argmax':
    case 'argmin': {
      const a = asArray(args[0] ?? kwargs.get('a'), origin);
      const ax = axis(1);
      // Without an axis NumPy gives one int64 scalar, not an array: left unknown.
      if (a.kind !== 'tensor' || ax === undefined || ax.kind === 'none') return UNKNOWN;
      const keep = kwargs.get('keepdims');
      return reduce(a, name, ax, keep?.kind === 'bool' ? keep.value : keep ? undefined : false, origin);
    }
    case 'trim_zeros': {
      // np.trim_zeros(filt, trim='fb', axis=None): the leading and trailing zeros cut off, so each trimmed axis has a
      // length the values decide (unknown) and the entries left are some of the array's (its bounds hold). A 1-D array
      // (NumPy before 2.2 takes no other) stays 1-D; NumPy 2.2's axis= trims that axis only.
      const a = asArray(args[0] ?? kwargs.get('filt'), origin);
      if (a.kind !== 'tensor' || !a.shape.rankKnown || a.shape.dims.length === 0) return unknownArray(origin);
      const ax = args[2] ?? kwargs.get('axis');
      if (ax === undefined || ax.kind === 'none') return tensor(a, shapeOf(a.shape.dims.map(() => UNKNOWN_DIM)), origin);
      const n = intValue(ax);
      const i = n === undefined ? undefined : normaliseAxis(n, a.shape.dims.length);
      return i === undefined ? unknownArray(origin) : tensor(a, shapeOf(a.shape.dims.map((d, k) => (k === i ? UNKNOWN_DIM : d))), origin);
    }
    case 'cumsum':
    case 'cumprod': {
      // Running sums keep the array's shape along an axis; without one (axis=None, the default) NumPy flattens first.
      const a = asArray(args[0] ?? kwargs.get('a'), origin);
      const ax = axis(1);
      if (a.kind !== 'tensor') return unknownArray(origin);
      const dtype: DType = a.dtype === 'bool' ? 'long' : a.dtype;
      if (ax === undefined || ax.kind === 'none') return { ...reshape(a, [intDim(-1)], origin), dtype, strides: undefined };
      const kept = tensorMethod(a, name, [ax], new Map(), origin);
      return kept.kind === 'tensor' ? { ...kept, dtype } : unknownArray(origin, dtype);
    }
    default: {
      // zeros_like / ones_like / empty_like / full_like: the array's shape, in its dtype unless one is given.
      const a = asArray(args[0] ?? kwargs.get('a'), origin);
      if (a.kind !== 'tensor') return unknownArray(origin);
      const dtype = kwargs.get('dtype') ?? (name === 'full_like' ? args[2] : args[1]);
      return { kind: 'tensor', origin, shape: a.shape, dtype: dtype === undefined || dtype.kind === 'none' ? a.dtype : numpyDtype(dtype) };
    }
  }
}
