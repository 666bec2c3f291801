import { isKerasRecurrent } from '../../layers/keras/recurrent';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';

export const kerasRnn1dInputShape: Rule = {
  code: 'SL201',
  name: 'keras-rnn-1d-input-shape',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras recurrent layer is given a one-axis input_shape such as (100,); it needs (timesteps, features).',
  docs: {
    whatItDoes: 'Checks `input_shape` on `SimpleRNN`, `GRU`, `LSTM` (directly or inside `Bidirectional`): it must have two axes, timesteps and features, without the batch.',
    whyIsThisBad: 'Keras raises `ValueError: Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 100)` when the model is built.',
    example: 'model = Sequential([LSTM(32, input_shape=(100,)), Dense(1)])',
    useInstead: 'model = Sequential([LSTM(32, input_shape=(100, 1)), Dense(1)])   # 100 steps of 1 feature',
    references: ['https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: ['Use input_shape=(timesteps, 1)'],
  kerasVersions: 'tf.keras 2.x and Keras 3; standalone Keras 2 alike',
  hooks: {
    layerConstruct({ layer }, ctx) {
      const recurrent = isKerasRecurrent(layer) || (layer.kind === 'Bidirectional' && layer.children[0] && isKerasRecurrent(layer.children[0]));
      if (!recurrent || layer.framework !== 'keras') return;
      const arg = layer.args.get('input_shape');
      const value = arg?.value;
      if (!arg?.expr || (value?.kind !== 'tuple' && value?.kind !== 'list') || value.items.length !== 1) return;
      const steps = ctx.text(arg.expr.kind === 'tuple' || arg.expr.kind === 'list' ? arg.expr.items[0].range : arg.expr.range);
      const corrected = `(${steps}, 1)`;
      ctx.report({
        range: arg.expr.range,
        message: `${layer.kind} needs input_shape=(timesteps, features) but input_shape=${ctx.text(arg.expr.range)} has one axis, so Keras raises "expected ndim=3, found ndim=2"; for ${steps} steps of one feature use input_shape=${corrected}`,
        fixes: [fix(`Use input_shape=${corrected}`, [replace(arg.expr.range, corrected)], true)],
      });
    },
  },
};
