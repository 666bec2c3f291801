// torch.randn / rand / zeros / ones / empty / full / randint / tensor / arange / eye and friends.
import type { Origin } from '../shapes/dim';
import { Dim, UNKNOWN_DIM, intDim, sameDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { DType, MAX_WEIGHT, TensorValue, UNKNOWN, Value, intValue, numberValue } from '../values/value';
import { dimFromValue, dimsFromSizeArgs } from './dims-from-values';
import { contiguousLayout } from './layout';

const FLOAT_FACTORIES = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'randn_like', 'rand_like', 'zeros_like', 'ones_like', 'empty_like', 'full_like']);

function dtypeOf(kwargs: Map<string, Value>, fallback: DType): DType {
  const d = kwargs.get('dtype');
  return d?.kind === 'dtype' ? d.dtype : d ? 'unknown' : fallback;
}

/** Min, max and whether all entries are integers, for nested literal lists. */
function literalStats(value: Value, budget = { left: MAX_WEIGHT }): { dims: number[]; min: number; max: number; ints: boolean; flat: number[] } | undefined {
  // Rows shared by reference (`[[0] * 256] * 256`) are walked each time: the walk itself is bounded.
  if (--budget.left < 0) return undefined;
  if (value.kind === 'int' || (value.kind === 'float' && value.value !== undefined) || value.kind === 'bool') {
    const n = value.kind === 'bool' ? Number(value.value) : value.value!;
    return { dims: [], min: n, max: n, ints: value.kind !== 'float', flat: [n] };
  }
  if (value.kind !== 'list' && value.kind !== 'tuple') return undefined;
  if (value.element) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let ints = true;
  let inner: number[] | undefined;
  const flat: number[] = [];
  for (const item of value.items) {
    const s = literalStats(item, budget);
    if (!s) return undefined;
    if (inner && inner.join() !== s.dims.join()) return undefined;
    inner = s.dims;
    min = Math.min(min, s.min);
    max = Math.max(max, s.max);
    ints &&= s.ints;
    if (flat.length < 4096) flat.push(...s.flat);
  }
  return { dims: [value.items.length, ...(inner ?? [])], min, max, ints, flat };
}

/** What numbersShape finds: the nesting, whether all are ints, the bounds and whether a value is known to reach each. */
interface Numbers {
  dims: Dim[];
  ints: boolean;
  min?: number;
  max?: number;
  minReached: boolean;
  maxReached: boolean;
}

/**
 * Nested lists of numbers, some of whose values are not known (`row[i] = 1` at an index not known): numbers whatever
 * their values, so the nesting is the shape. Whether all are ints, and the bounds of the values when each is bounded:
 * reached when a number written out in a list of listed items is the bound, not when only an int's bounds say it.
 */
function numbersShape(value: Value, budget = { left: MAX_WEIGHT }): Numbers | undefined {
  if (--budget.left < 0) return undefined;
  if (value.kind === 'int' || value.kind === 'bool') return { dims: [], ints: true, min: Number(value.value), max: Number(value.value), minReached: true, maxReached: true };
  if (value.kind === 'float') return { dims: [], ints: false, min: value.value, max: value.value, minReached: value.value !== undefined, maxReached: value.value !== undefined };
  // An int only assumed (a parameter nothing calls with a known argument) may be any data: its shape is not known.
  if (value.kind === 'symint') return value.assumed === undefined ? { dims: [], ints: true, min: value.bounds?.min, max: value.bounds?.max, minReached: false, maxReached: false } : undefined;
  if (value.kind !== 'list' && value.kind !== 'tuple') return undefined;
  const items = value.element ? [value.element] : value.items;
  if (items.length === 0) return undefined;
  const length = value.element ? (value.length === undefined ? UNKNOWN_DIM : intDim(value.length)) : intDim(value.items.length);
  let first: Numbers | undefined;
  let min: number | undefined = Infinity;
  let max: number | undefined = -Infinity;
  let ints = true;
  const found: Numbers[] = [];
  for (const item of items) {
    const inner = numbersShape(item, budget);
    if (!inner || (first && (inner.dims.length !== first.dims.length || !inner.dims.every((d, i) => sameDim(d, first!.dims[i]))))) return undefined;
    first ??= inner;
    found.push(inner);
    ints &&= inner.ints;
    min = min === undefined || inner.min === undefined ? undefined : Math.min(min, inner.min);
    max = max === undefined || inner.max === undefined ? undefined : Math.max(max, inner.max);
  }
  // A list summarised by one element may be empty; listed items are all there.
  const present = value.element ? value.length !== undefined && value.length > 0 : true;
  const minReached = present && found.some((n) => n.minReached && n.min === min);
  const maxReached = present && found.some((n) => n.maxReached && n.max === max);
  return { dims: [length, ...first!.dims], ints, min, max, minReached, maxReached };
}

