import type { Call } from '../../parse/ast';
import type { Range } from '../../findings';
import type { TensorValue, Value, ValueKind } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { knownValue, lineOf } from '../../shapes/dim';
import { dimAt, rankOf } from '../../shapes/shape';
import { keywordExpr, layerName, operandText } from './describe';

/**
 * The losses that read their input as one kind of values, and the kinds each reports: NLLLoss takes log-probabilities,
 * BCELoss probabilities, CrossEntropyLoss and BCEWithLogitsLoss raw scores. The last two apply their own softmax or
 * sigmoid, so log-probabilities are right for CrossEntropyLoss (log_softmax of log_softmax is itself) and only
 * probabilities, squashed a second time, are reported for them (for CrossEntropyLoss, a softmax's only).
 */
const REPORTS: Record<string, ReadonlySet<ValueKind>> = {
  NLLLoss: new Set(['probabilities', 'scores']),
  BCELoss: new Set(['scores', 'log-probabilities']),
  CrossEntropyLoss: new Set(['probabilities']),
  BCEWithLogitsLoss: new Set(['probabilities']),
};
const FUNCTIONS: Record<string, string> = {
  nll_loss: 'NLLLoss',
  binary_cross_entropy: 'BCELoss',
  cross_entropy: 'CrossEntropyLoss',
  binary_cross_entropy_with_logits: 'BCEWithLogitsLoss',
};

const line = (r: Range): string => lineOf({ range: r, text: '' });

function what(t: TensorValue): string {
  const k = t.valueKind!;
  const at = line(k.call);
  if (k.kind === 'scores') return `the raw scores a ${k.by} layer gave at ${at}`;
  return `the ${k.kind} a ${k.by} gave at ${at}`;
}

/** The loss's input (first argument or input=) against what the loss takes. */
function check(loss: string, lossName: string, call: Call, args: Value[], kwargs: Map<string, Value>, ctx: RuleContext): void {
  const input = args[0] ?? kwargs.get('input');
  const inputExpr = call.args[0] ?? keywordExpr(call, 'input');
  if (input?.kind !== 'tensor' || !input.valueKind || call.hasStarArgs) return;
  const got = input.valueKind.kind;
  if (!REPORTS[loss].has(got)) return;
  // CrossEntropyLoss is reported on a softmax's probabilities only, a softmax taken twice. A sigmoid's values in
  // (0, 1) used as class scores are squeezed too, but such a model may mean them as bounded scores.
  if (loss === 'CrossEntropyLoss' && input.valueKind.by !== 'softmax') return;
  const range = inputExpr?.range ?? call.range;
  const given = `${lossName} gets ${operandText(ctx, inputExpr, input)}, ${what(input)}`;
  const related = [{ range: input.valueKind.call, message: `the ${got} come from here` }];
  if (loss === 'NLLLoss') {
    const effect =
      got === 'probabilities'
        ? 'on probabilities it returns -p(target), between -1 and 0: the loss is negative and its gradient vanishes as p nears 0, so the model learns little'
        : 'on raw scores it returns -score(target), which has no lower bound: the loss goes negative and training pushes the target\'s score up without end';
    ctx.report({
      range,
      severity: 'warning',
      message: `${given}, where NLLLoss takes log-probabilities (it computes -input[target]): ${effect}. Give it F.log_softmax(…, dim=1) of the scores, or use nn.CrossEntropyLoss on the raw scores.`,
      related,
    });
    return;
  }
  if (loss === 'CrossEntropyLoss') {
    // The class axis: the only one of a (C,) input, the second of (N, C, ...). With its size known, the floor is said.
    const rank = rankOf(input.shape);
    const classes = rank === undefined || rank === 0 ? undefined : knownValue(dimAt(input.shape, rank === 1 ? 0 : 1));
    const floor =
      classes !== undefined && classes >= 2
        ? `, here ${(Math.log(1 + (classes - 1) / Math.E)).toFixed(2)} for its ${classes} classes`
        : ' (0.31 for two classes, 1.46 for ten)';
    ctx.report({
      range,
      severity: 'warning',
      message: `${given}, where CrossEntropyLoss takes raw scores (it applies log_softmax itself): on probabilities the softmax is taken twice, so even a certain, right prediction keeps a loss of log(1 + (C-1)/e) for C classes${floor}, and the gradients shrink: the model learns slowly or stalls. Give it the scores before the ${input.valueKind.by}, or use nn.NLLLoss on torch.log of the probabilities.`,
      related,
    });
    return;
  }
  if (loss === 'BCEWithLogitsLoss') {
    ctx.report({
      range,
      severity: 'warning',
      message: `${given}, where BCEWithLogitsLoss takes raw scores (it applies the sigmoid itself): on probabilities the sigmoid is taken twice, so its predictions stay between 0.5 and 0.73 and the loss cannot fall below 0.31 for a positive target or 0.69 for a negative one. Give it the scores before the ${input.valueKind.by}, or use nn.BCELoss on the probabilities.`,
      related,
    });
    return;
  }
  ctx.report({
    range,
    severity: 'error',
    message: `${given}, where BCELoss takes probabilities in [0, 1]: PyTorch raises "RuntimeError: all elements of input should be between 0 and 1" at the first value outside. Apply torch.sigmoid to the scores first, or use nn.BCEWithLogitsLoss on the raw scores.`,
    related,
  });
}

