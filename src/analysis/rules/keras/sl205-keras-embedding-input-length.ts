import { argInt } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasEmbeddingInputLength: Rule = {
  code: 'SL205',
  name: 'keras-embedding-input-length',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras Embedding\'s input_length disagrees with the length of the input it receives.',
  docs: {
    whatItDoes: 'Compares `Embedding(..., input_length=L)` with the sequence length of the declared input (`Input(shape=(T,))` or the data passed to `fit`).',
    whyIsThisBad: 'Keras raises `ValueError: "input_length" is 30, but received input has shape (None, 20)`; with padded data of another length it fails at `fit`.',
    example: 'inputs = Input(shape=(20,))\nx = Embedding(5000, 64, input_length=30)(inputs)',
    useInstead: 'inputs = Input(shape=(20,))\nx = Embedding(5000, 64, input_length=20)(inputs)',
    references: ['https://keras.io/api/layers/core_layers/embedding/'],
  },
  fixTitles: ['Set input_length to the input\'s length'],
  kerasVersions: 'tf.keras 2.x and standalone Keras 2; Keras 3 ignores input_length with a deprecation warning',
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Embedding',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'keras' || layer.kind !== 'Embedding') return;
      const declared = argInt(layer, 'input_length');
      const input = event.args[0];
      if (declared === undefined || input?.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length !== 2) return;
      const length = input.shape.dims[1];
      if (length.kind !== 'int' || length.value === declared) return;
      const arg = layer.args.get('input_length');
      ctx.report({
        range: arg?.expr?.range ?? layer.call.range,
        message: `${kerasLayerName(layer)} declares input_length=${declared} but receives sequences of length ${length.value}${input.origin ? ` (${input.origin.text}, line ${input.origin.range.start.line + 1})` : ''}`,
        related: input.origin ? [{ range: input.origin.range, message: `length ${length.value} comes from here` }] : [],
        fixes: arg?.expr ? [fix(`Set input_length=${length.value}`, [replace(arg.expr.range, String(length.value))], true)] : [],
      });
    },
  },
};
