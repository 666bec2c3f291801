// Abstract values the interpreter tracks. Anything it cannot follow is `unknown`,
// and unknown never leads to a finding: it only stops inference.
import type { Range } from '../findings';
import type { Call, ClassDef, FunctionDef } from '../parse/ast';
import type { Dim, DimRole, Origin } from '../shapes/dim';
import { UNKNOWN_DIM } from '../shapes/dim';
import type { Shape } from '../shapes/shape';
import type { LayerDesc } from '../layers/layer';
import type { Regrouping } from '../ops/regrouping';
import type { Scope } from '../interpret/scope';
import type { TorchtextObject } from '../ops/torchtext';
import type { TokenizerState } from '../ops/keras-text';

export type DType = 'float' | 'long' | 'bool' | 'unknown';

/** What a tensor's values are, as a loss reads them (ops/value-kind.ts). */
export type ValueKind = 'scores' | 'probabilities' | 'log-probabilities';

export interface TensorValue {
  kind: 'tensor';
  shape: Shape;
  dtype: DType;
  /** The expression that made it, for "where it came from". */
  origin?: Origin;
  /** Known bounds of the values, for index checks (Embedding). */
  minValue?: number;
  maxValue?: number;
  /**
   * The bounds cover parts that had different bounds (cat/stack of ids of several ranges): the whole reaches them, but
   * a part taken out by indexing, slicing or iteration may not, so those do not keep them.
   */
  mixedBounds?: boolean;
  /**
   * minValue (maxValue) is only what the values may reach, not a value known to be there: ids drawn at random or picked
   * by score (randint, multinomial, argmax, topk), a part taken out of a tensor, a value on one of several paths.
   */
  minBoundOnly?: boolean;
  maxBoundOnly?: boolean;
  /** For 1-D literal integer tensors (lengths): whether they are sorted in decreasing order. */
  sortedDescending?: boolean;
  /** Literal contents of small 1-D tensors, e.g. lengths. */
  literal?: number[];
  /** Set on the output sequence of a recurrent layer, whose axes have known roles. */
  rnnOutput?: boolean;
  /**
   * The recurrent layer whose output sequence this is, when its axes' roles come from the layer's batch_first alone (the
   * data's layout was not known): reading it along the wrong axis may then be the flag's mistake, not the index's.
   */
  layoutFromFlag?: LayerDesc;
  /**
   * The bidirectional torch recurrent layer whose (batch, seq, 2 × hidden) or (seq, batch, 2 × hidden) output this still
   * is, step for step: kept through copies, moves, dropout and element-wise functions of it alone, dropped by anything
   * that reorders or mixes the steps or adds other values (flip, roll, cumsum, softmax, arithmetic). SL152 reads it.
   */
  bidirectionalOf?: LayerDesc;
  /**
   * The padded output pad_packed_sequence made of a batch whose lengths are not all the padded length, still step for
   * step: kept through copies, moves, dropout, element-wise functions of it alone and Linear, dropped by anything that
   * reorders or mixes the steps. `call` is the pad_packed_sequence call, `lengths` the lengths packed when the analysis
   * knows them. SL156 reads it: the last padded step is padding for every shorter sequence.
   */
  paddedSteps?: PaddedSteps;
  /**
   * The output of a softmax (not log_softmax) over this axis, still as it came out: kept through copies, moves and
   * dropout, and through transpose, permute, unsqueeze and squeeze with the axis where they put it (`moved`), dropped
   * by anything else (an element-wise function, a mask, a view). `call` is the softmax's range. SL153 reads it where
   * the weights are summed by a product.
   */
  normalisedOver?: { axis: number; rank: number; call: Range; moved?: boolean };
  /**
   * What the values are, as a loss reads them: a Linear layer's raw scores, a softmax's or sigmoid's probabilities, a
   * log_softmax's log-probabilities (`by` names the producer, `call` is where it ran). Set by those producers only, kept
   * by views, copies, moves and dropout, dropped by anything else (ops/value-kind.ts). SL172 reads it.
   */
  valueKind?: { kind: ValueKind; by: string; call: Range };
  /**
   * A torch recurrent output whose steps and features a view laid out again on two axes: `rows` is the
   * (batch × steps, features) of `out.view(-1, features)`, `columns` the (batch, steps × features) a second view
   * makes of those rows, where a single column is one feature of one step. Kept through copies and element-wise
   * functions of the tensor alone (dropout, a sigmoid), dropped by anything else. SL154 reads it.
   */
  stepFeatures?: { layout: 'rows' | 'columns'; features: number; steps?: number };
  /**
   * The cell state an LSTM or LSTMCell returned (nn.LSTM's c_n, LSTMCell's c'), as it came out: set on that item of the
   * layer's result and carried only by the value itself (a name bound to it, an item unpacked), dropped by any
   * operation. SL165 reads it where it reaches a recurrent layer as its input.
   */
  cellStateOf?: LayerDesc;
  /** Keras: the recurrent layer whose per-step output (return_sequences=True) this tensor still is. */
  seqFrom?: LayerDesc;
  /** A tensor of unknown shape that arrived as this parameter: `x.size(0)` is then the symbol `x.size(0)`. */
  name?: string;
  /**
   * An item indexed out of such a parameter (`hidden[i]` where `hidden` is a forward's parameter run on symbolic
   * inputs): the caller may pass a list or tuple there, so the item is only assumed to be a tensor. Holds the name.
   */
  assumedFrom?: string;
  /**
   * Keras pad_sequences of Python lists whose steps are not known to be numbers: the shape holds the leading axes
   * (sequences, maxlen), and steps that are arrays (word vectors) would add their axes after them, so the rank is a
   * lower bound. SL211 does not call such data short of axes.
   */
  trailingAxesOpen?: boolean;
  /** Strides in elements, only when every size is known and the layout is certain (ops/layout.ts): `.view()` checks them. */
  strides?: number[];
  /** A view regrouped its elements across axes (ops/regrouping.ts): carried while they stay so, for SL120. */
  regrouped?: Regrouping;
  /**
   * torch.cat joined `count` tensors of one size along `axis`: in memory order the result is their stack, `dims` (the
   * joined axis split into (count, size)). Valid while the tensor's shape is still `shape` (the same object): an op
   * that makes a new shape has moved or changed the elements. A view reads it (ops/regrouping.ts, SL120).
   */
  catParts?: { dims: Dim[]; shape: Shape; axis: number; count: number; call: Range };
  /**
   * A NumPy array (made by numpy, pandas or scikit-learn): its methods are NumPy's (`a.dot(b)` multiplies matrices),
   * and one of unknown dtype may hold Python objects, whose items index as those objects do.
   */
  numpy?: boolean;
  /** Keras functional API: the layer call that made this tensor (item `index` of a list output), for replaying the graph on data. */
  kerasNode?: { layer: LayerDesc; args: Value[]; kwargs: Map<string, Value>; index?: number };
}

