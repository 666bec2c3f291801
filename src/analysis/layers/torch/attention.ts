// nn.MultiheadAttention and the Transformer layers: arguments, forward arguments by name, output shapes, hovers.
// All default to batch_first=False: a batched input is (seq, batch, embed) unless the layer says otherwise.
import { Dim, DimRole, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf, withLast } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, boolValue, intValue, sequence } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argDim, argInt, argValue } from '../layer';

const int = (value: number): Value => ({ kind: 'int', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });
const NONE: Value = { kind: 'none' };

export const ATTENTION_KINDS = ['MultiheadAttention', 'TransformerEncoderLayer', 'TransformerDecoderLayer', 'TransformerEncoder', 'TransformerDecoder', 'Transformer'] as const;

const LAYER_PARAMS: ParamSpec[] = [
  { name: 'd_model' },
  { name: 'nhead' },
  { name: 'dim_feedforward', default: int(2048) },
  { name: 'dropout', default: { kind: 'float', value: 0.1 } },
  { name: 'activation', default: { kind: 'str', value: 'relu' } },
  { name: 'layer_norm_eps', default: { kind: 'float', value: 1e-5 } },
  { name: 'batch_first', default: bool(false) },
  { name: 'norm_first', default: bool(false) },
];

const PARAMS: Record<string, ParamSpec[]> = {
  MultiheadAttention: [
    { name: 'embed_dim' },
    { name: 'num_heads' },
    { name: 'dropout', default: { kind: 'float', value: 0 } },
    { name: 'bias', default: bool(true) },
    { name: 'add_bias_kv', default: bool(false) },
    { name: 'add_zero_attn', default: bool(false) },
    { name: 'kdim', default: NONE },
    { name: 'vdim', default: NONE },
    { name: 'batch_first', default: bool(false) },
  ],
  TransformerEncoderLayer: LAYER_PARAMS,
  TransformerDecoderLayer: LAYER_PARAMS,
  TransformerEncoder: [{ name: 'encoder_layer' }, { name: 'num_layers' }, { name: 'norm', default: NONE }, { name: 'enable_nested_tensor', default: bool(true) }, { name: 'mask_check', default: bool(true) }],
  TransformerDecoder: [{ name: 'decoder_layer' }, { name: 'num_layers' }, { name: 'norm', default: NONE }],
  Transformer: [
    { name: 'd_model', default: int(512) },
    { name: 'nhead', default: int(8) },
    { name: 'num_encoder_layers', default: int(6) },
    { name: 'num_decoder_layers', default: int(6) },
    { name: 'dim_feedforward', default: int(2048) },
    { name: 'dropout', default: { kind: 'float', value: 0.1 } },
    { name: 'activation', default: { kind: 'str', value: 'relu' } },
    { name: 'custom_encoder', default: NONE },
    { name: 'custom_decoder', default: NONE },
    { name: 'layer_norm_eps', default: { kind: 'float', value: 1e-5 } },
    { name: 'batch_first', default: bool(false) },
    { name: 'norm_first', default: bool(false) },
  ],
};

/** The forward parameters in positional order: masks may be passed either way. */
const FORWARD: Record<string, string[]> = {
  MultiheadAttention: ['query', 'key', 'value', 'key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights'],
  TransformerEncoderLayer: ['src', 'src_mask', 'src_key_padding_mask'],
  TransformerDecoderLayer: ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'],
  TransformerEncoder: ['src', 'mask', 'src_key_padding_mask'],
  TransformerDecoder: ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'],
  Transformer: ['src', 'tgt', 'src_mask', 'tgt_mask', 'memory_mask', 'src_key_padding_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'],
};

export function isAttention(layer: LayerDesc): boolean {
  return layer.framework === 'torch' && isAttentionKind(layer.kind);
}

/** The attention layers by kind (the framework aside). */
export function isAttentionKind(kind: string): boolean {
  return (ATTENTION_KINDS as readonly string[]).includes(kind);
}

/** A forward argument by name, whether passed positionally or by keyword; undefined when absent. */
export function forwardArg(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, name: string): { value: Value; position?: number } | undefined {
  const order = FORWARD[layer.kind] ?? [];
  const i = order.indexOf(name);
  if (kwargs.has(name)) return { value: kwargs.get(name)! };
  if (i >= 0 && i < args.length) return { value: args[i], position: i };
  return undefined;
}

/** The layer a stack (TransformerEncoder/Decoder) repeats; the layer itself otherwise. */
export function innerLayer(layer: LayerDesc): LayerDesc | undefined {
  if (layer.kind === 'TransformerEncoder' || layer.kind === 'TransformerDecoder') {
    const inner = argValue(layer, layer.kind === 'TransformerEncoder' ? 'encoder_layer' : 'decoder_layer');
    return inner.kind === 'layer' && inner.layer.framework === 'torch' && inner.layer.kind.startsWith('Transformer') ? inner.layer : undefined;
  }
  return layer;
}

