// Variable scopes, and how two control-flow paths join: a name keeps its value only where both paths agree.
import { Dim, DimInfo, UNKNOWN_DIM, sameDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, formatShape, shapeOf, trailing } from '../shapes/shape';
import { MAX_WEIGHT, TensorValue, UNKNOWN, Value, joinedInts } from '../values/value';
import { LayerArg, LayerDesc, moduleLayer } from '../layers/layer';

/** A map that notes each key set on it, until the holder takes the notes (see Scope.written). */
class WriteNotingMap<K, V> extends Map<K, V> {
  notes = new Set<K>();

  override set(key: K, value: V): this {
    // Map's constructor sets nothing here (no entries are given), so the notes exist by the first set.
    this.notes.add(key);
    return super.set(key, value);
  }
}

/**
 * A branch's names that also joins every value set on it into each of `seen` (a try body's, and those of the try
 * bodies around it), so that an `except` handler sees any value the body held at the point it raised.
 */
class ValueNotingMap extends Map<string, Value> {
  constructor(readonly seen: readonly Map<string, Value>[]) {
    super();
  }

  override set(key: string, value: Value): this {
    // Map's constructor sets nothing here (no entries are given), so `seen` exists by the first set.
    for (const held of this.seen) {
      const prior = held.get(key);
      held.set(key, prior === undefined ? value : joinValues(prior, value));
    }
    return super.set(key, value);
  }
}

/** Told every name lookup while a run is recorded (see run-memo): the scope that held it (the outermost, if none). */
export const scopeReads: { note?: (scope: Scope, name: string, value: Value | undefined) => void } = {};

let scopesMade = 0;

export class Scope {
  readonly vars: Map<string, Value>;
  /** Scopes are numbered as they are made: one made before a run started is outside it. */
  readonly serial = ++scopesMade;

  /** The number the next scope made will have. */
  static nextSerial(): number {
    return scopesMade + 1;
  }

  /**
   * `noteWrites`: the scope notes the names set in it, for `written` (the analysed module's top level). `seen`: every
   * value set in it is joined into those maps too (see forkNotingValues). `tryBody`: a try statement's body, whose
   * definitions are those of the block the statement is in.
   */
  constructor(readonly parent?: Scope, private readonly isBranch = false, noteWrites = false, seen?: readonly Map<string, Value>[], readonly tryBody = false) {
    this.vars = noteWrites ? new WriteNotingMap<string, Value>() : seen ? new ValueNotingMap(seen) : new Map<string, Value>();
  }

  /**
   * The names set in this scope (by any writer of `vars`) since the last call, for a scope made with `noteWrites`;
   * undefined for any other scope.
   */
  written(): Set<string> | undefined {
    if (!(this.vars instanceof WriteNotingMap)) return undefined;
    const notes = this.vars.notes;
    this.vars.notes = new Set();
    return notes;
  }

  /** Whether the name is bound in this frame (branches included), not in an enclosing one. */
  has(name: string): boolean {
    return this.vars.has(name) || (this.isBranch && !!this.parent?.has(name));
  }

  lookup(name: string): Value | undefined {
    // A loop rather than a recursion: branches fork scopes, and the chains of them grow long.
    for (let scope: Scope = this; ; scope = scope.parent!) {
      const value = scope.vars.get(name);
      if (value !== undefined || !scope.parent) {
        scopeReads.note?.(scope, name, value);
        return value;
      }
    }
  }

  /** The scope this one branches from: the function's (or module's) own frame. */
  root(): Scope {
    let scope: Scope = this;
    while (scope.isBranch && scope.parent) scope = scope.parent;
    return scope;
  }

