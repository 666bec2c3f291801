// collections.Counter: a dict from each item to how often it occurs, built from a sequence of known strings (or a
// string's characters), with most_common. Anything it cannot count exactly is unknown.
import { MAX_ITEMS, UNKNOWN, Value, sequence, summary } from '../values/value';

type DictValue = Extract<Value, { kind: 'dict' }>;

/** Counter(iterable) of known strings, Counter() empty, Counter(mapping) of known int counts; else unknown. */
export function counterOf(args: Value[], kwargs: Map<string, Value>): Value {
  if (args.length > 1) return UNKNOWN;
  const entries = new Map<string, Value>();
  const counter: DictValue = { kind: 'dict', entries, counter: true };
  const source = args[0];
  if (!source || source.kind === 'none') {
    for (const [key, value] of kwargs) entries.set(key, value);
    return counter;
  }
  if (kwargs.size > 0) return UNKNOWN;
  if (source.kind === 'dict') {
    if (source.partial || source.namespace || source.parser) return UNKNOWN;
    for (const [key, value] of source.entries) entries.set(key, value);
    return counter;
  }
  const items = source.kind === 'str' ? [...source.value] : (source.kind === 'list' || source.kind === 'tuple') && !source.element ? source.items : undefined;
  if (!items || items.length > 100_000) return UNKNOWN;
  for (const item of items) {
    const key = typeof item === 'string' ? item : item.kind === 'str' ? item.value : undefined;
    // Int keys would come back as strings from a dict of string keys: not followed.
    if (key === undefined) return UNKNOWN;
    const seen = entries.get(key);
    entries.set(key, { kind: 'int', value: seen?.kind === 'int' ? seen.value + 1 : 1 });
  }
  return counter;
}

/**
 * A Counter's own methods: most_common(n) gives the (item, count) pairs by count, most first, ties in the order the
 * items were first counted (sorted(..., reverse=True)[:n], a stable sort), when every count is known; total() their
 * sum. Undefined for any other method (the dict's own apply).
 */
export function counterMethod(counter: DictValue, name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (name === 'most_common') {
    const n = args[0] ?? kwargs.get('n');
    if (args.length > 1 || (n && n.kind !== 'int' && n.kind !== 'none')) return UNKNOWN;
    const limit = n?.kind === 'int' ? Math.max(0, n.value) : undefined;
    const pairs = [...counter.entries].map(([key, count]) => ({ key, count: count.kind === 'int' ? count.value : undefined }));
    if (counter.partial) return UNKNOWN;
    if (pairs.some((p) => p.count === undefined)) return summary('list', limit === undefined ? pairs.length : Math.min(limit, pairs.length), UNKNOWN);
    const sorted = pairs.sort((a, b) => b.count! - a.count!).slice(0, limit);
    const tuples: Value[] = sorted.map((p) => ({ kind: 'tuple', items: [{ kind: 'str', value: p.key }, { kind: 'int', value: p.count! }] }));
    return tuples.length > MAX_ITEMS ? summary('list', tuples.length, UNKNOWN) : sequence('list', tuples);
  }
  if (name === 'total' && args.length === 0 && !counter.partial) {
    let sum = 0;
    for (const count of counter.entries.values()) {
      if (count.kind !== 'int') return UNKNOWN;
      sum += count.value;
    }
    return { kind: 'int', value: sum };
  }
  return undefined;
}