/**
 * The markers of a tensor whose every step still holds what that step held (bidirectionalOf for SL152, paddedSteps for
 * SL156): copied by a copy, a move or an element-wise function of the tensor alone, dropped by what mixes the steps.
 */
export function keepStepMarkers(to: TensorValue, from: TensorValue): void {
  if (from.bidirectionalOf) to.bidirectionalOf = from.bidirectionalOf;
  if (from.paddedSteps) to.paddedSteps = from.paddedSteps;
}

export function dropStepMarkers(t: TensorValue): void {
  delete t.bidirectionalOf;
  delete t.paddedSteps;
}

/** See TensorValue.paddedSteps. */
export interface PaddedSteps {
  call: Range;
  /** The padded time axis: 1 with batch_first=True, 0 without. */
  timeAxis: number;
  lengths?: number[];
}

export interface PackedValue {
  kind: 'packed';
  /** The padded tensor it was packed from, with its layout. */
  padded: TensorValue;
  batchFirst: boolean;
  origin?: Origin;
  /**
   * pack_padded_sequence's input steps (its time axis) when the lengths set padded's time axis to their longest: a
   * longer length than there are steps packs what is not there, and the recurrent layer reading it raises.
   */
  steps?: Dim;
  /** The lengths given to pack_padded_sequence, when the analysis knows every one of them. */
  lengths?: number[];
  /** The lengths are known to be all the same (`[n] * 4` of an n not known): nothing is padded. */
  equalLengths?: boolean;
}

