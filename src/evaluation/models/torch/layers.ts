// PyTorch layers rebuilt over TensorFlow.js tensors, one builder per nn.Module kind: its weights
// taken from the state dict (checked against the constructor's sizes), its output shape from its
// input shape, and its forward pass. Dropout is the identity: evaluation runs in eval() mode.
import type { ArgValue } from '../../../analysis';
import { InputError } from '../../errors';
import type { NamedTensor } from '../safetensors';
import {
  disposeWeights, fromTorchLayout, GATES, Projections, ProjectionTables, RecurrentResult, recurrentWeights, RecurrentWeights, RunOptions, runRecurrent, Tensor2D, Tensor3D,
} from '../recurrent/kernels';
import { tfjs, Tensor } from '../tf';
import type { Lookup } from './exec/lookups';

/** A dimension: a number, or the batch or sequence length, known only when the model runs. */
export type Dim = number | 'B' | 'T';
export type Shape = Dim[];

export interface LayerSpec {
  /** The state-dict prefix: `gru`, `classifier.0`. */
  path: string;
  kind: string;
  args: Record<string, ArgValue | undefined>;
  children: LayerSpec[];
}

/** What applying a layer gives: one tensor, or PyTorch's (output, h_n) / (output, (h_n, c_n)) tuples. */
export type LayerOutput = { kind: 'tensor'; shape: Shape } | { kind: 'recurrent'; output: Shape; h: Shape; c: Shape | null };

export interface BuiltLayer {
  spec: LayerSpec;
  /** Static output for a static input shape; throws a plain-language Error when the input cannot fit. */
  outputShape(input: Shape): LayerOutput;
  /** `lookup`: the input is an Embedding's rows for these ids (a recurrent layer then projects them through its tables). */
  apply(input: Tensor, lookup?: Lookup | null): Tensor[];
  /** Recurrent layers: apply from a given initial state, h0 (and c0 for an LSTM) laid out (layers·directions, batch, hidden). */
  applyWithState?(input: Tensor, h0: Tensor, c0: Tensor | null, lookup?: Lookup | null): Tensor[];
  /** Embedding: its table. */
  table?: Tensor2D;
  parameterCount: number;
  dispose(): void;
}

/** Source of weights: the state dict read from .safetensors, or random weights for "Verify shapes". */
export interface WeightSource {
  take(name: string, shape: number[]): Float32Array;
  readonly where: string;
  /** The tensors of a saved state dict that nothing took (random weights have none). */
  unused?(): string[];
}

export const SHAPE_FREE = new Set(['Dropout', 'Dropout1d', 'AlphaDropout', 'Identity']);
export const ACTIVATIONS = new Set(['ReLU', 'Tanh', 'Sigmoid', 'Softmax', 'LogSoftmax', 'GELU', 'LeakyReLU', 'ELU']);
const RECURRENT = new Set(['RNN', 'GRU', 'LSTM']);

export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')})`;
}

function intArg(spec: LayerSpec, name: string): number {
  const v = spec.args[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new Error(`nn.${spec.kind} '${spec.path}': its argument ${name} is not a constant the analyser could resolve`);
  }
  return v;
}

/** A size argument: a constant of at least 1 (PyTorch itself refuses hidden_size=0; a zero-width tensor runs nowhere here). */
function sizeArg(spec: LayerSpec, name: string): number {
  const v = intArg(spec, name);
  if (v < 1) throw new Error(`nn.${spec.kind} '${spec.path}': ${name}=${v}; it must be at least 1${name === 'hidden_size' ? ' (PyTorch raises "ValueError: hidden_size must be greater than zero")' : ''}`);
  return v;
}

function boolArg(spec: LayerSpec, name: string, fallback: boolean): boolean {
  const v = spec.args[name];
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : fallback;
}

