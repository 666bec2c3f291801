import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { isRecurrent, isRecurrentKind } from '../../layers/torch/recurrent';
import { torchCells } from '../../layers/torch/cells';
import { layerName, originNote } from './describe';

export const rnnIntegerInput: Rule = {
  code: 'SL144',
  name: 'rnn-integer-input',
  severity: 'error',
  framework: 'torch',
  summary: 'A recurrent layer or cell receives an integer or boolean tensor; its weights are floating point.',
  docs: {
    whatItDoes:
      'Follows tensor dtypes (`.long()`, `torch.LongTensor`, `randint`, integer literals and numpy integer arrays make int64; `.float()` and `.to(dtype)` convert) and flags integer or boolean input to nn.RNN/GRU/LSTM and their cells. Ids belong in an Embedding first; a numeric series needs `.float()`.',
    whyIsThisBad:
      'PyTorch 1.13 raises `RuntimeError: mat1 and mat2 must have the same dtype` (or "expected scalar type Long but found Float" with an initial state), which names neither the layer nor the input.',
    example: 'series = torch.from_numpy(np.arange(100)).view(10, 10, 1)   # int64\nout, (h, c) = self.lstm(series)',
    useInstead: 'series = torch.from_numpy(np.arange(100)).view(10, 10, 1).float()\nout, (h, c) = self.lstm(series)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://pytorch.org/docs/stable/tensor_attributes.html'],
  },
  fixTitles: ['Convert the input with .float()'],
  hooks: {
    offers: {
      layerCall: (kind) => isRecurrentKind(kind) || torchCells.kinds.includes(kind),
    },
    layerCall(event, ctx) {
      if (!isRecurrent(event.layer) && !(event.layer.framework === 'torch' && torchCells.kinds.includes(event.layer.kind))) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || (input.dtype !== 'long' && input.dtype !== 'bool')) return;
      const arg = event.call.args[0];
      const kind = input.dtype === 'long' ? 'an integer (torch.long)' : 'a boolean';
      ctx.report({
        range: arg?.range ?? event.call.range,
        message: `${layerName(event.layer)} has float weights but receives ${kind} tensor${originNote(input)}, so PyTorch raises a RuntimeError on the dtypes ("expected scalar type Long but found Float" or "mat1 and mat2 must have the same dtype"); ids go through an Embedding first, a numeric series needs .float()`,
        related: input.origin ? [{ range: input.origin.range, message: `the ${input.dtype === 'long' ? 'integer' : 'boolean'} tensor is made here` }] : [],
        fixes: arg ? [fix('Convert the input with .float()', [replace(arg.range, `${ctx.text(arg.range)}.float()`)], true)] : [],
      });
    },
  },
};
