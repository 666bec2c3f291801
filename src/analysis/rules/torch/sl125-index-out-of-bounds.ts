import { indexOutOfBounds } from '../../ops/indexing';
import type { Rule } from '../rule';
import { codeText, relatedDim, relatedOrigin, shapeAndOrigin, whereFrom } from './describe';

/** "the first axis", "axis 2". */
function axisName(axis: number): string {
  return axis === 0 ? 'the first axis' : `axis ${axis}`;
}

export const indexOutOfBoundsRule: Rule = {
  code: 'SL125',
  name: 'index-out-of-bounds',
  severity: 'error',
  framework: 'torch',
  summary: 'An integer index reaches past the size of the axis it reads (`h_n[1]` of a one-layer state): PyTorch raises "index 1 is out of bounds".',
  docs: {
    whatItDoes:
      'Checks every integer index of a tensor (`h_n[-2]`, `state[1]`, `out[:, 5]`, negative ones too) against the size of the axis it reads, where that size is known. `None` takes no axis and `...` the axes the other items leave; after a boolean mask, or where a size or the index is not known, nothing is checked.',
    whyIsThisBad:
      'PyTorch raises `IndexError: index 1 is out of bounds for dimension 0 with size 1`. The index is rarely the mistake itself: a GRU\'s single state read as an LSTM\'s `(h, c)` pair, `h_n[-2]` (the backward direction) taken from a layer that is not bidirectional, a time step past the sequence length.',
    example:
      "self.gru = nn.GRU(32, 64, batch_first=True)                # one layer, one direction\n_, h_n = self.gru(x)                                       # (1, B, 64)\nlast = torch.cat([h_n[-2], h_n[-1]], dim=1)                 # h_n[-2] does not exist",
    useInstead:
      "self.gru = nn.GRU(32, 64, batch_first=True, bidirectional=True)\n_, h_n = self.gru(x)                                       # (2, B, 64)\nlast = torch.cat([h_n[-2], h_n[-1]], dim=1)                 # both directions of the last layer",
    references: ['https://pytorch.org/docs/stable/tensor_view.html', 'https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: [],
  hooks: {
    tensorIndex(event, ctx) {
      const out = indexOutOfBounds(event.tensor, event.items);
      if (!out) return;
      const node = event.node;
      // Where the size was set, unless that is where the tensor was made (already named with its shape).
      const made = event.tensor.origin?.range.start;
      const set = out.dim.kind === 'int' ? out.dim.origin?.range.start : undefined;
      const sameOrigin = made !== undefined && set !== undefined && made.line === set.line && made.column === set.column;
      const name = codeText(ctx, node.value.range);
      ctx.report({
        range: node.range,
        message: `index ${out.index} on ${axisName(out.axis)} of ${name} ${shapeAndOrigin(event.tensor)}, whose size is ${out.size}${sameOrigin ? '' : whereFrom(out.dim)}: its indices run from ${-out.size} to ${out.size - 1}, so PyTorch raises "IndexError: index ${out.index} is out of bounds … with size ${out.size}"`,
        related: [
          ...relatedOrigin(event.tensor, node.range, `the tensor comes from here`),
          ...(sameOrigin ? [] : relatedDim(out.dim, `${axisName(out.axis)} has size ${out.size} from here`)),
        ],
        fixes: [],
      });
    },
  },
};
