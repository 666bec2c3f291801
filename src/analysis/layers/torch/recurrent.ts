// nn.RNN, nn.GRU and nn.LSTM: arguments, output shapes and the words for their hovers.
import { Dim, DimRole, intDim, symDim, UNKNOWN_DIM } from '../../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { PackedValue, TensorValue, UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { contiguousStrides, knownSizes } from '../../ops/layout';
import { LayerDesc, ParamSpec, argBool, argDim, argInt } from '../layer';

const int = (value: number): Value => ({ kind: 'int', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });

const COMMON: ParamSpec[] = [
  { name: 'input_size' },
  { name: 'hidden_size' },
  { name: 'num_layers', default: int(1) },
  { name: 'bias', default: bool(true) },
  { name: 'batch_first', default: bool(false) },
  { name: 'dropout', default: { kind: 'float', value: 0 } },
  { name: 'bidirectional', default: bool(false) },
];

export function isRecurrent(layer: LayerDesc): boolean {
  return layer.framework === 'torch' && isRecurrentKind(layer.kind);
}

/** nn.RNN, nn.GRU and nn.LSTM by kind (the framework aside). */
export function isRecurrentKind(kind: string): boolean {
  return kind === 'RNN' || kind === 'GRU' || kind === 'LSTM';
}

/** Everything a rule or a hover needs to know about one recurrent layer, with unknowns left undefined. */
export interface RecurrentConfig {
  inputSize?: number;
  hiddenSize?: number;
  numLayers: number | undefined;
  directions: number | undefined;
  batchFirst: boolean | undefined;
  projSize: number;
  isLstm: boolean;
  /** Feature size of each output step: directions × (proj_size or hidden_size). */
  outputSize?: number;
  /** First dimension of h_0 / h_n: num_layers × directions. */
  stateLayers?: number;
}

/**
 * Each layer's configuration, worked out once: about ten rules and the layer's own shape rule ask for it at every call
 * of the layer. A layer's arguments are fixed when it is built (a join or a filled-in instantiation makes a new layer).
 */
const configs = new WeakMap<LayerDesc, Readonly<RecurrentConfig>>();

export function recurrentConfig(layer: LayerDesc): Readonly<RecurrentConfig> {
  let config = configs.get(layer);
  if (!config) configs.set(layer, (config = configOf(layer)));
  return config;
}

function configOf(layer: LayerDesc): RecurrentConfig {
  const numLayers = argInt(layer, 'num_layers');
  const bidirectional = argBool(layer, 'bidirectional');
  const directions = bidirectional === undefined ? undefined : bidirectional ? 2 : 1;
  const projSize = argInt(layer, 'proj_size') ?? 0;
  const hiddenSize = argInt(layer, 'hidden_size');
  const perDirection = projSize > 0 ? projSize : hiddenSize;
  return {
    inputSize: argInt(layer, 'input_size'),
    hiddenSize,
    numLayers,
    directions,
    batchFirst: argBool(layer, 'batch_first'),
    projSize,
    isLstm: layer.kind === 'LSTM',
    outputSize: perDirection !== undefined && directions !== undefined ? perDirection * directions : undefined,
    stateLayers: numLayers !== undefined && directions !== undefined ? numLayers * directions : undefined,
  };
}

/** Output feature dimension, remembering it came from this layer's hidden_size (× 2 when bidirectional). */
export function outputFeatureDim(layer: LayerDesc): Dim {
  const config = recurrentConfig(layer);
  if (config.directions === undefined) return { kind: 'unknown', role: 'feature' };
  const name = config.projSize > 0 ? 'proj_size' : 'hidden_size';
  return argDim(layer, name, 'feature', config.directions);
}

function stateDims(layer: LayerDesc, batch: Dim | undefined, cell: boolean): Dim[] {
  const config = recurrentConfig(layer);
  const first = config.stateLayers !== undefined ? intDim(config.stateLayers, { origin: { range: layer.call.range, text: 'num_layers × directions' }, producer: layer, stateLayers: true }) : UNKNOWN_DIM;
  const size = cell || config.projSize === 0 ? argDim(layer, 'hidden_size', 'feature') : argDim(layer, 'proj_size', 'feature');
  return batch ? [first, batch, size] : [first, size];
}

/**
 * The layout of 3-D sequence data, read from the roles its first two axes were given (by the names they were built from,
 * batch_size or seq_len, or by the recurrent layer that produced them): undefined when those say nothing.
 */
export function dataLayout(input: TensorValue): 'batch-first' | 'seq-first' | undefined {
  if (!input.shape.rankKnown || input.shape.dims.length !== 3) return undefined;
  const [a, b] = input.shape.dims;
  if ((a.role === 'batch' && b.role !== 'batch') || (b.role === 'time' && a.role !== 'time')) return 'batch-first';
  if ((a.role === 'time' && b.role !== 'time') || (b.role === 'batch' && a.role !== 'batch')) return 'seq-first';
  return undefined;
}

