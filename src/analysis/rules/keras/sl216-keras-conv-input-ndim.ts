import { CONV_1D, GLOBAL_POOLING_1D, POOLING_1D } from '../../layers/keras/conv';
import { formatShape } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasConvInputNdim: Rule = {
  code: 'SL216',
  name: 'keras-conv-input-ndim',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Conv1D, 1-D pooling or global 1-D pooling layer receives input without its steps or channels axis: 2-D (batch, features) data, or the 2-D output of a pooling, Flatten or recurrent layer.',
  docs: {
    whatItDoes: 'Follows shapes through a Keras model and checks that `Conv1D` receives at least 3 axes (batch, steps, channels) and that `MaxPooling1D`, `AveragePooling1D`, `GlobalMaxPooling1D` and `GlobalAveragePooling1D` receive exactly 3. When the layer itself declares a one-axis `input_shape`, it offers `(steps, 1)`.',
    whyIsThisBad: 'tf.keras 2.x and Keras 3 raise when the model is built: `ValueError: Input 0 of layer "conv1d" is incompatible with the layer: expected min_ndim=3, found ndim=2. Full shape received: (None, 1886)` (pooling layers: `expected ndim=3`). Keras 1 and 2.0–2.3 said `expected ndim=3, found ndim=2`.',
    example: 'model = Sequential([\n    Conv1D(32, 3, activation="relu", input_shape=(30,)),\n    GlobalMaxPooling1D(),\n    Dense(1),\n])',
    useInstead: 'model = Sequential([\n    Conv1D(32, 3, activation="relu", input_shape=(30, 1)),   # 30 steps of 1 channel\n    GlobalMaxPooling1D(),\n    Dense(1),\n])\n# and the data: x.reshape(n, 30, 1)',
    references: ['https://keras.io/api/layers/convolution_layers/convolution1d/', 'https://keras.io/api/layers/pooling_layers/max_pooling1d/'],
  },
  fixTitles: ['Use input_shape=(steps, 1)'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => CONV_1D.includes(kind) || POOLING_1D.includes(kind) || GLOBAL_POOLING_1D.includes(kind),
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras') return;
      const conv = CONV_1D.includes(layer.kind);
      if (!conv && !POOLING_1D.includes(layer.kind) && !GLOBAL_POOLING_1D.includes(layer.kind)) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
      const rank = input.shape.dims.length;
      if (conv ? rank >= 3 : rank === 3) return;
      const arg = layer.args.get('input_shape');
      const declared = arg?.expr && (arg.value.kind === 'tuple' || arg.value.kind === 'list') && arg.value.items.length === 1 ? arg.expr : undefined;
      const steps = declared ? ctx.text(declared.kind === 'tuple' || declared.kind === 'list' ? declared.items[0].range : declared.range) : undefined;
      const wanted = conv ? 'min_ndim=3' : 'ndim=3';
      ctx.report({
        range: layer.call.range,
        message: `${kerasLayerName(layer)} expects 3-D input (batch, steps, channels) but receives ${rank}-D ${formatShape(input.shape)}: tf.keras 2.x and Keras 3 raise "expected ${wanted}, found ndim=${rank}" when the model is built${steps ? `; for ${steps} steps of one channel use input_shape=(${steps}, 1) and reshape the data to (samples, ${steps}, 1)` : rank === 2 ? '; add a channels axis (Reshape((steps, 1)) or x[..., None]) or keep the sequence axis in the layer below' : ''}`,
        fixes: declared && steps ? [fix(`Use input_shape=(${steps}, 1)`, [replace(declared.range, `(${steps}, 1)`)], true)] : [],
      });
    },
  },
};
