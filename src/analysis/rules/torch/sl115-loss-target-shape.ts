import type { Fix, RelatedLocation, Severity } from '../../findings';
import type { Call, Expr } from '../../parse/ast';
import { broadcastClash, broadcastDim } from '../../ops/broadcast';
import { Dim, conflicting, formatDim } from '../../shapes/dim';
import { formatShape, shapeOf } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { keywordExpr } from './describe';

/** Losses that compare input and target element by element, with what PyTorch 1.13 does when their sizes differ. */
const ELEMENTWISE: Record<string, 'raises' | 'broadcasts'> = {
  BCELoss: 'raises',
  BCEWithLogitsLoss: 'raises',
  MSELoss: 'broadcasts',
  L1Loss: 'broadcasts',
  SmoothL1Loss: 'broadcasts',
  HuberLoss: 'broadcasts',
};
const FUNCTIONS: Record<string, string> = {
  binary_cross_entropy: 'BCELoss',
  binary_cross_entropy_with_logits: 'BCEWithLogitsLoss',
  mse_loss: 'MSELoss',
  l1_loss: 'L1Loss',
  smooth_l1_loss: 'SmoothL1Loss',
  huber_loss: 'HuberLoss',
  cross_entropy: 'CrossEntropyLoss',
  nll_loss: 'NLLLoss',
};
const CLASSIFICATION = new Set(['CrossEntropyLoss', 'NLLLoss']);

interface LossCall {
  lossName: string;
  kind: string;
  call: Call;
  input: Value | undefined;
  target: Value | undefined;
  inputExpr: Expr | undefined;
  targetExpr: Expr | undefined;
}

function known(v: Value | undefined): v is TensorValue {
  return v?.kind === 'tensor' && v.shape.rankKnown;
}

/** True only when the two shapes certainly differ: another rank, or two known sizes that disagree. */
function sizesDiffer(a: Dim[], b: Dim[]): boolean {
  return a.length !== b.length || a.some((d, i) => conflicting(d, b[i]));
}

function broadcastShape(a: Dim[], b: Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) dims.push(broadcastDim(a[a.length - rank + i], b[b.length - rank + i]));
  return dims;
}

function related(input: TensorValue, target: TensorValue): RelatedLocation[] {
  return [
    ...(input.origin ? [{ range: input.origin.range, message: `the input ${formatShape(input.shape)} comes from here` }] : []),
    ...(target.origin ? [{ range: target.origin.range, message: `the target ${formatShape(target.shape)} comes from here` }] : []),
  ];
}

function from(t: TensorValue): string {
  return t.origin ? ` (${t.origin.text.length > 40 ? `${t.origin.text.slice(0, 37)}…` : t.origin.text}, line ${t.origin.range.start.line + 1})` : '';
}

/** One extra size-1 axis on one side, the rest equal where known: squeezing it is the obvious fix. */
function squeezeFixes(c: LossCall, input: TensorValue, target: TensorValue, ctx: RuleContext): Fix[] {
  const fixes: Fix[] = [];
  const extraAxis = (longer: Dim[], shorter: Dim[]): number | undefined => {
    if (longer.length !== shorter.length + 1) return undefined;
    for (let k = 0; k < longer.length; k++) {
      const d = longer[k];
      if (d.kind !== 'int' || d.value !== 1) continue;
      const rest = [...longer.slice(0, k), ...longer.slice(k + 1)];
      if (!sizesDiffer(rest, shorter)) return k;
    }
    return undefined;
  };
  const onTarget = extraAxis(target.shape.dims, input.shape.dims);
  const onInput = extraAxis(input.shape.dims, target.shape.dims);
  if (onTarget !== undefined && c.targetExpr) {
    const y = ctx.text(c.targetExpr.range);
    fixes.push(fix(`Use ${y}.squeeze(${onTarget})`, [replace(c.targetExpr.range, `${y}.squeeze(${onTarget})`)], true));
  }
  if (onInput !== undefined) {
    if (c.targetExpr && onInput === input.shape.dims.length - 1) {
      const y = ctx.text(c.targetExpr.range);
      fixes.push(fix(`Use ${y}.unsqueeze(-1)`, [replace(c.targetExpr.range, `${y}.unsqueeze(-1)`)], true));
    }
    if (c.inputExpr) {
      const x = ctx.text(c.inputExpr.range);
      fixes.push(fix(`Use ${x}.squeeze(${onInput})`, [replace(c.inputExpr.range, `${x}.squeeze(${onInput})`)], fixes.length === 0));
    }
  }
  return fixes;
}

