// Python builtins that matter for sizes: len, int, max, min, range, list, tuple, dict, getattr, super, enumerate, zip,
// iter, next.
import { torchLayerIsInstance } from '../layers/torch/classes';
import type { Call } from '../parse/ast';
import { UNKNOWN_DIM, afterDropping } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { NONE, UNKNOWN, Value, type ClassInfo, intOrUnknown, numberValue, partBounds, intValue, listOf, sequence, sequenceLength, setEntry, strValue, summary } from '../values/value';
import { linkedSize } from '../ops/dims-from-values';
import { literalItem } from '../ops/tensor-methods';
import { frameLength, isFrame } from '../ops/pandas';
import type { Interpreter } from './interpreter';
import { pyStr } from './strings';
import { joinValues } from './scope';

/**
 * Lists whose items are known but whose order is not (a set's, and what list(), tuple() and enumerate() make of it):
 * what pairs an item with its position (`{w: i for i, w in enumerate(set(words))}`) is not followed item by item.
 */
export const inArbitraryOrder = new WeakSet<Value>();

export const BUILTIN_NAMES = new Set(['len', 'int', 'float', 'bool', 'str', 'max', 'min', 'abs', 'round', 'ord', 'range', 'list', 'tuple', 'dict', 'getattr', 'super', 'print', 'isinstance', 'sum', 'enumerate', 'zip', 'sorted', 'reversed', 'hasattr', 'setattr', 'type', 'set', 'vars', 'iter', 'next', 'map']);

/** PackedSequence's qualified name (a namedtuple: `isinstance(p, tuple)` holds too). */
export const PACKED_SEQUENCE = 'torch.nn.utils.rnn.PackedSequence';

/** map() calls its function once per item up to this many items; past it, only the count is kept. */
const MAP_LIMIT = 64;