export interface InstanceValue {
  kind: 'instance';
  cls: ClassInfo;
  attrs: Map<string, Value>;
  /** Where it was constructed. */
  site?: Range;
  /** The values `__init__`'s parameters were bound to (set once, by the first `__init__` run). */
  initArgs?: Map<string, Value>;
  /** For an instance of a class extending a torch layer (`class LayerNorm(nn.LayerNorm)`): that layer, as built. */
  torchLayer?: import('../layers/layer').LayerDesc;
}

export interface ClassInfo {
  name: string;
  def: ClassDef;
  bases: ClassInfo[];
  /** True for subclasses of torch's nn.Module (directly or through user classes). */
  isTorchModule: boolean;
  /** True for subclasses of keras.Model / keras.layers.Layer. */
  isKerasModel: boolean;
  /** A PyTorch Lightning LightningModule ('module') or LightningDataModule ('data'), directly or through user classes. */
  lightning?: 'module' | 'data';
  /** The torch layer class it extends, directly or through user classes ('LayerNorm' for `class LN(nn.LayerNorm)`). */
  torchLayer?: string;
  /** The legacy torchtext class it extends, directly or through user classes ('Dataset' for `class MR(data.Dataset)`). */
  torchtextBase?: string;
  methods: Map<string, FunctionDef>;
  /** Class-level assignments (constants). */
  classAttrs: Map<string, Value>;
  /**
   * Set when a base is neither a class of the program nor a library class (an import the analysis could not follow):
   * the class may then extend classes the analysis does not see, so `isinstance` cannot say it does not.
   */
  openBase?: boolean;
  /** A subclass of typing.NamedTuple: its fields (the names annotated in its body), in order. */
  namedTupleFields?: readonly string[];
  /** Values of the last fields, for those given none (namedtuple's `defaults=`), aligned to the right. */
  namedTupleDefaults?: readonly Value[];
  /** A class collections.namedtuple (or typing.NamedTuple's call form) made: its instances are tuples with `fields`. */
  namedTupleFactory?: boolean;
}