function checkElementwise(c: LossCall, behaviour: 'raises' | 'broadcasts', input: TensorValue, target: TensorValue, ctx: RuleContext): void {
  const a = input.shape.dims;
  const b = target.shape.dims;
  if (!sizesDiffer(a, b)) return;
  const shapes = `input ${formatShape(input.shape)}${from(input)} and target ${formatShape(target.shape)}${from(target)}`;
  let message: string;
  let severity: Severity = 'error';
  if (behaviour === 'raises') {
    message = `${c.lossName} needs input and target of the same size, but gets ${shapes}: it raises ValueError`;
  } else {
    const clash = broadcastClash(a, b);
    if (clash) {
      message = `${c.lossName} compares ${shapes}: ${formatDim(clash.a)} against ${formatDim(clash.b)} cannot broadcast, so it raises RuntimeError`;
    } else {
      severity = 'warning';
      const result = shapeOf(broadcastShape(a, b));
      const crossed = sizesDiffer(result.dims, a) && sizesDiffer(result.dims, b);
      message = `${c.lossName} compares ${shapes}, whose sizes differ: PyTorch only warns ("likely lead to incorrect results") and broadcasts them to ${formatShape(result)}${crossed ? ', pairing every input element with every target element' : ''}`;
    }
  }
  ctx.report({ range: c.call.range, severity, message: message + foldNote(a, b), related: related(input, target), fixes: squeezeFixes(c, input, target, ctx) });
}

/** Why a size differs, when a view folded a recurrent state's layer axis into it (h_n.view(-1, hidden)). */
function foldNote(a: Dim[], b: Dim[]): string {
  const folded = [...a, ...b].find((d) => d.kind === 'int' && d.folds);
  return folded?.kind === 'int' ? `; ${folded.folds}` : '';
}

/**
 * CrossEntropyLoss/NLLLoss with (N, C) logits: the target must be N class ids. With (N, C, d1, …) logits PyTorch first
 * compares N with the target's first axis, whatever its rank (a recurrent state's (layers, batch, classes) scores
 * against (batch,) ids); how the other axes must match is SL113's.
 */
function checkClassification(c: LossCall, input: TensorValue, target: TensorValue, ctx: RuleContext): void {
  if (input.shape.dims.length === 1) return checkUnbatched(c, input, target, ctx);
  if (input.shape.dims.length > 2) return checkSpatialBatch(c, input, target, ctx);
  if (input.shape.dims.length !== 2) return;
  const n = input.shape.dims[0];
  const t = target.shape.dims;
  let targetBatch: string;
  if (t.length === 0) targetBatch = '0 (a 0-d target)';
  else if (t.length === 1 && conflicting(n, t[0])) targetBatch = formatDim(t[0]);
  else if (t.length >= 2 && !conflicting(n, t[0]) && sizesDiffer(input.shape.dims, t)) return multiTarget(c, input, target, ctx);
  else if (t.length >= 2 && conflicting(n, t[0])) targetBatch = formatDim(t[0]);
  else return;
  const fixes: Fix[] = [];
  if (t.length === 0 && c.targetExpr && n.kind === 'int' && n.value === 1) {
    const y = ctx.text(c.targetExpr.range);
    fixes.push(fix(`Use ${y}.view(1)`, [replace(c.targetExpr.range, `${y}.view(1)`)], true));
  }
  ctx.report({
    range: c.call.range,
    message: `${c.lossName} reads input ${formatShape(input.shape)}${from(input)} as ${formatDim(n)} sample(s) × ${formatDim(input.shape.dims[1])} class scores, but the target ${formatShape(target.shape)}${from(target)} has batch size ${targetBatch}: it raises "Expected input batch_size (${formatDim(n)}) to match target batch_size"${foldNote(input.shape.dims, t)}`,
    related: related(input, target),
    fixes,
  });
}