/** A factory's tensor, freshly allocated and so contiguous (a `*_like` one takes its source's layout, which stays unknown). */
export function tensorFactory(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin, numpy = false): TensorValue | undefined {
  const made = buildTensor(name, args, kwargs, origin, numpy);
  const strides = made && !name.endsWith('_like') ? contiguousLayout(made) : undefined;
  if (made && strides) made.strides = strides;
  return made;
}

function buildTensor(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin, numpy: boolean): TensorValue | undefined {
  if (name.endsWith('_like')) {
    const source = args[0];
    if (source?.kind !== 'tensor') return { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: 'unknown', origin };
    return { kind: 'tensor', shape: source.shape, dtype: dtypeOf(kwargs, name === 'randint_like' ? 'long' : source.dtype), origin };
  }
  if (FLOAT_FACTORIES.has(name)) {
    const sizeArgs = args.length ? args : kwargs.has('size') ? [kwargs.get('size')!] : [];
    const dims = dimsFromSizeArgs(sizeArgs, origin);
    const fill = name === 'zeros' ? 0 : name === 'ones' ? 1 : undefined;
    return { kind: 'tensor', shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, 'float'), origin, minValue: fill, maxValue: fill };
  }
  switch (name) {
    case 'Tensor':
    case 'FloatTensor':
    case 'DoubleTensor':
    case 'HalfTensor':
    case 'LongTensor':
    case 'IntTensor':
    case 'ShortTensor':
    case 'ByteTensor':
    case 'BoolTensor':
      return legacyConstructor(LEGACY_DTYPES[name], args, origin);
    case 'full': {
      const dims = args[0] ? dimsFromSizeArgs([args[0]], origin) : undefined;
      const fill = args[1] ?? kwargs.get('fill_value');
      const isInt = fill?.kind === 'int' || fill?.kind === 'bool';
      const n = numberValue(fill);
      return { kind: 'tensor', shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, isInt ? 'long' : fill?.kind === 'float' ? 'float' : 'unknown'), origin, minValue: n, maxValue: n };
    }
    case 'randint': {
      // randint(high, size) or randint(low, high, size)
      const [a, b, c] = args;
      const hasLow = args.length >= 3 || (args.length === 2 && b.kind !== 'tuple' && b.kind !== 'list' && kwargs.has('size'));
      const low = hasLow ? intValue(a) : 0;
      const high = hasLow ? intValue(b) : intValue(a ?? kwargs.get('high'));
      const sizeValue = hasLow ? c ?? kwargs.get('size') : b ?? kwargs.get('size');
      const dims = sizeValue ? dimsFromSizeArgs([sizeValue], origin) : undefined;
      return { kind: 'tensor', shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, 'long'), origin, minValue: low, maxValue: high === undefined ? undefined : high - 1, minBoundOnly: true, maxBoundOnly: true };
    }
    case 'tensor':
    case 'as_tensor':
    case 'array': {
      const data = args[0];
      const s = data ? literalStats(data) : undefined;
      const numbers = !s && data && data.kind !== 'tensor' ? numbersShape(data) : undefined;
      if (numbers) return { kind: 'tensor', shape: shapeOf(numbers.dims), dtype: dtypeOf(kwargs, numbers.ints ? 'long' : 'float'), origin, minValue: numbers.min, maxValue: numbers.max, ...(numbers.min !== undefined && !numbers.minReached ? { minBoundOnly: true } : {}), ...(numbers.max !== undefined && !numbers.maxReached ? { maxBoundOnly: true } : {}) };
      if (!s) {
        // An array keeps its shape. np.array stacks a list of same-shaped arrays (windows appended in a loop) on a new
        // first axis; torch.tensor would read each item as one number, so there a list of arrays stays unknown.
        const shape = data && (name === 'array' || data.kind === 'tensor') ? dataShape(data) : undefined;
        const bounds = shape && data ? dataBounds(data) : undefined;
        const made: TensorValue = { kind: 'tensor', shape: shape ? shapeOf(shape) : UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, shape && data ? dataDtype(data) : 'unknown'), origin, ...bounds };
        // A tensor or an array of one: its elements at the same indices, so a view's regrouping stays (SL120).
        if (data?.kind === 'tensor' && data.regrouped && shape) made.regrouped = data.regrouped;
        return made;
      }
      return literalTensor(s, dtypeOf(kwargs, s.ints ? 'long' : 'float'), origin);
    }
    case 'eye': {
      // torch.eye(n, m=None) and np.eye(N, M=None, k=0): n rows of m columns (m defaulting to n), floats.
      const rows = args[0] ?? kwargs.get('n') ?? kwargs.get('N');
      const cols = args[1] ?? kwargs.get('m') ?? kwargs.get('M');
      if (!rows || (rows.kind !== 'int' && rows.kind !== 'symint' && rows.kind !== 'unknown')) return { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, 'float'), origin };
      const second = cols === undefined || cols.kind === 'none' ? rows : cols;
      if (second.kind !== 'int' && second.kind !== 'symint' && second.kind !== 'unknown') return { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: dtypeOf(kwargs, 'float'), origin };
      return { kind: 'tensor', shape: shapeOf([dimFromValue(rows, origin), dimFromValue(second, origin)]), dtype: dtypeOf(kwargs, 'float'), origin };
    }
    case 'linspace':
    case 'logspace':
    case 'np-linspace':
    case 'np-logspace': {
      // steps evenly spaced points from start to end (torch requires steps; NumPy's num is 50 unless given). Array
      // bounds, and NumPy's retstep=True (a (samples, step) pair), are not followed.
      const numpy = name.startsWith('np-');
      const [start, end] = [args[0] ?? kwargs.get('start'), args[1] ?? kwargs.get(numpy ? 'stop' : 'end')];
      const stepsArg = args[2] ?? kwargs.get(numpy ? 'num' : 'steps');
      const scalar = (v: Value | undefined) => v?.kind === 'int' || v?.kind === 'float' || v?.kind === 'symint' || v?.kind === 'bool';
      if (!scalar(start) || !scalar(end) || (numpy && (args.length > 4 || kwargs.has('retstep') || kwargs.has('axis')))) return undefined;
      if (stepsArg === undefined && !numpy) return undefined;
      const steps = stepsArg === undefined ? 50 : intValue(stepsArg);
      const dim = steps !== undefined && steps >= 0 ? intDim(steps, { origin }) : stepsArg ? dimFromValue(stepsArg, origin) : UNKNOWN_DIM;
      return { kind: 'tensor', shape: shapeOf([dim]), dtype: dtypeOf(kwargs, 'float'), origin };
    }
    case 'arange': {
      // torch.arange(end), (start, end) or (start, end, step), each also by keyword. Floats known by value count as
      // PyTorch counts them, ceil((end - start) / step) in double precision; the values of a float range are not kept.
      const named = (name: string): Value | undefined => kwargs.get(name);
      const given: (Value | undefined)[] = args.length >= 2 ? [args[0], args[1], args[2] ?? named('step')] : args.length === 1 ? (named('end') ? [args[0], named('end'), named('step')] : [undefined, args[0], named('step')]) : [named('start'), named('end'), named('step')];
      const present = given.filter((v): v is Value => v !== undefined);
      const allInts = present.every((v) => v.kind === 'int');
      const read = (v: Value | undefined, fallback: number): number | undefined => (v === undefined ? fallback : allInts ? intValue(v) : numberValue(v));
      const start = read(given[0], 0);
      const end = given[1] === undefined ? undefined : read(given[1], 0);
      const step = read(given[2], 1);
      const count = start !== undefined && end !== undefined && step ? Math.ceil((end - start) / step) : undefined;
      // An end on the wrong side of start for the step's sign raises in PyTorch ("upper bound and larger bound
      // inconsistent with step sign"), where range() and NumPy give an empty sequence: nothing is known past it.
      const wrongSide = !numpy && start !== undefined && end !== undefined && step !== undefined && (end - start) * step < 0;
      const length = count !== undefined && Number.isSafeInteger(count) && !wrongSide ? Math.max(0, count) : undefined;
      const dim = length !== undefined ? intDim(length, { origin }) : UNKNOWN_DIM;
      const floats = present.some((v) => v.kind === 'float');
      return { kind: 'tensor', shape: shapeOf([dim]), dtype: dtypeOf(kwargs, allInts ? 'long' : floats ? 'float' : 'unknown'), origin, minValue: allInts && step !== undefined && step > 0 ? start : undefined, maxValue: allInts && end !== undefined && step === 1 ? end - 1 : undefined };
    }
    default:
      return undefined;
  }

}

