// Loss modules: with `reduction='mean'` or `'sum'` (the default) their output is a scalar; with `reduction='none'`
// (or the legacy `reduce=False`) it is one loss per element or sample. The reduction is read as for the F.* losses
// (ops/loss-reduction.ts). The input/target layout checks live in the rules.
import { LOSS_MODULES, lossReduces, reducedLoss, unreducedLoss } from '../../ops/loss-reduction';
import { UNKNOWN_SHAPE } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec } from '../layer';

export const CLASSIFICATION_LOSSES = new Set(['CrossEntropyLoss', 'NLLLoss']);

const NONE: Value = { kind: 'none' };
const MEAN: Value = { kind: 'str', value: 'mean' };
const param = (name: string, value: Value = NONE): ParamSpec => ({ name, default: value });
/** Constructor parameters in PyTorch 1.13's positional order, so that `reduction` and `reduce` are found however passed. */
const PARAMS: Record<string, ParamSpec[]> = {
  CrossEntropyLoss: [param('weight'), param('size_average'), param('ignore_index', { kind: 'int', value: -100 }), param('reduce'), param('reduction', MEAN), param('label_smoothing', { kind: 'float', value: 0 })],
  NLLLoss: [param('weight'), param('size_average'), param('ignore_index', { kind: 'int', value: -100 }), param('reduce'), param('reduction', MEAN)],
  MSELoss: [param('size_average'), param('reduce'), param('reduction', MEAN)],
  L1Loss: [param('size_average'), param('reduce'), param('reduction', MEAN)],
  SmoothL1Loss: [param('size_average'), param('reduce'), param('reduction', MEAN), param('beta', { kind: 'float', value: 1 })],
  HuberLoss: [param('reduction', MEAN), param('delta', { kind: 'float', value: 1 })],
  BCELoss: [param('weight'), param('size_average'), param('reduce'), param('reduction', MEAN)],
  BCEWithLogitsLoss: [param('weight'), param('size_average'), param('reduce'), param('reduction', MEAN), param('pos_weight')],
  KLDivLoss: [param('size_average'), param('reduce'), param('reduction', MEAN), param('log_target', { kind: 'bool', value: false })],
  CTCLoss: [param('blank', { kind: 'int', value: 0 }), param('reduction', MEAN), param('zero_infinity', { kind: 'bool', value: false })],
};

/**
 * Whether the loss reduces to a scalar, read as for the F.* losses (loss-reduction.ts): undefined when not known,
 * as when the constructor's arguments come from `**kwargs`.
 */
export function moduleLossReduces(layer: LayerDesc): boolean | undefined {
  const loss = LOSS_MODULES[layer.kind];
  if (loss === undefined || layer.call.hasStarArgs) return undefined;
  return lossReduces(loss, (param) => layer.args.get(param)?.value);
}

export const torchLosses: LayerFamily = {
  framework: 'torch',
  kinds: ['CrossEntropyLoss', 'NLLLoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss', 'CTCLoss'],
  params: (kind) => PARAMS[kind] ?? [],
  apply: (layer, args, kwargs: Map<string, Value>, ctx: ApplyContext): Value => {
    const reduces = moduleLossReduces(layer);
    if (reduces) return reducedLoss(ctx.origin);
    if (reduces === false) {
      // forward(input, target); CTCLoss's forward(log_probs, targets, input_lengths, target_lengths).
      const [first, second] = layer.kind === 'CTCLoss' ? ['log_probs', 'targets'] : ['input', 'target'];
      return unreducedLoss(LOSS_MODULES[layer.kind], args[0] ?? kwargs.get(first), args[1] ?? kwargs.get(second), ctx.origin);
    }
    return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: UNKNOWN_SHAPE };
  },
  hover: (layer) =>
    CLASSIFICATION_LOSSES.has(layer.kind)
      ? `**nn.${layer.kind}** — input (N, C) or (N, C, d1…) logits, target (N) or (N, d1…) class ids.\n\nFor sequence outputs (batch, seq, classes), use \`logits.view(-1, C)\` with \`targets.view(-1)\`, or \`logits.permute(0, 2, 1)\`.`
      : `**nn.${layer.kind}** — returns a scalar loss with \`reduction='mean'\` (the default) or \`'sum'\`, one loss per element with \`reduction='none'\`.`,
};
