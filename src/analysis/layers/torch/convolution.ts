// nn.Conv1d and 1-D pooling: (N, C, L) → (N, C', L'), as often placed in front of a recurrent layer.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argValue } from '../layer';

function firstInt(v: Value): number | undefined {
  return v.kind === 'tuple' || v.kind === 'list' ? intValue(v.items[0]) : intValue(v);
}

function outLength(length: Dim, kernel: number | undefined, stride: number, padding: Value, dilation: number): Dim {
  if (padding.kind === 'str') return padding.value === 'same' ? length : length.kind === 'int' && kernel !== undefined ? intDim(Math.floor((length.value - dilation * (kernel - 1) - 1) / stride + 1)) : UNKNOWN_DIM;
  const p = firstInt(padding) ?? 0;
  if (length.kind !== 'int' || kernel === undefined) return UNKNOWN_DIM;
  return intDim(Math.floor((length.value + 2 * p - dilation * (kernel - 1) - 1) / stride + 1));
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor') return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: UNKNOWN_SHAPE };
  const shape = input.shape;
  if (!shape.rankKnown || (shape.dims.length !== 3 && shape.dims.length !== 2)) return { ...input, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  const batched = shape.dims.length === 3;
  const [channels, length] = shape.dims.slice(batched ? 1 : 0);
  const lead = batched ? [shape.dims[0]] : [];
  const kernel = firstInt(argValue(layer, 'kernel_size'));
  if (layer.kind === 'AdaptiveAvgPool1d' || layer.kind === 'AdaptiveMaxPool1d') {
    const size = argDim(layer, 'output_size');
    return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, size]) };
  }
  if (layer.kind === 'Conv1d') {
    const stride = firstInt(argValue(layer, 'stride')) ?? 1;
    const dilation = firstInt(argValue(layer, 'dilation')) ?? 1;
    const out = argDim(layer, 'out_channels', 'feature');
    return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...lead, out, outLength(length, kernel, stride, argValue(layer, 'padding'), dilation)]) };
  }
  const stride = firstInt(argValue(layer, 'stride')) ?? kernel ?? 1;
  return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, outLength(length, kernel, stride, argValue(layer, 'padding'), 1)]) };
}

export const torchConvolution: LayerFamily = {
  framework: 'torch',
  kinds: ['Conv1d', 'MaxPool1d', 'AvgPool1d', 'AdaptiveAvgPool1d', 'AdaptiveMaxPool1d'],
  params: (kind) =>
    kind === 'Conv1d'
      ? [{ name: 'in_channels' }, { name: 'out_channels' }, { name: 'kernel_size' }, { name: 'stride', default: { kind: 'int', value: 1 } }, { name: 'padding', default: { kind: 'int', value: 0 } }, { name: 'dilation', default: { kind: 'int', value: 1 } }]
      : kind.startsWith('Adaptive')
        ? [{ name: 'output_size' }]
        : [{ name: 'kernel_size' }, { name: 'stride', default: { kind: 'none' } }, { name: 'padding', default: { kind: 'int', value: 0 } }],
  apply,
  hover: (layer) =>
    layer.kind === 'Conv1d'
      ? '**nn.Conv1d** — input (batch, channels, length) → (batch, out_channels, length′). Before an RNN, move the channels last: `x.transpose(1, 2)` gives (batch, length′, out_channels).'
      : `**nn.${layer.kind}** — pools along the length: (batch, channels, length) → (batch, channels, length′).`,
};