export type Value =
  | { kind: 'unknown' }
  | {
      kind: 'int';
      value: number;
      origin?: Origin;
      label?: string;
      /** What the number counts when arithmetic says so (`b * num_windows` is a batch); a name's role comes first. */
      role?: DimRole;
      /**
       * Set when the number is the default of a parameter of a class nobody instantiates in this file:
       * a caller elsewhere may pass another value, so rules that would fire on this exact number hold back.
       */
      assumedDefault?: string;
    }
  /**
   * An int the analysis cannot name. `of`: it is the size of that tensor's axis (`x.size(2)` where the axis is
   * unknown), so an op given it with that very tensor knows they are equal (`F.max_pool1d(x, x.size(2))`).
   * `bounds`: the least and greatest values it can take, when known.
   */
  | {
      kind: 'symint';
      dim: Dim;
      of?: { tensor: TensorValue; axis: number };
      /** Known to lie between these (inclusive): an item of a range of known bounds (a loop index). */
      bounds?: { min: number; max: number };
      /** This int is `base + by` (`last = i + T` of a loop index i): `x[i:last]` is a window of `by` entries. */
      shiftOf?: { base: Value; by: number };
      /**
       * The parameter this stands for, when the int is only assumed: a parameter of a function nothing calls with a
       * known argument, taken for a size (`hidden_size`). A caller may pass a list or an array there (`adj_mat`), so
       * what reads the value as data (`torch.tensor(adj_mat)`) does not take it for one number.
       */
      assumed?: string;
    }
  /**
   * A Python float; `value` unset when the float's value is not known (`math.sqrt(d)` of a d not known).
   * `assumedDefault` as for an int: the default of this parameter of a function nothing calls with a known argument (a
   * caller may pass an int), or arithmetic other than `/` on one.
   */
  | { kind: 'float'; value?: number; assumedDefault?: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  /** A string too long to keep (see MAX_STRING): only its length is known. */
  | { kind: 'longstr'; length: number }
  | { kind: 'none' }
  /**
   * With `element`, a summary: the items are not kept, each is like `element`, and `length`, when set,
   * is the exact count (a sequence past the bounds below keeps its length and forgets its items).
   * `fields`: a namedtuple's field names, one per item (`Point = namedtuple('Point', 'x y')`; `p.x` is `p[0]`). Only
   * a tuple the namedtuple class built carries them: a tuple made from it by any other operation is a plain tuple.
   */
  | { kind: 'tuple' | 'list'; items: Value[]; tag?: SequenceTag; element?: Value; length?: number; fields?: readonly string[] }
  /** `partial`: the dict may hold keys not listed (a comprehension's result, or entries past MAX_ENTRIES). */
  | {
      kind: 'dict';
      entries: Map<string, Value>;
      namespace?: boolean;
      parser?: boolean;
      /** An nn.ModuleDict: its modules are attributes too (`self.transformer.wte`), as nn.Module.__getattr__ finds them. */
      moduleDict?: boolean;
      /** A collections.Counter: item → count, with most_common (interpret/counter.ts). */
      counter?: boolean;
      partial?: boolean;
      /**
       * What every key it does not list maps to, when one value stands for them all: a dict comprehension's value
       * (`{w: i for i, w in enumerate(words)}` maps each word to an int). Dropped by any write the analysis cannot name.
       */
      values?: Value;
    }
  | TensorValue
  | PackedValue
  | { kind: 'layer'; layer: LayerDesc }
  | InstanceValue
  | { kind: 'class'; cls: ClassInfo }
  /** `closure`: the scope a nested def was defined in, whose names its body reads when they are not its own. */
  /** `boundClass`: a @classmethod read from its class or an instance, called with the class as its first argument. */
  | { kind: 'function'; def: FunctionDef; owner?: InstanceValue; closure?: Scope; boundClass?: ClassInfo }
  | { kind: 'module'; path: string }
  /**
   * One of several callables, chosen on paths the analysis could not decide (`cell = nn.LSTM if lstm else nn.GRU`,
   * a layer class or a user module class set in if/else): calling it calls each and keeps what their results agree on.
   */
  | { kind: 'either'; options: Value[] }
  /** A library object known by its class; `torchtext`: what a legacy torchtext object holds (ops/torchtext). */
  /** `tokenizer`: a Keras Tokenizer's state (ops/keras-text). */
  /** `frame`: a pandas DataFrame or Series, or its `.iloc` (ops/pandas). */
  /** `hypermodel`: what a KerasTuner tuner builds its models with (interpret/keras-tuner). */
  | { kind: 'qualname'; name: string; torchtext?: TorchtextObject; tokenizer?: TokenizerState; frame?: import('../ops/pandas').FrameState; hypermodel?: Value; hookHandle?: import('../interpret/module-hooks').HookHandle }
  | { kind: 'method'; receiver: Value; name: string }
  | { kind: 'dtype'; dtype: DType }
  | { kind: 'size'; dims: Dim[]; of: TensorValue }
  | { kind: 'kmodel'; model: KerasModel };

/** A Keras model built with Sequential (layer by layer) or the functional API (Model(inputs, outputs)). */
export interface KerasModel {
  call: Call;
  layers: LayerDesc[];
  /** What flows into the next added layer (Sequential) or out of the model (functional). */
  output: Value;
  /** The input the model declares: its first layer's input_shape (Sequential), or the Input tensors (functional). */
  input?: Value;
  /** Shapes after each layer, for the summary: [layer, output shape]. */
  summary: { layer: LayerDesc; output: Value }[];
  /** `ownLoss`: the loss is a function of the program that is not read as one of Keras' losses. */
  compile?: { call: Call; loss?: string; ownLoss?: boolean; lossRange?: Call['range']; metrics?: string[]; metricsRange?: Call['range'] };
  /** Label values seen in fit/evaluate, with their call. */
  labels: { value: Value; call: Call }[];
  /** A model.add call raised (an argument add() does not take): the program stops there, so what follows is not claimed. */
  stopped?: boolean;
  /**
   * Something that is not a modelled layer was added (an unresolved name, a layer of an unknown library): `layers`
   * is not the whole model, so its layers are not replayed on data (that would skip the unknown one).
   */
  opaque?: boolean;
}

/** A tuple that an API returned, so rules can recognise how it is unpacked. */
export interface SequenceTag {
  /**
   * `rnn-output`: (output, h_n) or (output, (h_n, c_n)); `lstm-state`: (h_n, c_n);
   * `keras-states`: a Keras recurrent layer's [output, *states] (return_state=True).
   */
  kind: 'rnn-output' | 'lstm-state' | 'keras-states';
  layer: LayerDesc;
  call: Call;
}

export const UNKNOWN: Value = { kind: 'unknown' };

/** A list of unknown length whose items are all like `element` (a comprehension's result). */
export function listOf(element: Value): Value {
  return { kind: 'list', items: [], element };
}
export const NONE: Value = { kind: 'none' };

// ── bounds ──────────────────────────────────────────────────────────────────────
// Every value the interpreter builds is bounded: hostile code (`x = x + x` thirty times, `'a' * 10**9`,
// `10**10**10`) must not build what it describes. Past a bound a value keeps what the analysis needs
// (a length, the kind of its items) and forgets the rest.

/** Items a list or tuple keeps. */
export const MAX_ITEMS = 256;
/** Values a list or tuple holds in all, nested ones counted: bounds every walk over a value. */
export const MAX_WEIGHT = 4096;
/** Characters a string keeps. */
export const MAX_STRING = 4096;
/** Keys a dict keeps; past them it is `partial`. */
export const MAX_ENTRIES = 1024;

/** An int, or unknown past 2^53 (where a float would silently round it). */
export function intOrUnknown(value: number, extra: { origin?: Origin; label?: string; role?: DimRole } = {}): Value {
  return Number.isSafeInteger(value) ? { kind: 'int', value, ...extra } : UNKNOWN;
}

/** A length or count: a safe non-negative integer, or undefined. */
export function knownLength(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A string, or only its length when it is longer than MAX_STRING. */
export function strValue(value: string): Value {
  return value.length > MAX_STRING ? { kind: 'longstr', length: value.length } : { kind: 'str', value };
}

/** The length of a string value, known or not. */
export function strLength(v: Value): number | undefined {
  return v.kind === 'str' ? v.value.length : v.kind === 'longstr' ? v.length : undefined;
}

/** A string of a given length whose characters are not kept. */
export function longString(length: number | undefined): Value {
  const n = knownLength(length);
  if (n === undefined) return UNKNOWN;
  return { kind: 'longstr', length: n };
}

const weights = new WeakMap<object, number>();

/**
 * How many values a value holds, nested sequences counted; cached, and cheap since sequences are bounded.
 * A list that holds itself (`a.append(a)`) weighs infinitely much, so it is summarised.
 */
export function weightOf(v: Value): number {
  if (v.kind !== 'list' && v.kind !== 'tuple') return 1;
  // A short sequence of plain values is counted, more cheaply than a WeakMap is read and written.
  if (v.items.length <= 16 && (v.element === undefined || (v.element.kind !== 'list' && v.element.kind !== 'tuple'))) {
    let flat = true;
    for (let i = 0; i < v.items.length && flat; i++) flat = v.items[i].kind !== 'list' && v.items[i].kind !== 'tuple';
    if (flat) return 1 + (v.element ? 1 : 0) + v.items.length;
  }
  let w = weights.get(v);
  if (w === undefined) {
    weights.set(v, Number.POSITIVE_INFINITY);
    w = 1 + (v.element ? weightOf(v.element) : 0);
    for (const item of v.items) w += item.kind === 'list' || item.kind === 'tuple' ? weightOf(item) : 1;
    weights.set(v, w);
  }
  return w;
}

/** The exact length of a list or tuple, when known. */
export function sequenceLength(v: Value): number | undefined {
  if (v.kind !== 'list' && v.kind !== 'tuple') return undefined;
  return v.element ? v.length : v.items.length;
}

/** A summary: `length` items (undefined: unknown), each like `element`. */
export function summary(kind: 'list' | 'tuple', length: number | undefined, element: Value = UNKNOWN): Value {
  const n = knownLength(length);
  const bounded = weightOf(element) > MAX_WEIGHT ? UNKNOWN : element;
  return n === undefined ? { kind, items: [], element: bounded } : { kind, items: [], element: bounded, length: n };
}

/** A list or tuple of these items, summarised when it is too long or holds too much. */
export function sequence(kind: 'list' | 'tuple', items: Value[], tag?: SequenceTag): Value {
  const value: Value = tag ? { kind, items, tag } : { kind, items };
  if (items.length <= MAX_ITEMS && weightOf(value) <= MAX_WEIGHT) return value;
  return summary(kind, items.length, commonElement(items));
}

/** The value all items share, or unknown. */
export function commonElement(items: Value[]): Value {
  const first = items[0];
  if (!first) return UNKNOWN;
  for (const item of items) if (item !== first && !sameScalar(item, first)) return joinedInts(items) ?? UNKNOWN;
  return first;
}

/**
 * Ints of several values, as one: an int between the least and the greatest of them (ids of a vocabulary and its
 * padding id keep their bounds), or an int not known when one of them has no bounds. Undefined unless every value is an
 * int (an int only assumed for a parameter may be a list: not one).
 */
export function joinedInts(values: readonly Value[]): Value | undefined {
  let min = Infinity;
  let max = -Infinity;
  let bounded = true;
  for (const v of values) {
    if (v.kind === 'int') {
      min = Math.min(min, v.value);
      max = Math.max(max, v.value);
    } else if (v.kind === 'symint' && v.assumed === undefined) {
      if (v.bounds) {
        min = Math.min(min, v.bounds.min);
        max = Math.max(max, v.bounds.max);
      } else bounded = false;
    } else return undefined;
  }
  if (!values.length) return undefined;
  if (!bounded || !Number.isFinite(min) || !Number.isFinite(max)) return { kind: 'symint', dim: UNKNOWN_DIM };
  return boundedInt(min, max);
}

/** An int known to lie between min and max (both included): that one int when they are equal. */
export function boundedInt(min: number, max: number): Value {
  return min === max ? { kind: 'int', value: min } : { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min, max } };
}

function sameScalar(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'float') return a.value !== undefined && a.value === (b as typeof a).value;
  if (a.kind === 'int' || a.kind === 'str' || a.kind === 'bool') return a.value === (b as typeof a).value;
  return a.kind === 'none';
}

