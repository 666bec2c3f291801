// A PyTorch model run by executing its own code: the class is instantiated with its constructor
// arguments (from the file's instantiation, the weights or --init), the module tree is laid out
// with state-dict paths as PyTorch names them, every layer gets its weights, and each batch runs
// `forward` through the interpreter. One probe batch at load time tells the input layout (a
// batch_first=False layer fed batch-major means the model reads time-major) and the outputs.
import type { ModelDescription } from '../../../../analysis';
import type * as A from '../../../../analysis/parse/ast';
import { InputError, UnsupportedConstruct } from '../../../errors';
import { toProbabilities } from '../../probabilities';
import { tfjs, Tensor } from '../../tf';
import type { LayerSummaryRow, ModelSummary, SequenceModel } from '../../types';
import type { StepLayout } from '../../per-step';
import type { WeightSource } from '../layers';
import { ExecError, TimeMajorInput } from './errors';
import { forwardParamUses, ParamUse } from './forward-inputs';
import { Binding, Executor, WorkspaceModules } from './interpreter';
import { startReadouts, stopReadouts } from './readouts';
import { layerBuilder } from './modules';
import { layerTensors, ownTensors, readsReplacedTensors } from './modules/module';
import { ClassInfo, Instance, Layer, Role, TensorValue, Value } from './values';

export interface ExecutedModelOptions {
  path: string;
  source: string;
  description: ModelDescription;
  weights: WeightSource;
  /** Verify Shapes runs models whose output is not (batch, classes): a tagger's (B, T, tags). */
  anyOutput?: boolean;
  notes?: string[];
  /** Values the weights or --init settled beyond the description's constructor arguments (solve-unknowns.ts). */
  bindings?: Bindings;
  /**
   * The batch to run at load time instead of a dummy one (given inputs, batch-major as given): it
   * decides the layout and the shapes, so a model that only runs on its own sizes (a view to a fixed
   * length, one token at a time) is never run on sizes it was not given.
   */
  example?: { batch: Tensor; path: string };
  /** The pad id given explicitly (--pad-id): it wins over the input Embedding's padding_idx. */
  padId?: number;
  /** Forward parameters given by name (--input NAME=FILE.npy), batch first like the sequences. */
  named?: Map<string, { path: string; batch: Tensor }>;
  /** The other files of the project, for what the model's file imports. */
  workspace?: WorkspaceModules;
}

/** Constructor arguments as executor values (config objects included) and the values of names the file never defines. */
export interface Bindings {
  kwargs: Map<string, Value>;
  free: Map<string, Value>;
  /** The value that stands for each input's batch size (`self.batch_size = batch_size`): set to it before every batch. */
  batch?: Value;
}

export interface TraceRow {
  line: number;
  name: string;
  expression: string;
  shape: number[];
  roles: Role[] | null;
  kind: string;
}

export interface ExecutedModel extends SequenceModel {
  /** The assignments forward made on one batch, with their real shapes. */
  trace(batch: Tensor): TraceRow[];
  /** The shape of the batch run at load time: the given inputs', or the dummy batch's. */
  readonly inputShape: number[];
}

const PROBE_BATCH = 2;
const PROBE_LENGTH = 7;

export function loadExecutedModel(options: ExecutedModelOptions): ExecutedModel {
  const { path, source, description } = options;
  const executor = new Executor(description.module, source, options.workspace);
  const cls = executor.classes.get(description.className);
  if (!cls) throw new InputError(path, null, `no class ${description.className}`);
  const forward = executor.findMethod(cls, 'forward');
  if (!forward) throw new InputError(path, description.range.start.line + 1, `${description.className} has no forward method`);
  const bindings = options.bindings;
  if (bindings && bindings.free.size > 0) executor.freeName = (name) => bindings.free.get(name);
  const root = guard(path, () => buildRoot(executor, cls, description, path, bindings?.kwargs));
  const built = guard(path, () => layout(root, options.weights));
  try {
    refuseUnexpectedWeights(options.weights, built.owners);
    const input = inputSpec(root, path, description);
    if (options.example) checkExample(options.example, input, description.className);
    const batchSized = bindings?.batch ? holdersOf(root, bindings.batch) : [];
    if (options.padId !== undefined && input.kind === 'ids') input.padId = options.padId;
    const plan = planForward(executor, forward.def, root, path, description, new Set(options.named?.keys() ?? []));
    const model = new ExecutedTorchModel(executor, root, plan, input, built, options, batchSized);
    return model;
  } catch (error) {
    built.layers.forEach((l) => l.runtime?.dispose());
    throw error;
  }
}

/**
 * A state dict holding tensors the built model has no place for is refused, as PyTorch's
 * load_state_dict (strict by default) refuses it: running without them gives other outputs than the
 * trained model (a constructor default of 1 layer against weights of 2 runs only the first layer).
 */
