import type { Rule } from '../rule';

const PACKED_FIELDS = new Set(['data', 'batch_sizes', 'sorted_indices', 'unsorted_indices', 'to', 'cpu', 'cuda', 'float', 'double', 'long', 'is_cuda', 'is_pinned', 'pin_memory', 'half', 'int', 'byte', 'char', 'short', 'count', 'index']);

export const packedSequenceIndexed: Rule = {
  code: 'SL111',
  name: 'packed-sequence-indexed',
  severity: 'error',
  framework: 'torch',
  summary: 'The output of an RNN run on a PackedSequence is indexed or reshaped like a tensor.',
  docs: {
    whatItDoes: 'Follows `pack_padded_sequence` through the recurrent layer: its output is again a `PackedSequence`, which must be unpacked with `pad_packed_sequence` before indexing.',
    whyIsThisBad: "`out[:, -1, :]` raises `TypeError: tuple indices must be integers or slices, not tuple`, and `out[-1]` silently returns the PackedSequence's `unsorted_indices` field (often `None`) instead of a time step. `out[0]` is the namedtuple's `.data` field (all time steps packed together), a standard idiom, and is not reported.",
    example: 'packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)\nout, h = self.lstm(packed)\nlast = out[:, -1, :]',
    useInstead: 'packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)\nout, h = self.lstm(packed)\nout, _ = pad_packed_sequence(out, batch_first=True)\nlast = h[-1]',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pad_packed_sequence.html'],
  },
  fixTitles: [],
  hooks: {
    subscript(event, ctx) {
      if (event.value.kind !== 'packed') return;
      // A PackedSequence is a namedtuple: packed[0] is its .data, [1] its batch_sizes, [2]/[3] the sort indices.
      const index = event.node.index;
      if (index.length === 1 && index[0].kind === 'int' && index[0].value >= 0 && index[0].value <= 3) return;
      const base = ctx.text(event.node.value.range);
      ctx.report({
        range: event.node.range,
        message: `${base} is a PackedSequence (the RNN ran on a packed batch), not a tensor: unpack it with pad_packed_sequence(${base}, batch_first=${event.value.batchFirst ? 'True' : 'False'}) before indexing, or use the final hidden state`,
        related: event.value.origin ? [{ range: event.value.origin.range, message: 'the PackedSequence comes from here' }] : [],
      });
    },
    attribute(event, ctx) {
      if (event.value.kind !== 'packed' || PACKED_FIELDS.has(event.node.attr)) return;
      const base = ctx.text(event.node.object.range);
      ctx.report({
        range: event.node.range,
        message: `${base} is a PackedSequence, not a tensor: .${event.node.attr} raises AttributeError; unpack it with pad_packed_sequence first`,
        related: event.value.origin ? [{ range: event.value.origin.range, message: 'the PackedSequence comes from here' }] : [],
      });
    },
  },
};