/** Reads (batch, time) from an input of the layer, by its batch_first setting. */
export function inputAxes(layer: LayerDesc, shape: Shape): { batch?: Dim; time?: Dim; batched: boolean } {
  const batchFirst = recurrentConfig(layer).batchFirst;
  if (!shape.rankKnown) return { batched: true };
  if (shape.dims.length === 2) return { time: shape.dims[0], batched: false };
  if (shape.dims.length !== 3 || batchFirst === undefined) return { batched: true };
  return batchFirst
    ? { batch: shape.dims[0], time: shape.dims[1], batched: true }
    : { batch: shape.dims[1], time: shape.dims[0], batched: true };
}

function relabel(d: Dim, role: DimRole): Dim {
  return d.kind === 'unknown' ? { kind: 'unknown', role } : { ...d, role };
}

function outputFor(layer: LayerDesc, input: TensorValue, ctx: ApplyContext): { output: TensorValue; batch?: Dim } {
  const config = recurrentConfig(layer);
  const feature = outputFeatureDim(layer);
  const origin = ctx.origin;
  const shape = input.shape;
  if (shape.rankKnown && shape.dims.length === 2) {
    return { output: { kind: 'tensor', dtype: 'float', origin, shape: shapeOf([relabel(shape.dims[0], 'time'), feature]) } };
  }
  if (shape.rankKnown && shape.dims.length !== 3) return { output: { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE } };
  // An input known only by name: its size(0)/size(1) are the batch and time symbols, so an h0 built
  // from `x.size(0)` can be compared with them.
  // Given input of unknown rank, the output is taken to be batched (PyTorch also takes an unbatched 2-D sequence): its
  // batch and time axes say they were assumed.
  const assumed = shape.rankKnown ? {} : { layoutAssumed: true as const };
  const named = (axis: number, role: DimRole) => (input.name ? symDim(`${input.name}.size(${axis})`, { role, ...assumed }) : symDim(role, { role, ...assumed }));
  let batch: Dim = named(config.batchFirst ? 0 : 1, 'batch');
  let time: Dim = named(config.batchFirst ? 1 : 0, 'time');
  if (shape.rankKnown) {
    const axes = inputAxes(layer, shape);
    if (axes.batch) batch = relabel(axes.batch, 'batch');
    if (axes.time) time = relabel(axes.time, 'time');
  }
  if (config.batchFirst === undefined) return { output: { kind: 'tensor', dtype: 'float', origin, shape: { dims: [feature], rankKnown: false } } };
  let dims = config.batchFirst ? [batch, time, feature] : [time, batch, feature];
  // The layer never moves its first two axes: when the data says which of them holds the samples and the layer reads
  // them the other way round (SL102 reports the call), each output axis still holds what the same input axis held, so
  // it keeps the input's role, and the output is not marked as read by the layer's layout: the rules that check how a
  // recurrent output is indexed or viewed would only repeat the call's mistake. The state's batch is still the axis the
  // layer read as one.
  const layout = dataLayout(input);
  const misread = layout !== undefined && layout !== (config.batchFirst ? 'batch-first' : 'seq-first');
  if (misread) dims = [shape.dims[0], shape.dims[1], feature];
  const output: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: shapeOf(dims), rnnOutput: !misread };
  if (layout === undefined) output.layoutFromFlag = layer;
  if (config.directions === 2) output.bidirectionalOf = layer;
  // The layer computes (time, batch, features) in one block and returns batch_first output as a transposed view.
  const sizes = knownSizes([time, batch, feature]);
  if (sizes) {
    const [t, b, f] = contiguousStrides(sizes);
    output.strides = config.batchFirst ? [b, t, f] : [t, b, f];
  }
  return { output, batch };
}

function applyRecurrent(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const config = recurrentConfig(layer);
  let output: Value = UNKNOWN;
  let batch: Dim | undefined;
  let batched = true;
  if (input?.kind === 'tensor') {
    const result = outputFor(layer, input, ctx);
    output = result.output;
    batch = result.batch;
    batched = !(input.shape.rankKnown && input.shape.dims.length === 2);
  } else if (input?.kind === 'packed') {
    const padded = outputFor(layer, { ...input.padded, shape: packedAsLayerLayout(layer, input) }, ctx);
    batch = padded.batch;
    const packedOut: PackedValue = { kind: 'packed', padded: padded.output, batchFirst: config.batchFirst ?? false, origin: ctx.origin };
    if (input.lengths) packedOut.lengths = input.lengths;
    if (input.equalLengths) packedOut.equalLengths = true;
    output = packedOut;
  }
  const stateBatch = batched ? batch ?? symDim('batch', { role: 'batch' }) : undefined;
  const h: Value = { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf(stateDims(layer, stateBatch, false)) };
  const state: Value = config.isLstm
    ? { kind: 'tuple', items: [h, { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf(stateDims(layer, stateBatch, true)), cellStateOf: layer }], tag: { kind: 'lstm-state', layer, call: ctx.call } }
    : h;
  return { kind: 'tuple', items: [output, state], tag: { kind: 'rnn-output', layer, call: ctx.call } };
}

