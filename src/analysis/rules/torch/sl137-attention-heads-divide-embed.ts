import { argFromAssumedDefault, argOrigin } from '../../layers/layer';
import { attentionConfig } from '../../layers/torch/attention';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';

/** Head counts near n that divide embed, nearest first. */
function divisorsNear(embed: number, heads: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(embed, 64); d++) if (embed % d === 0) out.push(d);
  return out.sort((a, b) => Math.abs(a - heads) - Math.abs(b - heads) || b - a).slice(0, 2);
}

export const attentionHeadsDivideEmbed: Rule = {
  code: 'SL137',
  name: 'attention-heads-divide-embed',
  severity: 'error',
  framework: 'torch',
  summary: 'The embedding size of a MultiheadAttention or Transformer layer is not divisible by its number of heads.',
  docs: {
    whatItDoes: 'Checks, where `nn.MultiheadAttention`, `nn.TransformerEncoderLayer`, `nn.TransformerDecoderLayer` or `nn.Transformer` is built, that `embed_dim` (`d_model`) is a multiple of `num_heads` (`nhead`).',
    whyIsThisBad: 'Each head gets `embed_dim // num_heads` features, so PyTorch refuses the layer when it is built: `AssertionError: embed_dim must be divisible by num_heads`. The message does not name the numbers, and inside a Transformer layer it names arguments you never passed.',
    example: 'layer = nn.TransformerEncoderLayer(d_model=883, nhead=14)',
    useInstead: 'layer = nn.TransformerEncoderLayer(d_model=882, nhead=14)  # or project the features to a multiple of nhead first',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: ['Set num_heads=N (a divisor of embed_dim)'],
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (layer.framework !== 'torch' || !['MultiheadAttention', 'TransformerEncoderLayer', 'TransformerDecoderLayer', 'Transformer'].includes(layer.kind)) return;
      const c = attentionConfig(layer);
      if (c.embedDim === undefined || c.numHeads === undefined || c.numHeads <= 0 || c.embedDim % c.numHeads === 0) return;
      if (argFromAssumedDefault(layer, c.embedArg)) return;
      const headsArg = layer.args.get(c.headsArg);
      const embedAt = argOrigin(layer, c.embedArg);
      const headsAt = argOrigin(layer, c.headsArg);
      const options = divisorsNear(c.embedDim, c.numHeads);
      ctx.report({
        range: headsArg?.expr?.range ?? layer.call.range,
        message: `${layerName(layer)} splits ${c.embedArg}=${c.embedDim} (line ${embedAt.range.start.line + 1}) over ${c.headsArg}=${c.numHeads} (line ${headsAt.range.start.line + 1}) heads, but ${c.embedDim} is not divisible by ${c.numHeads} (${c.embedDim} / ${c.numHeads} = ${(c.embedDim / c.numHeads).toFixed(2)} features per head): PyTorch raises "embed_dim must be divisible by num_heads" when the layer is built`,
        related: [{ range: embedAt.range, message: `${c.embedArg}=${c.embedDim} is set here` }, { range: headsAt.range, message: `${c.headsArg}=${c.numHeads} is set here` }],
        fixes: headsArg?.expr ? options.map((n, i) => fix(`Set ${c.headsArg}=${n} (${c.embedDim! / n} features per head)`, [replace(headsArg.expr!.range, String(n))], i === 0)) : [],
      });
    },
  },
};
