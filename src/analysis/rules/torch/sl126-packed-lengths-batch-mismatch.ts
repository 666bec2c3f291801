import { formatShape } from '../../shapes/shape';
import type { Dim } from '../../shapes/dim';
import { boolValue, sequenceLength } from '../../values/value';
import type { Value } from '../../values/value';
import { addKeyword, fix, setKeyword } from '../edits';
import type { Fix } from '../../findings';
import type { Rule } from '../rule';
import { codeText, keywordExpr, originNote, relatedOrigin } from './describe';

/** How many lengths were given: a list or tuple's length, or a 1-D tensor's size, when known. */
function countOf(lengths: Value | undefined): number | undefined {
  if (!lengths) return undefined;
  if (lengths.kind === 'list' || lengths.kind === 'tuple') return sequenceLength(lengths);
  if (lengths.kind === 'tensor' && lengths.shape.rankKnown && lengths.shape.dims.length === 1) {
    const d = lengths.shape.dims[0];
    return d.kind === 'int' ? d.value : undefined;
  }
  return undefined;
}

/**
 * The batch pack_padded_sequence reads (axis 1 of (T, B, *), axis 0 with batch_first) when its known size differs from
 * the number of lengths. With enforce_sorted=True PyTorch checks the count and raises; with enforce_sorted=False it
 * reorders the batch axis by the lengths' order, which raises only for more lengths than entries and otherwise packs
 * the first `count` entries of that axis (silently: `raises` false). Undefined when they agree or the size is unknown.
 */
export function lengthsClash(dims: readonly Dim[], count: number, batchFirst: boolean, enforceSorted: boolean): { axis: number; batch: number; raises: boolean } | undefined {
  if (dims.length < 2) return undefined;
  const axis = batchFirst ? 0 : 1;
  const batch = dims[axis];
  if (batch.kind !== 'int' || batch.value === count) return undefined;
  return { axis, batch: batch.value, raises: enforceSorted || count > batch.value };
}

export const packedLengthsBatchMismatch: Rule = {
  code: 'SL126',
  name: 'packed-lengths-batch-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'pack_padded_sequence gets a number of lengths other than the batch it reads (axis 1 without batch_first=True, axis 0 with it): an error, or a warning where enforce_sorted=False makes it pack part of that axis silently.',
  docs: {
    whatItDoes:
      "Compares the number of `lengths` given to `pack_padded_sequence` (a list's length, a 1-D tensor's size) with the size of the axis it reads as the batch: axis 1 of a `(T, B, *)` input by default, axis 0 with `batch_first=True`. Where either is not known, or `batch_first` is given by a value not followed, nothing is reported.",
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Expected `len(lengths)` to be equal to batch_size, but got 4 (batch_size=20)`. With `enforce_sorted=False` it reorders that axis by the lengths instead: more lengths than entries raise an index error, fewer pack only as many entries as there are lengths, silently (reported as a warning). Most often the input is batch-first (the embeddings of a batch-first LSTM, a torchtext field with `batch_first=True`) and `batch_first=True` is missing, so the time steps are read as the batch.',
    example: 'emb = self.embedding(x)                          # (B, T, E)\npacked = pack_padded_sequence(emb, lengths)       # reads (T, B, E)',
    useInstead: 'emb = self.embedding(x)                          # (B, T, E)\npacked = pack_padded_sequence(emb, lengths, batch_first=True)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html'],
  },
  fixTitles: ['Pass batch_first=True', 'Pass batch_first=False'],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname.endsWith('nn.utils.rnn.pack_padded_sequence'),
    },
    functionCall(event, ctx) {
      if (!event.qualname.endsWith('nn.utils.rnn.pack_padded_sequence') || event.call.hasStarArgs) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      if (input?.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length < 2) return;
      const flag = event.kwargs.get('batch_first') ?? event.args[2];
      const batchFirst = flag === undefined ? false : boolValue(flag);
      if (batchFirst === undefined) return;
      const count = countOf(event.args[1] ?? event.kwargs.get('lengths'));
      if (count === undefined) return;
      const sortedFlag = event.kwargs.get('enforce_sorted') ?? event.args[3];
      const enforceSorted = sortedFlag === undefined ? true : boolValue(sortedFlag);
      if (enforceSorted === undefined) return;
      const dims = input.shape.dims;
      const clash = lengthsClash(dims, count, batchFirst, enforceSorted);
      if (!clash) return;
      const { axis } = clash;
      const batch = { value: clash.batch };
      const other = dims[1 - axis];
      const swapped = other.kind === 'int' && other.value === count;
      const inputExpr = event.call.args[0] ?? keywordExpr(event.call, 'input');
      const name = inputExpr ? codeText(ctx, inputExpr.range) : 'the input';
      const lengthsExpr = event.call.args[1] ?? keywordExpr(event.call, 'lengths');
      const fixes: Fix[] = [];
      if (swapped) {
        const given = keywordExpr(event.call, 'batch_first') !== undefined;
        const value = batchFirst ? 'False' : 'True';
        if (given || event.call.args.length <= 2) {
          fixes.push(fix(`Pass batch_first=${value}`, [given ? setKeyword(event.call, 'batch_first', value) : addKeyword(event.call, 'batch_first', value)], true));
        }
      }
      ctx.report({
        range: event.call.range,
        ...(clash.raises ? {} : { severity: 'warning' as const }),
        message:
          `pack_padded_sequence reads axis ${axis} of ${name} ${formatShape(input.shape)}${originNote(input)} as the batch (batch_first=${batchFirst ? 'True' : 'False'}), ${batch.value} sequences, ` +
          `but ${lengthsExpr ? ctx.text(lengthsExpr.range).replace(/\s+/g, ' ').slice(0, 40) : 'lengths'} holds ${count} lengths, so ` +
          (enforceSorted
            ? `PyTorch raises "Expected \`len(lengths)\` to be equal to batch_size, but got ${count} (batch_size=${batch.value})"`
            : clash.raises
              ? `PyTorch raises an index error when it reorders that axis by the lengths (enforce_sorted=False)`
              : `with enforce_sorted=False PyTorch reorders that axis by the lengths and packs only ${count} of its ${batch.value} entries: nothing raises, and the packed batch is not the data`) +
          (swapped ? `; axis ${1 - axis} has ${count} entries: pass batch_first=${batchFirst ? 'False' : 'True'}` : ''),
        related: relatedOrigin(input, event.call.range, `the ${formatShape(input.shape)} input comes from here`),
        fixes,
      });
    },
  },
};