export function callBuiltin(name: string, args: Value[], kwargs: Map<string, Value>, interp: Interpreter, call: Call): Value {
  const [a, b] = args;
  switch (name) {
    case 'len': {
      if (!a) return UNKNOWN;
      if (a.kind === 'list' || a.kind === 'tuple') {
        const length = sequenceLength(a);
        return length === undefined ? UNKNOWN : { kind: 'int', value: length, origin: interp.originOf(call) };
      }
      if (a.kind === 'str') return { kind: 'int', value: a.value.length };
      // len(x.shape), len(x.size()): the tensor's rank, as x.dim() and x.ndim give it.
      if (a.kind === 'size') return { kind: 'int', value: a.dims.length, origin: interp.originOf(call) };
      if (isFrame(a)) return frameLength(a);
      if (a.kind === 'longstr') return { kind: 'int', value: a.length };
      if (a.kind === 'dict') return a.partial || a.parser ? UNKNOWN : { kind: 'int', value: a.entries.size, origin: interp.originOf(call) };
      if (a.kind === 'tensor' && a.shape.rankKnown && a.shape.dims[0]) {
        const d = a.shape.dims[0];
        return d.kind === 'int' ? { kind: 'int', value: d.value, origin: interp.originOf(call) } : { kind: 'symint', dim: d };
      }
      // len() of a value not followed, or of a tensor of unknown rank, is an int (Python refuses any other result),
      // whose value is not known: `torch.zeros(len(x))` is 1-D.
      if (a.kind === 'unknown' || (a.kind === 'tensor' && !a.shape.rankKnown)) return { kind: 'symint', dim: UNKNOWN_DIM };
      return UNKNOWN;
    }
    case 'int': {
      if (a?.kind === 'int' || a?.kind === 'symint') return a;
      // int() of a float is an int (or raises, for inf and nan), whether or not the float's value is known.
      if (a?.kind === 'float') return a.value === undefined ? { kind: 'symint', dim: UNKNOWN_DIM } : intOrUnknown(Math.trunc(a.value));
      if (a?.kind === 'str' && /^-?\d+$/.test(a.value.trim())) return intOrUnknown(Number(a.value));
      // int() of a tensor or an array reads its one element (or raises): an int, whose value is known only where the
      // tensor's one value is (`int(lengths.max())` of lengths written in the code).
      if (a?.kind === 'tensor' && args.length === 1 && !kwargs.size) {
        const one = literalItem(a);
        return one !== undefined ? intOrUnknown(Math.trunc(one)) : { kind: 'symint', dim: UNKNOWN_DIM };
      }
      return UNKNOWN;
    }
    case 'float':
      // float() gives a float or raises: a value not known (a size, a tensor's one item, a string) is a float of
      // unknown value. A string is read only when it is a finite number.
      if (a?.kind === 'int' || a?.kind === 'float') return { kind: 'float', value: a.value };
      if (a?.kind === 'str') {
        const n = a.value.trim() === '' ? NaN : Number(a.value);
        return Number.isFinite(n) && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(a.value) ? { kind: 'float', value: n } : { kind: 'float' };
      }
      return args.length === 1 && !kwargs.size ? { kind: 'float' } : UNKNOWN;
    case 'ord': {
      // A character's code point: an int (Python raises on anything else), known for a known one-character string.
      if (a?.kind === 'str' && [...a.value].length === 1) return { kind: 'int', value: a.value.codePointAt(0)! };
      return { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: 0, max: 0x10ffff } };
    }
    case 'max':
    case 'min': {
      // Over one tensor, Python walks its first axis and gives back one row (comparing rows of more than one element
      // raises): the row's shape, 0-D for a 1-D tensor.
      if (args.length === 1 && !kwargs.size && a.kind === 'tensor') return iterated(a)?.element ?? UNKNOWN;
      // By a key (`max(batch, key=lambda s: s[0].size(1))`): one of the items, whichever the key picks: what the items
      // share (a sequence known by its one item gives that item). An empty one raises, or gives `default=`.
      if (kwargs.has('key') && args.length === 1 && (a.kind === 'list' || a.kind === 'tuple')) {
        if (a.element) return a.element;
        if (a.items.length === 0) return kwargs.get('default') ?? UNKNOWN;
        // Keys all known numbers: the first item with the greatest (least) key, as Python picks it.
        const key = kwargs.get('key')!;
        const keys = a.items.length <= MAP_LIMIT ? a.items.map((item) => numberValue(interp.callValue(key, [item], new Map(), call, false))) : [];
        if (keys.length && keys.every((k) => k !== undefined)) {
          let best = 0;
          keys.forEach((k, i) => {
            if (name === 'max' ? k! > keys[best]! : k! < keys[best]!) best = i;
          });
          return a.items[best];
        }
        return a.items.slice(1).reduce((joined, item) => joinValues(joined, item), a.items[0]);
      }
      const items = args.length === 1 && (a.kind === 'list' || a.kind === 'tuple') ? a.items : args;
      const nums = items.map(intValue);
      if (nums.length && nums.every((n) => n !== undefined)) return { kind: 'int', value: name === 'max' ? Math.max(...(nums as number[])) : Math.min(...(nums as number[])) };
      // Floats and ints mixed: Python gives back the item itself.
      const floats = items.map((v) => (v.kind === 'int' || v.kind === 'float' ? v : undefined));
      if (!floats.length || floats.some((v) => v === undefined)) return UNKNOWN;
      // A float of unknown value among them: the item picked is not known, though a float when every item is one.
      if (floats.some((v) => v!.value === undefined)) return floats.every((v) => v!.kind === 'float') ? { kind: 'float' } : UNKNOWN;
      const pick = floats.reduce((best, v) => ((name === 'max' ? v!.value! > best!.value! : v!.value! < best!.value!) ? v : best));
      return pick!;
    }
    case 'abs':
      return a?.kind === 'int' ? { kind: 'int', value: Math.abs(a.value) } : a?.kind === 'float' ? { kind: 'float', value: a.value === undefined ? undefined : Math.abs(a.value) } : UNKNOWN;
    case 'range': {
      const nums = args.map(intValue);
      // Its items are ints even when the bounds are not known.
      const anInt: Value = { kind: 'symint', dim: UNKNOWN_DIM };
      if (nums.length === 0 || nums.some((n) => n === undefined)) return a ? { kind: 'list', items: [], element: anInt } : UNKNOWN;
      const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      const count = rangeLength(start, stop, step);
      // A long range keeps its length and the bounds of its numbers, not the numbers.
      if (count === undefined || count > 64) {
        const last = count ? start + (count - 1) * step : undefined;
        const item: Value = last !== undefined && Number.isSafeInteger(last) ? { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: Math.min(start, last), max: Math.max(start, last) } } : anInt;
        return summary('list', count, item);
      }
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push({ kind: 'int', value: start + i * step });
      return { kind: 'list', items };
    }
    case 'iter': {
      // An iterator over what the analysis follows, held as the list of the items it has left: a copy, which next()
      // consumes while the iterable keeps its items. iter(callable, sentinel) is not followed.
      if (!a || args.length !== 1 || kwargs.size) return UNKNOWN;
      const seq = iterated(a);
      if (!seq) return UNKNOWN;
      const it = seq.items ? sequence('list', [...seq.items]) : summary('list', seq.length, seq.element);
      if (inArbitraryOrder.has(a)) inArbitraryOrder.add(it);
      return it;
    }
    case 'next':
      // On a list: an iterator enumerate, zip or iter made (Python's next refuses a list itself).
      if (!a || (a.kind !== 'list' && a.kind !== 'tuple') || args.length > 2 || kwargs.size) return UNKNOWN;
      return interp.advanceIterator(a, b);
    case 'reversed':
      // The items of a list, a tuple or a range in the other order (a loop `for k in reversed(range(n))` walks the
      // same ints); a summary keeps its length and what its items share. A tensor or an object is not followed.
      if (args.length !== 1 || kwargs.size || (a?.kind !== 'list' && a?.kind !== 'tuple')) return UNKNOWN;
      return a.element ? summary('list', sequenceLength(a), a.element) : { kind: 'list', items: [...a.items].reverse() };
    case 'set':
    case 'sorted':
    case 'list':
    case 'tuple': {
      const kind = name === 'tuple' ? 'tuple' : 'list';
      if (a?.kind === 'size') return sequence(kind, sizeItems(a));
      if (a?.kind === 'longstr') return name === 'set' ? summary('list', undefined) : summary(kind, a.length, UNKNOWN);
      // `list(h_n)`: a tensor's rows along its first axis.
      if ((name === 'list' || name === 'tuple') && a?.kind === 'tensor') {
        const rows = iterated(a);
        return rows ? summary(kind, rows.length, rows.element) : UNKNOWN;
      }
      const items = a?.kind === 'str' ? [...a.value].map((c): Value => ({ kind: 'str', value: c })) : a?.kind === 'list' || a?.kind === 'tuple' ? (a.element ? undefined : a.items) : a?.kind === 'dict' && !a.partial && !a.parser ? [...a.entries.keys()].map((k): Value => ({ kind: 'str', value: k })) : undefined;
      if (!items) return a?.kind === 'list' || a?.kind === 'tuple' ? summary(kind, name === 'set' ? undefined : sequenceLength(a), a.element) : a ? UNKNOWN : { kind, items: [] };
      if (name === 'set') {
        const seen = new Map<string, Value>();
        for (const v of items) {
          if (v.kind !== 'str' && v.kind !== 'int') return UNKNOWN;
          seen.set(`${v.kind}:${v.value}`, v);
        }
        const unique = sequence('list', [...seen.values()]);
        // Python iterates a set of strings in an order of its own (hashes vary between runs): the items are listed,
        // but which comes first is not known.
        if (seen.size > 1) inArbitraryOrder.add(unique);
        return unique;
      }
      if (name === 'sorted') {
        // Sorted known scalars keep their values in the new order; anything else keeps only its length.
        const reverse = kwargs.get('reverse')?.kind === 'bool' && (kwargs.get('reverse') as { value: boolean }).value;
        const scalars = items.every((v) => v.kind === 'int') || items.every((v) => v.kind === 'str');
        if (!scalars) return summary('list', items.length);
        // By a key not followed: the same items, in an order not known.
        if (kwargs.has('key')) {
          const permuted = sequence('list', [...items]);
          if (items.length > 1) inArbitraryOrder.add(permuted);
          return permuted;
        }
        const ordered = [...items].sort((x, y) => {
          const [p, q] = [(x as { value: number | string }).value, (y as { value: number | string }).value];
          return p < q ? -1 : p > q ? 1 : 0;
        });
        return sequence('list', reverse ? ordered.reverse() : ordered);
      }
      const copied = sequence(kind, [...items]);
      if (a && inArbitraryOrder.has(a)) inArbitraryOrder.add(copied);
      return copied;
    }
    case 'isinstance': {
      const types = b?.kind === 'tuple' ? b.items : b ? [b] : [];
      const verdicts = types.map((t) => isInstance(a, t));
      if (verdicts.some((v) => v === true)) return { kind: 'bool', value: true };
      if (verdicts.length && verdicts.every((v) => v === false)) return { kind: 'bool', value: false };
      return UNKNOWN;
    }
    case 'vars':
      return a?.kind === 'dict' ? { kind: 'dict', entries: new Map(a.entries), partial: a.partial } : UNKNOWN;
    case 'dict': {
      const pairs = a && a.kind !== 'dict' ? namedPairs(a) : undefined;
      const dict: Extract<Value, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), partial: a?.kind === 'dict' ? a.partial : a !== undefined && !pairs };
      if (a?.kind === 'dict') for (const [k, v] of a.entries) setEntry(dict, k, v);
      // Pairs in order; a key given again keeps its first place and takes the later value, as Python's dict does.
      if (pairs) for (const [k, v] of pairs) setEntry(dict, k, v);
      for (const [k, v] of kwargs) setEntry(dict, k, v);
      return dict;
    }
    case 'getattr': {
      if (b?.kind !== 'str' || !a) return args[2] ?? UNKNOWN;
      const found = a.kind === 'dict' && a.namespace && !a.parser ? a.entries.get(b.value) : interp.getAttribute(a, b.value, call);
      if (found) return found;
      // As `self.name` gives for an attribute not seen (one nn.Module defines, such as `parameters`).
      if (a.kind === 'instance' && args.length < 3) return { kind: 'method', receiver: a, name: b.value };
      return args[2] ?? UNKNOWN;
    }
    case 'hasattr':
      // True when the analysis sees the attribute; when it does not, it may have been set where it was not followed.
      return b?.kind === 'str' && a && interp.hasAttribute(a, b.value, call) ? { kind: 'bool', value: true } : UNKNOWN;
    case 'setattr':
      if (a?.kind === 'instance' && b?.kind === 'str' && args.length === 3) interp.setAttribute(a, b.value, args[2]);
      return NONE;
    case 'super': {
      const self = interp.currentSelf;
      return self ? { kind: 'method', receiver: self, name: '__super__' } : UNKNOWN;
    }
    case 'enumerate': {
      const seq = a ? iterated(a) : undefined;
      const start = b ?? kwargs.get('start') ?? { kind: 'int', value: 0 };
      const first = intValue(start);
      if (first === undefined) return UNKNOWN;
      // Over an iterable not followed (a set, a partial dict, a tensor of unknown rank), the count is still an int.
      if (!seq) return a?.kind === 'unknown' || a?.kind === 'dict' || a?.kind === 'tensor' ? summary('list', undefined, { kind: 'tuple', items: [{ kind: 'symint', dim: UNKNOWN_DIM }, UNKNOWN] }) : UNKNOWN;
      if (seq.items) {
        const counted = sequence('list', seq.items.map((v, i): Value => ({ kind: 'tuple', items: [{ kind: 'int', value: first + i }, v] })));
        if (a && inArbitraryOrder.has(a)) inArbitraryOrder.add(counted);
        return counted;
      }
      // The count is an int even where the number of items is not known.
      return summary('list', seq.length, { kind: 'tuple', items: [{ kind: 'symint', dim: UNKNOWN_DIM }, seq.element] });
    }
    case 'zip': {
      // An operand the analysis cannot follow still gives one item a step (or Python raises): the others' items stay.
      const seqs = args.map((v) => iterated(v) ?? unfollowedItems(v));
      if (seqs.length === 0 || kwargs.size > 0 || seqs.some((q) => q === undefined)) return UNKNOWN;
      const known = seqs as Iterated[];
      if (known.every((q) => q.items)) {
        const n = Math.min(...known.map((q) => q.items!.length));
        return sequence('list', Array.from({ length: n }, (_, i): Value => ({ kind: 'tuple', items: known.map((q) => q.items![i]) })));
      }
      const lengths = known.map((q) => (q.items ? q.items.length : q.length));
      const length = lengths.every((l) => l !== undefined) ? Math.min(...(lengths as number[])) : undefined;
      // Items of a sequence whose length is known but not its items are alike: any one stands for all.
      const element: Value = { kind: 'tuple', items: known.map((q) => (q.items ? commonOrUnknown(q.items) : q.element)) };
      return summary('list', length, element);
    }
    case 'map': {
      // map(f, *iterables): f of each step's items, for as long as the shortest runs (Python 3 gives an iterator, which
      // unpacking and list() walk). Listed items are mapped one by one; a sequence known only by its item, once.
      const f = a;
      const seqs = args.slice(1).map((v) => iterated(v));
      if (!f || seqs.length === 0 || kwargs.size > 0 || seqs.some((q) => q === undefined)) return UNKNOWN;
      const known = seqs as Iterated[];
      const apply = (items: Value[]): Value => interp.callValue(f, items, new Map(), call, false);
      if (known.every((q) => q.items)) {
        const n = Math.min(...known.map((q) => q.items!.length));
        if (n > MAP_LIMIT) return summary('list', n);
        return sequence('list', Array.from({ length: n }, (_, i) => apply(known.map((q) => q.items![i]))));
      }
      const lengths = known.map((q) => (q.items ? q.items.length : q.length));
      const length = lengths.every((l) => l !== undefined) ? Math.min(...(lengths as number[])) : undefined;
      return summary('list', length, apply(known.map((q) => (q.items ? commonOrUnknown(q.items) : q.element))));
    }
    case 'print':
      return NONE;
    case 'str': {
      if (!a) return args.length === 0 && kwargs.size === 0 ? { kind: 'str', value: '' } : UNKNOWN;
      if (a.kind === 'str' || a.kind === 'longstr') return a;
      const text = args.length === 1 && kwargs.size === 0 ? pyStr(a) : undefined;
      return text === undefined ? UNKNOWN : strValue(text);
    }
    default:
      return UNKNOWN;
  }
}

