import type { Dim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type * as A from '../../parse/ast';
import type { Range } from '../../findings';
import type { RuleContext } from '../../interpret/events';
import type { TensorValue, Value } from '../../values/value';
import type { Rule } from '../rule';
import { codeText, originNote } from './describe';

const OPERATORS = new Set(['+', '-', '*', '/']);
const METHODS = new Set(['add', 'add_', 'sub', 'sub_', 'mul', 'mul_', 'div', 'div_']);
const FUNCTIONS = new Set(['torch.add', 'torch.sub', 'torch.mul', 'torch.div']);

/**
 * The first axis, aligned from the right, where `clamped` has one entry that a slice asked `m` ≥ 2 entries of and
 * `other` has exactly m (a known size): broadcasting spreads the one entry over the m the slice was meant to cut.
 */
function clampedAgainst(clamped: TensorValue, other: TensorValue): { axis: number; asked: number } | undefined {
  if (!clamped.shape.rankKnown || !other.shape.rankKnown) return undefined;
  const a: readonly Dim[] = clamped.shape.dims;
  const b: readonly Dim[] = other.shape.dims;
  for (let back = 1; back <= Math.min(a.length, b.length); back++) {
    const x = a[a.length - back];
    const y = b[b.length - back];
    if (x.kind !== 'int' || x.value !== 1 || x.clampedFrom === undefined) continue;
    if (y.kind === 'int' && y.value === x.clampedFrom && y.value >= 2) return { axis: a.length - back, asked: x.clampedFrom };
  }
  return undefined;
}

function check(ctx: RuleContext, range: Range, what: string, left: Value | undefined, right: Value | undefined, leftExpr: A.Expr | undefined, rightExpr: A.Expr | undefined): void {
  if (left?.kind !== 'tensor' || right?.kind !== 'tensor') return;
  const pairs: [TensorValue, TensorValue, A.Expr | undefined, A.Expr | undefined][] = [
    [left, right, leftExpr, rightExpr],
    [right, left, rightExpr, leftExpr],
  ];
  for (const [clamped, other, clampedExpr, otherExpr] of pairs) {
    const found = clampedAgainst(clamped, other);
    if (!found) continue;
    const cut = clamped.shape.dims[found.axis];
    const cutAt = cut.kind !== 'unknown' && cut.origin ? cut.origin : undefined;
    const name = clampedExpr ? codeText(ctx, clampedExpr.range) : 'one operand';
    const otherName = otherExpr ? codeText(ctx, otherExpr.range) : 'the other operand';
    const slice = cutAt && cutAt.text !== name && (!clampedExpr || cutAt.range !== clampedExpr.range) ? ` (${cutAt.text.length > 50 ? `${cutAt.text.slice(0, 47)}…` : cutAt.text}, line ${cutAt.range.start.line + 1})` : originNote(clamped);
    ctx.report({
      range,
      message:
        `${name} is ${formatShape(clamped.shape)}${slice}: its slice asked for ${found.asked} entries of axis ${found.axis}, which has only one, and Python keeps that one. ` +
        `${what} broadcasts it over the ${found.asked} entries of ${otherName} ${formatShape(other.shape)}, so every one of them gets the same values. Nothing raises (a table meant to hold one row per entry along that axis is shaped otherwise).`,
      related: cutAt ? [{ range: cutAt.range, message: `the slice asks for ${found.asked} entries of an axis of one` }] : [],
      severity: 'warning',
      fixes: [],
    });
    return;
  }
}

export const clampedSliceBroadcast: Rule = {
  code: 'SL170',
  name: 'clamped-slice-broadcast',
  severity: 'warning',
  framework: 'torch',
  summary: 'A slice asks for n entries of an axis that has one, keeps that one, and is broadcast over the n entries of the tensor it is combined with.',
  docs: {
    whatItDoes:
      "Follows slices from the start of an axis (`t[:, :n]`) whose stop n (2 or more) is past the end of an axis of one entry: Python clamps the stop, so the slice keeps the one entry. When such a tensor is added to, subtracted from, multiplied or divided by (also in place) a tensor with exactly n entries on the same axis, aligned from the right, the one entry is broadcast over the n. Only sizes the analysis knows are compared.",
    whyIsThisBad:
      "Nothing raises and the shapes look right. A learned positional table built as `(batch_size, 1, d_model)` instead of `(1, num_patches + 1, d_model)` and cut with `[:, :n + 1]` gives every token of every sequence the same vector: the model cannot tell positions apart. The slice's stop says how many entries the author expected the axis to hold.",
    example: "self.pos = nn.Parameter(torch.randn(batch_size, 1, d_model))\n...\nx = x + self.pos[:, :n + 1, :]      # x: (B, n + 1, d_model)",
    useInstead: "self.pos = nn.Parameter(torch.randn(1, num_patches + 1, d_model))\n...\nx = x + self.pos[:, :n + 1, :]",
    references: ['https://pytorch.org/docs/stable/notes/broadcasting.html', 'https://docs.python.org/3/reference/expressions.html#slicings'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => FUNCTIONS.has(qualname),
      tensorMethod: (name) => METHODS.has(name),
    },
    binary(event, ctx) {
      if (!OPERATORS.has(event.node.op)) return;
      check(ctx, event.node.range, `${event.node.op}${event.augmented ? '=' : ''}`, event.left, event.right, event.node.left, event.node.right);
    },
    functionCall(event, ctx) {
      if (!FUNCTIONS.has(event.qualname) || event.call.hasStarArgs || event.args.length < 2) return;
      check(ctx, event.call.range, event.qualname, event.args[0], event.args[1], event.call.args[0], event.call.args[1]);
    },
    tensorMethod(event, ctx) {
      if (!METHODS.has(event.name) || event.call.hasStarArgs || event.args.length < 1) return;
      const func = event.call.func;
      check(ctx, event.call.range, `.${event.name}()`, event.receiver, event.args[0], func.kind === 'attribute' ? func.object : undefined, event.call.args[0]);
    },
  },
};
