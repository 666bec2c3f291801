// Runs of a function that had no effect outside their own frame, kept so that a later call of the function with the
// same arguments, while everything the run read from outside still holds what it held, takes that run's result rather
// than running again: such a call is not refused by the per-function run budget (x-transformers' `exists(val)`, called
// hundreds of times per forward with the same few values).
//
// What a run read from outside is recorded while it runs: each name it (or a function it called) looked up in a scope
// made before the run (a module's globals), each attribute of an instance, and the contents of each list, tuple or dict
// it reached through them. A run has an effect, and is not kept, when it (or a function it called) sets an attribute
// of any instance, stores into an attribute or a subscript, writes a global or nonlocal name, mutates a container read
// from outside, defines a class, imports, builds a layer or an instance, reports a finding, calls a closure defined
// before it, or was not followed to its end (a call it made was refused, code too deeply nested). Arguments that are
// mutable (a list, a dict, library objects with a state) make a call that is neither kept nor looked up; a result that
// is mutable (a list, a dict, an instance, a layer) is not kept either, since the callers would share it.
import type * as A from '../parse/ast';
import type { ClassInfo, InstanceValue, Value } from '../values/value';
import { Scope, scopeReads } from './scope';
import { dataCountsSoFar } from '../shapes/dim';

/** Runs kept per function, and in all. */
export const MAX_RUNS_KEPT_PER_FUNCTION = 16;
export const MAX_RUNS_KEPT = 4096;
/** Reads from outside one run may record; a run past this is not kept. */
const MAX_READS = 512;
/** Values walked to compare two argument lists, or to snapshot a container read from outside. */
const MAX_WEIGHT = 256;

type Container = Extract<Value, { kind: 'list' | 'tuple' | 'dict' }>;

/** What a container held when a run read it: each own property, arrays and maps copied one level. */
type ContainerState = { container: Container; props: [string, unknown][] };

interface Reads {
  names: { scope: Scope; name: string; value: Value | undefined }[];
  attrs: { object: InstanceValue; name: string; value: Value | undefined; maybe: boolean }[];
  containers: ContainerState[];
}

/** The context a run's result depends on besides its arguments. */
export interface RunContext {
  inForward: boolean;
  inKerasCall: boolean;
  muted: boolean;
  uncertain: boolean;
  asScript: boolean;
}

/**
 * How a function is called: `exactArgs`, every argument is visible (so `*args` and `**kwargs` hold what the call
 * passed beyond the named parameters); `closure`, the scope a nested def reads names from; `hidden`, the call hides
 * some of its arguments (`f(**d)` of a dict not known), so a parameter it does not show is unknown, not its default.
 */
export interface CallOptions {
  exactArgs?: boolean;
  closure?: Scope;
  hidden?: boolean;
}

export interface RunKey {
  def: A.FunctionDef;
  args: Value[];
  kwargs: Map<string, Value>;
  self: InstanceValue | undefined;
  cls: ClassInfo | undefined;
  symbolic: boolean | 'tensors';
  exactArgs: boolean;
  context: RunContext;
}

interface Entry extends RunKey {
  result: Value;
  reads: Reads;
  layerEpoch: number;
}

class Recording {
  readonly reads: Reads = { names: [], attrs: [], containers: [] };
  readonly seen = new Set<object>();
  effect = false;
  /** The data counts minted before the run began: a run that minted one gives each call a count of its own. */
  readonly dataCounts = dataCountsSoFar();
  constructor(readonly firstScope: number) {}

  get full(): boolean {
    return this.reads.names.length + this.reads.attrs.length + this.reads.containers.length >= MAX_READS;
  }
}

/** An instance's attributes: a map that tells the memo each write (an effect on whatever run is recording). */
export class InstanceAttrs extends Map<string, Value> {
  override set(key: string, value: Value): this {
    attrWrites.note?.();
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    attrWrites.note?.();
    return super.delete(key);
  }

  override clear(): void {
    attrWrites.note?.();
    super.clear();
  }
}