/** isinstance for the kinds of values we track; undefined when it cannot tell. */
function isInstance(value: Value | undefined, type: Value): boolean | undefined {
  if (value && type.kind === 'class') return isInstanceOfClass(value, type.cls);
  if (!value || value.kind === 'unknown' || type.kind !== 'module') return undefined;
  if (value.kind === 'layer' && value.layer.alternatives) {
    // One of several layers: decided only when every alternative gives the same answer; a user module (which may
    // extend the type asked) is not decided here.
    const answers = value.layer.alternatives.map((option) => (option.module ? undefined : isInstance({ kind: 'layer', layer: option }, type)));
    return answers.every((a) => a === answers[0]) ? answers[0] : undefined;
  }
  if (value.kind === 'layer') {
    // isinstance(self.rnn, nn.LSTM): a layer whose torch.nn class is known against a torch.nn class.
    const cls = value.layer.framework === 'torch' ? /^torch\.nn\.(?:modules\.\w+\.)?(\w+)$/.exec(type.path)?.[1] : undefined;
    return cls ? torchLayerIsInstance(value.layer.kind, cls) : undefined;
  }
  const name = type.path.replace(/^builtins\./, '');
  if (value.kind === 'packed') {
    // A PackedSequence is a namedtuple (PyTorch 1.13): an instance of PackedSequence and of tuple, of no other type here.
    if (name === PACKED_SEQUENCE || name === 'tuple') return true;
    return name === 'torch.Tensor' || name === 'list' || name === 'dict' || name === 'int' || name === 'float' || name === 'str' || name === 'bool' ? false : undefined;
  }
  const kindOf: Record<string, Value['kind'][]> = {
    'torch.Tensor': ['tensor'],
    tuple: ['tuple'],
    list: ['list'],
    dict: ['dict'],
    int: ['int', 'bool'],
    float: ['float'],
    str: ['str'],
    bool: ['bool'],
  };
  // A tensor the program made is not a PackedSequence (a namedtuple of tensors): `if isinstance(x, PackedSequence)` takes
  // its else branch. A parameter of a function nothing calls is only taken for a tensor (`name` set): the caller may
  // pass a PackedSequence, so that stays undecided.
  if (name === PACKED_SEQUENCE) return value.kind === 'tensor' && !value.name ? false : undefined;
  const kinds = kindOf[name];
  if (!kinds) return undefined;
  return kinds.includes(value.kind);
}

