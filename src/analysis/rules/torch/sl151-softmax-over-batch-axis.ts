import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { codeText, originNote, relatedOrigin } from './describe';
import { softmaxHooks, type SoftmaxCall } from './softmax-calls';
import { softmaxAxis } from './sl127-softmax-over-single-entry';

/**
 * The axis a softmax normalises over when it is the batch axis of the tensor: the only axis whose role is the batch
 * (as a recurrent layer's output, or a size read from one, gives it), with another axis beside it. A tensor with two
 * batch axes (a (B, B) similarity matrix of a contrastive loss) normalises over the batch on purpose.
 */
function batchAxis(t: TensorValue, dim: Value | undefined): number | undefined {
  const found = softmaxAxis(t, dim);
  // One entry there is SL127's (every weight is 1).
  if (!found || found.single) return undefined;
  const dims = t.shape.dims;
  if (dims.length < 2 || dims[found.axis].role !== 'batch' || dims.filter((x) => x.role === 'batch').length !== 1) return undefined;
  // A batch axis assumed for a recurrent output whose input's rank was not known may not be there at all.
  const axisDim = dims[found.axis];
  if (axisDim.kind !== 'unknown' && axisDim.layoutAssumed) return undefined;
  return found.axis;
}

function judge(ctx: RuleContext, softmax: SoftmaxCall): void {
  const t = softmax.input;
  const axis = batchAxis(t, softmax.dim);
  if (axis === undefined) return;
  const name = softmax.inputExpr ? codeText(ctx, softmax.inputExpr.range) : 'the input';
  const others = t.shape.dims.map((_, i) => i).filter((i) => i !== axis);
  ctx.report({
    range: softmax.call.range,
    message:
      `${softmax.what()} normalises over axis ${axis} of ${name} ${formatShape(t.shape)}${originNote(t)}, its batch axis: the probabilities sum to 1 across the samples of the batch, ` +
      `so each sample's weights depend on the others in the batch, and nothing raises; the classes or positions are on axis ${others.length === 1 ? others[0] : others.join(' or ')}`,
    related: relatedOrigin(t, softmax.call.range, `the ${formatShape(t.shape)} input comes from here`),
    fixes: [],
  });
}

export const softmaxOverBatchAxis: Rule = {
  code: 'SL151',
  name: 'softmax-over-batch-axis',
  severity: 'warning',
  framework: 'torch',
  summary: 'A softmax (or log_softmax) normalises over the batch axis of a recurrent model\'s data: each sample\'s probabilities depend on the rest of the batch.',
  docs: {
    whatItDoes:
      'Checks the axis of `F.softmax`, `torch.softmax`, `x.softmax`, `nn.Softmax` and their log forms where it is known to be the batch axis: the axis a recurrent layer\'s output (or a size read from it) holds its batch on, with no other batch axis beside it.',
    whyIsThisBad:
      'Nothing raises. The scores of the samples of a batch are normalised against each other instead of over each sample\'s classes, mixture components or positions: the model trains on weights that change with whatever else is in the batch, and the probabilities of one sample do not sum to 1.',
    example: 'outs, _ = self.rnn(x)                      # (seq_len, bs, hidden)\npi = self.gmm_linear(outs).view(seq_len, bs, n_gaussians)\nlogpi = F.log_softmax(pi, dim=-2)         # over bs',
    useInstead: 'logpi = F.log_softmax(pi, dim=-1)         # over the Gaussians of each step',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.functional.log_softmax.html'],
  },
  fixTitles: [],
  hooks: softmaxHooks(judge),
};
