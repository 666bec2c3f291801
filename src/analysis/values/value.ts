// Abstract values the interpreter tracks. Anything it cannot follow is `unknown`,
// and unknown never leads to a finding: it only stops inference.
import type { Range } from '../findings';
import type { Call, ClassDef, FunctionDef } from '../parse/ast';
import type { Dim, Origin } from '../shapes/dim';
import type { Shape } from '../shapes/shape';
import type { LayerDesc } from '../layers/layer';

export type DType = 'float' | 'long' | 'bool' | 'unknown';

export interface TensorValue {
  kind: 'tensor';
  shape: Shape;
  dtype: DType;
  /** The expression that made it, for "where it came from". */
  origin?: Origin;
  /** Known bounds of the values, for index checks (Embedding). */
  minValue?: number;
  maxValue?: number;
  /** For 1-D literal integer tensors (lengths): whether they are sorted in decreasing order. */
  sortedDescending?: boolean;
  /** Literal contents of small 1-D tensors, e.g. lengths. */
  literal?: number[];
  /** Set on the output sequence of a recurrent layer, whose axes have known roles. */
  rnnOutput?: boolean;
  /** Keras: the recurrent layer whose per-step output (return_sequences=True) this tensor still is. */
  seqFrom?: LayerDesc;
  /** A tensor of unknown shape that arrived as this parameter: `x.size(0)` is then the symbol `x.size(0)`. */
  name?: string;
}

export interface PackedValue {
  kind: 'packed';
  /** The padded tensor it was packed from, with its layout. */
  padded: TensorValue;
  batchFirst: boolean;
  origin?: Origin;
}

export interface InstanceValue {
  kind: 'instance';
  cls: ClassInfo;
  attrs: Map<string, Value>;
  /** Where it was constructed. */
  site?: Range;
}

export interface ClassInfo {
  name: string;
  def: ClassDef;
  bases: ClassInfo[];
  /** True for subclasses of torch's nn.Module (directly or through user classes). */
  isTorchModule: boolean;
  /** True for subclasses of keras.Model / keras.layers.Layer. */
  isKerasModel: boolean;
  methods: Map<string, FunctionDef>;
  /** Class-level assignments (constants). */
  classAttrs: Map<string, Value>;
}

export type Value =
  | { kind: 'unknown' }
  | { kind: 'int'; value: number; origin?: Origin; label?: string }
  | { kind: 'symint'; dim: Dim }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'none' }
  | { kind: 'tuple' | 'list'; items: Value[]; tag?: SequenceTag; element?: Value }
  | { kind: 'dict'; entries: Map<string, Value>; namespace?: boolean; parser?: boolean }
  | TensorValue
  | PackedValue
  | { kind: 'layer'; layer: LayerDesc }
  | InstanceValue
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'function'; def: FunctionDef; owner?: InstanceValue }
  | { kind: 'module'; path: string }
  | { kind: 'qualname'; name: string }
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
  /** Shapes after each layer, for the summary: [layer, output shape]. */
  summary: { layer: LayerDesc; output: Value }[];
  compile?: { call: Call; loss?: string; lossRange?: Call['range']; metrics?: string[]; metricsRange?: Call['range'] };
  /** Label values seen in fit/evaluate, with their call. */
  labels: { value: Value; call: Call }[];
}

/** A tuple that an API returned, so rules can recognise how it is unpacked. */
export interface SequenceTag {
  /** `rnn-output`: (output, h_n) or (output, (h_n, c_n)); `lstm-state`: (h_n, c_n). */
  kind: 'rnn-output' | 'lstm-state';
  layer: LayerDesc;
  call: Call;
}

export const UNKNOWN: Value = { kind: 'unknown' };

/** A list of unknown length whose items are all like `element` (a comprehension's result). */
export function listOf(element: Value): Value {
  return { kind: 'list', items: [], element };
}
export const NONE: Value = { kind: 'none' };

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

export function numberValue(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'float') return v.value;
  return intValue(v);
}