/**
 * isinstance against a class of the program: an instance of it or of a class extending it holds, an instance of
 * another class of the program does not, as does a layer torch builds when the class extends no torch layer.
 * Undefined when it cannot tell: a value of no known class, or a class with a base the analysis could not follow.
 */
function isInstanceOfClass(value: Value, cls: ClassInfo): boolean | undefined {
  if (value.kind === 'layer' && value.layer.alternatives) {
    // One of several modules (set in if/else): decided only when every alternative gives the same answer.
    const answers = value.layer.alternatives.map((option) => isInstanceOfClass(option.module ?? { kind: 'layer', layer: option }, cls));
    return answers.every((a) => a === answers[0]) ? answers[0] : undefined;
  }
  const own = value.kind === 'instance' ? value.cls : value.kind === 'layer' ? value.layer.module?.cls : undefined;
  if (own) return classExtends(own, cls, 0);
  if (value.kind === 'layer' && value.layer.framework === 'torch' && !cls.torchLayer) return false;
  return undefined;
}

/**
 * Whether a class is another or extends it through the bases the analysis knows (bounded in depth). A class of the
 * same name from another definition (a module read twice, a class defined again) leaves the answer open.
 */
function classExtends(own: ClassInfo, cls: ClassInfo, depth: number): boolean | undefined {
  if (own.def === cls.def) return true;
  if (depth > MAX_CLASS_DEPTH) return undefined;
  let open = !!own.openBase || own.name === cls.name;
  for (const base of own.bases) {
    const answer = classExtends(base, cls, depth + 1);
    if (answer) return true;
    if (answer === undefined) open = true;
  }
  return open ? undefined : false;
}

