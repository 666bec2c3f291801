import type { Call, Expr } from '../../parse/ast';
import { argFromAssumedDefault, argOrigin } from '../../layers/layer';
import type { Dim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { intValue } from '../../values/value';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { codeText, originNote, producerLayer, relatedOrigin, sameRange, whereFrom } from './describe';
import { softmaxHooks, type SoftmaxCall } from './softmax-calls';

/**
 * What a softmax's axis says on one run: `single` with the axis (from 0) when it has exactly one entry there;
 * `other` when the axis is known but may have more than one entry (a known size above one, or a size not known:
 * the data decides it); undefined when the axis is not given (the implicit legacy dim), not known, or outside the tensor.
 */
export function softmaxAxis(t: TensorValue, dim: Value | undefined): { single: boolean; axis: number } | undefined {
  if (!t.shape.rankKnown || dim === undefined) return undefined;
  const d = intValue(dim);
  const rank = t.shape.dims.length;
  if (d === undefined || rank === 0 || d < -rank || d >= rank) return undefined;
  const axis = d < 0 ? d + rank : d;
  const size = t.shape.dims[axis];
  return { single: size.kind === 'int' && size.value === 1, axis };
}

/**
 * Reports a softmax whose axis has one entry on this run, and refutes it where the axis may have more: the finding
 * claims that every weight is 1 whatever the data, so a run where the axis is longer (a generation loop's later
 * steps, where the context grown by the loop has more than one position) shows the site is not that bug.
 */
function judge(ctx: RuleContext, softmax: SoftmaxCall): void {
  const found = softmaxAxis(softmax.input, softmax.dim);
  if (!found) return;
  if (found.single && configuredCount(softmax.input)) return;
  if (found.single && sizeFromAssumedDefault(softmax.input.shape.dims[found.axis])) return;
  if (found.single) report(ctx, softmax.call, softmax.what(), softmax.log, softmax.input, found.axis, softmax.inputExpr);
  else ctx.refute(softmax.call.range);
}

/**
 * A vector of one entry whose length is a count read from a name (`torch.zeros(num_mixtures)`) and no layer's output:
 * the weights of `num_mixtures` components, configured to one. With one component its weight is 1, which is what the
 * mixture needs, and other settings give more entries; a layer's one output unit or a literal `(1,)` is still reported.
 */
function configuredCount(t: TensorValue): boolean {
  if (t.shape.dims.length !== 1) return false;
  const size = t.shape.dims[0];
  return size.kind === 'int' && size.label !== undefined && size.producer === undefined;
}

/**
 * An axis of one entry that a layer's size gives, where that size is the default of a constructor parameter of a
 * class nothing builds with known arguments (`def __init__(self, n_tags=1)`, `nn.Linear(dim, n_tags)`): the caller
 * sets the real count, so the one entry is a placeholder, not the program's. A size the code writes is still reported.
 */
function sizeFromAssumedDefault(size: Dim): boolean {
  const layer = producerLayer(size);
  if (!layer || size.kind === 'unknown' || !size.origin) return false;
  const at = size.origin.range;
  for (const name of layer.args.keys()) if (argFromAssumedDefault(layer, name) && sameRange(argOrigin(layer, name).range, at)) return true;
  return false;
}

function report(ctx: RuleContext, call: Call, what: string, log: boolean, t: TensorValue, axis: number, inputExpr: Expr | undefined): void {
  const name = inputExpr ? codeText(ctx, inputExpr.range) : 'the input';
  const size = t.shape.dims[axis];
  ctx.report({
    range: call.range,
    message:
      `${what} normalises over axis ${axis} of ${name} ${formatShape(t.shape)}${originNote(t)}, which has one entry${whereFrom(size)}: ` +
      `each entry is normalised against itself, so the result is ${log ? '0' : '1'} everywhere whatever the scores are, and nothing raises` +
      (t.shape.dims.length > 1 ? `; the scores probably belong on another axis (squeeze(${axis}) first, or normalise over the axis that holds the positions or classes)` : ''),
    related: relatedOrigin(t, call.range, `the ${formatShape(t.shape)} input comes from here`),
    fixes: [],
  });
}

export const softmaxOverSingleEntry: Rule = {
  code: 'SL127',
  name: 'softmax-over-single-entry',
  severity: 'warning',
  framework: 'torch',
  summary: 'A softmax (or log_softmax) normalises over an axis of size 1: every weight is 1 (or 0), whatever the scores; attention that attends to nothing in particular.',
  docs: {
    whatItDoes:
      'Checks the axis of `F.softmax`, `torch.softmax`, `x.softmax`, `nn.Softmax` and their log forms against the input\'s shape where the axis and its size are known: a softmax over an axis with one entry divides each score by itself.',
    whyIsThisBad:
      'Nothing raises: the weights come out as 1.0 (log_softmax: 0.0) for every input, so an attention layer weighs every position the same and a classifier\'s scores carry no signal. The usual cause is attention scores shaped (B, T, 1) by a Linear to one unit, normalised over their last axis instead of over T.',
    example: 'scores = self.attn(torch.tanh(self.proj(enc_out)))   # (B, T, 1)\nweights = F.softmax(scores, dim=2)                     # all 1.0',
    useInstead: 'scores = self.attn(torch.tanh(self.proj(enc_out)))   # (B, T, 1)\nweights = F.softmax(scores, dim=1)                     # over the T positions',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.functional.softmax.html'],
  },
  fixTitles: [],
  hooks: softmaxHooks(judge),
};
