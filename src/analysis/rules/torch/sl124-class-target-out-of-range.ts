import type { Call, Expr } from '../../parse/ast';
import type { LayerDesc } from '../../layers/layer';
import { CLASSIFICATION_LOSSES } from '../../layers/torch/losses';
import { Dim, conflicting } from '../../shapes/dim';
import { TensorValue, Value, intValue } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { lineOf } from '../../shapes/dim';
import { keywordExpr, layerName, operandText, originNote, relatedDim, relatedOrigin, whereFrom } from './describe';

/** The functional forms, with the position `ignore_index` takes among their positional arguments. */
const FUNCTIONS: Record<string, number> = { cross_entropy: 4, nll_loss: 4 };
/** `nn.CrossEntropyLoss(weight, size_average, ignore_index, …)`, `nn.NLLLoss(weight, size_average, ignore_index, …)`. */
const MODULE_IGNORE_POSITION = 2;
const DEFAULT_IGNORE_INDEX = -100;

/**
 * The `ignore_index` a call uses: a number, the default when it is not given, or undefined when it is given but not
 * known (or the arguments are not all visible), in which case no target value can be said to be out of range.
 */
function ignoreIndexOf(call: Call, position: number, keyword: Value | undefined, positional: Value | undefined): number | undefined {
  if (call.hasStarArgs) return undefined;
  if (keyword) return intValue(keyword);
  if (call.args.length > position) return intValue(positional ?? { kind: 'unknown' });
  return DEFAULT_IGNORE_INDEX;
}

function layerIgnoreIndex(layer: LayerDesc): number | undefined {
  if (layer.call.hasStarArgs) return undefined;
  const kw = layer.args.get('ignore_index');
  if (kw) return intValue(kw.value);
  if (layer.call.args.length > MODULE_IGNORE_POSITION) return undefined;
  return DEFAULT_IGNORE_INDEX;
}

/**
 * The class axis's size when the target's layout is the one PyTorch expects for these scores: (C) with a 0-D target,
 * (N, C) with (N), or (N, C, d1, …) with (N, d1, …). Any other layout is SL113's and SL115's to report.
 */
function classCount(input: TensorValue, target: TensorValue): { size: number; dim: Dim } | undefined {
  if (!input.shape.rankKnown || !target.shape.rankKnown) return undefined;
  const dims = input.shape.dims;
  if (dims.length === 0) return undefined;
  const axis = dims.length === 1 ? 0 : 1;
  const rest = dims.filter((_, i) => i !== axis);
  if (target.shape.dims.length !== rest.length || rest.some((d, i) => conflicting(d, target.shape.dims[i]))) return undefined;
  const dim = dims[axis];
  return dim.kind === 'int' ? { size: dim.value, dim } : undefined;
}

interface TargetCheck {
  lossName: string;
  call: Call;
  input: Value | undefined;
  target: Value | undefined;
  inputExpr: Expr | undefined;
  targetExpr: Expr | undefined;
  ignoreIndex: number | undefined;
}

function check(c: TargetCheck, ctx: RuleContext): void {
  const { input, target } = c;
  if (input?.kind !== 'tensor' || target?.kind !== 'tensor' || c.ignoreIndex === undefined) return;
  // Class ids only: float targets are class probabilities (PyTorch 1.12+), an unknown dtype may be either.
  if (target.dtype !== 'long') return;
  const classes = classCount(input, target);
  if (!classes) return;
  const tooHigh = target.maxValue !== undefined && target.maxValue >= classes.size && target.maxValue !== c.ignoreIndex;
  const negative = target.minValue !== undefined && target.minValue < 0 && target.minValue !== c.ignoreIndex;
  if (!tooHigh && !negative) return;
  const bad = tooHigh ? target.maxValue! : target.minValue!;
  const axis = input.shape.dims.length === 1 ? 0 : 1;
  const held = tooHigh
    ? `class ids up to ${target.maxValue}, but the scores ${operandText(ctx, c.inputExpr, input)} have ${classes.size} classes on axis ${axis}${classes.dim.kind === 'int' && classes.dim.origin?.range === input.origin?.range ? '' : whereFrom(classes.dim)}, so ids must be below ${classes.size}`
    : `class ids down to ${target.minValue}, but ids must be in [0, ${classes.size - 1}]${c.ignoreIndex === DEFAULT_IGNORE_INDEX ? ' (or the ignore_index -100)' : ` (or the ignore_index ${c.ignoreIndex})`}`;
  const range = c.targetExpr?.range ?? c.call.range;
  ctx.report({
    range,
    message: `${c.lossName} gets a target${originNote(target)} ${(tooHigh ? target.maxBoundOnly : target.minBoundOnly) ? 'that can hold' : 'holding'} ${held}: PyTorch raises "IndexError: Target ${bad} is out of bounds."`,
    related: [...relatedDim(classes.dim, `the ${classes.size} classes come from here`), ...relatedOrigin(target, range, 'the class ids come from here')],
  });
}

