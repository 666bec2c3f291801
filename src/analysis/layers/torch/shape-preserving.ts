// Layers whose output has the input's shape: dropout, normalisation, element-wise activations.
import { UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc } from '../layer';

const KINDS = [
  'Dropout', 'Dropout1d', 'AlphaDropout', 'LayerNorm', 'BatchNorm1d', 'BatchNorm2d', 'InstanceNorm2d', 'Identity',
  'ReLU', 'ReLU6', 'LeakyReLU', 'Dropout2d', 'InstanceNorm1d', 'GroupNorm', 'ELU', 'GELU', 'SELU', 'SiLU', 'Tanh', 'Sigmoid', 'Softmax', 'LogSoftmax', 'Hardtanh', 'Mish', 'Softplus', 'PReLU',
];

function applySame(_layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor') return UNKNOWN;
  return { ...input, origin: ctx.origin };
}

export const torchShapePreserving: LayerFamily = {
  framework: 'torch',
  kinds: KINDS,
  params: (kind) => (kind === 'LayerNorm' ? [{ name: 'normalized_shape' }] : kind.includes('Dropout') ? [{ name: 'p', default: { kind: 'float', value: 0.5 } }] : kind.includes('Softmax') ? [{ name: 'dim' }] : []),
  apply: applySame,
  hover: (layer) => `**nn.${layer.kind}** — the output has the same shape as the input.`,
};