/** Sets a dict entry; past MAX_ENTRIES a new key is dropped and the dict becomes partial. */
export function setEntry(dict: Extract<Value, { kind: 'dict' }>, key: string, value: Value): void {
  if (dict.entries.size >= MAX_ENTRIES && !dict.entries.has(key)) {
    forgetEntries(dict);
    return;
  }
  dict.entries.set(key, value);
}

/**
 * `d[key] = value`: the entry of a key the analysis names; a key it cannot name (`d[word] = i` in a loop) leaves a dict
 * that holds keys it does not list.
 */
export function storeEntry(dict: Extract<Value, { kind: 'dict' }>, key: Value, value: Value): void {
  if (key.kind === 'str') setEntry(dict, key.value, value);
  else forgetEntries(dict);
}

/**
 * The dict now holds keys it does not list (a key the analysis cannot name was written, a mutator ran, an entry past
 * the bound was dropped): what every entry holds is no longer known either.
 */
export function forgetEntries(dict: Extract<Value, { kind: 'dict' }>): void {
  dict.partial = true;
  dict.values = undefined;
}

/** Whether a list holds itself, directly or through nested lists (bounded like every walk). */
function holds(list: Value, target: Value, budget = { left: MAX_WEIGHT }): boolean {
  if (list.kind !== 'list' && list.kind !== 'tuple') return false;
  for (const item of list.element ? [list.element] : list.items) {
    if (--budget.left < 0 || item === target || holds(item, target, budget)) return true;
  }
  return false;
}

