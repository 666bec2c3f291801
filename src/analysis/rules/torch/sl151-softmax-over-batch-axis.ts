import type { Call, Expr } from '../../parse/ast';
import { formatShape } from '../../shapes/shape';
import { intValue } from '../../values/value';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { codeText, keywordExpr, originNote, relatedOrigin } from './describe';
import { axisArgument, functionAxes, methodAxes } from './sl123-dim-out-of-range';

const FUNCTIONS = new Set(['torch.softmax', 'torch.log_softmax', 'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax']);
const METHODS = new Set(['softmax', 'log_softmax']);
const LAYERS = new Set(['Softmax', 'LogSoftmax']);

/**
 * The axis a softmax normalises over when it is the batch axis of the tensor: the only axis whose role is the batch
 * (as a recurrent layer's output, or a size read from one, gives it), with another axis beside it. A tensor with two
 * batch axes (a (B, B) similarity matrix of a contrastive loss) normalises over the batch on purpose.
 */
function batchAxis(t: TensorValue, dim: Value | undefined): number | undefined {
  if (!t.shape.rankKnown || dim === undefined) return undefined;
  const dims = t.shape.dims;
  const d = intValue(dim);
  if (d === undefined || dims.length < 2 || d < -dims.length || d >= dims.length) return undefined;
  const axis = d < 0 ? d + dims.length : d;
  if (dims[axis].role !== 'batch' || dims.filter((x) => x.role === 'batch').length !== 1) return undefined;
  // One entry there is SL127's (every weight is 1).
  const size = dims[axis];
  if (size.kind === 'int' && size.value === 1) return undefined;
  return axis;
}

function judge(ctx: RuleContext, call: Call, t: TensorValue, dim: Value | undefined, what: string, inputExpr: Expr | undefined): void {
  const axis = batchAxis(t, dim);
  if (axis === undefined) return;
  const name = inputExpr ? codeText(ctx, inputExpr.range) : 'the input';
  const others = t.shape.dims.map((_, i) => i).filter((i) => i !== axis);
  ctx.report({
    range: call.range,
    message:
      `${what} normalises over axis ${axis} of ${name} ${formatShape(t.shape)}${originNote(t)}, its batch axis: the probabilities sum to 1 across the samples of the batch, ` +
      `so each sample's weights depend on the others in the batch, and nothing raises; the classes or positions are on axis ${others.length === 1 ? others[0] : others.join(' or ')}`,
    related: relatedOrigin(t, call.range, `the ${formatShape(t.shape)} input comes from here`),
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
  hooks: {
    functionCall(event, ctx) {
      if (!FUNCTIONS.has(event.qualname) || event.call.hasStarArgs) return;
      const t = event.args[0] ?? event.kwargs.get('input');
      const spec = functionAxes(event.qualname);
      if (t?.kind !== 'tensor' || !spec) return;
      judge(ctx, event.call, t, axisArgument(spec, event.args, event.kwargs), event.qualname.replace(/^torch\.nn\.functional\./, 'F.'), event.call.args[0] ?? keywordExpr(event.call, 'input'));
    },
    tensorMethod(event, ctx) {
      if (!METHODS.has(event.name) || event.call.hasStarArgs) return;
      const spec = methodAxes(event.name);
      const func = event.call.func;
      if (spec) judge(ctx, event.call, event.receiver, axisArgument(spec, event.args, event.kwargs), `.${event.name}()`, func.kind === 'attribute' ? func.object : undefined);
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || !LAYERS.has(layer.kind) || layer.call.hasStarArgs) return;
      const t = event.args[0];
      if (t?.kind !== 'tensor') return;
      judge(ctx, event.call, t, layer.args.get('dim')?.value, `nn.${layer.kind} (line ${layer.call.range.start.line + 1})`, event.call.args[0]);
    },
  },
};