/**
 * (N, C, d1, …) scores against a target whose first axis is known to differ from N: PyTorch 1.13 raises "Expected input
 * batch_size (N) to match target batch_size (M)" before it looks at the other axes. A float target of the scores' own
 * rank is read as class probabilities (another check), so only ids or another rank are compared.
 */
function checkSpatialBatch(c: LossCall, input: TensorValue, target: TensorValue, ctx: RuleContext): void {
  const n = input.shape.dims[0];
  const t = target.shape.dims;
  if (t.length === 0 || !conflicting(n, t[0])) return;
  if (target.dtype === 'float' && t.length === input.shape.dims.length) return;
  ctx.report({
    range: c.call.range,
    message: `${c.lossName} reads input ${formatShape(input.shape)}${from(input)} as (N, C, d1${input.shape.dims.length > 3 ? ', …' : ''}) = ${formatDim(n)} sample(s) × ${formatDim(input.shape.dims[1])} classes, but the target ${formatShape(target.shape)}${from(target)} has batch size ${formatDim(t[0])}: it raises "Expected input batch_size (${formatDim(n)}) to match target batch_size (${formatDim(t[0])})"${stateAxisNote(input)}`,
    related: related(input, target),
  });
}

/** When the scores' first axis is a recurrent state's num_layers × directions (h_n kept whole by a squeeze that did nothing). */
function stateAxisNote(input: TensorValue): string {
  const first = input.shape.dims[0];
  return first.kind !== 'unknown' && first.stateLayers ? `; its first axis is the recurrent state's num_layers × directions (${formatDim(first)}), not the batch: take the last layer's state, h_n[-1], before the classifier` : '';
}

/**
 * (N, C) scores with a target of two or more axes that is not the scores' own shape (class probabilities): a column of
 * class ids (N, 1) or one-hot rows of another width. PyTorch 1.13 raises "0D or 1D target tensor expected, multi-target
 * not supported" for CrossEntropyLoss and NLLLoss alike.
 */
function multiTarget(c: LossCall, input: TensorValue, target: TensorValue, ctx: RuleContext): void {
  const t = target.shape.dims;
  const fixes: Fix[] = [];
  if (c.targetExpr && t.length === 2 && t[1].kind === 'int' && t[1].value === 1) {
    const y = ctx.text(c.targetExpr.range);
    fixes.push(fix(`Use ${y}.squeeze(1)`, [replace(c.targetExpr.range, `${y}.squeeze(1)`)], true));
  }
  ctx.report({
    range: c.call.range,
    message: `${c.lossName} reads input ${formatShape(input.shape)}${from(input)} as ${formatDim(input.shape.dims[0])} sample(s) × ${formatDim(input.shape.dims[1])} class scores and needs one class id per sample, but the target ${formatShape(target.shape)}${from(target)} has ${t.length} axes: it raises "0D or 1D target tensor expected, multi-target not supported"`,
    related: related(input, target),
    fixes,
  });
}

/**
 * (C,) scores are one unbatched sample: PyTorch 1.13 takes a 0-d class id with them (CrossEntropyLoss also (C,)
 * class probabilities). A target of two or more axes raises "0D or 1D target tensor expected, multi-target not
 * supported"; a one-axis target of another length than C raises "size mismatch (got input: [C], target: [n])". A
 * one-axis target of length C is left alone (probabilities, or ids NLLLoss does not check).
 */
function checkUnbatched(c: LossCall, input: TensorValue, target: TensorValue, ctx: RuleContext): void {
  const classes = input.shape.dims[0];
  const t = target.shape.dims;
  let raised: string;
  if (t.length >= 2) raised = '"0D or 1D target tensor expected, multi-target not supported"';
  else if (t.length === 1 && conflicting(classes, t[0])) raised = `"size mismatch (got input: [${formatDim(classes)}], target: [${formatDim(t[0])}])"`;
  else return;
  ctx.report({
    range: c.call.range,
    message: `${c.lossName} reads input ${formatShape(input.shape)}${from(input)} as the ${formatDim(classes)} class scores of one unbatched sample, which takes a single class id (a 0-d target), but the target ${formatShape(target.shape)}${from(target)} has ${t.length === 1 ? `${formatDim(t[0])} entries` : `${t.length} axes`}: it raises ${raised}; keep the batch axis on the scores, (N, ${formatDim(classes)}) with N class ids`,
    related: related(input, target),
  });
}