/**
 * Replaces a listed sequence's items in place (every name bound to it sees them), when they fit a listed sequence
 * (MAX_ITEMS items of MAX_WEIGHT at most). False, and the sequence unchanged, when they do not.
 */
type SequenceValue = Extract<Value, { kind: 'list' | 'tuple' }>;

/** What a list holds at one moment: a copy of its items, its element and its length (see restoreSequence). */
export interface SequenceState {
  items: Value[];
  element?: Value;
  length?: number;
}

let beforeChange: ((list: SequenceValue) => void) | undefined;

/**
 * Sets the function told before any list or tuple is changed in place by the functions below (the interpreter's
 * if/else branches note what each changes: lists are shared by reference, so both paths would see each other's
 * appends); returns the one it replaces, to put back.
 */
export function onSequenceChange(hook: ((list: SequenceValue) => void) | undefined): ((list: SequenceValue) => void) | undefined {
  const previous = beforeChange;
  beforeChange = hook;
  return previous;
}

/** Tells the hook (see onSequenceChange) that `list` is about to change in place. */
export function sequenceChanging(list: SequenceValue): void {
  beforeChange?.(list);
}

export function sequenceState(list: SequenceValue): SequenceState {
  return { items: [...list.items], ...(list.element && { element: list.element }), ...(list.length !== undefined && { length: list.length }) };
}

