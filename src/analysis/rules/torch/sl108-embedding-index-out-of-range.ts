import { argInt, argOrigin } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';

export const embeddingIndexOutOfRange: Rule = {
  code: 'SL108',
  name: 'embedding-index-out-of-range',
  severity: 'error',
  framework: 'torch',
  summary: 'An Embedding receives a token id ≥ num_embeddings (or a negative id).',
  docs: {
    whatItDoes: 'Tracks the range of ids in literal and constructed inputs (`torch.tensor([...])`, `torch.randint(low, high, …)`, `torch.full(…, v)`, `torch.arange`) and compares it with the Embedding\'s `num_embeddings`.',
    whyIsThisBad: 'PyTorch raises `IndexError: index out of range in self` (on GPU, a device-side assert that kills the process). Ids run from 0 to num_embeddings − 1, so a vocabulary of 1000 words plus padding needs num_embeddings=1001.',
    example: 'emb = nn.Embedding(1000, 64)\nx = torch.tensor([[1, 5, 1000]])\nemb(x)',
    useInstead: 'emb = nn.Embedding(1001, 64)\nx = torch.tensor([[1, 5, 1000]])\nemb(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Embedding.html'],
  },
  fixTitles: ['Set num_embeddings=max id + 1'],
  hooks: {
    layerCall(event, ctx) {
      if (event.layer.kind !== 'Embedding' || event.layer.framework !== 'torch') return;
      const input = event.args[0];
      const n = argInt(event.layer, 'num_embeddings');
      if (input?.kind !== 'tensor' || n === undefined || input.dtype === 'float') return;
      const tooHigh = input.maxValue !== undefined && input.maxValue >= n;
      const negative = input.minValue !== undefined && input.minValue < 0;
      if (!tooHigh && !negative) return;
      const arg = event.layer.args.get('num_embeddings');
      const where = input.origin ? ` (${input.origin.text}, line ${input.origin.range.start.line + 1})` : '';
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        message: tooHigh
          ? `${layerName(event.layer)} has num_embeddings=${n} (line ${argOrigin(event.layer, 'num_embeddings').range.start.line + 1}), so ids must be below ${n}, but this input holds ids up to ${input.maxValue}${where}`
          : `${layerName(event.layer)} receives negative ids (down to ${input.minValue})${where}; ids must be in [0, ${n - 1}]`,
        related: [{ range: argOrigin(event.layer, 'num_embeddings').range, message: `num_embeddings=${n} is set here` }, ...(input.origin ? [{ range: input.origin.range, message: 'the ids come from here' }] : [])],
        fixes: tooHigh && arg?.expr ? [fix(`Set num_embeddings=${input.maxValue! + 1}`, [replace(arg.expr.range, String(input.maxValue! + 1))], true)] : [],
      });
    },
  },
};