  /** The scope along the chain that binds the name (this one, a branch or an enclosing frame), if any. */
  holder(name: string): Scope | undefined {
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) if (scope.vars.has(name)) return scope;
    return undefined;
  }

  set(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  /** A branch: reads fall through to this scope, writes stay in the branch until `join`. */
  fork(): Scope {
    return new Scope(this, true, false, this.vars instanceof ValueNotingMap ? this.vars.seen : undefined);
  }

  /**
   * A branch for a try body: every value set in it, or in a branch forked from it, is joined into `seen` by name
   * (and into what the try bodies around it see), whatever the branch keeps.
   */
  forkNotingValues(seen: Map<string, Value>): Scope {
    const outer = this.vars instanceof ValueNotingMap ? this.vars.seen : [];
    return new Scope(this, true, false, [...outer, seen], true);
  }

  /** The scope a definition made here belongs to: this one, or the block a try body (or nested ones) is in. */
  definingScope(): Scope {
    let scope: Scope = this;
    while (scope.tryBody && scope.parent) scope = scope.parent;
    return scope;
  }

  /** Joins branches forked from this scope that fell through back into it. */
  join(branches: Scope[]): void {
    if (branches.length === 0) return;
    if (branches.length === 1) {
      for (const [k, v] of branches[0].vars) this.vars.set(k, v);
      return;
    }
    const names = new Set<string>();
    for (const b of branches) for (const k of b.vars.keys()) names.add(k);
    for (const name of names) {
      const values: Value[] = [];
      for (const b of branches) {
        const value = b.vars.has(name) ? b.vars.get(name) : this.vars.get(name);
        if (value !== undefined) values.push(value);
      }
      let joined = values[0];
      for (let i = 1; i < values.length; i++) joined = joinValues(joined, values[i]);
      this.vars.set(name, joined);
    }
  }
}

/**
 * What two paths agree on: the same value, or, for tensors, what both shapes share (two tensors of the same
 * rank stay that rank, each dimension known only where both paths give it; the value bounds widen to cover
 * both), and item by item for tuples of one length. Anything else is unknown.
 */
export function joinValues(a: Value, b: Value, budget = { left: MAX_WEIGHT }): Value {
  if (a === b) return a;
  // sameValue compares tensors by shape and dtype only: their bounds and roles are joined here.
  if (a.kind === 'tensor' && b.kind === 'tensor') return joinTensors(a, b);
  // Tuples are joined item by item even when sameValue takes them for one (it compares tensors by shape and dtype
  // only): what two tensors of one shape hold (bounds, roles, the kind of their values) is their join, not the first's.
  if (a.kind === 'tuple' && b.kind === 'tuple' && tupleOfTensors(a) && tupleOfTensors(b) && a.items.length === b.items.length) {
    if (--budget.left < 0) return UNKNOWN;
    return joinTuples(a, b, budget);
  }
  if (sameValue(a, b)) return a;
  if (--budget.left < 0) return UNKNOWN;
  if (a.kind === 'layer' && b.kind === 'layer') return joinLayers(a.layer, b.layer) ?? alternativeModules(a.layer, b.layer) ?? UNKNOWN;
  const modules = moduleOf(a) && moduleOf(b) ? alternativeModules(moduleOf(a)!, moduleOf(b)!) : undefined;
  if (modules) return modules;
  const callables = eitherOf(a, b);
  if (callables) return callables;
  // Two floats (other values, or values not known): a float either way, its value not known.
  if (a.kind === 'float' && b.kind === 'float') return { kind: 'float' };
  if ((a.kind === 'tuple' || a.kind === 'list') && b.kind === a.kind && !a.element && !b.element && a.items.length === b.items.length) {
    // Lists are shared by reference and mutated in place: only tuples are rebuilt.
    if (a.kind === 'list') return UNKNOWN;
    return joinTuples(a, b as Extract<Value, { kind: 'list' | 'tuple' }>, budget);
  }
  return UNKNOWN;
}

/** A tuple display whose items are listed, one of them a tensor (or such a tuple): `(out, (h, c))`. */
function tupleOfTensors(v: Extract<Value, { kind: 'list' | 'tuple' }>): boolean {
  if (v.element) return false;
  for (const item of v.items) if (item.kind === 'tensor' || (item.kind === 'tuple' && tupleOfTensors(item))) return true;
  return false;
}