// uint8 is no int64: PyTorch indexes with a uint8 tensor as a mask, so it is left unknown rather than called 'long'.
const LEGACY_DTYPES: Record<string, DType> = {
  Tensor: 'float', FloatTensor: 'float', DoubleTensor: 'float', HalfTensor: 'float',
  LongTensor: 'long', IntTensor: 'long', ShortTensor: 'long', ByteTensor: 'unknown', BoolTensor: 'bool',
};

/** The legacy constructors (torch.FloatTensor, torch.LongTensor, …), by name. */
export const LEGACY_CONSTRUCTORS: readonly string[] = Object.keys(LEGACY_DTYPES);

/**
 * The legacy constructors (`torch.FloatTensor(...)`, `torch.Tensor(...)`, `torch.LongTensor(...)`) read their
 * argument two ways: separate ints (or a `torch.Size`) are sizes, uninitialised; one sequence or array is data,
 * as `torch.tensor` reads it. `FloatTensor([1.0, 2.0, 3.0])` is `(3,)`, never `(?, ?, ?)`.
 */
export function legacyConstructor(dtype: DType, args: Value[], origin: Origin): TensorValue {
  const unknown: TensorValue = { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype, origin };
  if (args.length === 0) return { ...unknown, shape: shapeOf([intDim(0, { origin })]) };
  const first = args[0];
  if (args.length === 1 && (first.kind === 'list' || first.kind === 'tuple' || first.kind === 'tensor')) {
    const s = literalStats(first);
    if (s) return literalTensor(s, dtype, origin);
    const shape = dataShape(first, true);
    return shape ? { ...unknown, shape: shapeOf(shape) } : unknown;
  }
  if (args.length === 1 && first.kind === 'size') return { ...unknown, shape: shapeOf(first.dims) };
  // One int only assumed (a parameter nothing calls with a known argument) may be a size or data (`torch.Tensor(adj)`
  // of an adjacency matrix): neither reading is known.
  if (args.length === 1 && first.kind === 'symint' && first.assumed !== undefined) return unknown;
  // Two positional arguments or more are sizes, whatever their values: data is a single argument (PyTorch raises
  // "new(): argument 'size' must be tuple of ints" otherwise), so an unknown one is an unknown size. A one-element
  // integer tensor is read as its number (`LongTensor(len(batch), lengths[0])`, the longest of sorted lengths): its
  // size is not known here, the rank is.
  const sizeLike = (a: Value) => a.kind === 'int' || a.kind === 'symint' || a.kind === 'unknown' || a.kind === 'tensor';
  if (args.every((a) => a.kind === 'int' || a.kind === 'symint') || (args.length >= 2 && args.every(sizeLike))) {
    const dims = dimsFromSizeArgs(args.map((a) => (a.kind === 'tensor' ? UNKNOWN : a)), origin);
    return dims ? { ...unknown, shape: shapeOf(dims) } : unknown;
  }
  return unknown;
}

