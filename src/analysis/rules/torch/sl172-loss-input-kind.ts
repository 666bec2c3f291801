import type { Call } from '../../parse/ast';
import type { Range } from '../../findings';
import { TensorValue, Value, ValueKind } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { lineOf } from '../../shapes/dim';
import { keywordExpr, layerName, operandText } from './describe';

/** The losses that read their input as one kind of values: NLLLoss log-probabilities, BCELoss probabilities. */
const WANTS: Record<string, ValueKind> = { NLLLoss: 'log-probabilities', BCELoss: 'probabilities' };
const FUNCTIONS: Record<string, string> = { nll_loss: 'NLLLoss', binary_cross_entropy: 'BCELoss' };

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
  const wants = WANTS[loss];
  const got = input.valueKind.kind;
  if (got === wants) return;
  const range = inputExpr?.range ?? call.range;
  const given = `${lossName} gets ${operandText(ctx, inputExpr, input)}, ${what(input)}`;
  if (loss === 'NLLLoss') {
    const effect =
      got === 'probabilities'
        ? 'on probabilities it returns -p(target), between -1 and 0: the loss is negative and its gradient vanishes as p nears 0, so the model learns little'
        : 'on raw scores it returns -score(target), which has no lower bound: the loss goes negative and training pushes the target\'s score up without end';
    ctx.report({
      range,
      severity: 'warning',
      message: `${given}, where NLLLoss takes log-probabilities (it computes -input[target]): ${effect}. Give it F.log_softmax(…, dim=1) of the scores, or use nn.CrossEntropyLoss on the raw scores.`,
      related: [{ range: input.valueKind.call, message: `the ${got} come from here` }],
    });
    return;
  }
  ctx.report({
    range,
    severity: 'error',
    message: `${given}, where BCELoss takes probabilities in [0, 1]: PyTorch raises "RuntimeError: all elements of input should be between 0 and 1" at the first value outside. Apply torch.sigmoid to the scores first, or use nn.BCEWithLogitsLoss on the raw scores.`,
    related: [{ range: input.valueKind.call, message: `the ${got} come from here` }],
  });
}

export const lossInputKind: Rule = {
  code: 'SL172',
  name: 'loss-input-kind',
  severity: 'warning',
  framework: 'torch',
  summary: 'NLLLoss gets probabilities or raw scores where it takes log-probabilities, or BCELoss gets raw scores or log-probabilities where it takes probabilities.',
  docs: {
    whatItDoes:
      'Follows what a tensor\'s values are from the layer or function that made them: the raw scores of an `nn.Linear` (or `F.linear`), the probabilities of a softmax or a sigmoid, the log-probabilities of a `log_softmax` (or of `torch.log` of probabilities), through views, squeezes, transposes, copies, moves and dropout (anything else, arithmetic included, ends what is known). Where such a tensor reaches `nn.NLLLoss` / `F.nll_loss`, which takes log-probabilities, or `nn.BCELoss` / `F.binary_cross_entropy`, which takes probabilities, a value of another kind is reported.',
    whyIsThisBad:
      'NLLLoss computes `-input[target]`: on softmax probabilities the loss lies between -1 and 0 and hardly trains, on raw scores it has no lower bound and goes negative (a model whose loss "is negative from the beginning and keeps dropping"). PyTorch says nothing. BCELoss takes `log(input)` and `log(1 - input)` and raises `RuntimeError: all elements of input should be between 0 and 1` on the first raw score outside [0, 1]. A warning for NLLLoss (it runs), an error for BCELoss (it raises).',
    example: 'fc = nn.Linear(128, 10)\ncriterion = nn.NLLLoss()\nloss = criterion(fc(h), labels)',
    useInstead: 'fc = nn.Linear(128, 10)\ncriterion = nn.NLLLoss()\nloss = criterion(F.log_softmax(fc(h), dim=1), labels)\n# or: nn.CrossEntropyLoss()(fc(h), labels)',
    references: [
      'https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html',
      'https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html',
      'https://github.com/pytorch/examples/pull/732',
    ],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => WANTS[kind] !== undefined,
      functionCall: (qualname) => FUNCTIONS[/^torch\.nn\.functional\.([a-z_0-9]+)$/.exec(qualname)?.[1] ?? ''] !== undefined,
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || WANTS[layer.kind] === undefined) return;
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
