import type { Call, Expr } from '../../parse/ast';
import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import { refusedKeyword } from '../../ops/keyword-arguments';
import { fix, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { codeText, keywordExpr, originNote, relatedOrigin } from './describe';

/**
 * The functions of torch.nn.functional whose dim may be left out: PyTorch 1.13 then picks one with
 * `_get_softmax_dim` (0 for a 0-D, 1-D or 3-D input, 1 otherwise) and warns that the implicit choice is deprecated.
 * torch.softmax and Tensor.softmax take no such default (leaving dim out raises), so they are not listed.
 */
const FUNCTIONS: Record<string, string> = {
  'torch.nn.functional.softmax': 'F.softmax',
  'torch.nn.functional.log_softmax': 'F.log_softmax',
  'torch.nn.functional.softmin': 'F.softmin',
};
const LAYERS = new Set(['Softmax', 'LogSoftmax', 'Softmin']);

/** True when the argument is absent or None: the implicit dim. */
function implicit(dim: Value | undefined): boolean {
  return dim === undefined || dim.kind === 'none';
}

/**
 * Reports a softmax left to choose its own axis on a 3-D tensor, where PyTorch picks axis 0: the batch of
 * (batch, steps, features) data or the steps of (steps, batch, features) data, never the features.
 */
function judge(ctx: RuleContext, call: Call, t: TensorValue, what: string, inputExpr: Expr | undefined, fixCall: Call | undefined): void {
  if (!t.shape.rankKnown || t.shape.dims.length !== 3) return;
  // The scores of a class or feature axis are on the last axis: report only when it holds more than one (a known
  // size, or an axis a layer produced as features). Scores shaped (steps, batch, 1), as additive attention over
  // seq-first outputs makes them, are meant to be normalised over axis 0, which is what PyTorch picks.
  const last = t.shape.dims[2];
  if (!((last.kind === 'int' && last.value > 1) || (last.kind !== 'int' && last.role === 'feature'))) return;
  const name = inputExpr ? codeText(ctx, inputExpr.range) : 'the input';
  ctx.report({
    range: call.range,
    message:
      `${what} is given no dim, so PyTorch chooses one: for the 3-D ${name} ${formatShape(t.shape)}${originNote(t)} it takes dim=0 ` +
      '(only warning that the implicit choice is deprecated), the batch axis of (batch, steps, features) data or the time axis of ' +
      '(steps, batch, features) data; the scores are normalised across samples or steps instead of across the features of each one, and nothing raises',
    related: relatedOrigin(t, call.range, `the ${formatShape(t.shape)} input comes from here`),
    fixes: fixCall ? [fix('Pass dim=-1', [setKeyword(fixCall, 'dim', '-1')], true)] : [],
  });
}

export const softmaxImplicitDim: Rule = {
  code: 'SL148',
  name: 'softmax-implicit-dim',
  severity: 'warning',
  framework: 'torch',
  summary: 'F.softmax / F.log_softmax (or nn.Softmax / nn.LogSoftmax) without dim on a 3-D tensor: PyTorch picks dim=0, the batch or time axis, not the features.',
  docs: {
    whatItDoes:
      'Checks `F.softmax`, `F.log_softmax`, `F.softmin` and `nn.Softmax`, `nn.LogSoftmax`, `nn.Softmin` called without `dim` (or with `dim=None`) on a tensor known to be 3-D. PyTorch then chooses the axis itself, and for a 3-D tensor it chooses 0.',
    whyIsThisBad:
      'A 3-D tensor in a sequence model is (batch, steps, features) or (steps, batch, features): axis 0 is the batch or the time axis. The probabilities then sum to 1 across the samples of the batch (or across the steps) instead of across the classes of each step, so a loss such as CTC or NLL trains on numbers that are not log-probabilities. PyTorch only emits a deprecation warning that is easy to miss in a training log.',
    example: '# output: (trg_len, batch, output_dim)\nlog_probs = F.log_softmax(output)   # normalised over the target steps\nloss = ctc(log_probs, targets, input_lengths, target_lengths)',
    useInstead: 'log_probs = F.log_softmax(output, dim=2)   # over the classes of each step',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.functional.log_softmax.html', 'https://pytorch.org/docs/stable/generated/torch.nn.Softmax.html'],
  },
  fixTitles: ['Pass dim=-1'],
  hooks: {
    offers: {
      layerCall: (kind) => LAYERS.has(kind),
      functionCall: (qualname) => !!FUNCTIONS[qualname],
    },
    functionCall(event, ctx) {
      const what = FUNCTIONS[event.qualname];
      if (!what || event.call.hasStarArgs) return;
      // A keyword the function does not take (F.softmax(x, axis=1)) raises before any dim is chosen: SL162's.
      if (refusedKeyword(event.qualname, event.call.keywords)) return;
      const t = event.args[0] ?? event.kwargs.get('input');
      if (t?.kind !== 'tensor' || !implicit(event.args[1] ?? event.kwargs.get('dim'))) return;
      const inputExpr = event.call.args[0] ?? keywordExpr(event.call, 'input');
      // The fix sets dim=-1 unless the None was given positionally (F.softmax(x, None)).
      judge(ctx, event.call, t, what, inputExpr, event.call.args.length <= 1 ? event.call : undefined);
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || !LAYERS.has(layer.kind) || layer.call.hasStarArgs) return;
      const t = event.args[0];
      if (t?.kind !== 'tensor' || !implicit(layer.args.get('dim')?.value)) return;
      judge(ctx, event.call, t, `nn.${layer.kind}() (line ${layer.call.range.start.line + 1})`, event.call.args[0], layer.call.args.length === 0 ? layer.call : undefined);
    },
  },
};