/** Puts a list back in a state sequenceState took (or a join of such states). */
export function restoreSequence(list: SequenceValue, state: SequenceState): void {
  list.items = [...state.items];
  if (state.element) list.element = state.element;
  else delete list.element;
  if (state.length !== undefined) list.length = state.length;
  else delete list.length;
  weights.delete(list);
}

export function replaceItems(list: Extract<Value, { kind: 'list' | 'tuple' }>, items: Value[]): boolean {
  if (items.length > MAX_ITEMS || items.some((a) => a === list || holds(a, list))) return false;
  sequenceChanging(list);
  const before = { items: list.items, element: list.element, length: list.length };
  list.items = items;
  delete list.element;
  delete list.length;
  weights.delete(list);
  if (weightOf(list) <= MAX_WEIGHT) return true;
  list.items = before.items;
  if (before.element) list.element = before.element;
  if (before.length !== undefined) list.length = before.length;
  weights.delete(list);
  return false;
}

/** Appends to a list in place (lists are shared by reference), summarising it once it is too long. */
export function appendItems(list: Extract<Value, { kind: 'list' | 'tuple' }>, added: Value[]): void {
  sequenceChanging(list);
  if (added.some((a) => a === list || holds(a, list))) added = added.map(() => UNKNOWN);
  if (!list.element && list.items.length + added.length <= MAX_ITEMS) {
    list.items.push(...added);
    weights.delete(list);
    if (weightOf(list) <= MAX_WEIGHT) return;
    list.items.length -= added.length;
  }
  const length = sequenceLength(list);
  const element = list.element ?? commonElement([...list.items, ...added]);
  list.items = [];
  list.element = element;
  if (length === undefined) delete list.length;
  else list.length = length + added.length;
  weights.delete(list);
}

/**
 * `list[index] = value` in place (lists are shared by reference). A known index (negative counts from the end) replaces
 * that item, or joins it with `value` when the assignment may not run (`uncertain`); an unknown index may reach any
 * item, so each is joined with `value`. An index past the end changes nothing: Python raises IndexError there.
 */
export function setItem(list: Extract<Value, { kind: 'list' | 'tuple' }>, index: number | undefined, value: Value, join: (a: Value, b: Value) => Value, uncertain: boolean): void {
  if (value === list || holds(value, list)) value = UNKNOWN;
  sequenceChanging(list);
  if (list.element) {
    list.element = join(list.element, value);
  } else if (index !== undefined) {
    const i = index < 0 ? list.items.length + index : index;
    if (i < 0 || i >= list.items.length) return;
    list.items[i] = uncertain ? join(list.items[i], value) : value;
  } else {
    list.items = list.items.map((item) => join(item, value));
  }
  weights.delete(list);
  if (weightOf(list) <= MAX_WEIGHT) return;
  const length = sequenceLength(list);
  forgetLength(list, list.element ?? commonElement(list.items));
  if (length !== undefined) list.length = length;
}

/** In place: the list keeps only that its items are like `element`; how many it holds is no longer known. */
export function forgetLength(list: Extract<Value, { kind: 'list' | 'tuple' }>, element: Value): void {
  sequenceChanging(list);
  list.items = [];
  list.element = weightOf(element) > MAX_WEIGHT ? UNKNOWN : element;
  delete list.length;
  weights.delete(list);
}

