// keras.layers.MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
// attention_axes=None), called as mha(query, value, key=None, attention_mask=None, return_attention_scores=False).
// As tf.keras 2.x and Keras 3 compute it (and tfjs-layers' MultiHeadAttention):
//   output: query.shape[:-1] + (output_shape or query.shape[-1],)
//   scores: (the query's axes that are neither attended nor the last, num_heads, the attended query axes, the
//           attended key axes); attention_axes defaults to every axis but the batch and the features, so a
//           (B, T, dim) query and a (B, S, dim) value give (B, num_heads, T, S).
// The checks on these shapes (key against value, attention_mask against the scores) are SL218's.
import { Dim, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argBool, argDim, argInt, argValue } from '../layer';
import { kerasTensor } from './dims';

export interface AttentionCall {
  query?: Value;
  value?: Value;
  key?: Value;
  mask?: Value;
  scores: boolean;
}

/** The tensors of one call, positional or by keyword. */
export function attentionCall(args: Value[], kwargs: Map<string, Value>): AttentionCall {
  const scores = kwargs.get('return_attention_scores') ?? args[4];
  return {
    query: args[0] ?? kwargs.get('query'),
    value: args[1] ?? kwargs.get('value'),
    key: args[2] ?? kwargs.get('key'),
    mask: args[3] ?? kwargs.get('attention_mask'),
    scores: scores?.kind === 'bool' && scores.value,
  };
}

/** The attended axes for a query of this rank, normalised; undefined when attention_axes is not known. */
export function attentionAxes(layer: LayerDesc, rank: number): number[] | undefined {
  const given = argValue(layer, 'attention_axes');
  if (!layer.args.has('attention_axes') || given.kind === 'none') return Array.from({ length: Math.max(0, rank - 2) }, (_, i) => i + 1);
  const items = given.kind === 'tuple' || given.kind === 'list' ? given.items : [given];
  const axes = items.map(intValue);
  if (axes.some((a) => a === undefined)) return undefined;
  const normal = (axes as number[]).map((a) => (a < 0 ? a + rank : a));
  return normal.every((a) => a >= 1 && a < rank - 1) ? normal : undefined;
}

/** The attention scores' shape for these query and key shapes; undefined when it cannot be told. */
export function scoresShape(layer: LayerDesc, query: TensorValue, key: TensorValue): Dim[] | undefined {
  if (!query.shape.rankKnown || !key.shape.rankKnown) return undefined;
  const rank = query.shape.dims.length;
  if (rank < 3 || key.shape.dims.length !== rank) return undefined;
  const axes = attentionAxes(layer, rank);
  if (!axes) return undefined;
  const batchAxes = Array.from({ length: rank - 1 }, (_, i) => i).filter((i) => !axes.includes(i));
  return [...batchAxes.map((i) => query.shape.dims[i]), argDim(layer, 'num_heads'), ...axes.map((i) => query.shape.dims[i]), ...axes.map((i) => key.shape.dims[i])];
}

function apply(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const call = attentionCall(args, kwargs);
  const query = call.query?.kind === 'tensor' ? call.query : undefined;
  const value = call.value?.kind === 'tensor' ? call.value : undefined;
  if (!query || !value) return UNKNOWN;
  const key = call.key?.kind === 'tensor' ? call.key : value;
  let output: TensorValue = kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  if (query.shape.rankKnown && query.shape.dims.length >= 3) {
    const dims = query.shape.dims;
    const given = argValue(layer, 'output_shape');
    const last: Dim[] | undefined = !layer.args.has('output_shape') || given.kind === 'none'
      ? [dims[dims.length - 1]]
      : given.kind === 'tuple' || given.kind === 'list'
        ? given.items.map((v) => { const n = intValue(v); return n !== undefined ? intDim(n, { origin: ctx.origin }) : { kind: 'unknown' as const }; })
        : intValue(given) !== undefined ? [intDim(intValue(given)!, { origin: ctx.origin })] : undefined;
    if (last) output = kerasTensor(shapeOf([...dims.slice(0, -1), ...last]), ctx.origin);
  }
  if (!call.scores) return output;
  const scores = scoresShape(layer, query, key);
  return { kind: 'tuple', items: [output, kerasTensor(scores ? shapeOf(scores) : UNKNOWN_SHAPE, ctx.origin)] };
}