const attrWrites: { note?: () => void } = {};

export class RunMemo {
  private readonly entries = new Map<A.FunctionDef, Entry[]>();
  private kept = 0;
  private readonly recordings: Recording[] = [];
  /** Bumped by every change to a layer built earlier (weight tying, add_module): runs kept before it are not used. */
  private layerEpoch = 0;
  /** Runs taken from the memo (for measuring). */
  hits = 0;

  /** `maybeOf`: whether an attribute of an instance was set only on a path that may not have run (see hasAttribute). */
  constructor(private readonly maybeOf: (object: InstanceValue, name: string) => boolean) {}

  /** The key of a call, or undefined when the call may not be looked up nor kept (mutable arguments, a closure). */
  keyOf(def: A.FunctionDef, args: Value[], kwargs: Map<string, Value>, self: InstanceValue | undefined, cls: ClassInfo | undefined, symbolic: boolean | 'tensors', call: CallOptions, context: RunContext): RunKey | undefined {
    if (call.closure || call.hidden || def.generator || context.inKerasCall || cls?.isKerasModel) return undefined;
    const budget = { left: MAX_WEIGHT };
    for (const a of args) if (!comparable(a, budget)) return undefined;
    for (const v of kwargs.values()) if (!comparable(v, budget)) return undefined;
    return { def, args, kwargs, self, cls, symbolic, exactArgs: call.exactArgs === true, context };
  }

  /** A kept run's result for this key, whose reads from outside all still hold; undefined when there is none. */
  find(key: RunKey): Value | undefined {
    const list = this.entries.get(key.def);
    if (!list) return undefined;
    for (const entry of list) {
      if (!sameKey(entry, key) || entry.layerEpoch !== this.layerEpoch || !this.stillHolds(entry.reads)) continue;
      // The caller's own run, if one is recording, read what this run read.
      for (const recording of this.recordings) mergeReads(recording, entry.reads);
      this.hits++;
      return entry.result;
    }
    return undefined;
  }

  /** Starts recording a run; `end` or `abort` closes it. */
  begin(): Recording {
    const recording = new Recording(Scope.nextSerial());
    if (this.recordings.length === 0) {
      scopeReads.note = (scope, name, value) => this.readName(scope, name, value);
      attrWrites.note = () => this.effect();
    }
    this.recordings.push(recording);
    return recording;
  }

  /** Closes a run that finished: keeps its result when it had no effect and the result is not mutable. */
  end(recording: Recording, key: RunKey, result: Value, reportsDuring: boolean): void {
    this.pop(recording);
    const outer = this.recordings[this.recordings.length - 1];
    if (outer) {
      if (recording.effect) outer.effect = true;
      else mergeReads(outer, recording.reads);
    }
    if (recording.effect || reportsDuring || recording.full || recording.dataCounts !== dataCountsSoFar() || !immutable(result, { left: MAX_WEIGHT })) return;
    let list = this.entries.get(key.def);
    if (!list) {
      if (this.kept >= MAX_RUNS_KEPT) return;
      this.entries.set(key.def, (list = []));
    }
    // Past the bound, the run kept longest ago makes room: calls with the same arguments tend to come close together.
    if (list.length >= MAX_RUNS_KEPT_PER_FUNCTION) list.shift();
    else if (this.kept >= MAX_RUNS_KEPT) return;
    else this.kept++;
    list.push({ ...key, result, reads: recording.reads, layerEpoch: this.layerEpoch });
  }

  /** Closes a run that did not finish (the step budget ran out): nothing is kept, and the runs around it are spoilt. */
  abort(recording: Recording): void {
    this.pop(recording);
    this.effect();
  }

  /** Whether a run is recording now. */
  get recording(): boolean {
    return this.recordings.length > 0;
  }

  /** Something every run recording now did that makes it not kept (see the head of this file). */
  effect(): void {
    for (const recording of this.recordings) recording.effect = true;
  }

  /** A layer built before was changed: no run kept so far is used again. */
  layerChanged(): void {
    this.layerEpoch++;
    this.effect();
  }