/** `list.extend(other)` in place; a summary extends into a summary. */
export function extendList(list: Extract<Value, { kind: 'list' | 'tuple' }>, other: Extract<Value, { kind: 'list' | 'tuple' }>): void {
  if (!other.element) return appendItems(list, other.items);
  sequenceChanging(list);
  const a = sequenceLength(list);
  const b = sequenceLength(other);
  const wasEmpty = list.items.length === 0 && !list.element;
  const element = list.element ?? commonElement(list.items);
  list.items = [];
  list.element = wasEmpty || element === other.element || sameScalar(element, other.element) ? (wasEmpty ? other.element : element) : UNKNOWN;
  if (a === undefined || b === undefined) delete list.length;
  else list.length = a + b;
  weights.delete(list);
}

export function isTensor(v: Value): v is TensorValue {
  return v.kind === 'tensor';
}

export function intValue(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'symint' && v.dim.kind === 'int') return v.dim.value;
  return undefined;
}

export function boolValue(v: Value | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'int') return v.value !== 0;
  if (v.kind === 'none') return false;
  return undefined;
}

/**
 * The truth value Python gives v in `if v:`, `not v`, `v and …` and `a if v else b`, where the analysis knows it:
 * boolValue's, a float's, a string's, and a list's or tuple's by its number of items (`if input_lengths:` of a
 * list of lengths). An empty list stays unknown: a list the analysis saw built empty may have been filled where it
 * could not follow (an unknown function appending to it); a tuple or string cannot be.
 */
export function truthValue(v: Value | undefined): boolean | undefined {
  const known = boolValue(v);
  if (known !== undefined || !v) return known;
  if (v.kind === 'float') return v.value === undefined ? undefined : v.value !== 0;
  if (v.kind === 'str') return v.value.length > 0;
  if (v.kind === 'longstr') return v.length > 0;
  if (v.kind === 'list' || v.kind === 'tuple') {
    const length = sequenceLength(v);
    if (length === undefined) return undefined;
    if (length > 0) return true;
    return v.kind === 'tuple' ? false : undefined;
  }
  // A dict that lists every key it holds is true when it holds one; an empty one may be filled in ways not followed.
  if (v.kind === 'dict' && !v.partial && !v.parser && !v.namespace) return v.entries.size > 0 ? true : undefined;
  return undefined;
}

export function numberValue(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'float') return v.value;
  return intValue(v);
}

/** What is known of a tensor's values: see TensorValue. */
export type Bounds = Pick<TensorValue, 'minValue' | 'maxValue' | 'mixedBounds' | 'minBoundOnly' | 'maxBoundOnly'>;

/**
 * The bounds a part of t keeps (a row, a batch, a sample of a dataset): t's, unless they were mixed (a part need not
 * reach them then, nor lie within them as a whole's parts do: not kept), and only as bounds.
 */
export function partBounds(t: TensorValue): Bounds {
  const bounds: Bounds = {};
  if (t.mixedBounds) return bounds;
  if (t.minValue !== undefined) {
    bounds.minValue = t.minValue;
    bounds.minBoundOnly = true;
  }
  if (t.maxValue !== undefined) {
    bounds.maxValue = t.maxValue;
    bounds.maxBoundOnly = true;
  }
  return bounds;
}

/**
 * The values of tensors put together (cat, stack, pad_sequence): bounds known for every input bound the result, and
 * are reached by the whole, not by each part, when they differ.
 */
export function joinedBounds(tensors: TensorValue[]): Bounds {
  const bounds: Bounds = {};
  if (tensors.length && tensors.every((t) => t.minValue !== undefined)) bounds.minValue = Math.min(...tensors.map((t) => t.minValue!));
  if (tensors.length && tensors.every((t) => t.maxValue !== undefined)) bounds.maxValue = Math.max(...tensors.map((t) => t.maxValue!));
  const differ = tensors.some((t) => t.minValue !== tensors[0].minValue || t.maxValue !== tensors[0].maxValue);
  if ((bounds.minValue !== undefined || bounds.maxValue !== undefined) && (differ || tensors.some((t) => t.mixedBounds))) bounds.mixedBounds = true;
  // A bound is reached when a part whose values are known to be there reaches it.
  if (bounds.minValue !== undefined && !tensors.some((t) => !t.minBoundOnly && t.minValue === bounds.minValue)) bounds.minBoundOnly = true;
  if (bounds.maxValue !== undefined && !tensors.some((t) => !t.maxBoundOnly && t.maxValue === bounds.maxValue)) bounds.maxBoundOnly = true;
  return bounds;
}