export const classTargetOutOfRange: Rule = {
  code: 'SL124',
  name: 'class-target-out-of-range',
  severity: 'error',
  framework: 'torch',
  summary: 'CrossEntropyLoss/NLLLoss gets class ids ≥ the number of classes its scores have (or negative ids other than ignore_index).',
  docs: {
    whatItDoes:
      'Tracks the range of integer targets built in the file (`torch.randint(0, high, …)`, literals, `torch.full`, `torch.arange`, and what keeps their values: views, indexing, `cat`) and compares it with the class axis of the scores given to `nn.CrossEntropyLoss`, `nn.NLLLoss`, `F.cross_entropy` or `F.nll_loss`: axis 1 of (N, C) or (N, C, d1, …) scores, axis 0 of (C). A target equal to `ignore_index` (−100 unless set) is skipped, as PyTorch skips it. Float targets (class probabilities) and targets whose layout does not fit the scores are left to other rules.',
    whyIsThisBad:
      'PyTorch raises `IndexError: Target 4 is out of bounds.` on the CPU (on a GPU, a device-side assert that kills the process). Class ids run from 0 to C − 1, so labels 1…4 need 5 output classes, or labels shifted to 0…3; a model whose last layer has fewer outputs than the dataset has classes fails the same way.',
    example: 'fc = nn.Linear(64, 4)\nlabels = torch.randint(1, 5, (32,))   # classes 1..4\nloss = F.cross_entropy(fc(h), labels)',
    useInstead: 'fc = nn.Linear(64, 4)\nlabels = torch.randint(0, 4, (32,))   # classes 0..3\nloss = F.cross_entropy(fc(h), labels)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html', 'https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => CLASSIFICATION_LOSSES.has(kind),
      functionCall: (qualname) => FUNCTIONS[/^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(qualname)?.[1] ?? ''] !== undefined,
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || !CLASSIFICATION_LOSSES.has(layer.kind) || event.call.hasStarArgs) return;
      const call = event.call;
      check(
        {
          lossName: layerName(layer),
          call,
          input: event.args[0] ?? event.kwargs.get('input'),
          target: event.args[1] ?? event.kwargs.get('target'),
          inputExpr: call.args[0] ?? keywordExpr(call, 'input'),
          targetExpr: call.args[1] ?? keywordExpr(call, 'target'),
          ignoreIndex: layerIgnoreIndex(layer),
        },
        ctx,
      );
    },
    functionCall(event, ctx) {
      const m = /^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(event.qualname);
      const position = m ? FUNCTIONS[m[1]] : undefined;
      if (!m || position === undefined) return;
      const call = event.call;
      check(
        {
          lossName: `F.${m[1]} (${lineOf({ range: call.range, text: '' })})`,
          call,
          input: event.args[0] ?? event.kwargs.get('input'),
          target: event.args[1] ?? event.kwargs.get('target'),
          inputExpr: call.args[0] ?? keywordExpr(call, 'input'),
          targetExpr: call.args[1] ?? keywordExpr(call, 'target'),
          ignoreIndex: ignoreIndexOf(call, position, event.kwargs.get('ignore_index'), event.args[position]),
        },
        ctx,
      );
    },
  },
};
