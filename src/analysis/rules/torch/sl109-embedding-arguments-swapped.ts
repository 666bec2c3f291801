import type { Expr } from '../../parse/ast';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';

export const VOCAB = /(vocab|n_?tokens|num_?tokens|n_?words|num_?words|max_?words|max_?features|max_?tokens|top_?words|num_?embeddings|n_?chars|num_?chars|n_?items|num_?items|n_?classes_?in|input_?dim|token_?count|len\()/i;
export const DIM = /(emb(ed(ding)?)?_?(dim|size)|embedding_dim|d_?model|dim_?emb|emb_?sz|(^|_)dim$|hidden)/i;

function nameOf(expr: Expr | undefined, text: (e: Expr) => string): string {
  return expr ? text(expr) : '';
}

/** Where evident: the names say vocabulary for the second argument and vector size for the first. */
export function looksSwapped(first: string, second: string): boolean {
  return DIM.test(first) && !VOCAB.test(first) && VOCAB.test(second) && !DIM.test(second.replace(/input_?dim/i, ''));
}

export const embeddingArgumentsSwapped: Rule = {
  code: 'SL109',
  name: 'embedding-arguments-swapped',
  severity: 'warning',
  framework: 'torch',
  summary: 'nn.Embedding\'s arguments look swapped: the vector size is passed as num_embeddings and the vocabulary size as embedding_dim.',
  docs: {
    whatItDoes: 'Reads the names passed to `nn.Embedding(num_embeddings, embedding_dim)`; when the first is evidently an embedding size and the second a vocabulary size, it warns.',
    whyIsThisBad: 'The table then has as many rows as the vector size: any id at or above it raises `IndexError: index out of range in self`, and every token becomes a vector as long as the vocabulary, which then fails at the next layer\'s `input_size` — or silently allocates a huge table.',
    example: 'self.embedding = nn.Embedding(EMBED_DIM, VOCAB_SIZE)',
    useInstead: 'self.embedding = nn.Embedding(VOCAB_SIZE, EMBED_DIM)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Embedding.html'],
  },
  fixTitles: ['Swap num_embeddings and embedding_dim'],
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (layer.kind !== 'Embedding' || layer.framework !== 'torch') return;
      const n = layer.args.get('num_embeddings');
      const d = layer.args.get('embedding_dim');
      if (!n?.expr || !d?.expr) return;
      const text = (e: Expr) => ctx.text(e.range);
      const first = nameOf(n.expr, text);
      const second = nameOf(d.expr, text);
      if (!looksSwapped(first, second)) return;
      ctx.report({
        range: layer.call.range,
        message: `nn.Embedding(num_embeddings=${first}, embedding_dim=${second}) looks swapped: ${second} reads as the vocabulary size and ${first} as the vector size; the vocabulary size comes first`,
        related: [],
        fixes: [fix('Swap num_embeddings and embedding_dim', [replace(n.expr.range, second), replace(d.expr.range, first)], true)],
      });
    },
  },
};
