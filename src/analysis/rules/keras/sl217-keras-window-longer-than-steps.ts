import { CONV_1D, POOLING_1D, tooShort, windowOf } from '../../layers/keras/conv';
import { formatShape } from '../../shapes/shape';
import { addKeyword, fix, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasWindowLongerThanSteps: Rule = {
  code: 'SL217',
  name: 'keras-window-longer-than-steps',
  severity: 'error',
  framework: 'keras',
  summary: "A Keras Conv1D kernel (times its dilation) or a 1-D pooling window is longer than the steps it receives with padding='valid', typically after earlier convolutions and poolings have shortened the sequence.",
  docs: {
    whatItDoes: "Follows the sequence length through `Conv1D`, `MaxPooling1D` and `AveragePooling1D` with Keras' own length rule (`(steps - dilated_kernel) // strides + 1` for `padding='valid'`) and reports the first layer whose window no longer fits.",
    whyIsThisBad: "tf.keras 2.x raises `ValueError: Negative dimension size caused by subtracting 3 from 2 for 'conv1d_3/conv1d'` when the model is built; Keras 3 raises `Computed output size would be negative`. Stacks copied from a tutorial written for 1000-step texts fail on shorter ones.",
    example: 'model = Sequential([\n    Embedding(20000, 100, input_length=40),\n    Conv1D(128, 5, activation="relu"), MaxPooling1D(5),   # 40 → 36 → 7 steps\n    Conv1D(128, 5, activation="relu"), MaxPooling1D(5),   # 7 → 3 steps, then a window of 5\n])',
    useInstead: 'model = Sequential([\n    Embedding(20000, 100, input_length=40),\n    Conv1D(128, 5, activation="relu", padding="same"), MaxPooling1D(5),\n    Conv1D(128, 5, activation="relu", padding="same"), GlobalMaxPooling1D(),\n])',
    references: ['https://keras.io/api/layers/convolution_layers/convolution1d/', 'https://keras.io/api/layers/pooling_layers/max_pooling1d/'],
  },
  fixTitles: ["Use padding='same'"],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => CONV_1D.includes(kind) || POOLING_1D.includes(kind),
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras') return;
      const conv = CONV_1D.includes(layer.kind);
      if (!conv && !POOLING_1D.includes(layer.kind)) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length < 3) return;
      const w = windowOf(layer);
      const dims = input.shape.dims;
      const steps = w.channelsFirst ? dims[dims.length - 1] : dims[dims.length - 2];
      const short = tooShort(steps, w);
      if (!short) return;
      const what = conv ? `kernel_size=${w.kernel}${w.dilation > 1 ? ` with dilation_rate=${w.dilation} (${short.dilated} steps)` : ''}` : `pool_size=${w.kernel}`;
      ctx.report({
        range: layer.call.range,
        message: `${kerasLayerName(layer)} slides ${what} over ${short.steps} step${short.steps === 1 ? '' : 's'} (input ${formatShape(input.shape)}) with padding='valid': the window does not fit, so tf.keras 2.x raises "Negative dimension size caused by subtracting ${short.dilated} from ${short.steps}" and Keras 3 "Computed output size would be negative"; shorten the stack, lengthen the input or use padding='same'`,
        // A padding given by position is left to the user.
        fixes: !layer.args.has('padding') && !layer.args.has('border_mode') || layer.call.keywords.some((k) => k.name === 'padding') ? [fix("Use padding='same'", [layer.args.has('padding') ? setKeyword(layer.call, 'padding', "'same'") : addKeyword(layer.call, 'padding', "'same'")])] : [],
      });
    },
  },
};