/** The shape of data given as an array, or a list of same-shaped arrays; undefined when it cannot be known. */
function dataShape(data: Value, alike = false): Dim[] | undefined {
  if (data.kind === 'tensor') return data.shape.rankKnown ? data.shape.dims : undefined;
  // A number is a 0-d entry, whether or not its value is known; an int only assumed may be any data.
  if (data.kind === 'symint' && data.assumed !== undefined) return undefined;
  if (data.kind === 'int' || data.kind === 'float' || data.kind === 'bool' || data.kind === 'symint') return [];
  if ((data.kind === 'list' || data.kind === 'tuple') && data.element) {
    const inner = dataShape(data.element, alike);
    return inner ? [data.length === undefined ? UNKNOWN_DIM : intDim(data.length), ...inner] : undefined;
  }
  if ((data.kind === 'list' || data.kind === 'tuple') && !data.element && data.items.length > 0) {
    const inner = data.items.map((item) => dataShape(item, alike));
    const first = inner[0];
    if (!first || !inner.every((d) => d && d.length === first.length && (alike || d.every((x, i) => sameDim(x, first[i]))))) return undefined;
    // `alike`: the reader raises unless the items share one shape (the legacy constructors do; NumPy before 1.24 made a
    // ragged object array instead), so a size the items do not all show is unknown, and the rank is known.
    return [intDim(data.items.length), ...first.map((x, i) => (inner.every((d) => sameDim(d![i], x)) ? x : UNKNOWN_DIM))];
  }
  return undefined;
}

