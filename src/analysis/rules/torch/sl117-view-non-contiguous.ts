import { dimsFromSizeArgs } from '../../ops/dims-from-values';
import { isContiguous, knownSizes, resolveSizes, stridesOf, viewStrides } from '../../ops/layout';
import { formatShape } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';

export const viewNonContiguous: Rule = {
  code: 'SL117',
  name: 'view-non-contiguous',
  severity: 'error',
  framework: 'torch',
  summary: '.view() on a tensor whose memory layout cannot take the new shape (after transpose/permute, or a batch_first RNN output).',
  docs: {
    whatItDoes:
      'Follows the strides of tensors whose sizes are all known: a batch_first RNN/GRU/LSTM returns its output as a transposed view, `transpose`/`permute` reorder the strides, slicing keeps them, element-wise activations keep their input\'s layout, `.contiguous()` and `.reshape()` lay the data out afresh. It reports a `.view()` whose new shape would merge axes that are not adjacent in memory, exactly as PyTorch decides.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: view size is not compatible with input tensor\'s size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.` A batch_first LSTM\'s output flattened with `out.view(batch, -1)` is the classic case.',
    example: 'out, _ = self.lstm(x)          # batch_first=True\nflat = out.view(out.size(0), -1)',
    useInstead: 'out, _ = self.lstm(x)\nflat = out.reshape(out.size(0), -1)   # or out.contiguous().view(...)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://pytorch.org/docs/stable/generated/torch.Tensor.contiguous.html'],
  },
  fixTitles: ['Use .reshape(...)', 'Call .contiguous() before .view(...)'],
  hooks: {
    offers: {
      tensorMethod: (name) => name === 'view',
    },
    tensorMethod(event, ctx) {
      if (event.name !== 'view') return;
      const t = event.receiver;
      const strides = stridesOf(t);
      const sizes = strides ? knownSizes(t.shape.dims) : undefined;
      if (!strides || !sizes || isContiguous(sizes, strides)) return;
      if (event.args.length === 1 && event.args[0].kind === 'dtype') return;
      const dims = dimsFromSizeArgs(event.args, t.origin ?? { range: event.call.range, text: '' });
      const requested = dims ? knownSizes(dims) : undefined;
      const numel = sizes.reduce((p, s) => p * s, 1);
      const target = requested ? resolveSizes(requested, numel) : undefined;
      if (!target || target.reduce((p, s) => p * s, 1) !== numel || viewStrides(sizes, strides, target)) return;
      const func = event.call.func;
      if (func.kind !== 'attribute') return;
      const receiverText = ctx.text(func.object.range);
      const argsText = ctx.text(event.call.argsRange);
      const why = t.rnnOutput ? 'the batch_first output of a recurrent layer is a transposed view of its (time, batch, features) result' : 'transpose/permute left it non-contiguous';
      ctx.report({
        range: event.call.range,
        message: `${receiverText} is ${formatShape(t.shape)} with strides (${strides.join(', ')})${t.origin ? ` (from ${t.origin.text.length > 50 ? `${t.origin.text.slice(0, 47)}…` : t.origin.text}, line ${t.origin.range.start.line + 1})` : ''}: ${why}, so .view(${target.join(', ')}) cannot lay the new shape over its memory and raises "view size is not compatible with input tensor's size and stride"`,
        related: t.origin ? [{ range: t.origin.range, message: `the non-contiguous ${formatShape(t.shape)} tensor comes from here` }] : [],
        fixes: [
          fix('Use .reshape(...)', [replace(event.call.range, `${receiverText}.reshape${argsText}`)], true),
          fix('Call .contiguous() before .view(...)', [replace(event.call.range, `${receiverText}.contiguous().view${argsText}`)]),
        ],
      });
    },
  },
};
