// Arithmetic on Python sequences and strings (tensors broadcast in ops/broadcast.ts).
import { MAX_ITEMS, MAX_STRING, Value, commonElement, intValue, longString, sequence, sequenceLength, strLength, strValue, summary } from '../values/value';

/**
 * `+` and `*` on lists, tuples and strings, bounded: `x + x` thirty times or `'a' * 10**9` gives a
 * summary that keeps the length, never the items. Undefined when the operands are not sequences.
 */
export function sequenceArithmetic(op: string, left: Value, right: Value): Value | undefined {
  if (op === '+') {
    if ((left.kind === 'list' || left.kind === 'tuple') && left.kind === right.kind) {
      if (!left.element && !right.element) return sequence(left.kind, [...left.items, ...right.items]);
      const a = sequenceLength(left);
      const b = sequenceLength(right);
      // An empty side adds no items: the other side's are all there is (`ids + [pad] * 0`).
      const sides = [left, right].filter((side) => side.element || side.items.length > 0);
      const element = commonElement(sides.map((side) => side.element ?? commonElement(side.items)));
      return summary(left.kind, a !== undefined && b !== undefined ? a + b : undefined, element);
    }
    const a = strLength(left);
    const b = strLength(right);
    if (a === undefined || b === undefined) return undefined;
    if (left.kind === 'str' && right.kind === 'str' && a + b <= MAX_STRING) return strValue(left.value + right.value);
    return longString(a + b);
  }
  if (op === '*') {
    const [seq, count] = right.kind === 'int' || right.kind === 'bool' ? [left, intValue(right)] : [right, intValue(left)];
    if (count === undefined || (seq.kind !== 'list' && seq.kind !== 'tuple' && seq.kind !== 'str' && seq.kind !== 'longstr')) return undefined;
    const times = Math.max(0, count);
    if (seq.kind === 'str' || seq.kind === 'longstr') {
      const length = strLength(seq)!;
      return seq.kind === 'str' && length * times <= MAX_STRING ? strValue(seq.value.repeat(times)) : longString(length * times);
    }
    const length = sequenceLength(seq);
    if (!seq.element && length! * times <= MAX_ITEMS) {
      const items: Value[] = [];
      for (let i = 0; i < times; i++) items.push(...seq.items);
      return sequence(seq.kind, items);
    }
    return summary(seq.kind, length === undefined ? undefined : length * times, seq.element ?? commonElement(seq.items));
  }
  return undefined;
}