const MAX_CLASS_DEPTH = 32;

/** What iterating a value gives: its items when known, else what every item is like and how many there are. */
export interface Iterated {
  items?: Value[];
  element: Value;
  length?: number;
}

/**
 * What a for loop, zip or enumerate walks in a value: an nn.Sequential of blocks all alike in a number not known
 * (see Interpreter.repeatedSequential) gives that block, as many times as it holds; an nn.Sequential whose children
 * are listed gives them in order (a child the analysis cannot follow is an unknown item); any other value is itself.
 */
export function iterable(v: Value): Value {
  if (v.kind !== 'layer') return v;
  if (v.layer.repeats) {
    const block = v.layer.repeats;
    return listOf(block.module ?? { kind: 'layer', layer: block });
  }
  // An empty Sequential may be filled in ways not followed; iterating it is not claimed to run nothing.
  if (v.layer.framework !== 'torch' || v.layer.kind !== 'Sequential' || v.layer.children.length === 0) return v;
  return { kind: 'tuple', items: v.layer.children.map((child): Value => (child.module ?? (child.kind === 'Opaque' ? UNKNOWN : { kind: 'layer', layer: child }))) };
}

export function iterated(value: Value): Iterated | undefined {
  const v = iterable(value);
  if (v.kind === 'list' || v.kind === 'tuple') return v.element ? { element: v.element, length: sequenceLength(v) } : { items: v.items, element: UNKNOWN };
  if (v.kind === 'str') return { items: [...v.value].map((c): Value => ({ kind: 'str', value: c })), element: UNKNOWN };
  if (v.kind === 'size') return { items: sizeItems(v), element: UNKNOWN };
  if (v.kind === 'dict' && !v.partial && !v.parser) return { items: [...v.entries.keys()].map((k): Value => ({ kind: 'str', value: k })), element: UNKNOWN };
  if (v.kind === 'tensor' && v.shape.rankKnown && v.shape.dims.length > 0) {
    // Iterating a tensor walks its first axis: each row has the remaining axes.
    const d = v.shape.dims[0];
    const row: Value = { kind: 'tensor', dtype: v.dtype, origin: v.origin, shape: shapeOf(afterDropping(d, v.shape.dims.slice(1))), ...partBounds(v) };
    return { element: row, length: d.kind === 'int' ? d.value : undefined };
  }
  return undefined;
}