function refuseUnexpectedWeights(weights: ExecutedModelOptions['weights'], owners: Map<string, 'user' | 'layer'>): void {
  // Tensors under a layer SeqLens does not run (nn.TransformerEncoder) are left to the call's own refusal.
  // A built-in layer's forward reads only its own parameters (another layer count or direction gives
  // more of them); a tensor set on it by attribute (`self.embedding.weights = nn.Parameter(…)`) is
  // saved by PyTorch but never read, so it changes no output.
  const unused = (weights.unused?.() ?? []).filter((k) => {
    const dot = k.lastIndexOf('.');
    const owner = owners.get(dot < 0 ? '' : k.slice(0, dot));
    return owner === 'user' || (owner === 'layer' && LAYER_PARAMETER.test(k.slice(dot + 1)));
  });
  if (unused.length === 0) return;
  const shown = unused.slice(0, 8).map((k) => `'${k}'`).join(', ') + (unused.length > 8 ? `, … (${unused.length} in all)` : '');
  throw new InputError(weights.where, null,
    `the weights hold tensors the model built from these constructor arguments has no place for: ${shown}; PyTorch's load_state_dict refuses them too ("Unexpected key(s) in state_dict"). A constructor argument with a default (a layer count, bidirectional, an optional layer) probably differs from the one the weights were saved with: give it with --init NAME=VALUE`);
}

/** The parameter and buffer names of PyTorch's own layers. */
export const LAYER_PARAMETER = /^(?:weight|bias|(?:weight|bias)_(?:ih|hh)_l\d+(?:_reverse)?|weight_hr_l\d+(?:_reverse)?|running_mean|running_var|in_proj_weight|in_proj_bias|[qkv]_proj_weight|bias_[kv])$/;

/** The attributes of the model's user objects that hold exactly this value. */
function holdersOf(root: Instance, value: Value): [Instance, string][] {
  const out: [Instance, string][] = [];
  for (const [obj, attrs] of snapshot(root)) attrs.forEach((v, name) => { if (v === value) out.push([obj, name]); });
  return out;
}

/** Every user module's attributes, to put back after a batch. */
function snapshot(root: Instance): [Instance, Map<string, Value>][] {
  const out: [Instance, Map<string, Value>][] = [];
  const seen = new Set<Instance>();
  const walk = (v: Value) => {
    if (v.kind === 'object' && v.obj.isModule && !seen.has(v.obj)) {
      seen.add(v.obj);
      out.push([v.obj, new Map(v.obj.attrs)]);
      v.obj.attrs.forEach(walk);
    } else if (v.kind === 'module') v.layer.children.forEach(walk);
  };
  walk({ kind: 'object', obj: root });
  return out;
}

function restore(saved: [Instance, Map<string, Value>][]): void {
  for (const [obj, attrs] of saved) {
    obj.attrs.clear();
    attrs.forEach((v, k) => obj.attrs.set(k, v));
  }
}

function guard<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ExecError) throw new InputError(path, error.line, error.message);
    throw error;
  }
}

/** The model instance, built by running `__init__` with the constructor arguments the description resolved. */
export function buildRoot(executor: Executor, cls: ClassInfo, description: ModelDescription, path: string, given?: Map<string, Value>): Instance {
  const kwargs = new Map<string, Value>();
  for (const p of description.constructorParams) {
    const bound = given?.get(p.name);
    if (bound !== undefined) {
      kwargs.set(p.name, bound);
      continue;
    }
    const v = description.constructorArgs[p.name];
    if (v === undefined) {
      if (p.required) kwargs.set(p.name, { kind: 'unknown', name: p.name });
      continue;
    }
    kwargs.set(p.name, v === null ? { kind: 'none' } : typeof v === 'number' ? (Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v }) : typeof v === 'boolean' ? { kind: 'bool', value: v } : { kind: 'str', value: v });
  }
  const site = { line: description.range.start.line + 1, text: `${description.className}(…)` };
  const made = executor.instantiate(cls, [], kwargs, site);
  if (made.kind !== 'object') throw new InputError(path, site.line, `${description.className} did not build`);
  return made.obj;
}

export interface LaidOut {
  layers: Layer[];
  parameterCount: number;
  /** The state-dict paths of the modules that took their tensors: user modules and layers SeqLens runs. */
  owners: Map<string, 'user' | 'layer'>;
}