export const lossInputKind: Rule = {
  code: 'SL172',
  name: 'loss-input-kind',
  severity: 'warning',
  framework: 'torch',
  summary: 'NLLLoss gets probabilities or raw scores where it takes log-probabilities, BCELoss raw scores or log-probabilities where it takes probabilities, or CrossEntropyLoss a softmax\'s probabilities (BCEWithLogitsLoss any probabilities) where they take raw scores.',
  docs: {
    whatItDoes:
      'Follows what a tensor\'s values are from the layer or function that made them: the raw scores of an `nn.Linear` (or `F.linear`), the probabilities of a softmax or a sigmoid, the log-probabilities of a `log_softmax` (or of `torch.log` of probabilities), through views, squeezes, transposes, copies, moves and dropout (anything else, arithmetic included, ends what is known). Where such a tensor reaches `nn.NLLLoss` / `F.nll_loss`, which takes log-probabilities, or `nn.BCELoss` / `F.binary_cross_entropy`, which takes probabilities, a value of another kind is reported. `nn.CrossEntropyLoss` / `F.cross_entropy` and `nn.BCEWithLogitsLoss` / `F.binary_cross_entropy_with_logits` take raw scores and apply the softmax or sigmoid themselves: a softmax\'s probabilities given to CrossEntropyLoss, and any probabilities given to BCEWithLogitsLoss, are reported (log-probabilities are right for CrossEntropyLoss, since log_softmax of log-probabilities gives them back; a sigmoid before CrossEntropyLoss may be meant as bounded scores).',
    whyIsThisBad:
      'NLLLoss computes `-input[target]`: on softmax probabilities the loss lies between -1 and 0 and hardly trains, on raw scores it has no lower bound and goes negative (a model whose loss "is negative from the beginning and keeps dropping"). PyTorch says nothing. BCELoss takes `log(input)` and `log(1 - input)` and raises `RuntimeError: all elements of input should be between 0 and 1` on the first raw score outside [0, 1]. CrossEntropyLoss given softmax probabilities takes a second softmax: even a certain, right prediction keeps a loss of log(1 + (C-1)/e) (0.31 for two classes) and the gradients shrink. BCEWithLogitsLoss given sigmoid probabilities takes a second sigmoid: its predictions stay between 0.5 and 0.73. A warning for NLLLoss, CrossEntropyLoss and BCEWithLogitsLoss (they run), an error for BCELoss (it raises).',
    example: 'fc = nn.Linear(128, 10)\ncriterion = nn.NLLLoss()\nloss = criterion(fc(h), labels)',
    useInstead: 'fc = nn.Linear(128, 10)\ncriterion = nn.NLLLoss()\nloss = criterion(F.log_softmax(fc(h), dim=1), labels)\n# or: nn.CrossEntropyLoss()(fc(h), labels)',
    references: [
      'https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html',
      'https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html',
      'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html',
      'https://github.com/pytorch/examples/pull/732',
    ],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => REPORTS[kind] !== undefined,
      functionCall: (qualname) => FUNCTIONS[/^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(qualname)?.[1] ?? ''] !== undefined,
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || REPORTS[layer.kind] === undefined) return;
      check(layer.kind, layerName(layer), event.call, event.args, event.kwargs, ctx);
    },
    functionCall(event, ctx) {
      const m = /^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(event.qualname);
      const loss = m ? FUNCTIONS[m[1]] : undefined;
      if (!m || !loss) return;
      check(loss, `F.${m[1]} (${line(event.call.range)})`, event.call, event.args, event.kwargs, ctx);
    },
  },
};
