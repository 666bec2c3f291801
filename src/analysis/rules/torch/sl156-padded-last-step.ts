import type { IndexItem } from '../../ops/indexing';
import { formatDim } from '../../shapes/dim';
import type { TensorValue } from '../../values/value';
import type { Rule } from '../rule';
import { codeText, relatedOrigin, shapeAndOrigin } from './describe';
import { readsLastStepOfEach } from './sl152-bidirectional-last-step';

/** Whether `items` read the last padded step of every sequence of `t`, the output pad_packed_sequence padded. */
export function lastPaddedStep(t: TensorValue, items: readonly IndexItem[]): boolean {
  return !!t.paddedSteps && t.shape.rankKnown && t.shape.dims.length >= 2 && readsLastStepOfEach(t, items, t.paddedSteps.timeAxis);
}

export const paddedLastStep: Rule = {
  code: 'SL156',
  name: 'padded-last-step',
  severity: 'warning',
  framework: 'torch',
  summary:
    "The last step of pad_packed_sequence's output (`out[:, -1, :]`) is read as each sequence's last output: for every sequence shorter than the longest it is padding.",
  docs: {
    whatItDoes:
      "Flags `out[:, -1, :]` or `out[:, -1]` (batch_first=True) and `out[-1]` (sequence-first) on the tensor pad_packed_sequence returns, followed through copies, moves, dropout, element-wise activations and Linear layers. pad_packed_sequence pads every sequence to the longest one's length (or total_length) with padding_value, 0 by default, so the last padded step is a real output only for the sequences of that length. It stays silent when the lengths packed are known to be all equal.",
    whyIsThisBad:
      "Nothing raises: the slice has the shape of the right summary. But for each shorter sequence it holds zeros (or a Linear's bias), not the recurrent layer's last output, so the classifier reads nothing for most of the batch and the model learns from the longest sequences only.",
    example:
      "packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)\nout, _ = self.lstm(packed)\nout, _ = pad_packed_sequence(out, batch_first=True)\nreturn self.fc(out[:, -1, :])        # zeros for every shorter sequence",
    useInstead:
      "out, (h_n, c_n) = self.lstm(packed)\nreturn self.fc(h_n[-1])               # each sequence's final state\n# or: out, lens = pad_packed_sequence(out, batch_first=True)\n#     last = out[torch.arange(out.size(0)), lens - 1]",
    references: [
      'https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pad_packed_sequence.html',
      'https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html',
    ],
  },
  fixTitles: [],
  hooks: {
    tensorIndex(event, ctx) {
      const t = event.tensor;
      if (!lastPaddedStep(t, event.items)) return;
      // A line that is the slice alone only shows it (a notebook cell's value): nothing reads it as a summary.
      const r = event.node.range;
      if (r.start.line === r.end.line && ctx.text({ start: { line: r.start.line, column: 0 }, end: { line: r.start.line + 1, column: 0 } }).trim() === ctx.text(r)) return;
      const padded = t.paddedSteps!;
      const name = codeText(ctx, event.node.value.range);
      const time = t.shape.dims[padded.timeAxis];
      const steps = time.kind === 'int' ? `${time.value} steps` : `${formatDim(time)} steps`;
      const lengths = padded.lengths;
      const longest = lengths ? Math.max(...lengths) : undefined;
      const shorter = lengths ? lengths.filter((n) => n < longest!).length : 0;
      const who = lengths && shorter > 0
        ? `${shorter} of its ${lengths.length} sequences (lengths ${lengths.join(', ')}) to ${time.kind === 'int' ? time.value : 'the longest'} steps`
        : lengths
          ? `its ${lengths.length} sequences (lengths ${lengths.join(', ')}) to total_length`
          : 'every sequence shorter than the longest';
      const fromCall = t.origin?.range === padded.call;
      const where = fromCall ? 'pad_packed_sequence' : `pad_packed_sequence (line ${padded.call.start.line + 1})`;
      const each = padded.timeAxis === 1 ? `${name}[torch.arange(${name}.size(0)), lengths - 1]` : `${name}[lengths - 1, torch.arange(${name}.size(1))]`;
      ctx.report({
        range: event.node.range,
        message: `${codeText(ctx, event.node.range)} reads the last of the ${steps} of ${name} ${shapeAndOrigin(t)}, but ${where} padded ${who}: for each of them that step is padding (zeros), not its last output. Read each sequence's own last step, ${each} with the lengths pad_packed_sequence returns, or the layer's final state (h_n[-1]); nothing raises`,
        related: [
          { range: padded.call, message: 'pad_packed_sequence pads every sequence to the longest one here' },
          ...(fromCall ? [] : relatedOrigin(t, event.node.range, 'the padded output comes from here')),
        ],
        fixes: [],
      });
    },
  },
};
