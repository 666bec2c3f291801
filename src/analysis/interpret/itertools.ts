// itertools' finite iterators, as the lists of the items they give (as zip and enumerate are): chain and
// chain.from_iterable, product, zip_longest, islice and repeat with a count. Listed items stay listed while the
// result is small; otherwise the result keeps its length where that is known, and what its items are like. An
// infinite iterator (count, cycle, repeat without a count) and any other function give unknown.
import { MAX_ITEMS, NONE, UNKNOWN, intValue, joinedInts, sequence, summary, type Value } from '../values/value';
import { iterated, type Iterated } from './builtins';
import { joinAll } from './scope';

/** The itertools functions followed, by path. */
export function callItertools(path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  switch (path) {
    case 'itertools.chain':
      return kwargs.size === 0 ? chain(args) : UNKNOWN;
    case 'itertools.chain.from_iterable': {
      const outer = args.length === 1 && kwargs.size === 0 ? iterated(args[0]) : undefined;
      return outer?.items ? chain(outer.items) : UNKNOWN;
    }
    case 'itertools.product':
      return product(args, kwargs);
    case 'itertools.zip_longest':
      return zipLongest(args, kwargs);
    case 'itertools.islice':
      return kwargs.size === 0 ? islice(args) : UNKNOWN;
    case 'itertools.repeat': {
      const times = intValue(args[1] ?? kwargs.get('times'));
      const object = args[0] ?? kwargs.get('object');
      if (object === undefined || times === undefined) return UNKNOWN;
      return times <= MAX_ITEMS ? sequence('list', Array.from({ length: Math.max(times, 0) }, () => object)) : summary('list', times, object);
    }
    default:
      return undefined;
  }
}

/** Each operand's items, or undefined when one is not a sequence the analysis follows. */
function operands(args: Value[]): Iterated[] | undefined {
  const seqs: Iterated[] = [];
  for (const a of args) {
    const q = iterated(a);
    if (!q) return undefined;
    seqs.push(q);
  }
  return seqs;
}

function lengthOf(q: Iterated): number | undefined {
  return q.items ? q.items.length : q.length;
}

/** What any one item of a sequence is like: its one element, or the join of its listed items. */
function anyItem(q: Iterated): Value {
  return q.items ? joined(q.items) : q.element;
}

/** One value for several: ints as an int between the least and the greatest, anything else as two paths join. */
function joined(values: Value[]): Value {
  return joinedInts(values) ?? joinAll(values) ?? UNKNOWN;
}

function chain(args: Value[]): Value {
  const seqs = operands(args);
  if (!seqs) return UNKNOWN;
  if (seqs.every((q) => q.items)) return sequence('list', seqs.flatMap((q) => q.items!));
  const lengths = seqs.map(lengthOf);
  const length = lengths.every((l) => l !== undefined) ? (lengths as number[]).reduce((a, b) => a + b, 0) : undefined;
  const items = seqs.filter((q) => lengthOf(q) !== 0).map(anyItem);
  return summary('list', length, joined(items));
}

/** `product(a, b)`, `product(a, repeat=2)`: the tuples in order, the last operand varying fastest. */
function product(args: Value[], kwargs: Map<string, Value>): Value {
  const repeat = kwargs.has('repeat') ? intValue(kwargs.get('repeat')) : 1;
  if (repeat === undefined || repeat < 0 || [...kwargs.keys()].some((k) => k !== 'repeat')) return UNKNOWN;
  const once = operands(args);
  if (!once) return UNKNOWN;
  const seqs = Array.from({ length: repeat }, () => once).flat();
  const lengths = seqs.map(lengthOf);
  const length = lengths.every((l) => l !== undefined) ? (lengths as number[]).reduce((a, b) => a * b, 1) : undefined;
  if (length !== undefined && length <= MAX_ITEMS && seqs.every((q) => q.items)) {
    let tuples: Value[][] = [[]];
    for (const q of seqs) tuples = tuples.flatMap((t) => q.items!.map((item) => [...t, item]));
    return sequence('list', tuples.map((items): Value => ({ kind: 'tuple', items })));
  }
  return summary('list', length, { kind: 'tuple', items: seqs.map(anyItem) });
}

/** `zip_longest(a, b, fillvalue=x)`: as long as the longest operand, the shorter ones padded with the fill value. */
function zipLongest(args: Value[], kwargs: Map<string, Value>): Value {
  if ([...kwargs.keys()].some((k) => k !== 'fillvalue')) return UNKNOWN;
  const fill = kwargs.get('fillvalue') ?? NONE;
  const seqs = operands(args);
  if (!seqs || seqs.length === 0) return seqs ? sequence('list', []) : UNKNOWN;
  if (seqs.every((q) => q.items)) {
    const n = Math.max(...seqs.map((q) => q.items!.length));
    return sequence('list', Array.from({ length: n }, (_, i): Value => ({ kind: 'tuple', items: seqs.map((q) => q.items![i] ?? fill) })));
  }
  const lengths = seqs.map(lengthOf);
  const length = lengths.every((l) => l !== undefined) ? Math.max(...(lengths as number[])) : undefined;
  // Where an operand may be shorter than the result, its position may hold the fill value.
  const items = seqs.map((q, i): Value => (length !== undefined && lengths[i] === length ? anyItem(q) : joined([anyItem(q), fill])));
  return summary('list', length, { kind: 'tuple', items });
}

/** `islice(it, stop)`, `islice(it, start, stop[, step])`, None meaning from the start, to the end, or a step of 1. */
function islice(args: Value[]): Value {
  if (args.length < 2 || args.length > 4) return UNKNOWN;
  const q = iterated(args[0]);
  if (!q) return UNKNOWN;
  const bound = (v: Value | undefined, absent: number | undefined): number | undefined | null => (v === undefined || v.kind === 'none' ? absent : intValue(v) ?? null);
  const start = args.length === 2 ? 0 : bound(args[1], 0);
  const stop = bound(args.length === 2 ? args[1] : args[2], undefined);
  const step = bound(args[3], 1);
  // Python refuses negative positions and steps below 1 (ValueError).
  if (start === null || stop === null || step === null || start === undefined || step === undefined || start < 0 || step < 1 || (stop !== undefined && stop < 0)) return UNKNOWN;
  const length = lengthOf(q);
  const end = stop === undefined ? length : length === undefined ? undefined : Math.min(stop, length);
  if (q.items) {
    const picked: Value[] = [];
    for (let i = start; i < (end ?? q.items.length); i += step) picked.push(q.items[i]);
    return sequence('list', picked);
  }
  const count = end === undefined ? undefined : Math.max(0, Math.ceil((end - start) / step));
  return summary('list', count, q.element);
}
