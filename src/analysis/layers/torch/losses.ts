// Loss modules: their output is a scalar; the input/target layout checks live in the rules.
import { shapeOf } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';

export const CLASSIFICATION_LOSSES = new Set(['CrossEntropyLoss', 'NLLLoss']);

export const torchLosses: LayerFamily = {
  framework: 'torch',
  kinds: ['CrossEntropyLoss', 'NLLLoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss', 'BCELoss', 'BCEWithLogitsLoss', 'KLDivLoss', 'CTCLoss'],
  params: () => [],
  apply: (_layer, _args, _kwargs: Map<string, Value>, ctx: ApplyContext): Value => ({ kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([]) }),
  hover: (layer) =>
    CLASSIFICATION_LOSSES.has(layer.kind)
      ? `**nn.${layer.kind}** — input (N, C) or (N, C, d1…) logits, target (N) or (N, d1…) class ids.\n\nFor sequence outputs (batch, seq, classes), use \`logits.view(-1, C)\` with \`targets.view(-1)\`, or \`logits.permute(0, 2, 1)\`.`
      : `**nn.${layer.kind}** — returns a scalar loss (with the default \`reduction='mean'\`).`,
};
