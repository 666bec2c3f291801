// nn.Embedding: a lookup table of num_embeddings rows of embedding_dim features.
import { trailing } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argInt } from '../layer';

function applyEmbedding(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const dim = argDim(layer, 'embedding_dim', 'feature');
  if (input?.kind !== 'tensor') return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: trailing([dim]) };
  const shape = input.shape.rankKnown ? { dims: [...input.shape.dims, dim], rankKnown: true } : trailing([dim]);
  // The leading dimensions are the input's: keep its name so `x.size(0)` still matches.
  return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape, name: input.shape.rankKnown ? undefined : input.name };
}

function hoverEmbedding(layer: LayerDesc): string {
  const n = argInt(layer, 'num_embeddings');
  const d = argInt(layer, 'embedding_dim');
  return [
    '**nn.Embedding** — a table of learned vectors, one row per token id',
    '',
    '```',
    `input (batch, seq) of int64 ids in [0, ${n === undefined ? 'num_embeddings' : n - 1}] → output (batch, seq, ${d ?? 'embedding_dim'})`,
    '```',
    '',
    '| argument | value | meaning |',
    '|---|---|---|',
    `| \`num_embeddings\` | ${n ?? '?'} | vocabulary size: every id must be below it (add 1 for padding or unknown tokens) |`,
    `| \`embedding_dim\` | ${d ?? '?'} | features per token: the next RNN's \`input_size\` |`,
    '',
    '**Common mistakes**',
    `- An id equal to ${n ?? 'num_embeddings'} raises \`IndexError: index out of range in self\`: ids run from 0 to ${n === undefined ? 'num_embeddings - 1' : n - 1}.`,
    '- Arguments swapped: the vocabulary size comes first, the vector size second.',
    '- Float input: ids must be integer tensors (`torch.long`).',
  ].join('\n');
}

export const torchEmbedding: LayerFamily = {
  framework: 'torch',
  kinds: ['Embedding'],
  params: () => [{ name: 'num_embeddings' }, { name: 'embedding_dim' }, { name: 'padding_idx', default: { kind: 'none' } }],
  apply: applyEmbedding,
  hover: hoverEmbedding,
};

