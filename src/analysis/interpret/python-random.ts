// Python's random module, for the sizes its functions give: random.sample(population, k) and
// random.choices(population, k=k) return a list of k items drawn from the population; random.randint(a, b) and
// random.randrange(start, stop, step) one int between known bounds.
import { UNKNOWN_DIM } from '../shapes/dim';
import { UNKNOWN, Value, boundedInt, commonElement, intValue, sequenceLength, summary } from '../values/value';
import { inArbitraryOrder, rangeLength } from './builtins';

/** The items a population holds, as one value: a summarised list's element, or what its listed items share. */
function drawnItem(population: Value): Value {
  if (population.kind !== 'list' && population.kind !== 'tuple') return UNKNOWN;
  return population.element ?? commonElement(population.items);
}

/**
 * `random.<name>(...)`, or undefined for a function not modelled here. sample raises ValueError for a k larger than
 * the population or negative, choices IndexError for an empty population: those give unknown, as does a k not known.
 */
export function pythonRandomCall(name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (name === 'randint' || name === 'randrange') return drawnInt(name, args, kwargs);
  if (name !== 'sample' && name !== 'choices') return undefined;
  const population = args[0] ?? kwargs.get('population');
  // choices' k is keyword-only (its second positional argument is weights) and defaults to 1.
  const kArg = name === 'sample' ? args[1] ?? kwargs.get('k') : kwargs.get('k');
  const k = kArg === undefined ? (name === 'choices' ? 1 : undefined) : intValue(kArg);
  // Python 3.11 refuses a set as sample's population (TypeError; older versions sampled it with a warning): a set
  // whose items are listed is known to be one.
  if (!population || k === undefined || k < 0 || (name === 'sample' && inArbitraryOrder.has(population))) return UNKNOWN;
  const size = sequenceLength(population);
  if (name === 'sample' && size !== undefined && k > size) return UNKNOWN;
  if (name === 'choices' && size === 0) return UNKNOWN;
  return summary('list', k, drawnItem(population));
}

/** An int known to lie between min and max (inclusive), when both are safe integers. */
function drawnBetween(min: number, max: number): Value {
  return Number.isSafeInteger(min) && Number.isSafeInteger(max) ? boundedInt(min, max) : { kind: 'symint', dim: UNKNOWN_DIM };
}

/**
 * random.randint(a, b): an int in [a, b] (both ends included). random.randrange(stop) or randrange(start, stop,
 * step=1): an item of range(start, stop, step). Python raises ValueError for an empty range (randint(5, 4),
 * randrange(3, 3)) or a step of 0: those give unknown. Bounds not known still give an int (`data[j]` drops an axis).
 * The draw is one of these values, not each of them in turn as a loop index is: the bounds say where it lies, so a
 * window `x[j - a:j + b]` that stays inside x whatever the draw has b + a entries.
 */
function drawnInt(name: string, args: Value[], kwargs: Map<string, Value>): Value {
  const int = (v: Value | undefined) => (v?.kind === 'int' || v?.kind === 'bool' ? intValue(v) : undefined);
  if (name === 'randint') {
    if (args.length + kwargs.size !== 2) return UNKNOWN;
    const a = int(args[0] ?? kwargs.get('a'));
    const b = int(args[1] ?? kwargs.get('b'));
    if (a === undefined || b === undefined) return { kind: 'symint', dim: UNKNOWN_DIM };
    return a <= b ? drawnBetween(a, b) : UNKNOWN;
  }
  // randrange(start, stop=None, step=1): with one argument, that argument is the stop.
  const first = args[0] ?? kwargs.get('start');
  const second = args[1] ?? kwargs.get('stop');
  const third = args[2] ?? kwargs.get('step');
  if (!first || args.length + kwargs.size > 3) return UNKNOWN;
  const oneArgument = second === undefined || second.kind === 'none';
  // randrange(10, step=2) raises TypeError ("Missing a non-None stop argument").
  if (oneArgument && third !== undefined) return UNKNOWN;
  const start = oneArgument ? 0 : int(first);
  const stop = int(oneArgument ? first : second);
  const step = third === undefined ? 1 : int(third);
  if (start === undefined || stop === undefined || step === undefined) return { kind: 'symint', dim: UNKNOWN_DIM };
  // A step of 0 or an empty range: Python raises ValueError.
  const count = rangeLength(start, stop, step);
  if (!count) return UNKNOWN;
  const last = start + (count - 1) * step;
  return drawnBetween(Math.min(start, last), Math.max(start, last));
}