/** State-dict paths as PyTorch gives them (attributes in assignment order, container indices), then weights. */
export function layout(root: Instance, weights: WeightSource): LaidOut {
  const layers: Layer[] = [];
  const owners = new Map<string, 'user' | 'layer'>();
  let parameterCount = 0;
  const seen = new Set<unknown>();
  const visit = (v: Value, path: string) => {
    if (v.kind === 'object' && v.obj.isModule) {
      if (seen.has(v.obj)) return;
      seen.add(v.obj);
      v.obj.path = path;
      owners.set(path, 'user');
      const prefix = path === '' ? '' : `${path}.`;
      for (const [name, a] of v.obj.attrs) {
        if (a.kind === 'tensor' && (a.parameter || a.buffer)) {
          const loaded = loadTensor(weights, `${prefix}${name}`, a);
          if (loaded) {
            v.obj.attrs.set(name, loaded);
            if (a.parameter) parameterCount += loaded.t.size;
          }
        } else visit(a, `${prefix}${name}`);
      }
    } else if (v.kind === 'module') {
      const layer = v.layer;
      if (seen.has(layer)) return;
      seen.add(layer);
      layer.path = path;
      // A container holds no tensor of its own: empty, it must not pass for a layer whose tensors are not built.
      if (layer.children.length > 0 || layer.keys || layer.type === 'ModuleList' || layer.type === 'Sequential' || layer.type === 'ModuleDict') {
        layer.children.forEach((child, i) => visit(child, `${path}.${layer.keys ? layer.keys[i] : i}`));
        return;
      }
      const builder = layerBuilder(layer.type);
      layers.push(layer);
      if (!builder) return;
      refuseReplacedShapes(layer);
      try {
        layer.runtime = builder(layer, weights);
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new ExecError(layer.line, (error as Error).message, true);
      }
      parameterCount += layer.runtime.parameterCount;
      owners.set(path, 'layer');
    } else if (v.kind === 'list' || v.kind === 'tuple') {
      // A plain list of modules is not registered by PyTorch: its layers have no state-dict names.
      if (v.items.some((i) => i.kind === 'module' || (i.kind === 'object' && i.obj.isModule))) {
        throw new ExecError(null, `a plain Python list holds layers at '${path}': PyTorch does not register them (their weights are not in the state dict); use nn.ModuleList`, true);
      }
    }
  };
  visit({ kind: 'object', obj: root }, '');
  // A weight tied to another registered layer's is one parameter, counted there (as `parameters()` counts it).
  for (const layer of layers) {
    for (const [name, from] of layer.tiedTo ?? []) {
      const held = layer.replaced?.get(name);
      if (held && seen.has(from) && layer.runtime) parameterCount -= held.t.size;
    }
  }
  return { layers, parameterCount, owners };
}

/**
 * A layer whose parameter `__init__` replaced with a tensor of another shape than its constructor gives
 * (a weight tied to a wider layer's) runs only where its builder reads the shapes the layer holds.
 */
function refuseReplacedShapes(layer: Layer): void {
  if (!layer.replaced || readsReplacedTensors(layer.type)) return;
  const own = ownTensors(layer) ?? [];
  for (const [name, by] of layer.replaced) {
    const shape = own.find((p) => p.name === name)?.shape;
    if (shape === undefined) continue;
    const held = by === null ? null : by.t.shape;
    if (held === null ? shape === null : shape !== null && held.length === shape.length && held.every((d, i) => d === shape[i])) continue;
    throw new ExecError(layer.line, `nn.${layer.type}'s ${name} replaced in __init__ by ${held === null ? 'None' : `a (${held.join(', ')}) tensor`} where its arguments give ${shape === null ? 'None' : `(${shape.join(', ')})`} is not something SeqLens runs`, true);
  }
}

function loadTensor(weights: WeightSource, name: string, value: TensorValue): TensorValue | null {
  const tf = tfjs();
  const shape = value.t.shape;
  try {
    const values = weights.take(name, shape);
    return { ...value, t: tf.tensor(values, shape, 'float32') };
  } catch (error) {
    // A buffer registered with persistent=False is not in the state dict: it keeps what __init__ computed.
    if (value.buffer) return null;
    throw error;
  }
}

function layerKinds(root: Instance): Layer[] {
  const out: Layer[] = [];
  const seen = new Set<unknown>();
  const walk = (v: Value) => {
    if (v.kind === 'object' && v.obj.isModule && !seen.has(v.obj)) {
      seen.add(v.obj);
      for (const a of v.obj.attrs.values()) walk(a);
    } else if (v.kind === 'module' && !seen.has(v.layer)) {
      seen.add(v.layer);
      out.push(v.layer);
      v.layer.children.forEach(walk);
    }
  };
  walk({ kind: 'object', obj: root });
  return out;
}

interface InputLayout {
  kind: 'ids' | 'features';
  features: number | null;
  vocabulary: number | null;
  /** The input Embedding's padding_idx, when it has one. */
  padId: number | null;
}

type Param = import('../../../../analysis/parse/ast').Param;

/** How forward's parameter gets its value. */
type ArgumentKind = 'input' | 'given' | 'state' | 'lengths' | 'padding-mask' | 'fill-mask' | 'keep-mask' | 'attention-mask' | 'counted-fill-mask' | 'counted-keep-mask';

interface ForwardArgument {
  param: Param;
  kind: ArgumentKind;
  /** Why: where the value goes, the parameter's name, or given by name (--input NAME=…). */
  from: 'use' | 'name' | 'given';
  /** Passed by keyword: a parameter with a default that --input gives. */
  keyword?: boolean;
}

