import { attentionAxes, attentionCall, scoresShape } from '../../layers/keras/attention';
import { Dim, formatDim } from '../../shapes/dim';
import { formatShape, shapeOf } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

/**
 * The mask as Keras' _masked_softmax widens it (tf.keras 2.x, Keras 3 and tfjs-layers alike): size-1 axes are
 * inserted at -2·len(attention_axes)-1 until it has the scores' rank, so a (B, S) mask becomes (1, 1, B, S).
 */
export function expandedMask(mask: Dim[], scoresRank: number, attended: number): Dim[] {
  const out = [...mask];
  const one: Dim = { kind: 'int', value: 1 };
  while (out.length < scoresRank) {
    const axis = -2 * attended - 1 + out.length + 1;
    out.splice(Math.max(0, axis), 0, one);
  }
  return out;
}

function clash(a: Dim, b: Dim): boolean {
  return a.kind === 'int' && b.kind === 'int' && a.value !== 1 && b.value !== 1 && a.value !== b.value;
}

export const kerasAttentionShapes: Rule = {
  code: 'SL218',
  name: 'keras-attention-shapes',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras MultiHeadAttention call whose key and value differ outside their last axis, or whose attention_mask does not line up with the scores (B, num_heads, T, S): a (B, S) padding mask passed as attention_mask is the classic case.',
  docs: {
    whatItDoes: "Checks each `MultiHeadAttention` call: `key` must have `value`'s shape except the last axis, and `attention_mask`, widened as Keras widens it (size-1 axes inserted before the attended axes until it has the scores' rank), must broadcast to the scores (B, num_heads, T, S). A 2-D (B, S) mask becomes (1, 1, B, S): its batch axis lands on the query's time axis.",
    whyIsThisBad: 'Keras raises inside the layer (`Incompatible shapes: [32,4,10,10] vs. [1,1,32,10]` from the softmax for the mask; an einsum or `All dimensions of value and key, except the last one, must be equal` for key and value). When the batch size happens to equal the query length, a (B, S) mask raises nothing and masks each query position with another sample\'s padding.',
    example: 'pad = keras.Input(shape=(40,))            # (B, S) padding mask\nx = layers.MultiHeadAttention(4, 16)(h, h, attention_mask=pad)',
    useInstead: 'pad = keras.Input(shape=(40,))\nmask = layers.Reshape((1, 40))(pad)        # (B, 1, S): broadcast over the query positions\nx = layers.MultiHeadAttention(4, 16)(h, h, attention_mask=mask)',
    references: ['https://keras.io/api/layers/attention_layers/multi_head_attention/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'MultiHeadAttention',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras' || layer.kind !== 'MultiHeadAttention') return;
      const call = attentionCall(event.args, event.kwargs);
      const query = call.query?.kind === 'tensor' ? call.query : undefined;
      const value = call.value?.kind === 'tensor' ? call.value : undefined;
      if (!query || !value || !query.shape.rankKnown || !value.shape.rankKnown) return;
      const key: TensorValue = call.key?.kind === 'tensor' ? call.key : value;
      const name = kerasLayerName(layer);
      if (key !== value && key.shape.rankKnown) {
        const k = key.shape.dims;
        const v = value.shape.dims;
        const differs = k.length !== v.length || k.slice(0, -1).some((d, i) => d.kind === 'int' && v[i].kind === 'int' && d.value !== v[i].value);
        if (differs) {
          ctx.report({
            range: event.call.range,
            message: `${name} gets key ${formatShape(key.shape)} and value ${formatShape(value.shape)}: they must agree on every axis but the last (the same S source positions), so Keras raises ("All dimensions of value and key, except the last one, must be equal" in Keras 3, an einsum shape error in tf.keras 2.x)`,
          });
          return;
        }
      }
      const mask = call.mask?.kind === 'tensor' ? call.mask : undefined;
      if (!mask || !mask.shape.rankKnown) return;
      const scores = scoresShape(layer, query, key);
      const axes = attentionAxes(layer, query.shape.dims.length);
      if (!scores || !axes || mask.shape.dims.length > scores.length) return;
      const widened = expandedMask(mask.shape.dims, scores.length, axes.length);
      const bad = widened.findIndex((d, i) => clash(d, scores[i]));
      const scoresText = formatShape(shapeOf(scores));
      const maskText = formatShape(mask.shape);
      if (bad >= 0) {
        ctx.report({
          range: event.call.range,
          message: `${name} gets attention_mask ${maskText}, which Keras widens to ${formatShape(shapeOf(widened))} against the attention scores ${scoresText}: axis ${bad} is ${formatDim(widened[bad])} against ${formatDim(scores[bad])}, so tf.keras 2.x and Keras 3 raise "Incompatible shapes" in the softmax; a padding mask (B, S) must be given as (B, 1, S)${mask.shape.dims.length === 2 ? ' — reshape it with Reshape((1, S)) or mask[:, None, :]' : ''}`,
        });
        return;
      }
      // A (B, S) mask whose batch axis broadcasts against the query's time axis: silent when B equals T.
      const batch = query.shape.dims[0];
      if (mask.shape.dims.length === 2 && scores.length === 4 && batch.kind !== 'int' && scores[2].kind === 'int' && scores[2].value !== 1) {
        ctx.report({
          range: event.call.range,
          message: `${name} gets a 2-D attention_mask ${maskText}, which Keras widens to ${formatShape(shapeOf(widened))}: its batch axis lines up with the query's ${formatDim(scores[2])} time steps in the scores ${scoresText}, so tf.keras 2.x and Keras 3 raise "Incompatible shapes" for every batch whose size is not ${formatDim(scores[2])} — and when it is, each query step is masked with another sample's padding; give the mask as (B, 1, S)`,
        });
      }
    },
  },
};