type ValueBounds = Pick<TensorValue, 'minValue' | 'maxValue' | 'minBoundOnly' | 'maxBoundOnly'>;

/**
 * The least and greatest values of an array, or of the arrays a list holds (rows appended in a loop and stacked by
 * np.array): every item's bound, when each item has one. A list summarised as one item like all others gives that
 * item's bounds as bounds only, which its items may not reach (the list may even be empty).
 */
function dataBounds(data: Value): ValueBounds | undefined {
  if (data.kind === 'tensor') {
    const { minValue, maxValue, minBoundOnly, maxBoundOnly } = data;
    if (minValue === undefined && maxValue === undefined) return undefined;
    return { minValue, maxValue, ...(minBoundOnly ? { minBoundOnly } : {}), ...(maxBoundOnly ? { maxBoundOnly } : {}) };
  }
  if ((data.kind === 'list' || data.kind === 'tuple') && data.element) {
    const inner = dataBounds(data.element);
    if (!inner) return undefined;
    return {
      ...(inner.minValue !== undefined ? { minValue: inner.minValue, minBoundOnly: true } : {}),
      ...(inner.maxValue !== undefined ? { maxValue: inner.maxValue, maxBoundOnly: true } : {}),
    };
  }
  if ((data.kind === 'list' || data.kind === 'tuple') && data.items.length > 0) {
    const inner = data.items.map(dataBounds);
    if (inner.some((b) => b === undefined)) return undefined;
    const all = inner as ValueBounds[];
    const out: ValueBounds = {};
    if (all.every((b) => b.minValue !== undefined)) {
      out.minValue = Math.min(...all.map((b) => b.minValue!));
      // The least value is reached when an item that holds it reaches it.
      if (!all.some((b) => b.minValue === out.minValue && !b.minBoundOnly)) out.minBoundOnly = true;
    }
    if (all.every((b) => b.maxValue !== undefined)) {
      out.maxValue = Math.max(...all.map((b) => b.maxValue!));
      if (!all.some((b) => b.maxValue === out.maxValue && !b.maxBoundOnly)) out.maxBoundOnly = true;
    }
    return out.minValue === undefined && out.maxValue === undefined ? undefined : out;
  }
  return undefined;
}

/** The dtype of an array, or of the same-dtyped arrays a list holds; unknown otherwise. */
function dataDtype(data: Value): DType {
  if (data.kind === 'tensor') return data.dtype;
  if ((data.kind === 'list' || data.kind === 'tuple') && data.element) return dataDtype(data.element);
  if ((data.kind === 'list' || data.kind === 'tuple') && data.items.length > 0) {
    const first = dataDtype(data.items[0]);
    return data.items.every((v) => dataDtype(v) === first) ? first : 'unknown';
  }
  return 'unknown';
}

function literalTensor(s: { dims: number[]; min: number; max: number; flat: number[] }, dtype: DType, origin: Origin): TensorValue {
  const sortedDescending = s.dims.length === 1 ? s.flat.every((v, i) => i === 0 || s.flat[i - 1] >= v) : undefined;
  return {
    kind: 'tensor',
    shape: shapeOf(s.dims.map((n) => intDim(n, { origin }))),
    dtype,
    origin,
    minValue: Number.isFinite(s.min) ? s.min : undefined,
    maxValue: Number.isFinite(s.max) ? s.max : undefined,
    sortedDescending,
    literal: s.dims.length === 1 ? s.flat : undefined,
  };
}

const OTHER_FACTORIES = new Set(['full', 'randint', 'tensor', 'as_tensor', 'arange', 'randint_like', 'eye', 'linspace', 'logspace']);

export function isTensorFactory(name: string): boolean {
  return FLOAT_FACTORIES.has(name) || Object.hasOwn(LEGACY_DTYPES, name) || OTHER_FACTORIES.has(name);
}