const STATE_NAME = /^(h|hx|h0|h_0|hc|hidden|hiddens|hid|h_state|hidden_state|state|states|prev_state|hidden_cell|init_state)$/i;
const LENGTHS_NAME = /^(lengths?|lens|seq_lens?|seq_lengths?|sequence_lengths?|x_lens?|x_lengths?|src_lens?|src_lengths?|input_lengths?|text_lengths?|sent_lengths?|sen_lengths?|batch_lengths?)$/i;

/**
 * What each of forward's parameters without a default gets, told by where its value goes (see
 * forward-inputs.ts): the sequences go to the parameter that feeds a layer's data slot (the first
 * one when several do), an initial state slot gets the model's init_hidden or zeros, lengths go to
 * pack_padded_sequence, masks to a padding-mask or attention-mask slot or masked_fill. A parameter
 * whose value reaches none of them is told by its name, as before; a second sequence input, or one
 * neither its use nor its name explains, is refused by name.
 */
function planForward(executor: Executor, def: A.FunctionDef, root: Instance, path: string, description: ModelDescription, given: Set<string>): ForwardArgument[] {
  const params = def.params.filter((p) => p.name !== 'self');
  for (const name of given) {
    if (!params.some((p) => p.name === name && !p.variadic)) {
      throw new InputError(path, def.range.start.line + 1, `--input ${name}=…: ${description.className}.forward has no parameter '${name}' (its parameters: ${params.filter((p) => !p.variadic).map((p) => p.name).join(', ') || 'none'})`);
    }
  }
  const required: Param[] = [];
  for (const p of params) {
    if (p.variadic || p.default) break;
    required.push(p);
  }
  const keywords: ForwardArgument[] = params.filter((p) => given.has(p.name) && !required.includes(p)).map((param) => ({ param, kind: 'given', from: 'given', keyword: true }));
  if (required.length === 0) {
    if (params.length > 0 && !params[0].variadic) return [{ param: params[0], kind: 'input', from: 'name' }];
    throw new InputError(path, def.range.start.line + 1, `${description.className}.forward takes no input`);
  }
  const uses = required.length > 1 ? forwardParamUses(executor, def, root) : new Map<string, Set<ParamUse>>();
  const kindOf = (p: Param): ArgumentKind | 'data' | null => {
    const u = uses.get(p.name) ?? new Set<ParamUse>();
    if (u.has('state')) return 'state';
    if (u.has('lengths')) return 'lengths';
    if (u.has('padding-mask')) return 'padding-mask';
    if (u.has('fill-mask')) return 'fill-mask';
    if (u.has('keep-mask')) return 'keep-mask';
    if (u.has('counted-fill-mask')) return 'counted-fill-mask';
    if (u.has('counted-keep-mask')) return 'counted-keep-mask';
    if (u.has('attention-mask')) return 'attention-mask';
    // A state a user cell concatenates with the input (torch.cat((x, h)) into a Linear) reaches a
    // layer only as data: its name tells it from a second sequence input.
    if (u.has('data')) return STATE_NAME.test(p.name) ? 'state' : 'data';
    return null;
  };
  const kinds = required.map(kindOf);
  // The sequences go to the first parameter that feeds a layer as data (a mask built from it besides).
  const free = (i: number) => !given.has(required[i].name);
  let inputAt = required.findIndex((p, i) => free(i) && uses.get(p.name)?.has('data'));
  if (inputAt < 0) inputAt = kinds.findIndex((k, i) => free(i) && k === null && !STATE_NAME.test(required[i].name) && !LENGTHS_NAME.test(required[i].name));
  if (inputAt < 0) inputAt = required.findIndex((_, i) => free(i));
  if (inputAt < 0) throw new InputError(path, def.range.start.line + 1, `every parameter of ${description.className}.forward is given by --input; the sequences (--inputs) need one of their own`);
  return [...required.map((param, i): ForwardArgument => {
    if (given.has(param.name)) return { param, kind: 'given', from: 'given' };
    if (i === inputAt) return { param, kind: 'input', from: uses.get(param.name)?.has('data') ? 'use' : 'name' };
    const kind = kinds[i];
    if (kind === 'data') {
      throw new InputError(path, param.range.start.line + 1, `${description.className}.forward takes a second sequence input '${param.name}' (it goes into a layer as data, as '${required[inputAt].name}' does): give it with --input ${param.name}=FILE.npy (batch first, like --inputs), or give '${param.name}' a default (e.g. ${param.name}=None)`);
    }
    if (kind !== null) return { param, kind, from: 'use' };
    if (STATE_NAME.test(param.name)) return { param, kind: 'state', from: 'name' };
    if (LENGTHS_NAME.test(param.name)) return { param, kind: 'lengths', from: 'name' };
    throw new InputError(path, param.range.start.line + 1, `${description.className}.forward needs a second input '${param.name}'; SeqLens feeds one tensor (the sequences), an initial hidden state, lengths and masks, and tells them by where forward sends them (a layer's state slot, pack_padded_sequence, a mask slot, masked_fill): give it with --input ${param.name}=FILE.npy, or give '${param.name}' a default (e.g. ${param.name}=None)`);
  }), ...keywords];
}