/** Two tuples of one length joined item by item; the first itself when every item joins to its own. */
function joinTuples(a: Extract<Value, { kind: 'list' | 'tuple' }>, b: Extract<Value, { kind: 'list' | 'tuple' }>, budget: { left: number }): Value {
  // Loops rather than arrow functions in joinValues, sameValue and join: one reading a parameter (or `this`) made every
  // call allocate a context, and they run at each join of two paths.
  const items: Value[] = [];
  let same = true;
  for (let i = 0; i < a.items.length; i++) {
    const item = joinValues(a.items[i], b.items[i], budget);
    if (item !== a.items[i]) same = false;
    items.push(item);
  }
  const tag = a.tag && b.tag && a.tag.layer === b.tag.layer && a.tag.kind === b.tag.kind ? a.tag : undefined;
  // Two instances of one namedtuple class are one still: each field is what both paths give it.
  const fields = a.fields !== undefined && a.fields === b.fields ? a.fields : undefined;
  if (same && tag === a.tag && fields === a.fields) return a;
  return { kind: 'tuple', items, ...(tag && { tag }), ...(fields && { fields }) };
}

/** The join of several values, each pair on a budget of its own (as two paths join); undefined for none. */
export function joinAll(values: readonly Value[]): Value | undefined {
  if (values.length === 0) return undefined;
  let joined = values[0];
  for (let i = 1; i < values.length; i++) joined = joinValues(joined, values[i]);
  return joined;
}

/**
 * The value a dict gives for a key the analysis cannot name (`word2idx[w]` of a word not known): one of its entries, or
 * `fallback` (`.get(w, unk)`), since any other key raises KeyError. Ints join to an int between the least and the
 * greatest of them, so ids looked up in a vocabulary keep their bounds; other values join as two paths do. Only for a
 * dict whose every key is listed.
 */
export function anyEntry(dict: Extract<Value, { kind: 'dict' }>, fallback?: Value): Value {
  if (dict.partial || dict.namespace || dict.parser || dict.entries.size === 0 || dict.entries.size > 1024) return UNKNOWN;
  const values = [...dict.entries.values()];
  if (fallback) values.push(fallback);
  const ints = joinedInts(values);
  if (ints) return ints;
  const budget = { left: MAX_WEIGHT };
  let joined = values[0];
  for (let i = 1; i < values.length && joined.kind !== 'unknown'; i++) joined = joinValues(joined, values[i], budget);
  return joined;
}

/**
 * Two layers of one class built on two paths (`self.out = nn.Linear(2 * h, h)` or `nn.Linear(h + e, h)` as a flag
 * says): a layer of that class whose arguments are those both paths agree on, a size they give differently an int
 * of unknown value. Layers whose other arguments differ (a flag, a string), containers and user modules do not join.
 */
function joinLayers(a: LayerDesc, b: LayerDesc): Value | undefined {
  if (a.kind !== b.kind || a.qualname !== b.qualname || a.framework !== b.framework || a.broken || b.broken) return undefined;
  if (a.children.length || b.children.length || a.module || b.module || a.alternatives || b.alternatives || a.args.size !== b.args.size) return undefined;
  const args = new Map<string, LayerArg>();
  for (const [name, arg] of a.args) {
    const other = b.args.get(name);
    if (!other) return undefined;
    if (sameValue(arg.value, other.value)) args.set(name, arg.expr === other.expr ? arg : { value: arg.value });
    else if (isInt(arg.value) && isInt(other.value)) args.set(name, { value: { kind: 'symint', dim: UNKNOWN_DIM } });
    else return undefined;
  }
  return { kind: 'layer', layer: { ...a, args } };
}

/** The most alternatives one layer value stands for; a join past it is unknown. */
const MAX_ALTERNATIVES = 4;

