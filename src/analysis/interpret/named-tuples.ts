// collections.namedtuple and typing.NamedTuple's call form: a class whose instances are tuples with named fields.
// `Batch = namedtuple('Batch', ['src', 'trg'])`; `b = Batch(x, y)` is the tuple (x, y), `b.src` its first item,
// `src, trg = b` unpacks it. Python refuses a bad field list or a call that misses a field (ValueError, TypeError):
// no class or no instance is made then, so the value is unknown, never a guess.
import type * as A from '../parse/ast';
import { MAX_ITEMS, UNKNOWN, sequence, strValue, type ClassInfo, type Value } from '../values/value';

/** The paths that make a namedtuple class when called. */
export function isNamedTupleFactory(path: string): boolean {
  return path === 'collections.namedtuple' || path === 'typing.NamedTuple' || path === 'typing_extensions.NamedTuple';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/**
 * The class `namedtuple(typename, field_names, rename=, defaults=)` or `NamedTuple(typename, [(name, type), …])`
 * makes; undefined where a name is not known, or Python refuses the names (not identifiers, keywords, a leading
 * underscore or a repeat, unless `rename=True`, which names such a field `_<position>`, as Python does).
 */
export function namedTupleClass(path: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
  const typename = args[0] ?? kwargs.get('typename');
  if (typename?.kind !== 'str' || !IDENTIFIER.test(typename.value) || KEYWORDS.has(typename.value)) return UNKNOWN;
  const typing = path !== 'collections.namedtuple';
  const spec = args[1] ?? kwargs.get(typing ? 'fields' : 'field_names');
  let names: string[] | undefined;
  if (typing) {
    // The call form with a list of (name, type) pairs; the keyword form (`NamedTuple('P', x=int)`) names them itself.
    if (spec === undefined && args.length === 1) names = [...kwargs.keys()];
    else if (spec?.kind === 'list' || spec?.kind === 'tuple') names = pairNames(spec);
  } else names = fieldNames(spec);
  if (names === undefined || names.length > MAX_ITEMS) return UNKNOWN;
  const rename = kwargs.get('rename');
  if (!typing && rename?.kind === 'bool' && rename.value) names = names.map((n, i, all) => (valid(n) && all.indexOf(n) === i ? n : `_${i}`));
  else if (rename !== undefined && !(rename.kind === 'bool' && !rename.value)) return UNKNOWN;
  else if (names.some((n, i) => !valid(n) || names!.indexOf(n) !== i)) return UNKNOWN;
  const given = typing ? undefined : kwargs.get('defaults');
  let defaults: Value[] | undefined;
  if (given !== undefined && given.kind !== 'none') {
    if ((given.kind !== 'tuple' && given.kind !== 'list') || given.element || given.items.length > names.length) return UNKNOWN;
    defaults = given.items;
  }
  const def: A.ClassDef = { kind: 'class', name: typename.value, nameRange: expr.range, bases: [], body: [], range: expr.range };
  const cls: ClassInfo = {
    name: typename.value,
    def,
    bases: [],
    isTorchModule: false,
    isKerasModel: false,
    methods: new Map(),
    classAttrs: new Map([['_fields', sequence('tuple', names.map(strValue))]]),
    namedTupleFields: names,
    namedTupleFactory: true,
    ...(defaults && defaults.length > 0 && { namedTupleDefaults: defaults }),
  };
  return { kind: 'class', cls };
}

function valid(name: string): boolean {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) && !name.startsWith('_');
}

/** `'x y'`, `'x, y'`, `['x', 'y']`: the field names, when every one is a known string. */
function fieldNames(spec: Value | undefined): string[] | undefined {
  if (spec?.kind === 'str') return spec.value.replace(/,/g, ' ').split(/\s+/).filter((n) => n.length > 0);
  if ((spec?.kind !== 'list' && spec?.kind !== 'tuple') || spec.element) return undefined;
  const names: string[] = [];
  for (const item of spec.items) {
    if (item.kind !== 'str') return undefined;
    names.push(item.value);
  }
  return names;
}

