// The values a model's Python code holds while SeqLens executes it: TensorFlow.js tensors, Python
// scalars and containers, modules (nn layers with their weights, user nn.Module instances) and the
// callables between them. Plain tagged objects, so each op kernel reads them without a class tree.
import type { ClassDef, FunctionDef } from '../../../../analysis/parse/ast';
import type { Tensor } from '../../tf';

/** What an axis of a tensor is, when it still follows the model's input: its batch or its time axis. */
export type Role = 'B' | 'T' | null;

export interface TensorValue {
  kind: 'tensor';
  t: Tensor;
  /** Per axis, the input's batch or time axis it still is (kept by the layers and ops that keep it). */
  roles?: Role[];
  /** Set by softmax, sigmoid and log_softmax: the tensor is (log-)probabilities. */
  act?: 'softmax' | 'sigmoid' | 'log_softmax';
  /** Built by nn.Parameter(...) in `__init__`: replaced by the state dict's tensor of the same name. */
  parameter?: boolean;
  /** Registered with register_buffer: read from the state dict when it holds it. */
  buffer?: boolean;
  /** A recurrent layer's final state (h_n or c_n), whose first axis is layers × directions. */
  state?: 'hidden' | 'cell';
  /** The readout that made this tensor, when one did (see readouts.ts). */
  readout?: string;
}

export interface ClassInfo {
  name: string;
  def: ClassDef;
  bases: (ClassInfo | 'Module')[];
  methods: Map<string, FunctionDef>;
  /** Class-level assignments, evaluated on first read. */
  classAttrs: Map<string, import('../../../../analysis/parse/ast').Expr>;
  /** The file that defines it, for its global names; absent: the model's own file. */
  scope?: ModuleScope;
}

/** One Python file's top level: its names, read on first use (the model's file, or one it imports). */
export interface ModuleScope {
  /** The file, or null for the model's own file. */
  path: string | null;
  /** A name's value once read; before, the statement that defines it or the import that brings it. */
  globals: Map<string, Value | import('../../../../analysis/parse/ast').Assign | PendingImport>;
}

/** `from .layers import Attention` / `import config`, resolved in the workspace on first read. */
export interface PendingImport {
  kind: 'pending-import';
  module: string;
  /** The imported name; undefined for `import module`. */
  name: string | undefined;
}

/** An instance of a user class (an nn.Module subclass or a plain helper object). */
export interface Instance {
  kind: 'user';
  cls: ClassInfo;
  attrs: Map<string, Value>;
  /** The state-dict prefix, once the module tree is laid out ('' for the root). */
  path: string | null;
  isModule: boolean;
}

/** A torch.nn layer or container, as its constructor call gave it. */
export interface Layer {
  kind: 'layer';
  /** PyTorch class name: LSTM, Linear, Sequential, ModuleList… */
  type: string;
  /** Constructor arguments by parameter name, defaults filled in. */
  args: Map<string, Value>;
  /** Sequential / ModuleList children, in order; ModuleDict children by key. */
  children: Value[];
  keys: string[] | null;
  /** The line of its constructor call (1-based). */
  line: number;
  path: string | null;
  /** Its TensorFlow.js implementation, made once the weights are known. */
  runtime?: import('./modules/module').LayerRuntime;
  /**
   * Its parameters that `__init__` replaced by assignment (`self.decoder.weight = self.encoder.weight`,
   * `= nn.Parameter(pretrained)`, `self.fc.bias = None`): the tensor that now stands under the name
   * (its shape is the saved one's), or null for None.
   */
  replaced?: Map<string, TensorValue | null>;
  /**
   * Its parameters that `__init__` set to another layer's own (`self.decoder.weight = self.encoder.weight`):
   * that layer. PyTorch's `parameters()` holds such a tensor once, wherever the state dict names it.
   */
  tiedTo?: Map<string, Layer>;
}

export type Value =
  | TensorValue
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  /** `fields`: a named tuple's names (torch.max's values, indices). */
  | { kind: 'tuple'; items: Value[]; fields?: string[] }
  | { kind: 'list'; items: Value[] }
  | { kind: 'dict'; keys: Value[]; values: Value[] }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'range'; start: number; stop: number; step: number }
  | { kind: 'object'; obj: Instance }
  | { kind: 'module'; layer: Layer }
  /** A method or attribute looked up on a value, called later: `x.view`, `self.init_hidden`, `outputs.append`. */
  | { kind: 'bound'; target: Value; name: string }
  | { kind: 'function'; def: FunctionDef; owner: ClassInfo | null }
  | { kind: 'class'; cls: ClassInfo }
  /** A dotted name from the imports: `torch`, `torch.nn.functional`, `math`. */
  | { kind: 'namespace'; path: string }
  /** A module of the workspace: `import config`, `from . import layers`. */
  | { kind: 'pymodule'; scope: ModuleScope }
  | { kind: 'dtype'; name: 'float32' | 'int32' | 'bool' }
  | { kind: 'super'; self: Instance; after: ClassInfo }
  /** pack_padded_sequence's result: the padded batch (kept batch-first) and each sequence's length. */
  | { kind: 'packed'; data: TensorValue; lengths: number[] }
  /** A constructor argument nobody gave (no default, not in the file, the weights or --init): any use of it is refused by name. */
  | { kind: 'unknown'; name: string };

export const NONE: Value = { kind: 'none' };

export function int(value: number): Value {
  return { kind: 'int', value };
}

export function tensorValue(t: Tensor, roles?: Role[]): TensorValue {
  return roles ? { kind: 'tensor', t, roles } : { kind: 'tensor', t };
}

export function isNumber(v: Value | undefined): v is { kind: 'int' | 'float'; value: number } {
  return v !== undefined && (v.kind === 'int' || v.kind === 'float');
}

/** A Python number or bool as a number (True is 1). */
export function numberOf(v: Value | undefined): number | null {
  if (!v) return null;
  if (v.kind === 'int' || v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return null;
}

export function describeKind(v: Value): string {
  switch (v.kind) {
    case 'tensor': return `a tensor ${JSON.stringify(v.t.shape)}`;
    case 'object': return `a ${v.obj.cls.name}`;
    case 'module': return `nn.${v.layer.type}`;
    case 'namespace': return v.path;
    case 'bound': return `${v.name}`;
    default: return v.kind === 'none' ? 'None' : `a ${v.kind}`;
  }
}