/** A torch module as a layer: a layer, or a user module's instance (whose forward runs when it is applied). */
function moduleOf(v: Value): LayerDesc | undefined {
  if (v.kind === 'layer') return v.layer.framework === 'torch' ? v.layer : undefined;
  return v.kind === 'instance' && v.cls.isTorchModule && !v.cls.isKerasModel ? moduleLayer(v) : undefined;
}

/**
 * Torch modules that do not join into one (`nn.LSTM(...)` on one path, `nn.GRU(...)` on another, one layer with
 * another flag, a container or a user module on one path and a layer on the other, the items of a ModuleList read at
 * an index not known): a layer that is one of them. Applying it applies each and keeps what their outputs agree on.
 */
function alternativeModules(a: LayerDesc, b: LayerDesc): Value | undefined {
  const options: LayerDesc[] = [];
  for (const layer of [a, b]) {
    for (const option of layer.alternatives ?? [layer]) {
      if (option.framework !== 'torch' || option.broken) return undefined;
      // One user module may be wrapped more than once (each join wraps it anew): it is one alternative.
      if (!options.some((o) => o === option || (o.module !== undefined && o.module === option.module))) options.push(option);
    }
  }
  if (options.length > MAX_ALTERNATIVES) return undefined;
  const label = options.map((o) => o.label).join(' or ');
  return { kind: 'layer', layer: { framework: 'torch', kind: 'alternatives', qualname: 'alternatives', call: a.call, args: new Map(), children: [], label, alternatives: options } };
}

/** A value a path may pick to call (`cell = nn.LSTM if lstm else nn.GRU`): a torch class or function, a user module class. */
function isChoosable(v: Value): boolean {
  return (v.kind === 'module' && v.path.startsWith('torch.')) || (v.kind === 'class' && v.cls.isTorchModule && !v.cls.isKerasModel);
}

/**
 * Torch classes or functions picked on different paths: one of them, each called when it is. None set on a path
 * (`self.proj = nn.Linear(h, n) if c else None`) is an option too, beside such a callable or a torch module (a layer, a
 * user module's instance): a call of it calls the others, since calling None raises, while `is None` stays undecided.
 */
function eitherOf(a: Value, b: Value): Value | undefined {
  const options: Value[] = [];
  const orNone = a.kind === 'none' || b.kind === 'none' || (a.kind === 'either' && a.options.some(isNone)) || (b.kind === 'either' && b.options.some(isNone));
  for (const value of [a, b]) {
    for (const option of value.kind === 'either' ? value.options : [value]) {
      if (!isChoosable(option) && !(orNone && (option.kind === 'none' || moduleOf(option)))) return undefined;
      if (!options.some((o) => sameValue(o, option))) options.push(option);
    }
  }
  return options.length <= MAX_ALTERNATIVES ? { kind: 'either', options } : undefined;
}

function isNone(v: Value): boolean {
  return v.kind === 'none';
}

/**
 * What the outputs of a layer's alternatives agree on: their join, where an axis keeps its role (batch, time) only
 * when every output gives it that role (a batch-first LSTM and a seq-first one give equal sizes with other roles).
 */
export function joinAlternatives(outputs: Value[]): Value {
  if (outputs.length === 0) return UNKNOWN;
  const joined = outputs.reduce((a, b) => joinValues(a, b));
  return agreedRoles(joined, outputs);
}

function agreedRoles(joined: Value, outputs: Value[]): Value {
  if (joined.kind === 'tensor' && joined.shape.rankKnown) {
    const rank = joined.shape.dims.length;
    const agree = (d: Dim, i: number) => outputs.every((o) => o.kind === 'tensor' && o.shape.rankKnown && o.shape.dims.length === rank && o.shape.dims[i].role === d.role);
    if (joined.shape.dims.every(agree)) return joined;
    return { ...joined, shape: shapeOf(joined.shape.dims.map((d, i) => (agree(d, i) ? d : { ...d, role: undefined }))) };
  }
  if (joined.kind === 'tuple' && !joined.element && outputs.every((o) => o.kind === 'tuple' && !o.element && o.items.length === joined.items.length)) {
    const items = joined.items.map((item, i) => agreedRoles(item, outputs.map((o) => (o as typeof joined).items[i])));
    return items.every((item, i) => item === joined.items[i]) ? joined : { ...joined, items };
  }
  return joined;
}

