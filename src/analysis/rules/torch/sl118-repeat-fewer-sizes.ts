import { formatShape } from '../../shapes/shape';
import type { RuleContext, TensorMethodEvent } from '../../interpret/events';
import type { Rule } from '../rule';
import { expandClashOf } from './expand-broadcast';

/** The receiver as written, clipped, and where it was made when that is elsewhere. */
function described(event: TensorMethodEvent, ctx: RuleContext) {
  const t = event.receiver;
  const func = event.call.func;
  const receiverText = func.kind === 'attribute' ? ctx.text(func.object.range) : 'the tensor';
  const origin = t.origin && t.origin.range !== event.call.range ? t.origin : undefined;
  return {
    text: `${receiverText.length > 60 ? `${receiverText.slice(0, 57)}…` : receiverText} is ${t.shape.dims.length}-D ${formatShape(t.shape)}${origin ? ` (from ${origin.text.length > 50 ? `${origin.text.slice(0, 47)}…` : origin.text}, line ${origin.range.start.line + 1})` : ''}`,
    related: origin ? [{ range: origin.range, message: `the ${t.shape.dims.length}-D ${formatShape(t.shape)} tensor comes from here` }] : [],
  };
}

/** `x.expand(*sizes)` with fewer sizes than x has axes (PyTorch's expand names the sizes it got). */
function checkExpandFewer(event: TensorMethodEvent, ctx: RuleContext): void {
  const clash = expandClashOf(event)?.clash;
  if (clash?.kind !== 'fewer') return;
  const { text, related } = described(event, ctx);
  ctx.report({
    range: event.call.range,
    message: `${text} but .expand() gets ${clash.provided} size${clash.provided === 1 ? '' : 's'}: PyTorch raises "the number of sizes provided (${clash.provided}) must be greater or equal to the number of dimensions in the tensor (${clash.rank})"`,
    related,
    fixes: [],
  });
}

export const repeatFewerSizes: Rule = {
  code: 'SL118',
  name: 'repeat-fewer-sizes',
  severity: 'error',
  framework: 'torch',
  summary: '.repeat() or .expand() given fewer sizes than the tensor has axes (often a state that kept an axis the code expected gone).',
  docs: {
    whatItDoes:
      'Counts the sizes given to `Tensor.repeat(...)` against the rank of the tensor, when both are known, and reports a call with fewer sizes than axes. It checks calls with three or more sizes written out one by one, which only a PyTorch tensor accepts (NumPy\'s `repeat(repeats, axis)` takes two). `Tensor.expand(...)` likewise, with any number of sizes (NumPy arrays have no `expand`).',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor` (expand: `the number of sizes provided (2) must be greater or equal to the number of dimensions in the tensor (3)`). The extra axis usually comes from earlier: `hidden.squeeze(0)` drops nothing when a 2-layer GRU\'s state is (2, batch, hidden), so `hidden.unsqueeze(1).repeat(1, src_len, 1)` meets a 4-D tensor.',
    example: 'hidden = h_n.squeeze(0)                         # (2, B, H): two layers, nothing squeezed\nhidden = hidden.unsqueeze(1).repeat(1, src_len, 1)',
    useInstead: 'hidden = h_n[-1]                                 # the last layer: (B, H)\nhidden = hidden.unsqueeze(1).repeat(1, src_len, 1)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.repeat.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      tensorMethod: (name) => name === 'expand' || name === 'repeat',
    },
    tensorMethod(event, ctx) {
      if (event.name === 'expand') return checkExpandFewer(event, ctx);
      if (event.name !== 'repeat' || event.call.hasStarArgs || event.kwargs.size > 0) return;
      const t = event.receiver;
      if (!t.shape.rankKnown) return;
      const count = event.args.length;
      const rank = t.shape.dims.length;
      if (count < 3 || count >= rank) return;
      if (event.args.some((a) => a.kind !== 'int' && a.kind !== 'symint')) return;
      const { text, related } = described(event, ctx);
      ctx.report({
        range: event.call.range,
        message: `${text} but .repeat() gets ${count} sizes: PyTorch raises "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"`,
        related,
        fixes: [],
      });
    },
  },
};
