// NumPy and TensorFlow arrays built in the code (np.array, np.random.randint, tf.constant, …),
// mapped onto the same tensor values as PyTorch's constructors.
import type { Origin } from '../shapes/dim';
import { TensorValue, Value } from '../values/value';
import { tensorFactory } from './tensor-factory';

const NUMPY: Record<string, string> = {
  'numpy.array': 'array',
  'numpy.asarray': 'array',
  'numpy.zeros': 'zeros',
  'numpy.ones': 'ones',
  'numpy.empty': 'empty',
  'numpy.full': 'full',
  'numpy.arange': 'arange',
  'numpy.eye': 'eye',
  'numpy.random.rand': 'rand',
  'numpy.random.randn': 'randn',
  'numpy.random.random': 'rand',
  'numpy.random.uniform': 'uniform',
  'numpy.random.randint': 'randint',
  'tensorflow.constant': 'tensor',
  'tensorflow.convert_to_tensor': 'tensor',
  'tensorflow.zeros': 'zeros',
  'tensorflow.ones': 'ones',
  'tensorflow.random.normal': 'randn',
  'tensorflow.random.uniform': 'uniform',
};

export function isArrayFactory(path: string): boolean {
  return path in NUMPY;
}

export function arrayFactory(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const kind = NUMPY[path];
  if (!kind) return undefined;
  if (kind === 'uniform') {
    // np.random.uniform(low, high, size) / tf.random.uniform(shape, minval, maxval): floats.
    const size = path.startsWith('numpy') ? args[2] ?? kwargs.get('size') : args[0] ?? kwargs.get('shape');
    return tensorFactory('rand', size ? [size] : [], new Map(), origin);
  }
  if (kind === 'randint') {
    const size = kwargs.get('size');
    const positional = size ? [...args, size] : args;
    return tensorFactory('randint', positional.length === 2 && !size ? [args[0], args[1]] : positional, new Map(), origin);
  }
  const shapeArg = kwargs.get('shape');
  return tensorFactory(kind, shapeArg && !args.length ? [shapeArg] : args, kwargs, origin);
}
