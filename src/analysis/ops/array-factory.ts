// NumPy and TensorFlow arrays built in the code (np.array, np.random.randint, tf.constant, …),
// mapped onto the same tensor values as PyTorch's constructors.
import { UNKNOWN_DIM, exactProduct, type Origin } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value } from '../values/value';
import { tensorFactory } from './tensor-factory';
import { numpyDtype, tensorMethod } from './tensor-methods';
import { isNumpyArrayOp, numpyArrayOp } from './numpy-arrays';
import { frameArray, isFrame } from './pandas';

const NUMPY: Record<string, string> = {
  'numpy.array': 'array',
  'numpy.asarray': 'array',
  'numpy.zeros': 'zeros',
  'numpy.ones': 'ones',
  'numpy.empty': 'empty',
  'numpy.full': 'full',
  'numpy.arange': 'arange',
  'numpy.linspace': 'np-linspace',
  'numpy.logspace': 'np-logspace',
  'numpy.eye': 'eye',
  'numpy.random.rand': 'rand',
  'numpy.random.randn': 'randn',
  'numpy.random.random': 'rand',
  'numpy.random.uniform': 'uniform',
  'numpy.random.normal': 'normal',
  'numpy.random.standard_normal': 'standard_normal',
  'numpy.random.randint': 'randint',
  'numpy.random.choice': 'choice',
  // The methods of a numpy.random.Generator (`rng = np.random.default_rng(0)`, see GENERATOR below).
  'numpy.random.Generator.random': 'rand',
  'numpy.random.Generator.uniform': 'uniform',
  'numpy.random.Generator.normal': 'normal',
  'numpy.random.Generator.standard_normal': 'standard_normal',
  'numpy.random.Generator.integers': 'integers',
  'numpy.random.Generator.choice': 'choice',
  'tensorflow.constant': 'tensor',
  'tensorflow.convert_to_tensor': 'tensor',
  'tensorflow.zeros': 'zeros',
  'tensorflow.ones': 'ones',
  'tensorflow.random.normal': 'randn',
  'tensorflow.random.uniform': 'uniform',
};

/**
 * What `np.random.default_rng(seed)` and `np.random.Generator(bit_generator)` give: a Generator, whose methods are
 * read as the paths `numpy.random.Generator.<method>` above.
 */
export const GENERATOR = 'numpy.random.Generator';

/** NumPy functions that build an array from another one. */
const NUMPY_FROM_ARRAY: Record<string, string> = { 'numpy.triu': 'triu', 'numpy.tril': 'tril' };

export function isArrayFactory(path: string): boolean {
  return path in NUMPY || path in NUMPY_FROM_ARRAY || isNumpyArrayOp(path);
}

/**
 * np.triu(m, k) / np.tril(m, k): m with the other triangle of its last two axes zeroed, so m's shape; a 1-D m of N
 * entries is taken as a row repeated N times, giving (N, N). A 0-D m makes NumPy raise.
 */
function numpyTriangle(name: string, m: Value | undefined, origin: Origin): TensorValue | undefined {
  if (m?.kind !== 'tensor') return undefined;
  const kept = tensorMethod(m, name, [], new Map(), origin) as TensorValue;
  if (!m.shape.rankKnown || m.shape.dims.length === 0) return { ...kept, shape: UNKNOWN_SHAPE };
  return m.shape.dims.length === 1 ? { ...kept, shape: shapeOf([m.shape.dims[0], m.shape.dims[0]]), strides: undefined } : kept;
}

/**
 * np.random.randint(low, high=None, size=None): ints in [low, high), or in [0, low) without high. Without a size (or
 * with size=None) NumPy gives one int, not an array, so `np.random.randint(20, 60)` is a number between 20 and 59
 * (torch.randint's second positional argument is its size, NumPy's is high); with a size, an int64 array of it.
 */