  /** An attribute of an instance read by the runs recording now (instances are all made before them). */
  readAttr(object: InstanceValue, name: string, value: Value | undefined): void {
    for (const recording of this.recordings) {
      if (recording.full) recording.effect = true;
      else recording.reads.attrs.push({ object, name, value, maybe: this.maybeOf(object, name) });
      if (value) snapshot(recording, value, { left: MAX_WEIGHT });
    }
  }

  /** A list or dict changed in place: an effect on the runs that read it from outside. */
  mutated(container: Value): void {
    for (const recording of this.recordings) if (recording.seen.has(container)) recording.effect = true;
  }

  /** A closure called: one defined before a recording run reads names it cannot follow as its own. */
  closureCalled(closure: Scope): void {
    for (const recording of this.recordings) if (closure.serial < recording.firstScope) recording.effect = true;
  }

  private readName(scope: Scope, name: string, value: Value | undefined): void {
    for (const recording of this.recordings) {
      if (scope.serial >= recording.firstScope) continue;
      if (recording.full) recording.effect = true;
      else recording.reads.names.push({ scope, name, value });
      if (value) snapshot(recording, value, { left: MAX_WEIGHT });
    }
  }

  private stillHolds(reads: Reads): boolean {
    for (const r of reads.names) if (r.scope.vars.get(r.name) !== r.value) return false;
    for (const r of reads.attrs) if (r.object.attrs.get(r.name) !== r.value || this.maybeOf(r.object, r.name) !== r.maybe) return false;
    for (const state of reads.containers) if (!sameState(state)) return false;
    return true;
  }

  private pop(recording: Recording): void {
    const at = this.recordings.lastIndexOf(recording);
    if (at >= 0) this.recordings.length = at;
    if (this.recordings.length === 0) {
      scopeReads.note = undefined;
      attrWrites.note = undefined;
    }
  }
}

function mergeReads(into: Recording, reads: Reads): void {
  if (into.full) {
    into.effect = true;
    return;
  }
  into.reads.names.push(...reads.names.filter((r) => r.scope.serial < into.firstScope));
  into.reads.attrs.push(...reads.attrs);
  for (const state of reads.containers) {
    if (into.seen.has(state.container)) continue;
    into.seen.add(state.container);
    into.reads.containers.push(state);
  }
}

/** Notes what each list, tuple or dict in a value read from outside holds now, nested ones included. */
function snapshot(recording: Recording, value: Value, budget: { left: number }): void {
  if (--budget.left < 0) {
    recording.effect = true;
    return;
  }
  switch (value.kind) {
    case 'list':
    case 'tuple':
    case 'dict': {
      if (recording.seen.has(value)) return;
      recording.seen.add(value);
      recording.reads.containers.push({ container: value, props: stateOf(value) });
      if (value.kind === 'dict') {
        for (const v of value.entries.values()) snapshot(recording, v, budget);
        if (value.values) snapshot(recording, value.values, budget);
      } else {
        for (const v of value.items) snapshot(recording, v, budget);
        if (value.element) snapshot(recording, value.element, budget);
      }
      return;
    }
    case 'either':
      for (const option of value.options) snapshot(recording, option, budget);
      return;
    default:
      return;
  }
}

function stateOf(container: Container): [string, unknown][] {
  return Object.entries(container).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v instanceof Map ? [...v] : v]);
}

function sameState(state: ContainerState): boolean {
  const now = Object.entries(state.container);
  if (now.length !== state.props.length) return false;
  for (let i = 0; i < now.length; i++) {
    const [key, value] = now[i];
    const [oldKey, old] = state.props[i];
    if (key !== oldKey) return false;
    if (Array.isArray(value) || value instanceof Map) {
      const items = Array.isArray(value) ? value : [...value];
      const before = old as unknown[];
      if (!Array.isArray(before) || items.length !== before.length) return false;
      for (let j = 0; j < items.length; j++) {
        const a = items[j];
        const b = before[j];
        if (Array.isArray(a) && Array.isArray(b) ? a[0] !== b[0] || a[1] !== b[1] : a !== b) return false;
      }
    } else if (value !== old) return false;
  }
  return true;
}


