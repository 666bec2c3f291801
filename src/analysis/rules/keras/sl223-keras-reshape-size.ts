import { reshapeRefused } from '../../layers/keras/core';
import { formatShape, lastDim } from '../../shapes/shape';
import type { Rule } from '../rule';
import { producerLayer } from '../torch/describe';
import { kerasLayerName, knownReshape } from './helpers';

export const kerasReshapeSize: Rule = {
  code: 'SL223',
  name: 'keras-reshape-size',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Reshape\'s target shape holds another number of values than each sample it receives (with a -1, a number that does not divide them).',
  docs: {
    whatItDoes: 'Follows shapes through a Keras model into every `Reshape(target_shape)` whose input is known on every axis after the batch, and checks that the target\'s sizes multiply to the same number of values per sample (with one `-1`, that the other sizes divide it). A Reshape after a Bidirectional layer that asks for half its values is SL206\'s.',
    whyIsThisBad: 'Keras raises when the model is built: `ValueError: total size of new array must be unchanged, input_shape = [50, 50, 64], output_shape = [50, 768]` (tf.keras 2.x; Keras 3: "The total size of the tensor must be unchanged"). The target is usually computed from sizes that no longer describe the tensor: an image input declared with the wrong height, a pooling added or removed, a feature count hard-coded.',
    example: 'inp = Input(shape=(200, 200, 1))   # width twice, not (width, height)\nx = MaxPooling2D(4)(Conv2D(64, 3, padding="same")(inp))   # (None, 50, 50, 64)\nx = Reshape((200 // 4, (50 // 4) * 64))(x)',
    useInstead: 'inp = Input(shape=(200, 50, 1))\nx = MaxPooling2D(4)(Conv2D(64, 3, padding="same")(inp))   # (None, 50, 12, 64)\nx = Reshape((200 // 4, (50 // 4) * 64))(x)',
    references: ['https://keras.io/api/layers/reshaping_layers/reshape/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x, standalone Keras 2 and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Reshape',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      const reshape = knownReshape(layer, event.args[0]);
      if (!reshape) return;
      const { input, total, sizes: target } = reshape;
      const refused = reshapeRefused(target, total);
      if (!refused) return;
      // Half the values of a Bidirectional layer's concatenated output: SL206 names that case.
      const last = lastDim(input.shape);
      const producer = producerLayer(last);
      if (producer?.kind === 'Bidirectional' && !refused.unknown && refused.wanted * 2 === total) return;
      const asked = `(${target.join(', ')})`;
      ctx.report({
        range: layer.call.range,
        message: refused.unknown
          ? `${kerasLayerName(layer)} reshapes each sample to ${asked}, but the ${total} values of its input ${formatShape(input.shape)} are not a multiple of the ${refused.wanted} the known sizes hold: Keras raises "total size of new array must be unchanged" when the model is built`
          : `${kerasLayerName(layer)} asks for ${asked}, ${refused.wanted} values per sample, but receives ${formatShape(input.shape)}, ${total} values per sample: Keras raises "total size of new array must be unchanged" when the model is built`,
        related: producer ? [{ range: producer.call.range, message: `${kerasLayerName(producer)} gives the last axis of ${formatShape(input.shape)}` }] : [],
        fixes: [],
      });
    },
  },
};
