// What the interpreter tells the rules. Rules never walk the tree themselves: they subscribe
// to these facts, which carry the values (with their shapes and origins) at that point.
import type { Fix, Range, RelatedLocation, Severity } from '../findings';
import type { Assign, Attribute, BinOp, Call, Expr, For, FunctionDef, Subscript, While } from '../parse/ast';
import type { LayerDesc } from '../layers/layer';
import type { IndexItem } from '../ops/indexing';
import type { KerasModel, TensorValue, Value } from '../values/value';

export interface LayerConstructEvent {
  layer: LayerDesc;
}

export interface LayerCallEvent {
  layer: LayerDesc;
  call: Call;
  args: Value[];
  kwargs: Map<string, Value>;
  /** The innermost loop of the calling function that the call runs in, if any. */
  loop?: For | While;
  /** The function the call is written in, if any. */
  caller?: FunctionDef;
}

export interface UnpackEvent {
  target: Expr;
  value: Value;
  stmt: Assign | null;
}

export interface SubscriptEvent {
  node: Subscript;
  value: Value;
}

/** A tensor indexed (`h_n[-2]`, `out[:, 5]`), with each index item as the interpreter evaluated it. */
export interface TensorIndexEvent {
  node: Subscript;
  tensor: TensorValue;
  items: readonly IndexItem[];
}

/** `x[idx] = value` on a tensor: the region the index selects, as indexing computes it, and what is written into it. */
export interface TensorStoreEvent {
  node: Subscript;
  tensor: TensorValue;
  region: TensorValue;
  value: Value;
  /** The index items as evaluated: an int64 tensor or a mask among them makes the store an index_put_. */
  items: readonly IndexItem[];
}

export interface AttributeEvent {
  node: Attribute;
  value: Value;
}

/** `left op right` where at least one side is a tensor (positional encodings, masks). */
export interface BinaryEvent {
  node: BinOp;
  left: Value;
  right: Value;
  /** `left op= right`, which writes the result into the left operand: it must keep the left operand's shape. */
  augmented?: true;
}

export interface FunctionCallEvent {
  /** Fully qualified, e.g. `torch.nn.utils.rnn.pack_padded_sequence`. */
  qualname: string;
  call: Call;
  args: Value[];
  kwargs: Map<string, Value>;
}

/** A method called on a tensor, e.g. `out.view(B, -1)`, with the tensor as it was before the call. */
export interface TensorMethodEvent {
  receiver: TensorValue;
  name: string;
  call: Call;
  args: Value[];
  kwargs: Map<string, Value>;
}

/** compile / fit / evaluate on a Keras model. */
export interface ModelMethodEvent {
  model: KerasModel;
  method: string;
  call: Call;
  args: Value[];
  kwargs: Map<string, Value>;
  /** fit/evaluate: the model's output for the data given to this call, when its layers were run on it. */
  dataOutput?: Value;
  /** A Sequential model run on the data given to this call stopped at a layer built for another number of features. */
  refused?: ReplayRefusal;
  /** x was a nested Python list of numbers, read as tf.keras 2.x reads it: np.asarray of the whole list (see ops/keras-list-data). */
  listData?: boolean;
}

/** A layer whose weights were built for `built` features (by the declared input) and which the data gives `got`. */
export interface ReplayRefusal {
  layer: LayerDesc;
  built: number;
  got: number;
}

/**
 * An `assert` whose test is known to be false on this run: Python raises AssertionError there. `readsSizes`: the test
 * reads a tensor's sizes (`.size()`, `.shape`, `.dim()`, `.ndim`, or a name the function unpacked or read from them);
 * `known`: the ints the test's names hold.
 */
export interface AssertionEvent {
  range: Range;
  test: Expr;
  readsSizes: boolean;
  known: { name: string; value: number; range?: Range }[];
}

/** A tensor whose truth Python asks for: the test of an `if`, `elif`, `while` or conditional expression, or one side of `and`/`or` in it. */
export interface TruthEvent {
  value: TensorValue;
  test: Expr;
}

/** A layer added to a Sequential model (constructor list, model.add or build), with what it returned. */
export interface SequentialAddEvent {
  model: KerasModel;
  layer: LayerDesc;
  output: Value;
}

export interface Report {
  range: Range;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** Overrides the rule's default, e.g. a warning where the bug runs silently instead of raising. */
  severity?: Severity;
  /** The message already says which iteration it is (a DataLoader's last batch): no note is added (AnalysisContext.passNote). */
  passExplained?: boolean;
}

export interface RuleContext {
  report(report: Report): void;
  /**
   * Says that at `range` the rule's finding does not hold on this run. For rules whose finding claims that something
   * holds every time the code runs (a softmax over an axis that always has one entry), not only on one run: a site
   * refuted once is not reported, whatever its other runs show (a loop's first iteration, where a sequence grown by
   * the loop still has one step, is not every iteration).
   */
  refute(range: Range): void;
  /** Source text of a range, for building edits. */
  text(range: Range): string;
  /** The whole analysed text. */
  readonly source: string;
}

export interface RuleHooks {
  layerConstruct?(event: LayerConstructEvent, ctx: RuleContext): void;
  layerCall?(event: LayerCallEvent, ctx: RuleContext): void;
  unpack?(event: UnpackEvent, ctx: RuleContext): void;
  subscript?(event: SubscriptEvent, ctx: RuleContext): void;
  tensorIndex?(event: TensorIndexEvent, ctx: RuleContext): void;
  tensorStore?(event: TensorStoreEvent, ctx: RuleContext): void;
  attribute?(event: AttributeEvent, ctx: RuleContext): void;
  functionCall?(event: FunctionCallEvent, ctx: RuleContext): void;
  binary?(event: BinaryEvent, ctx: RuleContext): void;
  tensorMethod?(event: TensorMethodEvent, ctx: RuleContext): void;
  modelMethod?(event: ModelMethodEvent, ctx: RuleContext): void;
  sequentialAdd?(event: SequentialAddEvent, ctx: RuleContext): void;
  assertion?(event: AssertionEvent, ctx: RuleContext): void;
  truth?(event: TruthEvent, ctx: RuleContext): void;
  /**
   * Which calls some hooks are offered, for speed (the frequent events reach every subscribed hook otherwise):
   * `layerCall` by the layer's kind, `functionCall` by its qualname, `tensorMethod` by the method's name. A hook is
   * not called for a key its filter refuses, so the filter must accept every key the hook may act on (the hook still
   * checks everything itself). A filter is a pure function of the key, asked once per key and rule list.
   */
  offers?: HookFilters;
}

export interface HookFilters {
  layerCall?(kind: string): boolean;
  functionCall?(qualname: string): boolean;
  tensorMethod?(name: string): boolean;
}

/** The events whose hooks may be offered only some calls, by a key of the call (see RuleHooks.offers). */
export type KeyedEventName = keyof HookFilters;

export type EventName = Exclude<keyof RuleHooks, 'offers'>;
