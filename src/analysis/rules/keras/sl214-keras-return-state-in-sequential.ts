import { argBool } from '../../layers/layer';
import { isKerasRecurrent } from '../../layers/keras/recurrent';
import { fix, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName, keywordRange } from './helpers';

export const kerasReturnStateInSequential: Rule = {
  code: 'SL214',
  name: 'keras-return-state-in-sequential',
  severity: 'error',
  framework: 'keras',
  summary: 'A recurrent layer with return_state=True inside a Sequential model: it returns several tensors, and a Sequential model passes one from layer to layer.',
  docs: {
    whatItDoes: 'Flags a Keras `LSTM`, `GRU`, `SimpleRNN` (or a `Bidirectional` around one) built with `return_state=True` and added to a `Sequential` model.',
    whyIsThisBad: 'tf.keras 2.x raises `All layers in a Sequential model should have a single output tensor. For multi-output layers, use the functional API.` when the model is built; Keras 3 fails in the next layer. The states can only be read in a functional model.',
    example: 'model = Sequential([LSTM(10, return_state=True, input_shape=(5, 3)), Dense(1)])',
    useInstead: 'inputs = Input(shape=(5, 3))\noutput, state_h, state_c = LSTM(10, return_state=True)(inputs)\nmodel = Model(inputs, [Dense(1)(output), state_h, state_c])',
    references: ['https://keras.io/guides/sequential_model/#when-to-use-a-sequential-model'],
  },
  fixTitles: ['Remove return_state=True'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    sequentialAdd({ layer }, ctx) {
      const inner = layer.kind === 'Bidirectional' ? layer.children[0] : layer;
      if (!inner || !isKerasRecurrent(inner) || argBool(inner, 'return_state') !== true) return;
      ctx.report({
        range: keywordRange(inner, 'return_state') ?? inner.call.range,
        message: `${kerasLayerName(inner)} has return_state=True inside a Sequential model: it returns [output, states…], and a Sequential model passes a single tensor on (tf.keras 2.x raises "All layers in a Sequential model should have a single output tensor"); read the states in a functional model`,
        fixes: [fix('Remove return_state=True', [setKeyword(inner.call, 'return_state', 'False')], true)],
      });
    },
  },
};