/** A PackedSequence is laid out by how it was packed; the layer reads it by its own batch_first. */
function packedAsLayerLayout(layer: LayerDesc, packed: PackedValue): Shape {
  const shape = packed.padded.shape;
  const layerFirst = recurrentConfig(layer).batchFirst;
  if (!shape.rankKnown || shape.dims.length !== 3 || layerFirst === undefined || layerFirst === packed.batchFirst) return shape;
  return shapeOf([shape.dims[1], shape.dims[0], shape.dims[2]]);
}

function show(n: number | undefined, fallback: string): string {
  return n === undefined ? fallback : String(n);
}

function hoverRecurrent(layer: LayerDesc): string {
  const c = recurrentConfig(layer);
  const inSize = show(c.inputSize, 'input_size');
  const out = show(c.outputSize, c.directions === 2 ? '2 × hidden_size' : 'hidden_size');
  const hidden = show(c.hiddenSize, 'hidden_size');
  const layers = show(c.stateLayers, 'num_layers × directions');
  const hOut = c.projSize > 0 ? String(c.projSize) : hidden;
  const bf = c.batchFirst;
  const input = bf ? `(batch, seq, ${inSize})` : `(seq, batch, ${inSize})`;
  const output = bf ? `(batch, seq, ${out})` : `(seq, batch, ${out})`;
  const state = c.isLstm ? `(h_n (${layers}, batch, ${hOut}), c_n (${layers}, batch, ${hidden}))` : `h_n (${layers}, batch, ${hOut})`;
  const lines = [
    `**nn.${layer.kind}** — ${bf ? 'batch-first' : 'sequence-first'}${c.directions === 2 ? ', bidirectional' : ''}`,
    '',
    '```',
    `input ${input} → output ${output}, ${state}`,
    '```',
    '',
    '| argument | value | meaning |',
    '|---|---|---|',
    `| \`input_size\` | ${inSize} | features per time step, i.e. the embedding size or the input's last dimension |`,
    `| \`hidden_size\` | ${hidden} | features in the hidden state of each direction |`,
    `| \`num_layers\` | ${show(c.numLayers, '?')} | stacked recurrent layers |`,
    `| \`batch_first\` | ${bf === undefined ? '?' : bf ? 'True' : 'False'} | ${bf ? 'input and output are (batch, seq, feature)' : 'input and output are (seq, batch, feature); set True for (batch, seq, feature)'} |`,
    `| \`bidirectional\` | ${c.directions === undefined ? '?' : c.directions === 2 ? 'True' : 'False'} | ${c.directions === 2 ? 'the output concatenates both directions: its last dimension is 2 × hidden_size' : 'one direction'} |`,
  ];
  if (c.isLstm) lines.push(`| \`proj_size\` | ${c.projSize} | ${c.projSize > 0 ? 'h_n and the output are projected to proj_size' : 'no projection'} |`);
  lines.push(
    '',
    '**Common mistakes**',
    `- The hidden state is never batch-first: \`h_0\` is (${layers}, batch, ${hOut}) even with \`batch_first=True\`.`,
    c.isLstm
      ? '- An LSTM returns `output, (h_n, c_n)`: unpack the state as a pair.'
      : `- ${layer.kind} returns \`output, h_n\`: there is no cell state to unpack.`,
    c.directions === 2
      ? `- A layer after it needs ${show(c.outputSize, '2 × hidden_size')} input features, not ${hidden}.`
      : '- `dropout` only applies between stacked layers: it does nothing when `num_layers=1`.',
  );
  if (!bf) lines.push('- With sequence-first output, the last time step is `output[-1]`, not `output[:, -1]`.');
  return lines.join('\n');
}

export const torchRecurrent: LayerFamily = {
  framework: 'torch',
  kinds: ['RNN', 'GRU', 'LSTM'],
  params(kind) {
    if (kind === 'RNN') return [...COMMON.slice(0, 3), { name: 'nonlinearity', default: { kind: 'str', value: 'tanh' } }, ...COMMON.slice(3)];
    if (kind === 'LSTM') return [...COMMON, { name: 'proj_size', default: int(0) }];
    return COMMON;
  },
  apply: applyRecurrent,
  hover: hoverRecurrent,
};

