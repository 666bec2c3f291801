import type { LayerDesc } from '../../layers/layer';
import type { Value } from '../../values/value';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

const ATTENTION_KINDS = new Set(['Attention', 'AdditiveAttention', 'MultiHeadAttention']);

/** The attention layer whose call made this value, and how many tensors that call returns (1, or 2 with scores). */
function attentionResult(value: Value): { layer: LayerDesc; count: number } | undefined {
  if (value.kind === 'tensor') {
    const node = value.kerasNode;
    return node && node.index === undefined && ATTENTION_KINDS.has(node.layer.kind) ? { layer: node.layer, count: 1 } : undefined;
  }
  if ((value.kind === 'tuple' || value.kind === 'list') && !value.element && value.items.length === 2) {
    const [output, scores] = value.items;
    const a = output.kind === 'tensor' ? output.kerasNode : undefined;
    const b = scores.kind === 'tensor' ? scores.kerasNode : undefined;
    if (a && b && a.layer === b.layer && a.index === 0 && b.index === 1 && ATTENTION_KINDS.has(a.layer.kind)) return { layer: a.layer, count: 2 };
  }
  return undefined;
}

export const kerasAttentionOutputCount: Rule = {
  code: 'SL219',
  name: 'keras-attention-output-count',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Attention, AdditiveAttention or MultiHeadAttention call is unpacked into a number of names other than it returns: one tensor, or (output, scores) with return_attention_scores=True.',
  docs: {
    whatItDoes: 'Follows what a Keras `Attention`, `AdditiveAttention` or `MultiHeadAttention` call returns: one tensor, the attention output, or with `return_attention_scores=True` the pair (output, scores). It flags the call\'s result unpacked where it is made into another number of names, typically `out, weights = Attention()([query, value])` written as if the layer returned its weights as an LSTM with return_state=True returns its states.',
    whyIsThisBad: 'Unpacking the single output tensor iterates over its batch axis: on a functional model\'s symbolic tensor tf.keras 2.x raises `TypeError: Cannot iterate over a tensor with unknown first dimension` (Keras 3: `Iterating over a symbolic KerasTensor is not supported`). Three names for the (output, scores) pair raise `not enough values to unpack`.',
    example: 'attn_out, attn_states = layers.Attention()([decoder_output, encoder_output])',
    useInstead: 'attn_out, attn_scores = layers.Attention()([decoder_output, encoder_output], return_attention_scores=True)\n# or, without the scores:\nattn_out = layers.Attention()([decoder_output, encoder_output])',
    references: ['https://keras.io/api/layers/attention_layers/attention/', 'https://keras.io/api/layers/attention_layers/multi_head_attention/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    unpack(event, ctx) {
      const target = event.target;
      if (target.kind !== 'tuple' && target.kind !== 'list') return;
      if (target.items.some((t) => t.kind === 'starred')) return;
      const n = target.items.length;
      const found = attentionResult(event.value);
      if (!found || found.count === n) return;
      // Only the layer call's own result, unpacked where it is made.
      const first = event.value.kind === 'tensor' ? event.value : event.value.kind === 'tuple' || event.value.kind === 'list' ? event.value.items[0] : undefined;
      const made = first?.kind === 'tensor' ? first.origin?.range : undefined;
      const at = event.stmt?.value.range;
      if (!made || !at || made.start.line !== at.start.line || made.start.column !== at.start.column) return;
      const name = kerasLayerName(found.layer);
      if (found.count === 1) {
        const batch = event.value.kind === 'tensor' && event.value.shape.rankKnown ? event.value.shape.dims[0] : undefined;
        if (batch?.kind === 'int' && batch.value === n) return;
        ctx.report({
          range: event.stmt?.range ?? target.range,
          message: `${name} returns one tensor, the attention output, which is unpacked into ${n} names: Python iterates over its batch axis${batch?.kind === 'int' ? ` (${batch.value} rows: "${batch.value > n ? 'too many' : 'not enough'} values to unpack")` : ', which a symbolic tensor does not allow ("Cannot iterate over a tensor with unknown first dimension")'}. Pass return_attention_scores=True to get (output, scores), or keep the one output`,
          related: [{ range: found.layer.call.range, message: 'the layer is built here' }],
        });
        return;
      }
      ctx.report({
        range: event.stmt?.range ?? target.range,
        message: `${name} with return_attention_scores=True returns 2 tensors (output, scores) but they are unpacked into ${n} names: Python raises "${n > 2 ? 'not enough' : 'too many'} values to unpack (expected ${n})"`,
        related: [{ range: found.layer.call.range, message: 'the layer is built here' }],
      });
    },
  },
};