function check(c: LossCall, ctx: RuleContext): void {
  if (!known(c.input) || !known(c.target)) return;
  if (CLASSIFICATION.has(c.kind)) return checkClassification(c, c.input, c.target, ctx);
  const behaviour = ELEMENTWISE[c.kind];
  if (behaviour) checkElementwise(c, behaviour, c.input, c.target, ctx);
}

export const lossTargetShape: Rule = {
  code: 'SL115',
  name: 'loss-target-shape',
  severity: 'error',
  framework: 'torch',
  summary: 'A loss gets an input and a target whose shapes do not fit: BCE raises, MSE/L1 broadcast silently, CrossEntropy/NLL see another batch size.',
  docs: {
    whatItDoes:
      'Compares the shapes of a loss\'s input and target. `BCELoss`/`BCEWithLogitsLoss` need equal sizes; `MSELoss`, `L1Loss`, `SmoothL1Loss` and `HuberLoss` need them too but only warn and broadcast; `CrossEntropyLoss`/`NLLLoss` with (N, C) scores need N class ids (one axis), so a (N, 1) column of ids or one-hot rows of another width do not fit either; (C,) scores are one unbatched sample and take a 0-d class id, not a (1, 1) column or a one-axis target of another length. It reports only when both shapes are known to differ.',
    whyIsThisBad:
      'BCE raises `ValueError: Using a target size (torch.Size([64])) that is different to the input size (torch.Size([64, 1]))`. MSE with a (64, 1) prediction and a (64,) target broadcasts to (64, 64) and trains on every prediction against every target, with only a UserWarning. CrossEntropy with (1, C) scores and a 0-d target raises `Expected input batch_size (1) to match target batch_size (0)`; with (64, 5) scores and (64, 1) targets it raises `0D or 1D target tensor expected, multi-target not supported`.',
    example: 'pred = model(x)            # (64, 1) from Linear(hidden, 1)\nloss = nn.MSELoss()(pred, y)   # y is (64,)',
    useInstead: 'loss = nn.MSELoss()(pred.squeeze(1), y)\n# or: y.unsqueeze(1)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html', 'https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html', 'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html'],
  },
  fixTitles: ['Squeeze the extra size-1 axis', 'Give the target the missing axis', 'Give a single target its batch axis'],
  hooks: {
    offers: {
      layerCall: (kind) => kind in ELEMENTWISE || CLASSIFICATION.has(kind),
      functionCall: (qualname) => !!FUNCTIONS[/^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(qualname)?.[1] ?? ''],
    },
    layerCall(event, ctx) {
      if (event.layer.framework !== 'torch' || !(event.layer.kind in ELEMENTWISE || CLASSIFICATION.has(event.layer.kind))) return;
      const call = event.call;
      check({ lossName: event.layer.kind, kind: event.layer.kind, call, input: event.args[0] ?? event.kwargs.get('input'), target: event.args[1] ?? event.kwargs.get('target'), inputExpr: call.args[0] ?? keywordExpr(call, 'input'), targetExpr: call.args[1] ?? keywordExpr(call, 'target') }, ctx);
    },
    functionCall(event, ctx) {
      const m = /^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(event.qualname);
      const kind = m ? FUNCTIONS[m[1]] : undefined;
      if (!m || !kind) return;
      const call = event.call;
      check({ lossName: `F.${m[1]}`, kind, call, input: event.args[0] ?? event.kwargs.get('input'), target: event.args[1] ?? event.kwargs.get('target'), inputExpr: call.args[0] ?? keywordExpr(call, 'input'), targetExpr: call.args[1] ?? keywordExpr(call, 'target') }, ctx);
    },
  },
};
