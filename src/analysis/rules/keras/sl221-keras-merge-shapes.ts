import { MERGE, mergeInputs, mergeMismatch } from '../../layers/keras/core';
import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasMergeShapes: Rule = {
  code: 'SL221',
  name: 'keras-merge-shapes',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Concatenate is given inputs that differ on an axis other than the joined one, or in their number of axes; or Add, Multiply and the other element-wise merges are given shapes that do not broadcast.',
  docs: {
    whatItDoes: 'Follows shapes through a Keras model to its merge layers (`Concatenate`, `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`, and their functional forms `concatenate([...])`, `add([...])`, …). `Concatenate(axis=a)` needs inputs with the same number of axes and the same size on every axis but `a` (the batch aside). The element-wise merges line the shapes after the batch up from their last axis, and on each axis the sizes must agree or one of them be 1. A size the analysis does not know is taken to fit.',
    whyIsThisBad: 'tf.keras 2.x and Keras 3 raise when the model is built: `ValueError: A Concatenate layer requires inputs with matching shapes except for the concat axis. Got inputs shapes: [(None, 100, 3), (None, 100, 1)]`, `Operands could not be broadcast together with shapes (10, 64) (10, 32)`. The classic cause is a branch that keeps its steps axis while the other does not, or a concatenation written for (batch, features) heads left at `axis=1` after a recurrent layer with `return_sequences=True` made them (batch, steps, features).',
    example: 'h = layers.Bidirectional(layers.LSTM(100, return_sequences=True))(x)   # (None, 100, 200)\nscores = layers.Dense(3, activation="softmax")(h)                       # (None, 100, 3)\ngate = layers.Dense(1, activation="sigmoid")(h)                         # (None, 100, 1)\nout = layers.Concatenate(axis=1)([scores, gate])',
    useInstead: 'h = layers.Bidirectional(layers.LSTM(100))(x)                            # (None, 200)\nscores = layers.Dense(3, activation="softmax")(h)                       # (None, 3)\ngate = layers.Dense(1, activation="sigmoid")(h)                         # (None, 1)\nout = layers.Concatenate(axis=1)([scores, gate])                        # (None, 4)',
    references: ['https://keras.io/api/layers/merging_layers/concatenate/', 'https://keras.io/api/layers/merging_layers/add/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Concatenate' || MERGE.includes(kind),
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras' || (layer.kind !== 'Concatenate' && !MERGE.includes(layer.kind))) return;
      const tensors = mergeInputs(event.args);
      if (!tensors) return;
      const mismatch = mergeMismatch(layer, tensors);
      if (!mismatch) return;
      const shapes = tensors.map((t) => formatShape(t.shape)).join(', ');
      const name = kerasLayerName(layer);
      let message: string;
      if (layer.kind === 'Concatenate') {
        const axis = layer.args.get('axis');
        const joined = axis ? `axis=${ctx.text(axis.expr?.range ?? layer.call.range)}` : 'the last axis (axis=-1)';
        if (mismatch.kind === 'rank') {
          message = `${name} joins inputs with different numbers of axes, ${tensors.map((t) => `${formatShape(t.shape)} (${t.shape.dims.length}-D)`).join(', ')}: tf.keras 2.x and Keras 3 raise "A Concatenate layer requires inputs with matching shapes except for the concat axis" when the model is built`;
        } else {
          const rank = tensors[0].shape.dims.length;
          const hint = mismatch.axis === rank - 1 && axis ? `; to join the features, concatenate on axis=-1` : '';
          message = `${name} joins on ${joined} inputs ${shapes} that differ on axis ${mismatch.axis} (${mismatch.sizes[0]} against ${mismatch.sizes[1]}), which is not the joined axis: tf.keras 2.x and Keras 3 raise "A Concatenate layer requires inputs with matching shapes except for the concat axis" when the model is built${hint}`;
        }
      } else {
        if (mismatch.kind !== 'size') return;
        message = `${name} combines element-wise inputs ${shapes} whose sizes on axis ${mismatch.axis} (${mismatch.sizes[0]} and ${mismatch.sizes[1]}) neither agree nor are 1: tf.keras 2.x and Keras 3 raise "Operands could not be broadcast together with shapes" when the model is built`;
      }
      ctx.report({
        range: event.call.range,
        message,
        related: tensors.flatMap((t, i) => (t.origin && (mismatch.kind === 'rank' || mismatch.inputs.includes(i)) ? [{ range: t.origin.range, message: `the input ${formatShape(t.shape)} comes from here` }] : [])),
      });
    },
  },
};
