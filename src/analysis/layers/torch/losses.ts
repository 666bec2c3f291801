// Loss modules: with `reduction='mean'` or `'sum'` (the default) their output is a scalar; with `reduction='none'`
// (or the legacy `reduce=False`) it is one loss per element. The input/target layout checks live in the rules.
import { broadcast } from '../../ops/broadcast';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value, boolValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argValue } from '../layer';

export const CLASSIFICATION_LOSSES = new Set(['CrossEntropyLoss', 'NLLLoss']);

/** Losses whose unreduced output is one loss per element of the (broadcast) input and target. */
const ELEMENTWISE = new Set(['MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss']);

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
 * Whether the loss reduces to a scalar: true for 'mean'/'sum', false for 'none' or the legacy `reduce=False`
 * (which overrides `reduction`), undefined when either is not known.
 */
export function lossReduces(layer: LayerDesc): boolean | undefined {
  if (layer.call.hasStarArgs) return undefined;
  const reduce = argValue(layer, 'reduce');
  if (reduce.kind !== 'none') {
    const r = boolValue(reduce);
    if (r === undefined) return undefined;
    if (!r) return false;
  }
  const reduction = argValue(layer, 'reduction');
  if (reduction.kind !== 'str') return undefined;
  if (reduction.value === 'none') return false;
  return reduction.value === 'mean' || reduction.value === 'sum' ? true : undefined;
}

export const torchLosses: LayerFamily = {
  framework: 'torch',
  kinds: ['CrossEntropyLoss', 'NLLLoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss', 'CTCLoss'],
  params: (kind) => PARAMS[kind] ?? [],
  apply: (layer, args, _kwargs: Map<string, Value>, ctx: ApplyContext): Value => {
    const reduces = lossReduces(layer);
    if (reduces) return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([]) };
    const [input, target] = args;
    if (reduces === false && ELEMENTWISE.has(layer.kind) && input?.kind === 'tensor' && target?.kind === 'tensor') {
      return { ...broadcast(input, target, ctx.origin), dtype: 'float' };
    }
    return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: UNKNOWN_SHAPE };
  },
  hover: (layer) =>
    CLASSIFICATION_LOSSES.has(layer.kind)
      ? `**nn.${layer.kind}** — input (N, C) or (N, C, d1…) logits, target (N) or (N, d1…) class ids.\n\nFor sequence outputs (batch, seq, classes), use \`logits.view(-1, C)\` with \`targets.view(-1)\`, or \`logits.permute(0, 2, 1)\`.`
      : `**nn.${layer.kind}** — returns a scalar loss with \`reduction='mean'\` (the default) or \`'sum'\`, one loss per element with \`reduction='none'\`.`,
};
