// Python lists given to a Keras model as data. tf.keras 2.x reads x and y through its ListsOfScalarsDataAdapter when
// each is a list whose first item, followed down through first items, is a Python number or string: it takes
// np.asarray of the whole list, so a list of windows built with .tolist() is one array (windows, steps, features), and
// the same list wrapped once more, fit([windows], …), is one array of 4 axes, not a list of inputs. When x is such a
// list and y is not (an array), no adapter takes them and fit raises ("Failed to find data adapter"): a nested list x
// whose array does not fit the input raises in tf.keras 2.x whatever y is, as long as y is not known to be an array.
// A list that leads to an array (a list of NumPy arrays) is the model's list of inputs and is left as it is.
import type { Origin } from '../shapes/dim';
import type { Value } from '../values/value';
import { asArray } from './numpy-arrays';

/** Bounded: nesting deeper than NumPy's 32 axes is not a list of scalars the analysis reads. */
const MAX_DEPTH = 32;

/** What a value's first items lead to: a Python scalar, an array, or something the analysis does not know. */
type Leaf = 'scalar' | 'array' | 'unknown';

function firstLeaf(value: Value | undefined): { leaf: Leaf; depth: number } {
  let v = value;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (!v) return { leaf: 'unknown', depth };
    if (v.kind === 'int' || v.kind === 'symint' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'str') return { leaf: 'scalar', depth };
    // A NumPy scalar (a 0-D array here) is a Python float for tf.keras when it is a float64 and not otherwise, which the
    // analysis does not tell apart: unknown, like an array whose number of axes is not known.
    if (v.kind === 'tensor') return { leaf: v.shape.rankKnown && v.shape.dims.length > 0 ? 'array' : 'unknown', depth };
    if (v.kind !== 'list' && v.kind !== 'tuple') return { leaf: 'unknown', depth };
    v = v.items.length ? v.items[0] : v.length === 0 ? undefined : v.element;
  }
  return { leaf: 'unknown', depth: MAX_DEPTH };
}

/** Whether tf.keras's `_is_list_of_scalars` holds: a list whose first item, then its first item, …, is a number or a string. */
export function isListOfScalars(value: Value | undefined): boolean {
  const { leaf, depth } = firstLeaf(value);
  return leaf === 'scalar' && depth > 0;
}

/** Labels that are certainly not a list of scalars: an array of one axis or more, or a list of them. */
function notScalarList(value: Value): boolean {
  return firstLeaf(value).leaf === 'array';
}

/**
 * The x and y of fit / evaluate / predict / train_on_batch as tf.keras 2.x reads them: x (and y, when it is a list of
 * scalars too) as arrays when x is a list of scalars and y is absent, a list of scalars, or not known to be an array;
 * `list` tells that x was read so. Otherwise unchanged, positional or keyword.
 */
export function kerasListData(args: Value[], kwargs: Map<string, Value>, origin: Origin): { args: Value[]; kwargs: Map<string, Value>; list: boolean } {
  const x = args[0] ?? kwargs.get('x');
  const y = args[0] !== undefined ? args[1] ?? kwargs.get('y') : kwargs.get('y');
  if (!isListOfScalars(x) || (y !== undefined && y.kind !== 'none' && notScalarList(y))) return { args, kwargs, list: false };
  const read = (v: Value) => (isListOfScalars(v) ? asArray(v, origin) : v);
  const newArgs = args.map((v, i) => (i < 2 ? read(v) : v));
  const newKwargs = new Map([...kwargs].map(([k, v]) => [k, k === 'x' || k === 'y' ? read(v) : v] as [string, Value]));
  return { args: newArgs, kwargs: newKwargs, list: true };
}
