// keras.layers.Embedding(input_dim, output_dim): (batch, length) ids → (batch, length, output_dim).
import { trailing, shapeOf } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argInt } from '../layer';
import { kerasTensor } from './dims';

function applyEmbedding(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const dim = argDim(layer, 'output_dim', 'feature');
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return kerasTensor(trailing([dim]), ctx.origin);
  return kerasTensor(shapeOf([...input.shape.dims, dim]), ctx.origin);
}

export const kerasEmbedding: LayerFamily = {
  framework: 'keras',
  kinds: ['Embedding'],
  params: () => [{ name: 'input_dim' }, { name: 'output_dim' }],
  apply: applyEmbedding,
  hover: (layer: LayerDesc) => {
    const n = argInt(layer, 'input_dim');
    const d = argInt(layer, 'output_dim');
    return [
      '**layers.Embedding** — one learned vector per token id',
      '',
      '```',
      `input (None, ${argInt(layer, 'input_length') ?? 'length'}) ids in [0, ${n === undefined ? 'input_dim' : n - 1}] → output (None, ${argInt(layer, 'input_length') ?? 'length'}, ${d ?? 'output_dim'})`,
      '```',
      '',
      '| argument | value | meaning |',
      '|---|---|---|',
      `| \`input_dim\` | ${n ?? '?'} | vocabulary size: every id must be below it |`,
      `| \`output_dim\` | ${d ?? '?'} | features per token |`,
      `| \`input_length\` | ${argInt(layer, 'input_length') ?? '—'} | length of the input sequences, if fixed |`,
      `| \`mask_zero\` | ${layer.args.get('mask_zero')?.value.kind === 'bool' ? String((layer.args.get('mask_zero')!.value as { value: boolean }).value) : 'False'} | id 0 is padding and masked downstream (then the vocabulary needs input_dim = words + 1) |`,
      '',
      '**Common mistakes**',
      `- An id equal to input_dim (${n ?? 'input_dim'}) is out of range: ids run from 0 to input_dim − 1.`,
      '- Arguments swapped: the vocabulary size comes first, the vector size second.',
    ].join('\n');
  },
};
