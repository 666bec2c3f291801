// Layers whose output has the input's shape: dropout, normalisation, element-wise activations.
import { UNKNOWN, Value, dropStepMarkers } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc } from '../layer';
import { markSoftmax } from '../../ops/normalised';

const KINDS = [
  'Dropout', 'Dropout1d', 'AlphaDropout', 'LayerNorm', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm2d', 'InstanceNorm3d', 'Identity',
  'ReLU', 'ReLU6', 'LeakyReLU', 'Dropout2d', 'Dropout3d', 'InstanceNorm1d', 'GroupNorm', 'ELU', 'GELU', 'SELU', 'SiLU', 'Tanh', 'Sigmoid', 'Softmax', 'LogSoftmax', 'Hardtanh', 'Mish', 'Softplus', 'PReLU',
  'Softsign', 'Tanhshrink', 'LogSigmoid', 'Hardswish', 'Hardsigmoid', 'CELU', 'Softmin', 'Softshrink', 'Hardshrink',
];

/** nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True), and so BatchNorm2d and 3d. */
const BATCHNORM_PARAMS = [
  { name: 'num_features' },
  { name: 'eps', default: { kind: 'float', value: 1e-5 } as Value },
  { name: 'momentum', default: { kind: 'float', value: 0.1 } as Value },
  { name: 'affine', default: { kind: 'bool', value: true } as Value },
  { name: 'track_running_stats', default: { kind: 'bool', value: true } as Value },
];

function applySame(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor') return UNKNOWN;
  const output = { ...input, origin: ctx.origin };
  // A softmax over the steps mixes them: the output is no longer a recurrent layer's, step for step.
  if (layer.kind.includes('Softmax')) dropStepMarkers(output);
  // The weights of an nn.Softmax, over its dim; a dropout passes them on, anything else makes other values.
  if (layer.kind === 'Softmax') markSoftmax(output, input, layer.args.get('dim')?.value, ctx.origin);
  else if (!layer.kind.includes('Dropout')) delete output.normalisedOver;
  return output;
}

export const torchShapePreserving: LayerFamily = {
  framework: 'torch',
  kinds: KINDS,
  params: (kind) => (kind === 'LayerNorm' ? [{ name: 'normalized_shape' }] : kind === 'BatchNorm1d' || kind === 'BatchNorm2d' || kind === 'BatchNorm3d' ? BATCHNORM_PARAMS : kind.includes('Dropout') ? [{ name: 'p', default: { kind: 'float', value: 0.5 } }] : kind.includes('Softmax') || kind === 'Softmin' ? [{ name: 'dim' }] : []),
  apply: applySame,
  hover: (layer) => `**nn.${layer.kind}** — the output has the same shape as the input.`,
};