function hover(layer: LayerDesc): string {
  const heads = argInt(layer, 'num_heads');
  const keyDim = argInt(layer, 'key_dim');
  return [
    `**layers.MultiHeadAttention** — \`num_heads=${heads ?? '?'}\`, \`key_dim=${keyDim ?? '?'}\`${argBool(layer, 'use_bias') === false ? ', no bias' : ''}`,
    '',
    '```',
    'query (B, T, dim), value (B, S, dim), key (B, S, dim) → output (B, T, dim)',
    `return_attention_scores=True → also scores (B, ${heads ?? 'num_heads'}, T, S)`,
    'attention_mask: (B, T, S), or (B, 1, S) for padding',
    '```',
    '',
    "Batch first, unlike PyTorch's `nn.MultiheadAttention`. key_dim is the size of each head, not the model's width.",
  ].join('\n');
}

/**
 * keras.layers.Attention(use_scale=False, score_mode='dot', dropout=0.0) and AdditiveAttention(use_scale=True,
 * dropout=0.0), called on a list [query, value] or [query, value, key] of (B, Tq, dim) and (B, Tv, dim) tensors:
 * one output, scores @ value, (B, Tq, value's dim); with return_attention_scores=True (tf.keras 2.4 and later, Keras
 * 3) the pair (output, scores), the scores (B, Tq, Tv). Whether that pair is unpacked as such is SL219's.
 */
function applyDotAttention(_layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const inputs = args[0] ?? kwargs.get('inputs');
  const items = inputs && (inputs.kind === 'list' || inputs.kind === 'tuple') && !inputs.element ? inputs.items : undefined;
  if (!items || items.length < 2 || items.length > 3) return UNKNOWN;
  const [query, value] = items;
  let output: TensorValue = kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  let scores: TensorValue = kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  if (query.kind === 'tensor' && value.kind === 'tensor' && query.shape.rankKnown && value.shape.rankKnown && query.shape.dims.length === 3 && value.shape.dims.length === 3) {
    const [b, tq] = query.shape.dims;
    const [, tv, dim] = value.shape.dims;
    output = kerasTensor(shapeOf([b, tq, dim]), ctx.origin);
    scores = kerasTensor(shapeOf([b, tq, tv]), ctx.origin);
  }
  const flag = kwargs.get('return_attention_scores');
  if (!flag || (flag.kind === 'bool' && !flag.value)) return output;
  return flag.kind === 'bool' ? { kind: 'tuple', items: [output, scores] } : UNKNOWN;
}

function hoverDotAttention(layer: LayerDesc): string {
  return [
    `**layers.${layer.kind}** — ${layer.kind === 'Attention' ? 'dot-product' : 'additive (Bahdanau)'} attention, called on a list`,
    '',
    '```',
    '[query (B, Tq, dim), value (B, Tv, dim)] → output (B, Tq, dim)',
    'return_attention_scores=True → (output, scores (B, Tq, Tv))',
    '```',
    '',
    'One tensor unless return_attention_scores=True: `out, weights = layer([q, v])` without it iterates over the batch axis.',
  ].join('\n');
}

export const kerasDotAttention: LayerFamily = {
  framework: 'keras',
  kinds: ['Attention', 'AdditiveAttention'],
  params: (kind) => [{ name: 'use_scale', default: { kind: 'bool', value: kind === 'AdditiveAttention' } }],
  apply: applyDotAttention,
  hover: hoverDotAttention,
};

export const kerasAttention: LayerFamily = {
  framework: 'keras',
  kinds: ['MultiHeadAttention'],
  params: () => ['num_heads', 'key_dim', 'value_dim', 'dropout', 'use_bias', 'output_shape', 'attention_axes'].map((name) => ({ name })),
  apply,
  hover,
};
