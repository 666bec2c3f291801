import { conflicting, formatDim, sameDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { Call } from '../../parse/ast';
import type { RelatedLocation } from '../../findings';
import type { Dim } from '../../shapes/dim';
import type { TensorValue, Value } from '../../values/value';
import { RuleContext } from '../../interpret/events';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';

const LOSS_FUNCTIONS = /nn\.functional\.(cross_entropy|nll_loss)$/;
const LOSS_MODULES = new Set(['CrossEntropyLoss', 'NLLLoss']);
/** The forms (as `check` names them) that read a float target of the scores' shape as probabilities; NLLLoss does not. */
const TAKES_PROBABILITIES = new Set(['CrossEntropyLoss', 'F.cross_entropy']);

/**
 * (batch, seq, classes) logits against (batch, steps) class targets whose steps are not the logits' (unknown) middle
 * axis: PyTorch reads (N, C, d1) and wants (N, d1) targets, so known, different d1 and steps raise "Expected target
 * size" whatever C is. The decode length of padded scores (`max(lengths)`) is often what is unknown.
 */
export function stepsClash(input: readonly Dim[], target: readonly Dim[]): boolean {
  if (input.length !== 3 || target.length !== 2) return false;
  return sameDim(input[0], target[0]) && input[1].kind === 'unknown' && conflicting(input[2], target[1]);
}

/**
 * A float target of the logits' own shape is read as class probabilities over axis 1 (PyTorch 1.10+). When the
 * logits are a layer's (batch, seq, classes) or (seq, batch, classes) scores, axis 1 holds steps or samples and the
 * classes sit last: every class is scored as a distribution over time, and nothing raises.
 */
export function probabilitiesOverWrongAxis(input: TensorValue, target: TensorValue): boolean {
  if (!input.shape.rankKnown || !target.shape.rankKnown || input.shape.dims.length !== 3 || target.shape.dims.length !== 3) return false;
  if (target.dtype !== 'float' || !input.shape.dims.every((d, i) => sameDim(d, target.shape.dims[i]))) return false;
  const [, middle, last] = input.shape.dims;
  return middle.kind !== 'unknown' && (middle.role === 'time' || middle.role === 'batch') && last.kind !== 'unknown' && last.role === 'feature';
}

function check(input: Value | undefined, target: Value | undefined, call: Call, lossName: string, ctx: RuleContext): void {
  if (input?.kind !== 'tensor' || target?.kind !== 'tensor') return;
  if (TAKES_PROBABILITIES.has(lossName) && probabilitiesOverWrongAxis(input, target)) {
    const [, middle, classes] = input.shape.dims;
    const what = middle.role === 'time' ? 'steps' : 'samples';
    const inputExpr = call.args[0];
    const targetExpr = call.args[1];
    const fixes = [];
    if (inputExpr && targetExpr) {
      const x = ctx.text(inputExpr.range);
      const y = ctx.text(targetExpr.range);
      fixes.push(fix('Flatten logits and targets', [replace(inputExpr.range, `${x}.reshape(-1, ${x}.size(-1))`), replace(targetExpr.range, `${y}.reshape(-1, ${y}.size(-1))`)], true));
    }
    ctx.report({
      range: call.range,
      severity: 'warning',
      message: `${lossName} reads a float target of the logits' shape ${formatShape(input.shape)} as class probabilities over axis 1, here the ${formatDim(middle)} ${what}, while the ${formatDim(classes)} classes of the scores sit on the last axis: every class is scored as a distribution over the ${what}, and nothing raises; flatten both to (N, ${formatDim(classes)}) or move the classes to axis 1 in both`,
      related: related(input, target, 'probability targets'),
      fixes,
    });
    return;
  }
  if (!input.shape.rankKnown || !target.shape.rankKnown || input.shape.dims.length !== 3 || target.shape.dims.length !== 2) return;
  const [b, t, c] = input.shape.dims;
  const [tb, tt] = target.shape.dims;
  if (stepsClash(input.shape.dims, target.shape.dims)) {
    reportLayout(input, target, call, ctx, true, `${lossName} reads logits as (N, C, d1): the ${formatShape(input.shape)} logits want targets (N, d1) = (${formatDim(b)}, ${formatDim(c)}), but the targets are ${formatShape(target.shape)}, so it raises "Expected target size"; for (batch, steps, classes) scores flatten both to one row per real step (pack_padded_sequence(...).data, or reshape)`, false);
    return;
  }
  if (!sameDim(b, tb) || !sameDim(t, tt)) return;
  // Where we know which axis holds the classes (a Linear's output features), trust that over the numbers.
  if (t.kind !== 'unknown' && t.role === 'feature') return;
  // PyTorch reads axis 1 as the classes, so unless the classes happen to equal the sequence length it raises.
  const raises = conflicting(c, tt) || c.kind === 'unknown';
  if (!raises && !(c.role === 'feature')) return;
  reportLayout(input, target, call, ctx, raises, `${lossName} reads logits as (N, C, d1): given ${formatShape(input.shape)} logits it takes ${formatDim(t)} as the class axis, but the targets ${formatShape(target.shape)} are (batch, seq)${raises ? ', so it raises "Expected target size"' : ', so it computes a wrong loss without an error'}; put the classes on axis 1 or flatten both`);
}

/** Where the logits and the targets were made. */
function related(input: TensorValue, target: TensorValue, targets: string): RelatedLocation[] {
  return [...(input.origin ? [{ range: input.origin.range, message: `logits ${formatShape(input.shape)} come from here` }] : []), ...(target.origin ? [{ range: target.origin.range, message: `${targets} ${formatShape(target.shape)} come from here` }] : [])];
}

function reportLayout(input: TensorValue, target: TensorValue, call: Call, ctx: RuleContext, raises: boolean, message: string, withFixes = true): void {
  const inputExpr = withFixes ? call.args[0] : undefined;
  const targetExpr = call.args[1];
  const fixes = [];
  if (inputExpr) {
    const x = ctx.text(inputExpr.range);
    fixes.push(fix(`Use ${x}.permute(0, 2, 1)`, [replace(inputExpr.range, `${x}.permute(0, 2, 1)`)], true));
    if (targetExpr) {
      const y = ctx.text(targetExpr.range);
      fixes.push(fix('Flatten logits and targets', [replace(inputExpr.range, `${x}.reshape(-1, ${x}.size(-1))`), replace(targetExpr.range, `${y}.reshape(-1)`)]));
    }
  }
  ctx.report({
    range: call.range,
    severity: raises ? 'error' : 'warning',
    message,
    related: related(input, target, 'targets'),
    fixes,
  });
}

export const crossEntropySequenceLayout: Rule = {
  code: 'SL113',
  name: 'cross-entropy-sequence-layout',
  severity: 'error',
  framework: 'torch',
  summary: 'CrossEntropyLoss/NLLLoss gets (batch, seq, classes) logits with (batch, seq) targets, or CrossEntropyLoss a float target of the logits\' shape, read as probabilities over axis 1.',
  docs: {
    whatItDoes: 'Flags a classification loss whose logits are (batch, seq, classes) and whose targets are (batch, seq): PyTorch expects the classes on axis 1, i.e. (batch, classes, seq). Where the logits\' middle axis is unknown (padded decoder scores sized by `max(lengths)`), it still reports the targets whose steps differ from the logits\' last axis, which PyTorch then reads as d1. A float target of the logits\' own shape is read as class probabilities over axis 1: where the logits are a layer\'s (batch, seq, classes) scores (a one-hot target made with `F.one_hot(y, C).float()`), that axis holds the steps, and the rule warns.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: Expected target size [4, 50], got [4, 7]`; and when seq happens to equal the number of classes it silently computes the loss over the wrong axis.',
    example: 'logits = self.fc(out)               # (batch, seq, vocab)\nloss = criterion(logits, targets)   # targets (batch, seq)',
    useInstead: 'loss = criterion(logits.reshape(-1, vocab), targets.reshape(-1))\n# or: criterion(logits.permute(0, 2, 1), targets)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html'],
  },
  fixTitles: ['Permute the logits to (batch, classes, seq)', 'Flatten logits and targets'],
  hooks: {
    offers: {
      layerCall: (kind) => LOSS_MODULES.has(kind),
      functionCall: (qualname) => LOSS_FUNCTIONS.exec(qualname) !== null,
    },
    layerCall(event, ctx) {
      if (event.layer.framework !== 'torch' || !LOSS_MODULES.has(event.layer.kind)) return;
      check(event.args[0], event.args[1] ?? event.kwargs.get('target'), event.call, event.layer.kind, ctx);
    },
    functionCall(event, ctx) {
      const m = LOSS_FUNCTIONS.exec(event.qualname);
      if (!m) return;
      check(event.args[0] ?? event.kwargs.get('input'), event.args[1] ?? event.kwargs.get('target'), event.call, `F.${m[1]}`, ctx);
    },
  },
};