export function buildLayer(spec: LayerSpec, weights: WeightSource): BuiltLayer {
  if (spec.kind === 'Embedding') return buildEmbedding(spec, weights);
  if (spec.kind === 'Linear') return buildLinear(spec, weights);
  if (RECURRENT.has(spec.kind)) return buildRecurrent(spec, weights);
  if (SHAPE_FREE.has(spec.kind)) return buildElementwise(spec, (x) => x);
  if (ACTIVATIONS.has(spec.kind)) return buildElementwise(spec, activationFunction(spec));
  if (spec.kind === 'Sequential') return buildSequential(spec, weights);
  throw new Error(`nn.${spec.kind} ('${spec.path}') is not supported: SeqLens runs Embedding, RNN, GRU, LSTM, Linear, Dropout, activations and Sequential`);
}

function activationFunction(spec: LayerSpec): (x: Tensor) => Tensor {
  const tf = tfjs();
  const dim = typeof spec.args.dim === 'number' ? spec.args.dim : -1;
  switch (spec.kind) {
    case 'ReLU': return (x) => tf.relu(x);
    case 'Tanh': return (x) => tf.tanh(x);
    case 'Sigmoid': return (x) => tf.sigmoid(x);
    case 'Softmax': return (x) => softmaxAlong(x, dim);
    case 'LogSoftmax': return (x) => tf.logSoftmax(moveLast(x, dim)).transpose(permutationBack(x.rank, dim));
    case 'GELU': return (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'LeakyReLU': return (x) => tf.leakyRelu(x, typeof spec.args.negative_slope === 'number' ? spec.args.negative_slope : 0.01);
    default: return (x) => tf.elu(x);
  }
}

/** softmax over any axis: tfjs' softmax works on the last axis only. */
export function softmaxAlong(x: Tensor, dim: number): Tensor {
  const tf = tfjs();
  const axis = dim < 0 ? x.rank + dim : dim;
  if (axis === x.rank - 1) return tf.softmax(x);
  return tf.softmax(moveLast(x, axis)).transpose(permutationBack(x.rank, axis));
}

function moveLast(x: Tensor, dim: number): Tensor {
  const axis = dim < 0 ? x.rank + dim : dim;
  if (axis === x.rank - 1) return x;
  const order = [...Array(x.rank).keys()].filter((a) => a !== axis).concat([axis]);
  return tfjs().transpose(x, order);
}

function permutationBack(rank: number, dim: number): number[] {
  const axis = dim < 0 ? rank + dim : dim;
  const order = [...Array(rank).keys()].filter((a) => a !== axis).concat([axis]);
  const back = new Array<number>(rank);
  order.forEach((a, i) => { back[a] = i; });
  return back;
}

function buildElementwise(spec: LayerSpec, f: (x: Tensor) => Tensor): BuiltLayer {
  return {
    spec,
    outputShape: (input) => ({ kind: 'tensor', shape: input }),
    apply: (x) => [f(x)],
    parameterCount: 0,
    dispose: () => undefined,
  };
}

function buildEmbedding(spec: LayerSpec, weights: WeightSource): BuiltLayer {
  const tf = tfjs();
  const vocabulary = sizeArg(spec, 'num_embeddings');
  const dim = sizeArg(spec, 'embedding_dim');
  const table = tf.tensor2d(weights.take(`${spec.path}.weight`, [vocabulary, dim]), [vocabulary, dim]);
  return {
    spec,
    outputShape: (input) => ({ kind: 'tensor', shape: [...input, dim] }),
    apply: (ids) => [tf.gather(table, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'))],
    table,
    parameterCount: vocabulary * dim,
    dispose: () => table.dispose(),
  };
}

function buildLinear(spec: LayerSpec, weights: WeightSource): BuiltLayer {
  const tf = tfjs();
  const inFeatures = sizeArg(spec, 'in_features');
  const outFeatures = sizeArg(spec, 'out_features');
  const hasBias = boolArg(spec, 'bias', true);
  // PyTorch stores (out, in); the product needs (in, out).
  const kernel = tf.tidy(() => tf.transpose(tf.tensor2d(weights.take(`${spec.path}.weight`, [outFeatures, inFeatures]), [outFeatures, inFeatures]))) as Tensor2D;
  const bias = hasBias ? tf.tensor1d(weights.take(`${spec.path}.bias`, [outFeatures])) : null;
  return {
    spec,
    outputShape: (input) => {
      const last = input[input.length - 1];
      if (typeof last === 'number' && last !== inFeatures) {
        throw new Error(`nn.Linear '${spec.path}' expects ${inFeatures} input features but receives ${formatShape(input)}`);
      }
      if (typeof last !== 'number') throw new Error(`nn.Linear '${spec.path}' would multiply over the ${last === 'T' ? 'sequence' : 'batch'} dimension of ${formatShape(input)}`);
      return { kind: 'tensor', shape: [...input.slice(0, -1), outFeatures] };
    },
    apply: (x) => {
      const rows = tf.reshape(x, [-1, inFeatures]) as Tensor2D;
      const out = tf.fused.matMul({ a: rows, b: kernel, ...(bias ? { bias } : {}) });
      return [tf.reshape(out, [...x.shape.slice(0, -1), outFeatures])];
    },
    parameterCount: inFeatures * outFeatures + (hasBias ? outFeatures : 0),
    dispose: () => tf.dispose([kernel, ...(bias ? [bias] : [])]),
  };
}

function buildSequential(spec: LayerSpec, weights: WeightSource): BuiltLayer {
  const children = spec.children.map((child) => buildLayer(child, weights));
  for (const child of children) {
    if (RECURRENT.has(child.spec.kind)) throw new Error(`nn.${child.spec.kind} inside nn.Sequential '${spec.path}' returns a tuple, which the next layer cannot take; call it from forward instead`);
  }
  return {
    spec,
    outputShape: (input) => {
      let shape = input;
      for (const child of children) {
        const out = child.outputShape(shape);
        shape = out.kind === 'tensor' ? out.shape : out.output;
      }
      return { kind: 'tensor', shape };
    },
    apply: (x) => {
      let value = x;
      for (const child of children) value = child.apply(value)[0];
      return [value];
    },
    parameterCount: children.reduce((sum, c) => sum + c.parameterCount, 0),
    dispose: () => children.forEach((c) => c.dispose()),
  };
}

function buildRecurrent(spec: LayerSpec, weights: WeightSource): BuiltLayer {
  const tf = tfjs();
  const cell = spec.kind === 'GRU' ? 'gru' : spec.kind === 'LSTM' ? 'lstm' : 'rnn';
  const gates = GATES[cell];
  const inputSize = sizeArg(spec, 'input_size');
  const hidden = sizeArg(spec, 'hidden_size');
  // A bool is an int to Python: num_layers=True is one layer, False none (PyTorch then raises).
  const given = spec.args.num_layers;
  const layers = typeof given === 'number' ? given : typeof given === 'boolean' ? Number(given) : 1;
  if (Number.isInteger(layers) && layers < 1) throw new Error(`nn.${spec.kind} '${spec.path}': num_layers=${typeof given === 'boolean' ? (given ? 'True' : 'False') : String(given)}; PyTorch 1.13 raises for fewer than one layer (IndexError: list index out of range)`);
  if (!Number.isInteger(layers) || layers > 64) throw new Error(`nn.${spec.kind} '${spec.path}': num_layers=${layers}; SeqLens runs 1 to 64 stacked layers`);
  const bidirectional = boolArg(spec, 'bidirectional', false);
  const batchFirst = boolArg(spec, 'batch_first', false);
  const hasBias = boolArg(spec, 'bias', true);
  if (typeof spec.args.proj_size === 'number' && spec.args.proj_size > 0) {
    throw new Error(`nn.LSTM '${spec.path}' uses proj_size=${spec.args.proj_size}, which SeqLens does not run`);
  }
  const nonlinearity = spec.args.nonlinearity === 'relu' ? 'relu' : 'tanh';
  if (cell === 'rnn' && spec.args.nonlinearity !== undefined && spec.args.nonlinearity !== 'tanh' && spec.args.nonlinearity !== 'relu') {
    throw new Error(`nn.RNN '${spec.path}': nonlinearity '${String(spec.args.nonlinearity)}' is neither 'tanh' nor 'relu'`);
  }
  const directions = bidirectional ? 2 : 1;
  const stack: RecurrentWeights[][] = [];
  let parameterCount = 0;
  for (let layer = 0; layer < layers; layer++) {
    const columns = layer === 0 ? inputSize : hidden * directions;
    const perDirection: RecurrentWeights[] = [];
    for (let d = 0; d < directions; d++) {
      const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const wih = weights.take(`${spec.path}.weight_ih${suffix}`, [gates * hidden, columns]);
      const whh = weights.take(`${spec.path}.weight_hh${suffix}`, [gates * hidden, hidden]);
      const bih = hasBias ? weights.take(`${spec.path}.bias_ih${suffix}`, [gates * hidden]) : null;
      const bhh = hasBias ? weights.take(`${spec.path}.bias_hh${suffix}`, [gates * hidden]) : null;
      parameterCount += wih.length + whh.length + (hasBias ? bih!.length + bhh!.length : 0);
      perDirection.push(recurrentWeights(fromTorchLayout(cell, hidden, columns, wih, whh, bih, bhh, cell === 'rnn' ? nonlinearity : 'tanh')));
    }
    stack.push(perDirection);
  }
  const stateRows = layers * directions;
  const tables = stack[0].map((w) => new ProjectionTables(w));
  /** The first layer's input projections, time-major, when its input is an Embedding's rows. */
  const projected = (lookup: Lookup | null | undefined, d: number): Projections | undefined => {
    if (!lookup) return undefined;
    return tables[d].project(lookup.table, batchFirst ? tf.transpose(lookup.ids) : lookup.ids) ?? undefined;
  };
  /** From the first layer's results per direction: the layers above, then PyTorch's (output, h_n[, c_n]). */
  const finish = (firstLayer: RecurrentResult[], initial?: (layer: number, direction: number) => RunOptions['initial']): Tensor[] => {
    const hs: Tensor2D[] = [];
    const cs: Tensor2D[] = [];
    let results = firstLayer;
    for (let layer = 0; ; layer++) {
      const next = results.length === 1 ? results[0].sequence! : (tf.concat(results.map((r) => r.sequence!), 2) as Tensor3D);
      for (const r of results) {
        hs.push(r.lastH);
        if (r.lastC) cs.push(r.lastC);
      }
      if (layer + 1 === stack.length) {
        const output = batchFirst ? next : tf.transpose(next, [1, 0, 2]);
        const out = [output, tf.stack(hs, 0)];
        if (cell === 'lstm') out.push(tf.stack(cs, 0));
        return out;
      }
      results = stack[layer + 1].map((w, d) => runRecurrent(next, w, { reverse: d === 1, returnSequence: true, initial: initial?.(layer + 1, d) }));
    }
  };
  return {
    spec,
    outputShape: (input) => {
      if (input.length !== 3 && input.length !== 2) {
        throw new Error(`nn.${spec.kind} '${spec.path}' expects a 3-D input (${batchFirst ? 'batch, seq' : 'seq, batch'}, ${inputSize}) but receives ${formatShape(input)}`);
      }
      const features = input[input.length - 1];
      if (typeof features === 'number' && features !== inputSize) {
        throw new Error(`nn.${spec.kind} '${spec.path}' expects input_size=${inputSize} features per step but receives ${formatShape(input)}`);
      }
      if (input.length === 2) throw new Error(`nn.${spec.kind} '${spec.path}' receives an unbatched input ${formatShape(input)}; SeqLens runs batches`);
      const [a, b] = input;
      const expected: Dim[] = batchFirst ? ['B', 'T'] : ['T', 'B'];
      if ((typeof a === 'string' && a !== expected[0]) || (typeof b === 'string' && b !== expected[1])) {
        throw new Error(`nn.${spec.kind} '${spec.path}' has batch_first=${batchFirst ? 'True' : 'False'} and expects (${expected.join(', ')}, ${inputSize}) but receives ${formatShape(input)}`);
      }
      const batch = batchFirst ? a : b;
      const h: Shape = [stateRows, batch, hidden];
      return { kind: 'recurrent', output: [a, b, hidden * directions], h, c: cell === 'lstm' ? h : null };
    },
    apply: (x, lookup) => {
      const sequence = (batchFirst ? x : tf.transpose(x, [1, 0, 2])) as Tensor3D;
      return finish(stack[0].map((w, d) => runRecurrent(sequence, w, { reverse: d === 1, returnSequence: true, projected: projected(lookup, d) })));
    },
    applyWithState: (x, h0, c0, lookup) => {
      const sequence = (batchFirst ? x : tf.transpose(x, [1, 0, 2])) as Tensor3D;
      const rows = (state: Tensor, layer: number, d: number) => tf.squeeze(tf.slice(state, [layer * directions + d, 0, 0], [1, -1, -1]), [0]) as Tensor2D;
      const initial = (layer: number, d: number) => ({ h: rows(h0, layer, d), c: c0 ? rows(c0, layer, d) : null });
      return finish(stack[0].map((w, d) => runRecurrent(sequence, w, { reverse: d === 1, returnSequence: true, initial: initial(0, d), projected: projected(lookup, d) })), initial);
    },
    parameterCount,
    dispose: () => {
      tables.forEach((t) => t.dispose());
      stack.flat().forEach(disposeWeights);
    },
  };
}

/** Weights from a state dict: each tensor checked against the shape the constructor implies. */
export class StateDictWeights implements WeightSource {
  readonly used = new Set<string>();
  constructor(private readonly tensors: Map<string, NamedTensor>, readonly where: string) {}

  take(name: string, shape: number[]): Float32Array {
    const tensor = this.tensors.get(name);
    if (!tensor) {
      const near = [...this.tensors.keys()].filter((k) => k.split('.')[0] === name.split('.')[0]);
      throw new InputError(this.where, null, `the weights have no tensor '${name}' ${formatShape(shape)}${near.length > 0 ? ` (tensors under '${name.split('.')[0]}': ${near.join(', ')})` : ` (the file holds: ${[...this.tensors.keys()].slice(0, 12).join(', ')}${this.tensors.size > 12 ? ', …' : ''})`}`);
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new InputError(this.where, null, `tensor '${name}' is ${formatShape(tensor.shape)} but the model's constructor arguments need ${formatShape(shape)}`);
    }
    this.used.add(name);
    return tensor.values;
  }

  unused(): string[] {
    return [...this.tensors.keys()].filter((k) => !this.used.has(k) && !k.endsWith('num_batches_tracked'));
  }
}

/**
 * Parameters "Verify shapes" gives random weights to, at most: 50 million float32 values (200 MB,
 * about three times that once TensorFlow.js holds its own copies), counted before each allocation.
 */
export const MAX_RANDOM_PARAMETERS = 50_000_000;

/** Random weights, uniform in ±1/sqrt(fan), PyTorch's own default scale for these layers. */
export class RandomWeights implements WeightSource {
  readonly where = 'random weights';
  private seed: number;
  /** Parameters handed out so far. */
  total = 0;
  constructor(seed = 1, private readonly limit = MAX_RANDOM_PARAMETERS) {
    this.seed = seed;
  }

  take(name: string, shape: number[]): Float32Array {
    const count = shape.reduce((a, b) => a * b, 1);
    if (this.total + count > this.limit) {
      const mb = (n: number) => `${Math.round((n * 4) / 1e6).toLocaleString('en-US')} MB`;
      throw new Error(`'${name}' ${formatShape(shape)} holds ${count.toLocaleString('en-US')} parameters (${mb(count)} as float32), which would bring the model to ${(this.total + count).toLocaleString('en-US')}: Verify Shapes builds models of up to ${this.limit.toLocaleString('en-US')} parameters (${mb(this.limit)}); smaller sizes show the same shapes`);
    }
    this.total += count;
    const fan = shape.length > 1 ? shape[shape.length - 1] : shape[0];
    const scale = 1 / Math.sqrt(Math.max(1, fan));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
      out[i] = (this.seed / 2147483648 * 2 - 1) * scale;
    }
    return out;
  }
}
