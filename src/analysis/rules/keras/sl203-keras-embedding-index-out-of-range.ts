import { argInt, argOrigin } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasEmbeddingIndexOutOfRange: Rule = {
  code: 'SL203',
  name: 'keras-embedding-index-out-of-range',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Embedding receives a token id ≥ input_dim.',
  docs: {
    whatItDoes: 'Tracks the ids in data built in the code (`np.array`, `np.random.randint`, `tf.constant`) into `fit`, `evaluate`, `predict` or a model call, and compares them with the `Embedding`\'s `input_dim`.',
    whyIsThisBad: 'TensorFlow raises `InvalidArgumentError: indices[0,2] = 1000 is not in [0, 1000)` on CPU; on GPU the lookup silently returns zeros. Ids run from 0 to input_dim − 1, so 1000 words plus padding need input_dim=1001.',
    example: 'model = Sequential([Embedding(input_dim=1000, output_dim=64), LSTM(32), Dense(1)])\nmodel.predict(np.array([[4, 20, 1000]]))',
    useInstead: 'model = Sequential([Embedding(input_dim=1001, output_dim=64), LSTM(32), Dense(1)])\nmodel.predict(np.array([[4, 20, 1000]]))',
    references: ['https://keras.io/api/layers/core_layers/embedding/'],
  },
  fixTitles: ['Set input_dim=max id + 1'],
  kerasVersions: 'tf.keras 2.x and Keras 3 on CPU; on a GPU the lookup returns zeros without an error',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Embedding',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras' || layer.kind !== 'Embedding') return;
      const input = event.args[0];
      const n = argInt(layer, 'input_dim');
      if (input?.kind !== 'tensor' || n === undefined || input.dtype === 'float' || input.maxValue === undefined || input.maxValue < n) return;
      const arg = layer.args.get('input_dim');
      const where = input.origin ? ` (${input.origin.text}, line ${input.origin.range.start.line + 1})` : '';
      ctx.report({
        range: event.call.range,
        message: `${kerasLayerName(layer)} has input_dim=${n} (line ${argOrigin(layer, 'input_dim').range.start.line + 1}), so ids must be below ${n}, but ${input.maxBoundOnly ? `the data's ids can reach ${input.maxValue}` : `the data holds ids up to ${input.maxValue}`}${where}: TensorFlow raises "indices[…] = ${input.maxValue} is not in [0, ${n})"`,
        related: [{ range: argOrigin(layer, 'input_dim').range, message: `input_dim=${n} is set here` }, ...(input.origin ? [{ range: input.origin.range, message: 'the ids come from here' }] : [])],
        fixes: arg?.expr ? [fix(`Set input_dim=${input.maxValue + 1}`, [replace(arg.expr.range, String(input.maxValue + 1))], true)] : [],
      });
    },
  },
};
