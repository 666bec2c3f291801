// Python's random module, for the sizes its functions give: random.sample(population, k) and
// random.choices(population, k=k) return a list of k items drawn from the population.
import { UNKNOWN, Value, commonElement, intValue, sequenceLength, summary } from '../values/value';
import { inArbitraryOrder } from './builtins';

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
