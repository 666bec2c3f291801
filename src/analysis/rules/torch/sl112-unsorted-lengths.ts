import { boolValue } from '../../values/value';
import { addKeyword, fix } from '../edits';
import type { Rule } from '../rule';
import { argumentInCall, keywordExpr } from './describe';

export const unsortedLengths: Rule = {
  code: 'SL112',
  name: 'unsorted-lengths',
  severity: 'error',
  framework: 'torch',
  summary: 'pack_padded_sequence gets lengths that are not sorted in decreasing order, without enforce_sorted=False.',
  docs: {
    whatItDoes: 'Checks literal `lengths` passed to `pack_padded_sequence`; when they are not in decreasing order and `enforce_sorted` is left at its default `True`, it reports an error. Lengths whose order the file cannot see are left alone: a `collate_fn`, a `BucketIterator(sort_within_batch=True)` or a batching function elsewhere usually sorts them.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.`',
    example: 'packed = pack_padded_sequence(x, torch.tensor([3, 5, 2]), batch_first=True)',
    useInstead: 'packed = pack_padded_sequence(x, torch.tensor([3, 5, 2]), batch_first=True, enforce_sorted=False)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html'],
  },
  fixTitles: ['Add enforce_sorted=False'],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname.endsWith('nn.utils.rnn.pack_padded_sequence'),
    },
    functionCall(event, ctx) {
      if (!event.qualname.endsWith('nn.utils.rnn.pack_padded_sequence')) return;
      const enforce = event.kwargs.get('enforce_sorted') ?? event.args[3];
      if (enforce !== undefined && boolValue(enforce) !== true) return;
      if (event.call.hasStarArgs) return;
      const lengths = event.args[1] ?? event.kwargs.get('lengths');
      const lengthsExpr = event.call.args[1] ?? keywordExpr(event.call, 'lengths');
      let literal: number[] | undefined;
      if (lengths?.kind === 'tensor') literal = lengths.literal;
      else if (lengths?.kind === 'list' || lengths?.kind === 'tuple') literal = lengths.items.every((v) => v.kind === 'int') ? lengths.items.map((v) => (v.kind === 'int' ? v.value : 0)) : undefined;
      const fixes = [fix('Add enforce_sorted=False', [addKeyword(event.call, 'enforce_sorted', 'False')], true)];
      if (literal) {
        const sorted = literal.every((v, i) => i === 0 || literal![i - 1] >= v);
        if (sorted) return;
        ctx.report({
          range: argumentInCall(lengthsExpr?.range, event.call.range),
          message: `lengths [${literal.join(', ')}] are not sorted in decreasing order and enforce_sorted is True (the default): pack_padded_sequence raises`,
          fixes,
        });
        return;
      }
    },
  },
};
