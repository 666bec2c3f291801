import { argFromAssumedDefault, argInt, argOrigin } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';

export const embeddingIndexOutOfRange: Rule = {
  code: 'SL108',
  name: 'embedding-index-out-of-range',
  severity: 'error',
  framework: 'torch',
  summary: 'An Embedding receives a token id ≥ num_embeddings (or a negative id), or is built with a padding_idx outside its table.',
  docs: {
    whatItDoes: 'Tracks the range of ids in literal and constructed inputs (`torch.tensor([...])`, `torch.randint(low, high, …)`, `torch.full(…, v)`, `torch.arange`) and compares it with the Embedding\'s `num_embeddings`; also a known `padding_idx` outside [−num_embeddings, num_embeddings − 1], which PyTorch refuses when the layer is built.',
    whyIsThisBad: 'PyTorch raises `IndexError: index out of range in self` (on GPU, a device-side assert that kills the process). Ids run from 0 to num_embeddings − 1, so a vocabulary of 1000 words plus padding needs num_embeddings=1001. A padding_idx past the table fails at construction: `AssertionError: Padding_idx must be within num_embeddings`.',
    example: 'emb = nn.Embedding(1000, 64)\nx = torch.tensor([[1, 5, 1000]])\nemb(x)',
    useInstead: 'emb = nn.Embedding(1001, 64)\nx = torch.tensor([[1, 5, 1000]])\nemb(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Embedding.html'],
  },
  fixTitles: ['Set num_embeddings=max id + 1'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Embedding',
    },
    layerConstruct(event, ctx) {
      const layer = event.layer;
      if (layer.kind !== 'Embedding' || layer.framework !== 'torch') return;
      const n = argInt(layer, 'num_embeddings');
      const pad = argInt(layer, 'padding_idx');
      if (n === undefined || pad === undefined || (pad < n && pad >= -n)) return;
      // A num_embeddings that is a placeholder default: the caller gives the vocabulary's size.
      if (argFromAssumedDefault(layer, 'num_embeddings')) return;
      const padArg = argOrigin(layer, 'padding_idx');
      const sizeArg = layer.args.get('num_embeddings');
      ctx.report({
        range: padArg.range,
        message: `${layerName(layer)} has num_embeddings=${n} (line ${argOrigin(layer, 'num_embeddings').range.start.line + 1}), so padding_idx must be a row of its table (${-n} to ${n - 1}), but it is ${pad}: PyTorch raises "Padding_idx must be within num_embeddings" when the layer is built`,
        related: [{ range: argOrigin(layer, 'num_embeddings').range, message: `num_embeddings=${n} is set here` }],
        fixes: pad >= n && sizeArg?.expr ? [fix(`Set num_embeddings=${pad + 1}`, [replace(sizeArg.expr.range, String(pad + 1))])] : [],
      });
    },
    layerCall(event, ctx) {
      if (event.layer.kind !== 'Embedding' || event.layer.framework !== 'torch') return;
      const input = event.args[0];
      const n = argInt(event.layer, 'num_embeddings');
      if (input?.kind !== 'tensor' || n === undefined || input.dtype === 'float') return;
      if (argFromAssumedDefault(event.layer, 'num_embeddings')) return;
      const tooHigh = input.maxValue !== undefined && input.maxValue >= n;
      const negative = input.minValue !== undefined && input.minValue < 0;
      if (!tooHigh && !negative) return;
      const arg = event.layer.args.get('num_embeddings');
      const where = input.origin ? ` (${input.origin.text}, line ${input.origin.range.start.line + 1})` : '';
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        message: tooHigh
          ? `${layerName(event.layer)} has num_embeddings=${n} (line ${argOrigin(event.layer, 'num_embeddings').range.start.line + 1}), so ids must be below ${n}, but ${input.maxBoundOnly ? `this input's ids can reach ${input.maxValue}` : `this input holds ids up to ${input.maxValue}`}${where}`
          : `${layerName(event.layer)} ${input.minBoundOnly ? 'can receive' : 'receives'} negative ids (down to ${input.minValue})${where}; ids must be in [0, ${n - 1}]`,
        related: [{ range: argOrigin(event.layer, 'num_embeddings').range, message: `num_embeddings=${n} is set here` }, ...(input.origin ? [{ range: input.origin.range, message: 'the ids come from here' }] : [])],
        fixes: tooHigh && arg?.expr ? [fix(`Set num_embeddings=${input.maxValue! + 1}`, [replace(arg.expr.range, String(input.maxValue! + 1))], true)] : [],
      });
    },
  },
};