/** Everything rules and hovers need about one attention layer, unknowns left undefined. */
export interface AttentionConfig {
  /** The layer whose constructor holds embed_dim/d_model, num_heads/nhead and batch_first. */
  holder?: LayerDesc;
  embedArg: 'embed_dim' | 'd_model';
  headsArg: 'num_heads' | 'nhead';
  embedDim?: number;
  numHeads?: number;
  batchFirst?: boolean;
  kdim?: number;
  vdim?: number;
}

export function attentionConfig(layer: LayerDesc): AttentionConfig {
  const holder = innerLayer(layer);
  const mha = holder?.kind === 'MultiheadAttention';
  const embedArg = mha ? 'embed_dim' : 'd_model';
  const headsArg = mha ? 'num_heads' : 'nhead';
  if (!holder) return { embedArg, headsArg };
  const embedDim = argInt(holder, embedArg);
  const kdimValue = mha ? argValue(holder, 'kdim') : NONE;
  const vdimValue = mha ? argValue(holder, 'vdim') : NONE;
  return {
    holder,
    embedArg,
    headsArg,
    embedDim,
    numHeads: argInt(holder, headsArg),
    batchFirst: boolValue(argValue(holder, 'batch_first')),
    kdim: kdimValue.kind === 'none' ? embedDim : intValue(kdimValue),
    vdim: vdimValue.kind === 'none' ? embedDim : intValue(vdimValue),
  };
}

/** (batch, seq) axes of a batched 3-D input under this batch_first; undefined when it cannot tell. */
export function attentionAxes(batchFirst: boolean | undefined, shape: Shape): { batch: Dim; seq: Dim; batchAxis: number; seqAxis: number } | undefined {
  if (!shape.rankKnown || shape.dims.length !== 3 || batchFirst === undefined) return undefined;
  return batchFirst ? { batch: shape.dims[0], seq: shape.dims[1], batchAxis: 0, seqAxis: 1 } : { batch: shape.dims[1], seq: shape.dims[0], batchAxis: 1, seqAxis: 0 };
}

function relabel(d: Dim, role: DimRole): Dim {
  return d.kind === 'unknown' ? { kind: 'unknown', role } : { ...d, role };
}