function sameKey(entry: RunKey, key: RunKey): boolean {
  if (entry.self !== key.self || entry.cls !== key.cls || entry.symbolic !== key.symbolic || entry.exactArgs !== key.exactArgs) return false;
  const a = entry.context;
  const b = key.context;
  if (a.inForward !== b.inForward || a.inKerasCall !== b.inKerasCall || a.muted !== b.muted || a.uncertain !== b.uncertain || a.asScript !== b.asScript) return false;
  if (entry.args.length !== key.args.length || entry.kwargs.size !== key.kwargs.size) return false;
  const budget = { left: MAX_WEIGHT };
  for (let i = 0; i < key.args.length; i++) if (!sameArgument(entry.args[i], key.args[i], budget)) return false;
  for (const [name, value] of key.kwargs) {
    const other = entry.kwargs.get(name);
    if (!other || !sameArgument(other, value, budget)) return false;
  }
  return true;
}

/**
 * Whether a value may be an argument of a kept run: one that cannot change while it is kept (a list or a dict may be
 * appended to, a library object's state may change), an instance, whose attributes the run's reads cover, or a
 * closure, which a kept run never called (see closureCalled).
 */
function comparable(v: Value, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  switch (v.kind) {
    case 'list':
    case 'dict':
    case 'kmodel':
    case 'method':
      return false;
    case 'qualname':
      return !v.torchtext && !v.tokenizer && !v.frame;
    case 'tuple':
      return v.items.every((item) => comparable(item, budget)) && (!v.element || comparable(v.element, budget));
    case 'either':
      return v.options.every((option) => comparable(option, budget));
    default:
      return true;
  }
}

/**
 * Two arguments the same for a kept run: the same object, or numbers, strings, flags and tensors that agree in every
 * field (their origins, roles and markers included: the rules read them, and the run's result carries them), or
 * tuples of such. Other objects only as the same object.
 */
function sameArgument(a: Value, b: Value, budget: { left: number }): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || --budget.left < 0) return false;
  switch (a.kind) {
    case 'int':
    case 'symint':
    case 'float':
    case 'bool':
    case 'str':
    case 'none':
    case 'dtype':
    case 'module':
    case 'tensor':
      return samePlainData(a, b, budget);
    case 'tuple': {
      const other = b as typeof a;
      if (a.items.length !== other.items.length || a.tag !== other.tag || a.fields !== other.fields || a.length !== other.length || !!a.element !== !!other.element) return false;
      if (a.element && !sameArgument(a.element, other.element!, budget)) return false;
      for (let i = 0; i < a.items.length; i++) if (!sameArgument(a.items[i], other.items[i], budget)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Plain data equal field by field: arrays item by item, plain objects key by key, anything else (a map, a layer's
 * arguments) only as the same object. A `range` only as the same object too: its positions tell which file it is in
 * (see workspace/modules), and two files have the same line and column.
 */
function samePlainData(a: unknown, b: unknown, budget: { left: number }): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || --budget.left < 0) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i], budget)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x === y) continue;
    if (k === 'range' || !Object.prototype.hasOwnProperty.call(b, k) || !samePlainData(x, y, budget)) return false;
  }
  return true;
}

/** A result the callers may share: nothing in it can be changed in place. */
function immutable(v: Value, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  switch (v.kind) {
    case 'unknown':
    case 'none':
    case 'int':
    case 'symint':
    case 'float':
    case 'bool':
    case 'str':
    case 'longstr':
    case 'dtype':
    case 'tensor':
    case 'packed':
    case 'size':
    case 'module':
    case 'class':
      return true;
    case 'function':
      return !v.closure;
    case 'tuple':
      return v.items.every((item) => immutable(item, budget)) && (!v.element || immutable(v.element, budget));
    case 'either':
      return v.options.every((option) => immutable(option, budget));
    default:
      return false;
  }
}