/** Given inputs must be what the first layer takes: integer ids for an Embedding, floats for the others. */
function checkExample(example: { batch: Tensor; path: string }, input: InputLayout, className: string): void {
  const ids = example.batch.dtype === 'int32';
  if ((input.kind === 'ids') === ids) return;
  const wanted = input.kind === 'ids' ? 'integer ids (its first layer is an Embedding)' : `float features (its first layer takes ${input.features} features)`;
  throw new InputError(example.path, null, `${className} takes ${wanted}; the array holds ${ids ? 'integers' : 'floats'} (${example.batch.shape.join(', ')})`);
}

/** Token ids when the first layer that takes data is an Embedding, else features of the first layer's input size. */
function inputSpec(root: Instance, path: string, description: ModelDescription): InputLayout {
  const first = layerKinds(root).find((l) => ['Embedding', 'RNN', 'GRU', 'LSTM', 'Linear', 'Conv1d', 'RNNCell', 'GRUCell', 'LSTMCell'].includes(l.type));
  if (!first) throw new InputError(path, description.range.start.line + 1, `${description.className} has no Embedding, recurrent, Linear or Conv1d layer to tell its input from`);
  const num = (name: string) => {
    const v = first.args.get(name);
    return v?.kind === 'int' ? v.value : null;
  };
  if (first.type === 'Embedding') {
    // The table it holds: one replaced in __init__ (`= nn.Parameter(vectors)`) has its own rows.
    const held = layerTensors(first)?.[0]?.shape;
    const vocabulary = held ? held[0] : num('num_embeddings');
    const pad = num('padding_idx');
    return { kind: 'ids', features: null, vocabulary, padId: pad !== null && pad < 0 && vocabulary !== null ? pad + vocabulary : pad };
  }
  const features = num(first.type === 'Linear' ? 'in_features' : first.type === 'Conv1d' ? 'in_channels' : 'input_size');
  if (features === null) throw new InputError(path, first.line, 'cannot tell the input features: the first layer\'s size is not a constant');
  return { kind: 'features', features, vocabulary: null, padId: null };
}

/**
 * The dummy batch of ids the model is probed with: random ids below `range`, never the pad id, so that
 * lengths and masks built from the padding see whole sequences (pack_padded_sequence then gets lengths
 * in decreasing order, as it requires), as real unpadded data gives them.
 */
function probeIds(range: number, padId: number | null): Tensor {
  const tf = tfjs();
  const usable = padId !== null && padId >= 0 && padId < range && range > 1 ? range - 1 : range;
  const ids = tf.cast(tf.floor(tf.mul(tf.randomUniform([PROBE_BATCH, PROBE_LENGTH], 0, 1, 'float32', 3), usable)), 'int32');
  return usable === range ? ids : tf.add(ids, tf.cast(tf.greaterEqual(ids, padId!), 'int32'));
}

/**
 * One output per time step, and how it lays out batch and time: (B, T, C), (T, B, C), or flattened
 * (B·T, C) (T·B for a model that reads its input time-major), told by the axes that still follow the
 * input's batch and time, else by the probe batch's sizes.
 */
function stepLayout(shape: number[], roles: Role[] | undefined, timeMajor: boolean, batch: number, length: number): StepLayout | null {
  if (shape.length === 3) {
    if (roles?.[0] === 'B' && roles[1] === 'T') return 'BTC';
    if (roles?.[0] === 'T' && roles[1] === 'B') return 'TBC';
    // Told by sizes only when the batch's sizes cannot be mistaken for each other.
    if (batch === length || length < 2) return null;
    if (shape[0] === batch && shape[1] === length) return timeMajor ? null : 'BTC';
    if (shape[0] === length && shape[1] === batch) return timeMajor ? 'TBC' : null;
    return null;
  }
  if (shape.length === 2 && length >= 2 && shape[0] === batch * length && batch !== length) return timeMajor ? 'flatTB' : 'flat';
  return null;
}

class ExecutedTorchModel implements ExecutedModel {
  readonly summary: ModelSummary;
  private timeMajor = false;
  private shapes = new Map<Layer, { shape: number[]; roles: Role[] | undefined }>();
  private readouts: string[] = [];
  /** The shape of the batch run at load time (the given inputs', or the dummy's). */
  readonly inputShape: number[];