/** The input's shape with its last axis replaced by the model width (from the layer that sets it). */
function sameLayout(input: Value | undefined, layer: LayerDesc, origin: ApplyContext['origin']): TensorValue {
  const config = attentionConfig(layer);
  const width = config.holder ? argDim(config.holder, config.embedArg, 'feature') : UNKNOWN_DIM;
  if (input?.kind !== 'tensor') return { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  const rank = input.shape.rankKnown ? input.shape.dims.length : undefined;
  if (rank !== undefined && rank !== 2 && rank !== 3) return { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  let shape = withLast(input.shape, width);
  const axes = attentionAxes(config.batchFirst, input.shape);
  if (axes) {
    const dims = [...shape.dims];
    dims[axes.batchAxis] = relabel(dims[axes.batchAxis], 'batch');
    dims[axes.seqAxis] = relabel(dims[axes.seqAxis], 'time');
    shape = shapeOf(dims);
  }
  return { kind: 'tensor', dtype: 'float', origin, shape };
}

function applyMultiheadAttention(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const query = forwardArg(layer, args, kwargs, 'query')?.value;
  const key = forwardArg(layer, args, kwargs, 'key')?.value;
  const output = sameLayout(query, layer, ctx.origin);
  const needWeights = boolValue(forwardArg(layer, args, kwargs, 'need_weights')?.value ?? bool(true));
  const average = boolValue(forwardArg(layer, args, kwargs, 'average_attn_weights')?.value ?? bool(true));
  const extraKeys = boolValue(argValue(layer, 'add_bias_kv')) === false && boolValue(argValue(layer, 'add_zero_attn')) === false ? 0 : undefined;
  let weights: Value = UNKNOWN;
  if (needWeights === false) weights = NONE;
  else if (needWeights === true && query?.kind === 'tensor' && key?.kind === 'tensor' && query.shape.rankKnown && key.shape.rankKnown && average !== undefined) {
    const config = attentionConfig(layer);
    const heads = argDim(layer, 'num_heads');
    const q = query.shape.dims;
    const k = key.shape.dims;
    let target: Dim | undefined;
    let source: Dim | undefined;
    let lead: Dim[] | undefined;
    if (q.length === 2 && k.length === 2) {
      target = q[0];
      source = k[0];
      lead = [];
    } else if (q.length === 3 && k.length === 3 && config.batchFirst !== undefined) {
      const qa = attentionAxes(config.batchFirst, query.shape)!;
      const ka = attentionAxes(config.batchFirst, key.shape)!;
      target = qa.seq;
      source = ka.seq;
      lead = [qa.batch];
    }
    if (target && source && lead) {
      const src = extraKeys === 0 ? source : UNKNOWN_DIM;
      weights = { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf(average ? [...lead, target, src] : [...lead, heads, target, src]) };
    }
  }
  return sequence('tuple', [output, weights]);
}

function applyAttention(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  if (layer.kind === 'MultiheadAttention') return applyMultiheadAttention(layer, args, kwargs, ctx);
  // Every Transformer block returns its first input's (or, for the full model, the target's) layout at width d_model.
  const first = layer.kind === 'Transformer' ? forwardArg(layer, args, kwargs, 'tgt')?.value : args[0] ?? kwargs.get(FORWARD[layer.kind][0]);
  return sameLayout(first, layer, ctx.origin);
}

function show(n: number | undefined, fallback: string): string {
  return n === undefined ? fallback : String(n);
}

function hoverAttention(layer: LayerDesc): string {
  const c = attentionConfig(layer);
  const e = show(c.embedDim, c.embedArg);
  const h = show(c.numHeads, c.headsArg);
  const bf = c.batchFirst;
  const io = bf === undefined ? `(…, ${e})` : bf ? `(batch, seq, ${e})` : `(seq, batch, ${e})`;
  const perHead = c.embedDim !== undefined && c.numHeads ? c.embedDim / c.numHeads : undefined;
  const title: Record<string, string> = {
    MultiheadAttention: 'attention of every query position over the key positions',
    TransformerEncoderLayer: 'self-attention and a feed-forward block',
    TransformerDecoderLayer: 'masked self-attention, attention over the memory, and a feed-forward block',
    TransformerEncoder: `${show(argInt(layer, 'num_layers'), 'num_layers')} stacked encoder layers`,
    TransformerDecoder: `${show(argInt(layer, 'num_layers'), 'num_layers')} stacked decoder layers`,
    Transformer: 'an encoder-decoder Transformer',
  };
  const forward = layer.kind === 'MultiheadAttention'
    ? `query ${io}, key/value ${bf === undefined ? '(…)' : bf ? '(batch, src_len, …)' : '(src_len, batch, …)'} → output ${io}, weights (batch, tgt_len, src_len)`
    : layer.kind === 'Transformer' || layer.kind.includes('Decoder')
      ? `tgt ${io}, memory/src ${bf === undefined ? '(…)' : bf ? `(batch, src_len, ${e})` : `(src_len, batch, ${e})`} → output ${io}`
      : `src ${io} → output ${io}`;
  return [
    `**nn.${layer.kind}** — ${title[layer.kind]}${bf === undefined ? '' : bf ? ', batch-first' : ', sequence-first'}`,
    '',
    '```',
    forward,
    '```',
    '',
    '| argument | value | meaning |',
    '|---|---|---|',
    `| \`${c.embedArg}\` | ${e} | features per position: the input's last dimension${perHead !== undefined ? ` (${Number.isInteger(perHead) ? perHead : perHead.toFixed(2)} per head)` : ''} |`,
    `| \`${c.headsArg}\` | ${h} | attention heads: must divide ${c.embedArg} |`,
    `| \`batch_first\` | ${bf === undefined ? '?' : bf ? 'True' : 'False'} | ${bf ? 'inputs are (batch, seq, feature)' : 'inputs are (seq, batch, feature); set True for (batch, seq, feature)'} |`,
    '',
    '**Common mistakes**',
    `- (batch, seq, ${e}) data with \`batch_first=False\` runs without an error when the sizes fit: attention then mixes the sequences of the batch with each other.`,
    '- `key_padding_mask` is (batch, src_len) and `True` marks padding; `attn_mask` is (tgt_len, src_len). A 0/1 float mask is *added* to the scores, so it masks nothing: use a bool mask.',
    '- `generate_square_subsequent_mask(sz)` takes the target length, not the batch size.',
  ].join('\n');
}

export const torchAttention: LayerFamily = {
  framework: 'torch',
  kinds: ATTENTION_KINDS,
  params: (kind) => PARAMS[kind] ?? [],
  apply: applyAttention,
  hover: hoverAttention,
};

/** Marks the dimensions of a mask built by generate_square_subsequent_mask, so a rule can name where its size came from. */
export interface SubsequentMaskMark {
  subsequentMaskOf: ApplyContext['origin'];
}

export function subsequentMaskMark(d: Dim): SubsequentMaskMark | undefined {
  const p = d.kind !== 'unknown' ? d.producer : undefined;
  return p && typeof p === 'object' && 'subsequentMaskOf' in p ? (p as SubsequentMaskMark) : undefined;
}

/** `generate_square_subsequent_mask(sz)`: a (sz, sz) float mask, 0 on and below the diagonal, -inf above. */
export function subsequentMask(size: Value | undefined, origin: ApplyContext['origin']): TensorValue {
  const producer: SubsequentMaskMark = { subsequentMaskOf: origin };
  let dim: Dim = UNKNOWN_DIM;
  if (size?.kind === 'int' && size.value >= 0) dim = intDim(size.value, { origin: size.origin ?? origin, label: size.label, producer });
  else if (size?.kind === 'symint' && size.dim.kind !== 'unknown') dim = { ...size.dim, producer };
  return { kind: 'tensor', dtype: 'float', origin, shape: shapeOf([dim, dim]), maxValue: 0 };
}