function numpyRandint(args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const first = args[0] ?? kwargs.get('low');
  const second = args[1] ?? kwargs.get('high');
  const size = args[2] ?? kwargs.get('size');
  const hasHigh = second !== undefined && second.kind !== 'none';
  const low = hasHigh ? first : ({ kind: 'int', value: 0 } as Value);
  const high = hasHigh ? second : first;
  if (size === undefined || size.kind === 'none') {
    const lo = low?.kind === 'int' ? low.value : undefined;
    const hi = high?.kind === 'int' ? high.value : undefined;
    return lo !== undefined && hi !== undefined && lo < hi ? { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: lo, max: hi - 1 } } : { kind: 'symint', dim: UNKNOWN_DIM };
  }
  return tensorFactory('randint', [low ?? UNKNOWN, high ?? UNKNOWN, size], new Map(), origin) ?? UNKNOWN;
}

/**
 * np.random.choice(a, size=None, replace=True, p=None) (and a Generator's choice): items drawn from a 1-D population,
 * range(a) when a is an int. With a size, an array of it holding the population's items: ints stay in the range of
 * range(a) or of the listed ints, floats are floats, other items (strings) give an array whose dtype is not named.
 * Without a size NumPy gives one item, an int from range(a) here, anything else not followed. A population NumPy
 * refuses (not 1-D, empty) and more items than it holds drawn without replacement give unknown.
 */
function numpyChoice(args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const a = args[0] ?? kwargs.get('a');
  const size = args[1] ?? kwargs.get('size');
  const replace = args[2] ?? kwargs.get('replace');
  let count: number | undefined;
  let dtype: TensorValue['dtype'] = 'unknown';
  let min: number | undefined;
  let max: number | undefined;
  if (a?.kind === 'int') {
    if (a.value <= 0) return UNKNOWN;
    count = a.value;
    dtype = 'long';
    min = 0;
    max = a.value - 1;
  } else if (a?.kind === 'list' || a?.kind === 'tuple') {
    if (!a.items.length || ('element' in a && a.element)) return UNKNOWN;
    count = a.items.length;
    if (a.items.every((v) => v.kind === 'int')) {
      const values = a.items.map((v) => (v as { value: number }).value);
      dtype = 'long';
      min = Math.min(...values);
      max = Math.max(...values);
    } else if (a.items.every((v) => v.kind === 'int' || v.kind === 'float')) dtype = 'float';
    else if (!a.items.every((v) => v.kind === 'str')) return UNKNOWN;
  } else if (a?.kind === 'tensor') {
    if (!a.shape.rankKnown || a.shape.dims.length !== 1) return UNKNOWN;
    count = a.shape.dims[0].kind === 'int' ? a.shape.dims[0].value : undefined;
    dtype = a.dtype;
    min = a.minValue;
    max = a.maxValue;
  } else return UNKNOWN;
  if (size === undefined || size.kind === 'none') {
    return dtype === 'long' && min !== undefined && max !== undefined && a?.kind === 'int' ? { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min, max } } : UNKNOWN;
  }
  const made = tensorFactory('rand', [size], new Map(), origin);
  if (made?.kind !== 'tensor') return UNKNOWN;
  if (replace?.kind === 'bool' && !replace.value) {
    const total = made.shape.rankKnown ? exactProduct(made.shape.dims) : undefined;
    if (count === undefined || total === undefined || total > count) return UNKNOWN;
  } else if (replace !== undefined && replace.kind !== 'bool') return UNKNOWN;
  return {
    ...made,
    dtype,
    minValue: dtype === 'long' ? min : undefined,
    maxValue: dtype === 'long' ? max : undefined,
    minBoundOnly: dtype === 'long' && min !== undefined ? true : undefined,
    maxBoundOnly: dtype === 'long' && max !== undefined ? true : undefined,
  };
}

export function arrayFactory(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const made = arrayOf(path, args, kwargs, origin);
  return made?.kind === 'tensor' && path.startsWith('numpy.') ? { ...made, numpy: true } : made;
}