  constructor(
    private readonly executor: Executor,
    private readonly root: Instance,
    private readonly plan: ForwardArgument[],
    private readonly input: InputLayout,
    private readonly built: LaidOut,
    private readonly options: ExecutedModelOptions,
    /** Attributes that are the batch size of each input (see Bindings.batch). */
    private readonly batchSized: [Instance, string][] = [],
  ) {
    const tf = tfjs();
    const probe = options.example?.batch ?? tf.tidy(() => (input.kind === 'ids'
      ? probeIds(Math.min(input.vocabulary ?? 1, 1000), input.padId)
      : tf.randomNormal([PROBE_BATCH, PROBE_LENGTH, input.features!], 0, 1, 'float32', 3)));
    let out: { shape: number[]; act: TensorValue['act']; roles: string | undefined };
    try {
      out = this.probe(probe);
    } finally {
      if (probe !== options.example?.batch) probe.dispose();
    }
    this.inputShape = probe.shape.slice();
    const { path, description } = options;
    const probeBatch = probe.shape[0];
    const layout = stepLayout(out.shape, out.roles?.split(',').map((r) => (r === 'B' || r === 'T' ? r : null)), this.timeMajor, probeBatch, probe.rank >= 2 ? probe.shape[1] ?? 0 : 0);
    // One output per token: over the input's own vocabulary it reads as a language model, over other
    // classes as a tagger; which one runs is settled with the data (per-token labels make a tagger).
    const perToken = layout !== null && input.kind === 'ids' && out.act !== 'sigmoid';
    const languageModel = perToken && out.shape[out.shape.length - 1] === input.vocabulary;
    if (!options.anyOutput && !perToken) {
      const classes = out.shape[out.shape.length - 1];
      const shapeText = layout === 'BTC' ? `(B, T, ${classes})` : layout === 'TBC' ? `(T, B, ${classes})` : `(B·T, ${classes})`;
      if (layout !== null) throw new InputError(path, null, `${description.className}.forward returns ${shapeText}, one output per time step${out.act === 'sigmoid' ? ' through a sigmoid' : ''} over ${input.kind === 'ids' ? 'token ids' : 'features'}; SeqLens evaluates per-step outputs of a model that embeds token ids (a tagger, or a language model over its own vocabulary) through softmax, log_softmax or logits`);
      if (out.shape.length > 2 || out.shape[0] !== probeBatch) throw new InputError(path, null, `${description.className}.forward returns ${JSON.stringify(out.shape)} for a batch of ${probeBatch}; SeqLens expects (batch, classes)`);
    }
    const notes = [...(options.notes ?? [])];
    if (this.timeMajor) notes.push(`forward feeds its input straight to a batch_first=False layer, so SeqLens passes each batch time-major ${input.kind === 'ids' ? '(T, B)' : '(T, B, F)'}`);
    const input0 = this.plan.find((a) => a.kind === 'input');
    if (input0 && this.plan.indexOf(input0) > 0) notes.push(`forward's ${input0.param.name} takes the sequences: it is the parameter whose value goes into the first layer`);
    notes.push(...this.argumentNotes.values());
    this.summary = {
      format: 'torch',
      path,
      name: description.className,
      layers: this.rows(),
      totalParams: built.parameterCount,
      input: { kind: input.kind, length: null, features: input.features, vocabulary: input.vocabulary },
      outputUnits: out.shape.length === 1 ? 1 : out.shape[out.shape.length - 1],
      outputActivation: out.act ?? 'logits',
      readouts: this.readouts,
      notes,
      ...(perToken ? { perStep: { task: languageModel ? 'language-model' as const : 'tagging' as const, layout: layout!, padId: input.padId, classes: out.shape[out.shape.length - 1] } } : {}),
    };
  }

  private rows(): LayerSummaryRow[] {
    return this.built.layers.filter((l) => this.shapes.has(l)).map((l) => ({
      name: l.path ?? '',
      kind: l.type,
      outputShape: `(${this.shapes.get(l)!.shape.map((d, i) => (this.shapes.get(l)!.roles?.[i] ? 'None' : d)).join(', ')})`,
      params: l.runtime?.parameterCount ?? 0,
    }));
  }

  /** The probe batch: layout, output shape and each layer's output shape. */
  private probe(batch: Tensor): { shape: number[]; act: TensorValue['act']; roles: string | undefined } {
    const record = (layer: Layer, v: Value) => {
      const t = v.kind === 'tensor' ? v : v.kind === 'tuple' && v.items[0]?.kind === 'tensor' ? v.items[0] : null;
      if (t && !this.shapes.has(layer)) this.shapes.set(layer, { shape: t.t.shape.slice(), roles: t.roles });
    };
    const wrapped = this.built.layers.filter((l) => l.runtime).map((l) => {
      const original = l.runtime!.call;
      l.runtime!.call = (args, kwargs, site) => {
        const v = original(args, kwargs, site);
        record(l, v);
        return v;
      };
      return () => { l.runtime!.call = original; };
    });
    try {
      for (const timeMajor of [false, true]) {
        this.timeMajor = timeMajor;
        this.shapes.clear();
        startReadouts();
        try {
          return tfjs().tidy(() => {
            const v = this.forward(batch);
            return { shape: v.t.shape.slice(), act: v.act, roles: v.roles?.join(',') };
          });
        } catch (error) {
          if (error instanceof TimeMajorInput && !timeMajor && batch.rank >= 2) continue;
          throw error;
        } finally {
          this.readouts = stopReadouts();
        }
      }
      throw new InputError(this.options.path, null, 'the model reads its input neither batch-major nor time-major');
    } finally {
      wrapped.forEach((undo) => undo());
    }
  }

