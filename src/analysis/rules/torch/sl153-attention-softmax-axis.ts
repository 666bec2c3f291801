import type { Expr } from '../../parse/ast';
import type { Range } from '../../findings';
import { formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { parseEquation } from '../../ops/einsum';
import { codeText } from './describe';

/** The products whose left operand is summed over its last axis, by how the code names them. */
const FUNCTIONS = new Set(['torch.matmul', 'torch.bmm']);
const METHODS = new Set(['matmul', 'bmm']);

/** A size known to be 1: summing over it, or normalising over it (SL127's), says nothing about the other axis. */
function one(t: TensorValue, axis: number): boolean {
  const d = t.shape.dims[axis];
  return d?.kind === 'int' && d.value === 1;
}

/** The softmax weights `t` still are, when the analysis knows them as such at this rank. */
function weights(t: Value | undefined): (TensorValue & { normalisedOver: NonNullable<TensorValue['normalisedOver']> }) | undefined {
  if (t?.kind !== 'tensor' || !t.normalisedOver || !t.shape.rankKnown || t.shape.dims.length !== t.normalisedOver.rank) return undefined;
  return t as TensorValue & { normalisedOver: NonNullable<TensorValue['normalisedOver']> };
}

function report(ctx: RuleContext, range: Range, what: string, t: TensorValue, expr: Expr | undefined, axis: number, summed: number[], letters?: string[]): void {
  const name = expr ? codeText(ctx, expr.range) : 'the weights';
  const softmax = t.normalisedOver!.call;
  const named = (i: number) => `axis ${i}${letters ? ` (${letters[i]})` : ''}`;
  const over = summed.map(named).join(' and ');
  // Reported where the weights are normalised: that is the line to change (the product reads them as they should be).
  ctx.report({
    range: softmax,
    message:
      `this softmax normalises ${name} ${formatShape(t.shape)} over ${named(axis)}, of size ${formatDim(t.shape.dims[axis])}, but ${what} (line ${range.start.line + 1}) sums these weights over ${over}: ` +
      `the weights that are summed for each output do not add up to 1 (in attention, each query's weights over the keys are not a distribution), and nothing raises when the axes have the same length; ` +
      (summed.length === 1 && !t.normalisedOver!.moved ? `normalise over the summed axis (softmax(dim=${summed[0]})) or sum over ${named(axis)}` : `normalise over the axis the product sums, or sum over ${named(axis)}`),
    related: [{ range, message: `${what} sums them over ${over} here` }],
    fixes: [],
  });
}

/**
 * `w @ v`, `torch.matmul(w, v)`, `torch.bmm(w, v)`: the left operand is summed over its last axis. Reported when the
 * softmax made w over the axis before it, the rows: for attention scores laid out (queries, keys), over the queries.
 * Not when v is a vector (one column or 1-D), or of unknown rank: weights times another distribution.
 */
function checkProduct(ctx: RuleContext, range: Range, what: string, left: Value | undefined, right: Value | undefined, leftExpr: Expr | undefined, rightExpr: Expr | undefined): void {
  // The left operand is summed over its last axis, the right one over its second-to-last: each row of the left is
  // matched with each column of the right. Axes before those two are a batch of matrices, multiplied apart.
  checkOperand(ctx, range, what, weights(left), right, leftExpr, (rank) => rank - 1, (rank) => rank - 2);
  checkOperand(ctx, range, what, weights(right), left, rightExpr, (rank) => rank - 2, (rank) => rank - 1);
}

/**
 * Weights `w` summed over the axis `summedAxis` gives: reported when they were normalised over the other matrix axis
 * (`otherAxis`; only for the left operand, attention's (queries, keys) read over the queries: the right operand's
 * columns are often distributions of their own, as a transition matrix's rows are) or over an axis of the batch of
 * matrices, where each matrix sums weights normalised across the others.
 */
function checkOperand(ctx: RuleContext, range: Range, what: string, w: ReturnType<typeof weights>, other: Value | undefined, expr: Expr | undefined, summedAxis: (rank: number) => number, otherAxis: (rank: number) => number): void {
  if (!w || other?.kind !== 'tensor') return;
  const rank = w.shape.dims.length;
  if (rank < 2) return;
  const axis = w.normalisedOver.axis;
  const summed = summedAxis(rank);
  const onMatrixAxis = axis === otherAxis(rank) && summed === rank - 1;
  const onBatchAxis = axis < rank - 2;
  if (!(onMatrixAxis || onBatchAxis) || one(w, axis) || one(w, summed)) return;
  // A vector on the other side (attention-over-attention: column-wise weights times the averaged row-wise ones) mixes
  // two distributions on purpose; values have features.
  const o = other.shape;
  const along = summed === rank - 1 ? o.dims.length - 1 : o.dims.length - 2;
  if (!o.rankKnown || o.dims.length < 2 || (o.dims[along].kind === 'int' && (o.dims[along] as { value: number }).value === 1)) return;
  report(ctx, range, what, w, expr, axis, [summed]);
}

/**
 * `torch.einsum(equation, ...)`: an operand's subscripts that the output does not keep are summed over. Reported when a
 * softmax made that operand over a subscript the output keeps, while another of its subscripts is summed.
 */
function checkEinsum(ctx: RuleContext, range: Range, args: Value[], exprs: Expr[]): void {
  if (args[0]?.kind !== 'str' || args.length < 3) return;
  const equation = parseEquation(args[0].value);
  if (!equation || equation.inputs.length !== args.length - 1 || equation.output.includes('.')) return;
  const kept = new Set(equation.output);
  equation.inputs.forEach((term, k) => {
    const w = weights(args[k + 1]);
    if (!w || term.includes('.') || term.length !== w.shape.dims.length || new Set(term).size !== term.length) return;
    const axis = w.normalisedOver.axis;
    if (!kept.has(term[axis]) || one(w, axis)) return;
    const summed = term.map((_, i) => i).filter((i) => !kept.has(term[i]) && !one(w, i));
    if (summed.length === 0) return;
    report(ctx, range, `torch.einsum('${args[0].kind === 'str' ? args[0].value : ''}')`, w, exprs[k + 1], axis, summed, term);
  });
}

export const attentionSoftmaxAxis: Rule = {
  code: 'SL153',
  name: 'attention-softmax-axis',
  severity: 'warning',
  framework: 'torch',
  summary: 'Softmax weights are summed by a product (@, matmul, bmm, einsum) over another axis than the one the softmax normalised: attention scores normalised over the queries and summed over the keys.',
  docs: {
    whatItDoes:
      'Follows the output of `F.softmax`, `torch.softmax`, `x.softmax` and `nn.Softmax` (with a known dim) through copies and dropout to a product that sums it: `w @ v`, `torch.matmul` and `torch.bmm` sum the left operand over its last axis, `torch.einsum` over the subscripts its output drops. Reports a left operand of `@`/`matmul`/`bmm` normalised over its second-to-last axis (unless the right operand is a one-column vector: weights times another distribution, as attention-over-attention does on purpose), and an einsum operand normalised over a subscript the output keeps while another is summed. Axes of size 1 are left alone.',
    whyIsThisBad:
      'Nothing raises when queries and keys have the same length (self-attention), but the weights each output sums do not add up to 1: every position mixes the values with weights normalised across the other positions\' queries, and training goes on with an attention that is not one.',
    example: "attn = torch.einsum('bihd,bjhd->bijh', q, k) * self.scale\nattn = attn.softmax(dim=1)                  # over the queries i\nres = torch.einsum('bijh,bjhd->bihd', attn, v) # summed over the keys j",
    useInstead: "attn = attn.softmax(dim=2)                  # over the keys j, the axis the product sums\nres = torch.einsum('bijh,bjhd->bihd', attn, v)",
    references: ['https://pytorch.org/docs/stable/generated/torch.einsum.html', 'https://pytorch.org/docs/stable/generated/torch.nn.functional.softmax.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname === 'torch.einsum' || FUNCTIONS.has(qualname),
      tensorMethod: (name) => METHODS.has(name),
    },
    binary(event, ctx) {
      if (event.node.op !== '@') return;
      checkProduct(ctx, event.node.range, '@', event.left, event.right, event.node.left, event.node.right);
    },
    functionCall(event, ctx) {
      if (event.call.hasStarArgs) return;
      if (event.qualname === 'torch.einsum') checkEinsum(ctx, event.call.range, event.args, event.call.args);
      else if (FUNCTIONS.has(event.qualname) && event.args.length >= 2) checkProduct(ctx, event.call.range, event.qualname, event.args[0], event.args[1], event.call.args[0], event.call.args[1]);
    },
    tensorMethod(event, ctx) {
      if (!METHODS.has(event.name) || event.call.hasStarArgs || event.args.length < 1) return;
      const func = event.call.func;
      checkProduct(ctx, event.call.range, `.${event.name}()`, event.receiver, event.args[0], func.kind === 'attribute' ? func.object : undefined, event.call.args[0]);
    },
  },
};
