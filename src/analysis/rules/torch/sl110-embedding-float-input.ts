import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';

export const embeddingFloatInput: Rule = {
  code: 'SL110',
  name: 'embedding-float-input',
  severity: 'error',
  framework: 'torch',
  summary: 'An Embedding receives a floating-point tensor; it needs integer ids.',
  docs: {
    whatItDoes: 'Follows tensor dtypes (`torch.randn`/`rand`/`zeros` make floats, `randint` and integer literals make int64, `.float()`/`.long()`/`.to(dtype)` convert) and flags float input to `nn.Embedding`.',
    whyIsThisBad: "PyTorch raises `RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead`.",
    example: 'x = torch.randn(32, 20)\nout = self.embedding(x)',
    useInstead: 'x = torch.randint(0, vocab_size, (32, 20))\nout = self.embedding(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Embedding.html'],
  },
  fixTitles: ['Convert the ids with .long()'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Embedding',
    },
    layerCall(event, ctx) {
      if (event.layer.kind !== 'Embedding' || event.layer.framework !== 'torch') return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || input.dtype !== 'float') return;
      const arg = event.call.args[0];
      ctx.report({
        range: arg?.range ?? event.call.range,
        message: `${layerName(event.layer)} needs integer ids (torch.long) but receives a float tensor${input.origin ? ` (${input.origin.text}, line ${input.origin.range.start.line + 1})` : ''}`,
        related: input.origin ? [{ range: input.origin.range, message: 'the float tensor is made here' }] : [],
        fixes: arg ? [fix('Convert the ids with .long()', [replace(arg.range, `${ctx.text(arg.range)}.long()`)], true)] : [],
      });
    },
  },
};