function arrayOf(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  // np.array(frame) and np.asarray(frame) are the frame's values.
  if ((path === 'numpy.array' || path === 'numpy.asarray') && isFrame(args[0]) && args.length === 1 && !kwargs.has('ndmin')) return frameArray(args[0], origin);
  if (isNumpyArrayOp(path)) return numpyArrayOp(path, args, kwargs, origin);
  if (path in NUMPY_FROM_ARRAY) return numpyTriangle(NUMPY_FROM_ARRAY[path], args[0] ?? kwargs.get('m'), origin);
  const kind = NUMPY[path];
  if (!kind) return undefined;
  if (kind === 'uniform' || kind === 'normal') {
    // np.random.uniform(low, high, size), np.random.normal(loc, scale, size) (and a Generator's): floats of size;
    // tf.random.uniform(shape, minval, maxval) of shape.
    if (!path.startsWith('numpy')) {
      const shape = args[0] ?? kwargs.get('shape');
      return tensorFactory('rand', shape ? [shape] : [], new Map(), origin);
    }
    const size = args[2] ?? kwargs.get('size');
    if (size === undefined || size.kind === 'none') {
      // Without a size, the parameters' broadcast shape (one float when they are numbers): an array parameter is not
      // followed.
      const params = kind === 'uniform' ? [args[0] ?? kwargs.get('low'), args[1] ?? kwargs.get('high')] : [args[0] ?? kwargs.get('loc'), args[1] ?? kwargs.get('scale')];
      return params.every((v) => v === undefined || v.kind === 'int' || v.kind === 'float') ? tensorFactory('rand', [], new Map(), origin) : UNKNOWN;
    }
    return tensorFactory(kind === 'uniform' ? 'rand' : 'randn', [size], new Map(), origin);
  }
  if (kind === 'standard_normal') {
    // standard_normal(size=None): floats of size (np.random.randn takes the sizes one by one instead).
    const size = args[0] ?? kwargs.get('size');
    return tensorFactory('randn', size && size.kind !== 'none' ? [size] : [], new Map(), origin);
  }
  if (kind === 'randint') return numpyRandint(args, kwargs, origin);
  if (kind === 'choice') return numpyChoice(args, kwargs, origin);
  if (kind === 'integers') {
    // Generator.integers(low, high=None, size=None, dtype, endpoint=False): np.random.randint's ints, high included
    // when endpoint=True.
    const endpoint = args[4] ?? kwargs.get('endpoint');
    if (endpoint === undefined || (endpoint.kind === 'bool' && !endpoint.value)) return numpyRandint(args.slice(0, 3), kwargs, origin);
    if (endpoint.kind !== 'bool') return UNKNOWN;
    const first = args[0] ?? kwargs.get('low');
    const second = args[1] ?? kwargs.get('high');
    const hasHigh = second !== undefined && second.kind !== 'none';
    const high = hasHigh ? second : first;
    const bumped: Value = high?.kind === 'int' ? { kind: 'int', value: high.value + 1 } : UNKNOWN;
    const rest = new Map(kwargs);
    rest.delete('low');
    rest.delete('high');
    const low: Value = hasHigh ? first ?? UNKNOWN : { kind: 'int', value: 0 };
    return numpyRandint([low, bumped, args[2] ?? kwargs.get('size') ?? { kind: 'none' }], rest, origin);
  }
  const shapeArg = kwargs.get('shape');
  return tensorFactory(kind, shapeArg && !args.length ? [shapeArg] : args, path.startsWith('numpy.') ? numpyDtypeKeyword(kwargs) : kwargs, origin, path.startsWith('numpy.'));
}

/**
 * NumPy names a dtype as torch does not: `dtype=bool`, `dtype='float32'`, `dtype=np.int64` (read by numpyDtype). The
 * keyword arguments with such a dtype given as the dtype value torch's factories read; any other left as they are.
 */
function numpyDtypeKeyword(kwargs: Map<string, Value>): Map<string, Value> {
  const given = kwargs.get('dtype');
  if (given === undefined || given.kind === 'dtype' || given.kind === 'none') return kwargs;
  const dtype = numpyDtype(given);
  if (dtype === 'unknown') return kwargs;
  const read = new Map(kwargs);
  read.set('dtype', { kind: 'dtype', dtype });
  return read;
}
