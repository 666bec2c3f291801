import type { Expr } from '../../parse/ast';
import type { Range } from '../../findings';
import { Dim, formatDim } from '../../shapes/dim';
import { broadcastClash } from '../../ops/broadcast';
import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { positionalTableAddition } from './sl131-positional-encoding-layout';
import { bracketed, numpyTuple, operandText, relatedOrigin } from './describe';
import { checkTensorStore } from './store-broadcast';
import { checkExpand, checkExpandAs } from './expand-broadcast';

/** Operators and functions that broadcast their two tensor operands element-wise. */
const OPERATORS = new Set(['+', '-', '*', '/', '//', '%', '**']);
const FUNCTIONS = new Set(['torch.add', 'torch.sub', 'torch.subtract', 'torch.mul', 'torch.multiply', 'torch.div', 'torch.divide', 'torch.true_divide']);
const METHODS = new Set(['add', 'sub', 'subtract', 'mul', 'multiply', 'div', 'divide', 'true_divide']);
/** Their in-place forms write into the receiver, which must keep its shape (see checkInPlaceGrowth). */
const IN_PLACE_METHODS = new Set([...METHODS].map((m) => `${m}_`));
/**
 * x.masked_fill(mask, v) broadcasts x and the mask together (PyTorch names the mask tensor a); masked_fill_ writes
 * into x, which is then tensor a. A clash of two known sizes raises either way.
 */
const MASKED_FILL = new Set(['masked_fill', 'masked_fill_']);

interface Clash {
  /** The axis of the broadcast result, counted from the left as PyTorch numbers it (when both ranks are known). */
  axis: number | undefined;
  a: Dim;
  b: Dim;
}

/** The axis where two tensors cannot broadcast (ops/broadcast's broadcastClash), numbered as PyTorch's message does. */
function tensorClash(a: TensorValue, b: TensorValue): Clash | undefined {
  const clash = broadcastClash(a.shape.dims, b.shape.dims);
  if (!clash) return undefined;
  const rank = a.shape.rankKnown && b.shape.rankKnown ? Math.max(a.shape.dims.length, b.shape.dims.length) : undefined;
  return { axis: rank === undefined ? undefined : rank - clash.back, a: clash.a, b: clash.b };
}

/** Reports two operands that cannot broadcast; true when it did. */
function check(ctx: RuleContext, range: Range, what: string, left: Value, right: Value, leftExpr: Expr | undefined, rightExpr: Expr | undefined): boolean {
  if (left.kind !== 'tensor' || right.kind !== 'tensor') return false;
  const clash = tensorClash(left, right);
  if (!clash) return false;
  const at = clash.axis === undefined ? '' : ` at non-singleton dimension ${clash.axis}`;
  const related = [left, right].flatMap((t, i) => relatedOrigin(t, range, `${i === 0 ? 'the left' : 'the right'} operand, ${formatShape(t.shape)}, comes from here`));
  ctx.report({
    range,
    message: `${what}: ${operandText(ctx, leftExpr, left)} and ${operandText(ctx, rightExpr, right)} do not broadcast (${formatDim(clash.a)} against ${formatDim(clash.b)}, aligned from the last axis), so PyTorch raises "The size of tensor a (${formatDim(clash.a)}) must match the size of tensor b (${formatDim(clash.b)})${at}"`,
    related,
    fixes: [],
  });
  return true;
}

/**
 * `x op= y` writes the broadcast result into x, so it must have x's shape: y may not add leading axes (even of size 1)
 * nor stretch an axis x holds once. PyTorch raises "output with shape [3] doesn't match the broadcast shape [4, 3]".
 */
