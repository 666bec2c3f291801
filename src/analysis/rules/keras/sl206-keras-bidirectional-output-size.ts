import { intDim } from '../../shapes/dim';
import { lastDim } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { producerLayer } from '../torch/describe';
import { kerasLayerName, knownReshape } from './helpers';

export const kerasBidirectionalOutputSize: Rule = {
  code: 'SL206',
  name: 'keras-bidirectional-output-size',
  severity: 'error',
  framework: 'keras',
  summary: 'A Reshape after a Bidirectional layer assumes the single-direction size; with merge_mode="concat" the features double.',
  docs: {
    whatItDoes: 'Follows the output of `Bidirectional(...)` (whose last axis is 2 × units with the default `merge_mode="concat"`) into a `Reshape`, and checks that the target shape holds the same number of values.',
    whyIsThisBad: 'Keras raises `ValueError: total size of new array must be unchanged, input_shape = [20, 128], output_shape = [20, 64]`.',
    example: 'x = Bidirectional(LSTM(64, return_sequences=True))(x)   # (None, 20, 128)\nx = Reshape((20, 64))(x)',
    useInstead: 'x = Bidirectional(LSTM(64, return_sequences=True))(x)   # (None, 20, 128)\nx = Reshape((20, 128))(x)',
    references: ['https://keras.io/api/layers/recurrent_layers/bidirectional/'],
  },
  fixTitles: ['Double the last target dimension'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Reshape',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      const reshape = knownReshape(layer, event.args[0]);
      if (!reshape) return;
      const { input, total, sizes } = reshape;
      const last = lastDim(input.shape);
      const producer = producerLayer(last);
      if (!producer || producer.kind !== 'Bidirectional' || last.kind !== 'int') return;
      if (sizes.some((n) => n === -1)) return;
      const wanted = sizes.reduce((p, n) => p * n, 1);
      if (wanted * 2 !== total) return;
      const expr = layer.args.get('target_shape')?.expr;
      const lastItem = expr && (expr.kind === 'tuple' || expr.kind === 'list') ? expr.items[expr.items.length - 1] : undefined;
      const doubled = intDim(sizes[sizes.length - 1] * 2);
      ctx.report({
        range: layer.call.range,
        message: `${kerasLayerName(layer)} expects ${wanted} values per sample but the ${kerasLayerName(producer)} before it outputs ${total} (its last axis is 2 × ${last.value / 2} = ${last.value}, both directions concatenated): Keras raises "total size of new array must be unchanged"`,
        related: [{ range: producer.call.range, message: 'merge_mode="concat" doubles the features' }],
        fixes: lastItem ? [fix(`Use ${doubled.kind === 'int' ? doubled.value : ''} for the last target dimension`, [replace(lastItem.range, String(doubled.kind === 'int' ? doubled.value : ''))], true)] : [],
      });
    },
  },
};
