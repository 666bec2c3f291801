import { formatShape } from '../../shapes/shape';
import type { Value } from '../../values/value';
import { fix, replace } from '../edits';
import type { Fix } from '../../findings';
import type { Rule } from '../rule';
import { argumentInCall, originNote, relatedOrigin } from './describe';

/**
 * The number of axes of pack_padded_sequence's lengths when it is known not to be 1: a tensor of known rank, or a list or
 * tuple whose every item is itself a list or tuple (torch.as_tensor makes at least two axes of it). Undefined otherwise
 * (a 1-D tensor, a list of ints, a list of 0-d tensors, anything not known).
 */
export function lengthsRank(lengths: Value | undefined): number | undefined {
  if (!lengths) return undefined;
  if (lengths.kind === 'tensor') return lengths.shape.rankKnown && lengths.shape.dims.length !== 1 ? lengths.shape.dims.length : undefined;
  if (lengths.kind !== 'list' && lengths.kind !== 'tuple') return undefined;
  const items = lengths.element ? [lengths.element] : lengths.items;
  if (!items.length || !items.every((v) => (v.kind === 'list' || v.kind === 'tuple') && !v.element && v.items.length > 0 && v.items.every((i) => i.kind === 'int' || i.kind === 'symint'))) return undefined;
  return 2;
}

export const packedLengthsRank: Rule = {
  code: 'SL159',
  name: 'packed-lengths-rank',
  severity: 'error',
  framework: 'torch',
  summary: 'pack_padded_sequence gets lengths that are not one axis of one length per sequence: a (batch, 1) column, a nested list or a 0-d tensor.',
  docs: {
    whatItDoes:
      'Flags the `lengths` given to `pack_padded_sequence` when they are known to have another number of axes than one: a tensor of known rank other than 1 (a `(batch, 1)` column kept from a dataset, a 0-d tensor), or a list of lists such as `[[7], [5], [3]]`, which `torch.as_tensor` turns into two axes.',
    whyIsThisBad:
      "PyTorch raises `RuntimeError: 'lengths' argument should be a 1D CPU int64 tensor, but got 2D cpu Long tensor` when the batch is packed.",
    example: "lengths = torch.tensor([[7], [5], [3]])               # one column per sequence\npacked = pack_padded_sequence(emb, lengths, batch_first=True)",
    useInstead: "lengths = torch.tensor([7, 5, 3])\npacked = pack_padded_sequence(emb, lengths.view(-1), batch_first=True)",
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html'],
  },
  fixTitles: ['Flatten the lengths: lengths.view(-1)'],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname.endsWith('nn.utils.rnn.pack_padded_sequence'),
    },
    functionCall(event, ctx) {
      if (!event.qualname.endsWith('nn.utils.rnn.pack_padded_sequence') || event.call.hasStarArgs) return;
      const lengths = event.args[1] ?? event.kwargs.get('lengths');
      const rank = lengthsRank(lengths);
      if (rank === undefined || !lengths) return;
      const expr = event.call.args[1] ?? event.call.keywords.find((k) => k.name === 'lengths')?.value;
      const text = expr ? ctx.text(expr.range) : 'lengths';
      const described = lengths.kind === 'tensor' ? `a ${rank}-D tensor ${formatShape(lengths.shape)}${originNote(lengths)}` : `a list of lists, which becomes a ${rank}-D tensor`;
      const fixes: Fix[] = [];
      // A column (or row) of one length per sequence flattens to what PyTorch wants.
      const column = lengths.kind === 'tensor' && rank === 2 && lengths.shape.dims.some((d) => d.kind === 'int' && d.value === 1);
      if (expr && column) fixes.push(fix(`Flatten the lengths: ${text}.view(-1)`, [replace(expr.range, `${/^[\w.]+$/.test(text) ? text : `(${text})`}.view(-1)`)], true));
      ctx.report({
        range: argumentInCall(expr?.range, event.call.range),
        message: `pack_padded_sequence needs lengths of one axis, one length per sequence, but ${text} is ${described}: it raises "'lengths' argument should be a 1D CPU int64 tensor, but got ${rank}D"`,
        related: lengths.kind === 'tensor' ? relatedOrigin(lengths, expr?.range ?? event.call.range, `the lengths ${formatShape(lengths.shape)} come from here`) : [],
        fixes,
      });
    },
  },
};