  /** Runs forward on a batch given batch-major, as datasets hold it; the output tensor. */
  private forward(batch: Tensor, onBind: ((b: Binding) => void) | null = null): TensorValue {
    const tf = tfjs();
    // A 1-D input (one sequence, or one token) has no batch axis to tell from a time axis.
    const rest = (): Role[] => new Array(Math.max(0, batch.rank - 2)).fill(null);
    const x: TensorValue = batch.rank < 2
      ? { kind: 'tensor', t: batch }
      : this.timeMajor
        ? { kind: 'tensor', t: tf.transpose(batch, [1, 0, ...rest().map((_, i) => i + 2)]), roles: ['T', 'B', ...rest()] }
        : { kind: 'tensor', t: batch, roles: ['B', 'T', ...rest()] };
    const { path, description } = this.options;
    const args: Value[] = [];
    const kwargs = new Map<string, Value>();
    for (const a of this.plan) {
      const v = a.kind === 'input' ? x : a.kind === 'given' ? this.givenInput(a.param.name) : this.extraInput(a, batch);
      if (a.keyword) kwargs.set(a.param.name, v);
      else args.push(v);
    }
    const forward = this.executor.findMethod(this.root.cls, 'forward')!;
    // What forward stores on the modules (`self.hidden = …`) lives only for this batch: its tensors are
    // released with the batch's, so every batch starts from the state __init__ left.
    const saved = snapshot(this.root);
    for (const [obj, name] of this.batchSized) obj.attrs.set(name, { kind: 'int', value: batch.shape[0] });
    this.executor.onBind = onBind;
    this.executor.resetBudget();
    let out: Value;
    try {
      out = this.executor.inForward(() => this.executor.callFunction(forward.def, args, kwargs, { kind: 'object', obj: this.root }, forward.owner, { line: forward.def.range.start.line + 1, text: 'forward' }));
    } catch (error) {
      if (error instanceof ExecError) throw new (error.refused ? UnsupportedConstruct : InputError)(path, error.line, `${description.className}: ${error.message}`);
      throw error;
    } finally {
      this.executor.onBind = null;
      restore(saved);
    }
    const tensor = out.kind === 'tensor' ? out : out.kind === 'tuple' && out.items[0]?.kind === 'tensor' ? out.items[0] : null;
    if (!tensor) throw new InputError(path, forward.def.range.start.line + 1, `${description.className}.forward returns ${out.kind === 'tuple' ? 'a tuple whose first item is not a tensor' : `a ${out.kind}`}, not a tensor of scores`);
    if (tensor.t.dtype !== 'float32') return { ...tensor, t: tf.cast(tensor.t, 'float32') };
    return tensor;
  }