function isInt(v: Value): boolean {
  return v.kind === 'int' || v.kind === 'symint';
}

function joinTensors(a: TensorValue, b: TensorValue): TensorValue {
  const joined: TensorValue = { kind: 'tensor', shape: joinShapes(a.shape, b.shape), dtype: a.dtype === b.dtype ? a.dtype : 'unknown' };
  if (a.origin && (a.origin === b.origin || sameDimsAndOrigin(a, b))) joined.origin = a.origin;
  if (a.literal && b.literal && a.literal.length === b.literal.length && a.literal.every((v, i) => v === b.literal![i])) joined.literal = a.literal;
  if (a.minValue !== undefined && b.minValue !== undefined) joined.minValue = Math.min(a.minValue, b.minValue);
  if (a.maxValue !== undefined && b.maxValue !== undefined) joined.maxValue = Math.max(a.maxValue, b.maxValue);
  if ((a.mixedBounds || b.mixedBounds) && (joined.minValue !== undefined || joined.maxValue !== undefined)) joined.mixedBounds = true;
  // Either path's values: a bound only one path reaches may not be reached.
  if (joined.minValue !== undefined && (a.minBoundOnly || b.minBoundOnly || a.minValue !== b.minValue)) joined.minBoundOnly = true;
  if (joined.maxValue !== undefined && (a.maxBoundOnly || b.maxBoundOnly || a.maxValue !== b.maxValue)) joined.maxBoundOnly = true;
  if (a.rnnOutput && b.rnnOutput) joined.rnnOutput = true;
  if (a.bidirectionalOf && a.bidirectionalOf === b.bidirectionalOf) joined.bidirectionalOf = a.bidirectionalOf;
  if (a.paddedSteps && a.paddedSteps === b.paddedSteps) joined.paddedSteps = a.paddedSteps;
  if (a.seqFrom && a.seqFrom === b.seqFrom) joined.seqFrom = a.seqFrom;
  if (a.normalisedOver && b.normalisedOver && a.normalisedOver.axis === b.normalisedOver.axis && a.normalisedOver.rank === b.normalisedOver.rank && a.normalisedOver.call === b.normalisedOver.call) joined.normalisedOver = a.normalisedOver;
  if (a.regrouped && a.regrouped === b.regrouped) joined.regrouped = a.regrouped;
  if (a.valueKind && a.valueKind.kind === b.valueKind?.kind) joined.valueKind = a.valueKind;
  if (a.name && a.name === b.name) joined.name = a.name;
  if (a.sortedDescending !== undefined && a.sortedDescending === b.sortedDescending) joined.sortedDescending = a.sortedDescending;
  return joined;
}

function sameDimsAndOrigin(a: TensorValue, b: TensorValue): boolean {
  return !!b.origin && a.origin!.text === b.origin.text && a.origin!.range.start.line === b.origin.range.start.line && a.origin!.range.start.column === b.origin.range.start.column;
}

function joinShapes(a: Shape, b: Shape): Shape {
  if (a.rankKnown && b.rankKnown) return a.dims.length === b.dims.length ? shapeOf(a.dims.map((d, i) => joinDims(d, b.dims[i]))) : UNKNOWN_SHAPE;
  // At least one rank unknown: only the trailing dimensions both know.
  const n = Math.min(a.dims.length, b.dims.length);
  const dims: Dim[] = [];
  for (let i = 1; i <= n; i++) dims.unshift(joinDims(a.dims[a.dims.length - i], b.dims[b.dims.length - i]));
  return dims.length ? trailing(dims) : UNKNOWN_SHAPE;
}

