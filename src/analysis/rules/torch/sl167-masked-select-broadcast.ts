import type { Dim } from '../../shapes/dim';
import { formatShape, shapeOf } from '../../shapes/shape';
import { broadcastClash, broadcastDim } from '../../ops/broadcast';
import type * as A from '../../parse/ast';
import type { Range } from '../../findings';
import type { RuleContext } from '../../interpret/events';
import type { TensorValue, Value } from '../../values/value';
import type { Rule } from '../rule';

/**
 * Whether broadcasting stretches `own` to the broadcast shape with `other`: an axis of size 1 meeting a known size
 * above 1, or a missing leading axis where the other has one of a known size above 1. A size not known never counts
 * (it may be 1).
 */
function stretched(own: readonly Dim[], other: readonly Dim[]): boolean {
  for (let back = 1; back <= other.length; back++) {
    const x = own[own.length - back];
    const y = other[other.length - back];
    if (y.kind !== 'int' || y.value <= 1) continue;
    if (x === undefined || (x.kind === 'int' && x.value === 1)) return true;
  }
  return false;
}

function described(t: TensorValue, expr: A.Expr | undefined, ctx: RuleContext): string {
  const text = expr ? ctx.text(expr.range) : undefined;
  const written = text && text.length <= 40 ? ` ${text}` : '';
  const origin = t.origin && (!expr || t.origin.range !== expr.range) ? ` (from ${t.origin.text.length > 40 ? `${t.origin.text.slice(0, 37)}…` : t.origin.text}, line ${t.origin.range.start.line + 1})` : '';
  return `${written} ${formatShape(t.shape)}${origin}`;
}

function check(ctx: RuleContext, range: Range, input: Value | undefined, mask: Value | undefined, inputExpr: A.Expr | undefined, maskExpr: A.Expr | undefined): void {
  if (input?.kind !== 'tensor' || mask?.kind !== 'tensor' || !input.shape.rankKnown || !mask.shape.rankKnown) return;
  const a = input.shape.dims;
  const b = mask.shape.dims;
  if (broadcastClash(a, b) || !stretched(a, b) || !stretched(b, a)) return;
  const rank = Math.max(a.length, b.length);
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) dims.push(broadcastDim(a[a.length - rank + i], b[b.length - rank + i]));
  ctx.report({
    range,
    message: `masked_select broadcasts the input${described(input, inputExpr, ctx)} and the mask${described(mask, maskExpr, ctx)} against each other, to ${formatShape(shapeOf(dims))}: each input value is selected once for every True entry of the mask row it meets, not once. Nothing raises.`,
    related: [
      ...(input.origin ? [{ range: input.origin.range, message: `the input ${formatShape(input.shape)} comes from here` }] : []),
      ...(mask.origin ? [{ range: mask.origin.range, message: `the mask ${formatShape(mask.shape)} comes from here` }] : []),
    ],
    fixes: [],
  });
}

export const maskedSelectBroadcast: Rule = {
  code: 'SL167',
  name: 'masked-select-broadcast',
  severity: 'warning',
  framework: 'torch',
  summary: 'masked_select given an input and a mask that each stretch the other, so every value is selected many times.',
  docs: {
    whatItDoes:
      "Compares the shapes of `x.masked_select(mask)` (or `torch.masked_select(x, mask)`) when both are known. PyTorch broadcasts the two against each other before selecting; the rule reports a call where both are stretched: each has an axis of size 1, or lacks a leading axis, where the other has a known size above 1. A mask that stretches to the input alone (a (B, T, 1) mask over (B, T, H) features) is the usual idiom and is not reported; sizes not known are never taken to be above 1.",
    whyIsThisBad:
      "Nothing raises. A (16, 1) column of per-word losses selected with a (16,) row of a padding mask broadcasts to (16, 16): every loss is taken once for each real word in the batch, so the mean is over the wrong values and padding steps are no longer left out. The result also has another length than the mask's count of True entries.",
    example: 'loss = -torch.log(torch.gather(probs, 1, target.view(-1, 1)))   # (B, 1)\nloss = loss.masked_select(mask[t]).mean()                        # mask[t]: (B,)',
    useInstead: 'loss = -torch.log(torch.gather(probs, 1, target.view(-1, 1)).squeeze(1))   # (B,)\nloss = loss.masked_select(mask[t]).mean()',
    references: ['https://pytorch.org/docs/stable/generated/torch.masked_select.html', 'https://pytorch.org/docs/stable/notes/broadcasting.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname === 'torch.masked_select',
      tensorMethod: (name) => name === 'masked_select',
    },
    functionCall(event, ctx) {
      if (event.qualname !== 'torch.masked_select' || event.call.hasStarArgs) return;
      check(ctx, event.call.range, event.args[0] ?? event.kwargs.get('input'), event.args[1] ?? event.kwargs.get('mask'), event.call.args[0], event.call.args[1]);
    },
    tensorMethod(event, ctx) {
      if (event.name !== 'masked_select' || event.call.hasStarArgs) return;
      const func = event.call.func;
      check(ctx, event.call.range, event.receiver, event.args[0] ?? event.kwargs.get('mask'), func.kind === 'attribute' ? func.object : undefined, event.call.args[0]);
    },
  },
};