function checkInPlaceGrowth(ctx: RuleContext, range: Range, op: string, left: Value, right: Value, leftExpr: Expr | undefined, rightExpr: Expr | undefined): void {
  if (left.kind !== 'tensor' || right.kind !== 'tensor' || !left.shape.rankKnown || !right.shape.rankKnown) return;
  const l = left.shape.dims;
  const r = right.shape.dims;
  const extra = r.length - l.length;
  const stretched = l.findIndex((d, i) => {
    const o = r[i + extra];
    return i + extra >= 0 && d.kind === 'int' && d.value === 1 && o?.kind === 'int' && o.value !== 1;
  });
  if (extra <= 0 && stretched < 0) return;
  const result = [...r.slice(0, Math.max(0, extra)), ...l.map((d, i) => (i === stretched ? r[i + extra] : d))];
  const why = extra > 0 ? `the right operand has ${r.length} axes, the left ${l.length}` : `the left operand's axis ${stretched} holds 1 where the right's holds ${formatDim(r[stretched + extra])}`;
  ctx.report({
    range,
    message: `${op} writes into ${operandText(ctx, leftExpr, left)}, but ${operandText(ctx, rightExpr, right)} broadcasts it to a larger shape (${why}), so ${raised(left, l, result)}; an out-of-place ${op.endsWith('=') ? `\`${op.slice(0, -1)}\`` : op.replace(/_\(\)$/, '()')} gives a new ${left.numpy ? 'array' : 'tensor'} of the broadcast shape`,
    related: [left, right].flatMap((t, i) => relatedOrigin(t, range, `${i === 0 ? 'the left' : 'the right'} operand, ${formatShape(t.shape)}, comes from here`)),
    fixes: [],
  });
}

/** What writing a larger result into `target` raises: NumPy's words for an array, PyTorch's for a tensor. */
function raised(target: TensorValue, dims: readonly Dim[], result: readonly Dim[]): string {
  if (!target.numpy) return `PyTorch raises "output with shape ${bracketed(dims)} doesn't match the broadcast shape ${bracketed(result)}"`;
  return `NumPy raises "non-broadcastable output operand with shape ${numpyTuple(dims)} doesn't match the broadcast shape ${numpyTuple(result)}"`;
}

export const broadcastSizeMismatch: Rule = {
  code: 'SL119',
  name: 'broadcast-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'Two tensors combined element-wise (+, -, *, /, torch.add/mul…) whose sizes cannot broadcast.',
  docs: {
    whatItDoes:
      'Aligns the shapes of the two tensors of an element-wise operation from their last axis, as PyTorch broadcasting does, and reports an axis where both sizes are known, differ, and neither is 1. Also `x[idx] = value`: the value must expand to the region idx selects (one way: the region\'s sizes stay), e.g. `pe[:, 1::2] = torch.cos(position * div_term)` with an odd model width, `x.masked_fill(mask, value)` (the mask and x broadcast together; `masked_fill_` expands the mask to x), and `x.expand_as(other)` and `x.expand(*sizes)` the same way (`-1` keeps the size the tensor has; on a new leading axis it raises). An augmented assignment (`x += y`) is the same operation, written into x: its result must keep x\'s shape, so y may neither add leading axes nor stretch an axis where x holds 1 (PyTorch: "output with shape [3] doesn\'t match the broadcast shape [4, 3]"). Unknown sizes and symbols are never compared.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: The size of tensor a (50) must match the size of tensor b (32) at non-singleton dimension 0`. The clash usually comes from earlier: a batch-first input walked as if it were time-major, a state built for another batch, a projection to the wrong width.',
    example: 'x = x.view(x.size(1), -1)                 # x was (1, 50, 50): a time step read along the batch axis\ngates = self.i2h(x) + self.h2h(h)          # (50, 400) + (32, 400)',
    useInstead: 'x = x.permute(1, 0, 2)                    # time-major before the time loop\n...\ngates = self.i2h(x_t) + self.h2h(h)        # (32, 400) + (32, 400)',
    references: ['https://pytorch.org/docs/stable/notes/broadcasting.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => FUNCTIONS.has(qualname) || qualname === 'torch.masked_fill',
      tensorMethod: (name) => name === 'expand_as' || name === 'expand' || METHODS.has(name) || IN_PLACE_METHODS.has(name) || MASKED_FILL.has(name),
    },
    tensorStore: checkTensorStore,
    binary(event, ctx) {
      if (!OPERATORS.has(event.node.op) || positionalTableAddition(event)) return;
      const op = `${event.node.op}${event.augmented ? '=' : ''}`;
      const clashed = check(ctx, event.node.range, `${op} of two tensors`, event.left, event.right, event.node.left, event.node.right);
      if (event.augmented && !clashed) checkInPlaceGrowth(ctx, event.node.range, op, event.left, event.right, event.node.left, event.node.right);
    },
    functionCall(event, ctx) {
      if (event.qualname === 'torch.masked_fill' && !event.call.hasStarArgs && event.args.length >= 2) {
        check(ctx, event.call.range, 'torch.masked_fill', event.args[1], event.args[0], event.call.args[1], event.call.args[0]);
        return;
      }
      if (!FUNCTIONS.has(event.qualname) || event.call.hasStarArgs || event.args.length < 2) return;
      check(ctx, event.call.range, event.qualname, event.args[0], event.args[1], event.call.args[0], event.call.args[1]);
    },
    tensorMethod(event, ctx) {
      checkExpandAs(event, ctx);
      checkExpand(event, ctx);
      const func = event.call.func;
      if (MASKED_FILL.has(event.name) && !event.call.hasStarArgs && event.args.length >= 1) {
        const receiverExpr = func.kind === 'attribute' ? func.object : undefined;
        const [mask, maskExpr] = [event.args[0], event.call.args[0]];
        if (event.name === 'masked_fill') check(ctx, event.call.range, '.masked_fill()', mask, event.receiver, maskExpr, receiverExpr);
        else check(ctx, event.call.range, '.masked_fill_()', event.receiver, mask, receiverExpr, maskExpr);
        return;
      }
      const inPlace = IN_PLACE_METHODS.has(event.name);
      if ((!METHODS.has(event.name) && !inPlace) || event.call.hasStarArgs || event.args.length < 1) return;
      const receiverExpr = func.kind === 'attribute' ? func.object : undefined;
      const clashed = check(ctx, event.call.range, `.${event.name}()`, event.receiver, event.args[0], receiverExpr, event.call.args[0]);
      if (inPlace && !clashed) checkInPlaceGrowth(ctx, event.call.range, `.${event.name}()`, event.receiver, event.args[0], receiverExpr, event.call.args[0]);
    },
  },
};