function joinDims(a: Dim, b: Dim): Dim {
  if (sameDim(a, b)) {
    if (a.kind !== 'sym' || b.kind !== 'sym') return a;
    // One symbol on both paths: at least what both are at least, and a last batch only when both end on the same one
    // (two loaders' batches are both `batch`).
    let joined: Dim = a;
    if (a.atLeast !== b.atLeast) {
      const { atLeast: _least, ...rest } = joined;
      joined = a.atLeast !== undefined && b.atLeast !== undefined ? { ...rest, atLeast: Math.min(a.atLeast, b.atLeast) } : rest;
    }
    if (!sameLastBatch(a.lastBatch, b.lastBatch)) {
      const { lastBatch: _last, ...rest } = joined as Extract<Dim, { kind: 'sym' }>;
      joined = rest;
    }
    return joined;
  }
  const role = a.role === b.role ? a.role : undefined;
  return role ? { kind: 'unknown', role } : UNKNOWN_DIM;
}

/** Symbols printed alike that also agree on what is known of their sizes (a least size, a loader's last batch). */
function sameSizeBounds(a: readonly Dim[], b: readonly Dim[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind === 'sym' && y?.kind === 'sym' && (x.atLeast !== y.atLeast || !sameLastBatch(x.lastBatch, y.lastBatch))) return false;
  }
  return true;
}

function sameLastBatch(a: DimInfo['lastBatch'], b: DimInfo['lastBatch']): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && a.size === b.size && a.last === b.last && a.samples === b.samples && (a.per ?? 1) === (b.per ?? 1);
}

/** Whether two values are the same as far as the analysis knows; a walk past MAX_WEIGHT values answers no. */
export function sameValue(a: Value, b: Value, budget = { left: MAX_WEIGHT }): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || --budget.left < 0) return false;
  switch (a.kind) {
    case 'int':
    case 'str':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'float':
      // Two floats of unknown value are not known to be the same.
      return a.value !== undefined && a.value === (b as typeof a).value;
    case 'none':
      return true;
    case 'tensor':
      return b.kind === 'tensor' && formatShape(a.shape) === formatShape(b.shape) && a.dtype === b.dtype && sameSizeBounds(a.shape.dims, b.shape.dims);
    case 'tuple':
    case 'list': {
      const other = b as typeof a;
      if (!!a.element !== !!other.element || (a.element && other.element && !sameValue(a.element, other.element, budget))) return false;
      if (a.length !== other.length || a.items.length !== other.items.length || a.fields !== other.fields) return false;
      for (let i = 0; i < a.items.length; i++) if (!sameValue(a.items[i], other.items[i], budget)) return false;
      return true;
    }
    case 'layer':
      return b.kind === 'layer' && a.layer === b.layer;
    case 'module':
      return b.kind === 'module' && a.path === b.path;
    case 'dtype':
      return b.kind === 'dtype' && a.dtype === b.dtype;
    case 'class':
      return b.kind === 'class' && a.cls === b.cls;
    case 'function':
      return b.kind === 'function' && a.def === b.def && a.owner === b.owner && a.closure === b.closure;
    case 'instance':
      return a === b;
    case 'dict': {
      // Two dicts of the same keys, each holding the same value (a generator's `yield {"x": …, "y": …}` on every
      // pass): iterating either gives the same batches.
      const other = b as typeof a;
      if (!!a.namespace !== !!other.namespace || !!a.parser !== !!other.parser || !!a.moduleDict !== !!other.moduleDict || !!a.partial !== !!other.partial) return false;
      if (a.values || other.values) return false;
      if (a.entries.size !== other.entries.size) return false;
      for (const [k, v] of a.entries) {
        const w = other.entries.get(k);
        if (w === undefined || !sameValue(v, w, budget)) return false;
      }
      return true;
    }
    case 'either': {
      // One choice among the same callables, in whatever order the paths joined them.
      const other = b as typeof a;
      if (a.options.length !== other.options.length) return false;
      for (const option of a.options) if (!other.options.some((o) => sameValue(option, o, budget))) return false;
      return true;
    }
    default:
      return false;
  }
}
