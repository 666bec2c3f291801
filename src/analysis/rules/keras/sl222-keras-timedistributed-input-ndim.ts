import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasTimeDistributedInputNdim: Rule = {
  code: 'SL222',
  name: 'keras-timedistributed-input-ndim',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras TimeDistributed layer receives fewer than 3 axes (batch, steps, features…): the 2-D output of a recurrent layer without return_sequences=True, or a number, when the layer instance is called as if it were built again.',
  docs: {
    whatItDoes: 'Follows shapes through a Keras model and checks that every `TimeDistributed` layer receives at least 3 axes, the batch, the steps it applies its layer to one by one, and what each step holds. A Python number given to a layer is a 0-D input.',
    whyIsThisBad: 'tf.keras 2.x raises when the model is built: `ValueError: `TimeDistributed` Layer should be passed an `input_shape ` with at least 3 dimensions, received: (None, 300)`; Keras 3 says the same. A recurrent layer without `return_sequences=True` gives one vector per sample, so there are no steps to distribute over; and `dense(vocab_size, activation="softmax")` on a layer instance calls it on the number, not on the decoder\'s sequences.',
    example: 'decoder = LSTM(300)(embedded)\nout = TimeDistributed(Dense(vocab_size, activation="softmax"))(decoder)',
    useInstead: 'decoder = LSTM(300, return_sequences=True)(embedded)   # (batch, steps, 300)\nout = TimeDistributed(Dense(vocab_size, activation="softmax"))(decoder)',
    references: ['https://keras.io/api/layers/recurrent_layers/time_distributed/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'TimeDistributed',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras' || layer.kind !== 'TimeDistributed') return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
      const rank = input.shape.dims.length;
      if (rank >= 3) return;
      const what = rank === 0 ? `a number, ${ctx.text(event.call.args[0]?.range ?? event.call.range)} (a layer instance is called on its input; the layer was built on line ${layer.call.range.start.line + 1})` : `${rank}-D ${formatShape(input.shape)}`;
      ctx.report({
        range: event.call.range,
        message: `${kerasLayerName(layer)} applies its layer to every step of a (batch, steps, …) input, at least 3-D, but receives ${what}: tf.keras 2.x and Keras 3 raise "TimeDistributed Layer should be passed an input_shape with at least 3 dimensions"${rank === 2 ? '; a recurrent layer below it needs return_sequences=True to keep its steps' : ''}`,
        fixes: [],
      });
    },
  },
};
