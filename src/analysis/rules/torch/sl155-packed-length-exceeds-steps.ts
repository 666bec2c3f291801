import { isRecurrent, isRecurrentKind } from '../../layers/torch/recurrent';
import { formatDim } from '../../shapes/dim';
import type { Rule } from '../rule';
import { argumentInCall, layerName } from './describe';

export const packedLengthExceedsSteps: Rule = {
  code: 'SL155',
  name: 'packed-length-exceeds-steps',
  severity: 'error',
  framework: 'torch',
  summary: 'A recurrent layer reads a PackedSequence whose lengths (given to pack_padded_sequence) are longer than the padded steps it was packed from.',
  docs: {
    whatItDoes:
      'Follows the `lengths` given to `pack_padded_sequence` (a list or tensor of known values) and the time axis of the padded input (axis 0, or axis 1 with `batch_first=True`). When the longest length is more than that axis holds, the recurrent layer that reads the PackedSequence is flagged. A length of each sequence counts its steps in the padded tensor, not its characters or tokens before padding or truncation.',
    whyIsThisBad:
      'pack_padded_sequence does not check the lengths against the input in PyTorch 1.13: it returns a PackedSequence whose batch sizes describe more steps than its data holds, and the RNN, GRU or LSTM given it raises `RuntimeError: start (5) + length (1) exceeds dimension size (5).`, far from the lengths that caused it (pad_packed_sequence fails likewise).',
    example: 'ids = torch.LongTensor([word_ids]).t()                   # (5, 1): 5 word ids\npacked = pack_padded_sequence(embed(ids), [len(sentence)])  # 18 characters\noutput, hidden = gru(packed)',
    useInstead: 'ids = torch.LongTensor([word_ids]).t()\npacked = pack_padded_sequence(embed(ids), [len(word_ids)])\noutput, hidden = gru(packed)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: isRecurrentKind,
    },
    layerCall(event, ctx) {
      if (!isRecurrent(event.layer)) return;
      const packed = event.args[0];
      if (packed?.kind !== 'packed' || packed.steps?.kind !== 'int') return;
      const shape = packed.padded.shape;
      const longest = shape.rankKnown && shape.dims.length >= 2 ? shape.dims[packed.batchFirst ? 1 : 0] : undefined;
      if (longest?.kind !== 'int' || longest.value <= packed.steps.value) return;
      const where = packed.origin ? ` (${packed.origin.text}, line ${packed.origin.range.start.line + 1})` : '';
      ctx.report({
        range: argumentInCall(event.call.args[0]?.range, event.call.range),
        message: `${layerName(event.layer)} reads a PackedSequence${where} packed with a length of ${longest.value} from ${formatDim(packed.steps)} padded steps: pack_padded_sequence does not check the lengths, so the layer raises "start (…) + length (1) exceeds dimension size (…)"; each length counts the steps of its sequence in the padded tensor`,
        related: [
          ...(packed.origin ? [{ range: packed.origin.range, message: `packed with lengths up to ${longest.value}` }] : []),
          ...(packed.steps.origin ? [{ range: packed.steps.origin.range, message: `the padded input has ${packed.steps.value} steps` }] : []),
        ],
      });
    },
  },
};