/** The items of a tensor's sizes as `list(x.size())` or a loop over them gives: ints, or ints linked to their axes. */
function sizeItems(size: Extract<Value, { kind: 'size' }>): Value[] {
  return size.dims.map((d, i): Value => (d.kind === 'int' ? { kind: 'int', value: d.value } : linkedSize(size, i) ?? { kind: 'symint', dim: d }));
}

/** What iterating a value the analysis cannot follow gives: unknown items, rows of a tensor of unknown rank. */
function unfollowedItems(v: Value): Iterated | undefined {
  if (v.kind === 'unknown') return { element: UNKNOWN };
  if (v.kind === 'tensor' && !v.shape.rankKnown) return { element: { kind: 'tensor', dtype: v.dtype, origin: v.origin, shape: UNKNOWN_SHAPE } };
  return undefined;
}

function commonOrUnknown(items: Value[]): Value {
  return items.length > 0 && items.every((x) => x === items[0]) ? items[0] : UNKNOWN;
}

/**
 * The entries of `dict(pairs)` or `OrderedDict(pairs)` given a list or tuple of (key, value) pairs each seen, every key a
 * known string (`OrderedDict([('fc1', nn.Linear(…)), ('relu', nn.ReLU())])`); undefined for anything else.
 */
export function namedPairs(v: Value): [string, Value][] | undefined {
  if ((v.kind !== 'list' && v.kind !== 'tuple') || v.element) return undefined;
  const pairs: [string, Value][] = [];
  for (const item of v.items) {
    if ((item.kind !== 'tuple' && item.kind !== 'list') || item.element || item.items.length !== 2 || item.items[0].kind !== 'str') return undefined;
    pairs.push([item.items[0].value, item.items[1]]);
  }
  return pairs;
}

/** How many numbers range(start, stop, step) holds; undefined for a step of 0 (Python raises ValueError). */
export function rangeLength(start: number, stop: number, step: number): number | undefined {
  return step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : step < 0 ? Math.max(0, Math.ceil((start - stop) / -step)) : undefined;
}