/** `[('x', int), ('y', float)]`: the first item of each pair. */
function pairNames(spec: Extract<Value, { kind: 'list' | 'tuple' }>): string[] | undefined {
  if (spec.element) return undefined;
  const names: string[] = [];
  for (const pair of spec.items) {
    if ((pair.kind !== 'tuple' && pair.kind !== 'list') || pair.element || pair.items.length !== 2 || pair.items[0].kind !== 'str') return undefined;
    names.push(pair.items[0].value);
  }
  return names;
}

/**
 * The values of a namedtuple's fields for a call of its class: positional arguments in order, then keywords by name,
 * then the defaults; undefined where Python raises TypeError (too many arguments, a field given twice or not at all,
 * a keyword that names no field).
 */
export function namedTupleValues(fields: readonly string[], defaults: readonly Value[] | undefined, args: Value[], kwargs: Map<string, Value>): Value[] | undefined {
  if (args.length > fields.length) return undefined;
  for (const key of kwargs.keys()) if (!fields.includes(key) || fields.indexOf(key) < args.length) return undefined;
  const values: Value[] = [];
  for (let i = 0; i < fields.length; i++) {
    const value = givenField(fields, defaults, args, kwargs, i);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/** Field i's value for a call of a namedtuple class: its positional argument, its keyword, or its default (defaults fill the last fields). */
export function givenField(fields: readonly string[], defaults: readonly Value[] | undefined, args: Value[], kwargs: Map<string, Value>, i: number): Value | undefined {
  if (i < args.length) return args[i];
  const firstDefault = fields.length - (defaults?.length ?? 0);
  return kwargs.get(fields[i]) ?? (defaults && i >= firstDefault ? defaults[i - firstDefault] : undefined);
}

/** An instance of a class namedtuple made: the tuple of its fields' values. */
export function namedTupleInstance(cls: ClassInfo, args: Value[], kwargs: Map<string, Value>): Value {
  const fields = cls.namedTupleFields!;
  const values = namedTupleValues(fields, cls.namedTupleDefaults, args, kwargs);
  if (values === undefined) return UNKNOWN;
  const tuple = sequence('tuple', values);
  // A tuple too large to list keeps no fields: reading one is then unknown, as any attribute of a plain tuple.
  return tuple.kind === 'tuple' && !tuple.element ? { ...tuple, fields } : tuple;
}

type Tuple = Extract<Value, { kind: 'tuple' | 'list' }>;

/** The namedtuple methods followed (see namedTupleMethod). */
const METHODS = new Set(['_replace', '_asdict']);

/**
 * `p.x` of a namedtuple: that field's item; `p._fields`, the names; `p._replace`, a method of the tuple (see
 * namedTupleMethod). Undefined for any other attribute.
 */
export function namedTupleAttribute(tuple: Tuple, name: string): Value | undefined {
  const fields = tuple.fields;
  if (!fields) return undefined;
  if (METHODS.has(name)) return { kind: 'method', receiver: tuple, name };
  if (tuple.element) return undefined;
  const i = fields.indexOf(name);
  if (i >= 0) return tuple.items[i];
  if (name === '_fields') return sequence('tuple', fields.map(strValue));
  return undefined;
}

/** The namedtuple methods followed: `_replace(**changes)` (a new tuple of the same class) and `_asdict()`. */
export function namedTupleMethod(tuple: Tuple, name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const fields = tuple.fields;
  if (!fields || tuple.element) return undefined;
  if (name === '_replace') {
    // Python raises ValueError for a keyword that names no field.
    if (args.length > 0 || [...kwargs.keys()].some((k) => !fields.includes(k))) return UNKNOWN;
    return { kind: 'tuple', items: tuple.items.map((v, i) => kwargs.get(fields[i]) ?? v), fields };
  }
  if (name === '_asdict' && args.length === 0 && kwargs.size === 0) return { kind: 'dict', entries: new Map(fields.map((f, i) => [f, tuple.items[i]])) };
  return undefined;
}