  /**
   * A forward parameter other than the sequences: an initial state is what the model's own
   * init_hidden(batch) makes, or None (zeros, as PyTorch's layers start from); lengths are counted
   * from the padding when the pad id is known, else every sequence is taken at its full length (no
   * token is known to be padding); masks are built from those lengths; an attention mask is None.
   */
  private extraInput(a: ForwardArgument, batch: Tensor): Value {
    const p = a.param;
    const why = a.from === 'use' ? { state: 'goes into a recurrent layer\'s state', lengths: 'goes into pack_padded_sequence\'s lengths', 'padding-mask': 'goes into a key-padding-mask slot', 'fill-mask': 'is masked_fill\'s mask', 'keep-mask': 'is masked_fill\'s mask (as mask == 0)', 'attention-mask': 'goes into an attention-mask slot', 'counted-fill-mask': 'is a mask whose zeros are counted into pack_padded_sequence\'s lengths', 'counted-keep-mask': 'is a mask whose ones are counted into pack_padded_sequence\'s lengths', input: '', given: '' }[a.kind] : '';
    const said = (text: string) => this.argumentNotes.set(p.name, `forward's ${p.name}${why ? ` (it ${why})` : ''}: ${text}`);
    const tf = tfjs();
    // A 1-D input's one axis is what forward's own input.size(0) calls the batch (one token per sequence).
    const size = (batch.shape[0] as number | undefined) ?? 1;
    const length = (batch.rank >= 2 ? batch.shape[1] : batch.shape[0]) ?? 1;
    const pad = this.input.kind === 'ids' ? this.input.padId : null;
    /** 1 where a token is real, 0 at padding: all ones when no pad id is known. */
    const real = (): Tensor => {
      if (pad === null) return tf.ones(batch.rank >= 2 ? [size, length] : [length], 'int32');
      const ids = batch.rank > 2 ? tf.cast(tf.max(batch, Array.from({ length: batch.rank - 2 }, (_, i) => i + 2)), 'int32') : tf.cast(batch, 'int32');
      return tf.cast(tf.notEqual(ids, tf.scalar(pad, 'int32')), 'int32');
    };
    const padNote = pad === null
      ? `no pad id is known (${this.input.kind === 'ids' ? 'the input Embedding has no padding_idx and no --pad-id was given' : 'the input is features, not ids'}), so no token is known to be padding and every sequence is taken at its full length (${length})`
      : `the padding is id ${pad} (${this.options.padId !== undefined ? '--pad-id' : 'the input Embedding\'s padding_idx'})`;
    switch (a.kind) {
      case 'state': {
        const init = ['init_hidden', 'initHidden', 'init_hidden_state', 'initialize_hidden', 'begin_state'].map((n) => this.executor.findMethod(this.root.cls, n)).find((m) => m !== undefined);
        if (!init) {
          said('None (zeros, as PyTorch\'s layers start from)');
          return { kind: 'none' };
        }
        const takesBatch = init.def.params.filter((q) => q.name !== 'self' && !q.default && !q.variadic).length > 0;
        said(`${init.def.name}(${takesBatch ? 'batch size' : ''}), as the model's own code makes it`);
        const self: Value = { kind: 'object', obj: this.root };
        return this.executor.callFunction(init.def, takesBatch ? [{ kind: 'int', value: size }] : [], new Map(), self, init.owner, { line: init.def.range.start.line + 1, text: init.def.name });
      }
      case 'lengths': {
        said(pad === null ? `${padNote}` : `the tokens before the padding in each sequence; ${padNote}`);
        // Right padding: a sequence's length is the position after its last non-pad token.
        const r = real();
        if (r.rank < 2) return { kind: 'tensor', t: tf.tensor1d([length], 'int32') };
        const positions = tf.add(tf.range(0, length, 1, 'int32'), tf.scalar(1, 'int32'));
        return { kind: 'tensor', t: tf.maximum(tf.max(tf.mul(r, positions), 1), tf.scalar(1, 'int32')) };
      }
      case 'padding-mask':
        if (pad === null) {
          said(`None: ${padNote}, so nothing is masked`);
          return { kind: 'none' };
        }
        said(`True at the padding; ${padNote}`);
        return { kind: 'tensor', t: tf.equal(real(), tf.scalar(0, 'int32')) };
      case 'fill-mask':
      case 'counted-fill-mask':
        said(`True at the padding; ${padNote}`);
        return { kind: 'tensor', t: tf.equal(real(), tf.scalar(0, 'int32')) };
      case 'keep-mask':
      case 'counted-keep-mask':
        said(`1 at real tokens, 0 at the padding; ${padNote}`);
        return { kind: 'tensor', t: real() };
      case 'attention-mask':
        said('None: no attention mask is given, so every position attends to every other (a causal mask the training script builds is not known here)');
        return { kind: 'none' };
      default:
        return { kind: 'none' };
    }
  }

  /** A parameter given by --input NAME=FILE.npy: batch first like the sequences, and laid out as they are. */
  private givenInput(name: string): Value {
    const given = this.options.named!.get(name)!.batch;
    const tf = tfjs();
    this.argumentNotes.set(name, `forward's ${name}: the array of ${this.options.named!.get(name)!.path} (${given.shape.join(', ')})${this.timeMajor && given.rank >= 2 ? ', time-major as the sequences are' : ''}`);
    if (given.rank < 2) return { kind: 'tensor', t: given };
    const rest: Role[] = new Array(given.rank - 2).fill(null);
    return this.timeMajor
      ? { kind: 'tensor', t: tf.transpose(given, [1, 0, ...rest.map((_, i) => i + 2)]), roles: ['T', 'B', ...rest] }
      : { kind: 'tensor', t: given, roles: ['B', 'T', ...rest] };
  }

  /** What each forward parameter other than the sequences was given, by name, for the summary. */
  private argumentNotes = new Map<string, string>();

  predictRaw(batch: Tensor): Tensor {
    return tfjs().tidy(() => {
      const out = this.forward(batch).t;
      return out.rank === 1 ? out.reshape([-1, 1]) : out;
    });
  }

  predictProbabilities(batch: Tensor): Tensor {
    return tfjs().tidy(() => toProbabilities(this.predictRaw(batch), this.summary.outputActivation));
  }

  trace(batch: Tensor): TraceRow[] {
    const rows: TraceRow[] = [];
    const seen = new Set<string>();
    const names = new Map<string, string>();
    this.executor.onCall = (site, kind, value) => {
      const t = value.kind === 'tensor' ? value : value.kind === 'tuple' && value.items[0]?.kind === 'tensor' ? value.items[0] : null;
      const key = `${site.line}:${site.text}`;
      if (!t || seen.has(key)) return;
      seen.add(key);
      rows.push({ line: site.line, name: '', expression: site.text, shape: t.t.shape.slice(), roles: t.roles ?? null, kind });
    };
    try {
      tfjs().tidy(() => {
        this.forward(batch, (b) => {
          const key = `${b.line}:${b.expression}`;
          if (!names.has(key)) names.set(key, b.name);
        });
        return [];
      });
    } finally {
      this.executor.onCall = null;
    }
    for (const row of rows) row.name = names.get(`${row.line}:${row.expression}`) ?? '';
    return rows;
  }

  dispose(): void {
    this.built.layers.forEach((l) => l.runtime?.dispose());
  }
}
