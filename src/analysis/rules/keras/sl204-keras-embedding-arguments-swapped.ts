import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { DIM, VOCAB, looksSwapped } from '../torch/sl109-embedding-arguments-swapped';
import { intValue } from '../../values/value';

/**
 * `Embedding(64, text_vocabulary_size)`: a literal number first and a name that says vocabulary second, whose value
 * (when known) is the larger — the erratum of a well-known textbook's functional multi-input model.
 */
function literalBeforeVocabulary(first: string, second: string, secondValue: number | undefined): boolean {
  if (!/^\d+$/.test(first.trim()) || !VOCAB.test(second) || DIM.test(second.replace(/input_?dim/i, ''))) return false;
  return secondValue === undefined || secondValue > Number(first);
}

export const kerasEmbeddingArgumentsSwapped: Rule = {
  code: 'SL204',
  name: 'keras-embedding-arguments-swapped',
  severity: 'warning',
  framework: 'keras',
  summary: 'Keras Embedding\'s arguments look swapped: the vector size is passed as input_dim and the vocabulary size as output_dim.',
  docs: {
    whatItDoes: 'Reads the names passed to `Embedding(input_dim, output_dim)`; when the first is evidently a vector size and the second a vocabulary size, it warns.',
    whyIsThisBad: 'The table gets as many rows as the vector size, so real token ids fail with `indices[…] = 5123 is not in [0, 64)`, and each token becomes a vector as long as the vocabulary.',
    example: 'Embedding(EMBEDDING_DIM, VOCAB_SIZE)',
    useInstead: 'Embedding(VOCAB_SIZE, EMBEDDING_DIM)',
    references: ['https://keras.io/api/layers/core_layers/embedding/'],
  },
  fixTitles: ['Swap input_dim and output_dim'],
  kerasVersions: 'every Keras version: Embedding(input_dim, output_dim)',
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (layer.framework !== 'keras' || layer.kind !== 'Embedding') return;
      const n = layer.args.get('input_dim');
      const d = layer.args.get('output_dim');
      if (!n?.expr || !d?.expr) return;
      const first = ctx.text(n.expr.range);
      const second = ctx.text(d.expr.range);
      if (!looksSwapped(first, second) && !literalBeforeVocabulary(first, second, intValue(d.value))) return;
      ctx.report({
        range: layer.call.range,
        message: `Embedding(input_dim=${first}, output_dim=${second}) looks swapped: ${second} reads as the vocabulary size and ${first} as the vector size; the vocabulary size comes first`,
        fixes: [fix('Swap input_dim and output_dim', [replace(n.expr.range, second), replace(d.expr.range, first)], true)],
      });
    },
  },
};
