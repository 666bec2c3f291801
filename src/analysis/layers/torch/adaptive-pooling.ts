// nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d and their 3-D forms: (N, C, H, W) or (C, H, W) → (N, C, H′, W′), each
// spatial axis pooled to the output size asked for, whatever its size; None in the output size keeps that axis as it
// is (`nn.AdaptiveAvgPool2d((1, None))` averages a spectrogram's bands and keeps its frames). The 1-D forms are in
// convolution.ts, the functional forms in ops/pooling.ts.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value, boolValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argOrigin, argValue } from '../layer';
import { batchAxis } from './convolution';

/** The number of spatial axes the layer pools. */
function spatialRank(kind: string): 2 | 3 {
  return kind.endsWith('3d') ? 3 : 2;
}

/**
 * The output size of each spatial axis: one int for all of them, or one entry per axis, None keeping the input's size
 * there. An entry not known, or not a positive int, gives an axis not known.
 */
function outputSizes(layer: LayerDesc, spatial: Dim[]): Dim[] {
  const n = spatial.length;
  const size = argValue(layer, 'output_size');
  const origin = argOrigin(layer, 'output_size');
  const entry = (v: Value | undefined, axis: number): Dim => {
    if (v?.kind === 'none') return spatial[axis];
    return v?.kind === 'int' && v.value >= 1 ? intDim(v.value, { origin }) : UNKNOWN_DIM;
  };
  if (size.kind === 'int') return spatial.map((_, axis) => entry(size, axis));
  if ((size.kind === 'tuple' || size.kind === 'list') && !size.element && size.items.length === n) return size.items.map(entry);
  return spatial.map(() => UNKNOWN_DIM);
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  // AdaptiveMaxPool2d(return_indices=True) returns (values, indices): not followed.
  if (layer.kind.startsWith('AdaptiveMaxPool') && boolValue(argValue(layer, 'return_indices')) !== false) return { kind: 'unknown' };
  const n = spatialRank(layer.kind);
  const unknown = { kind: 'tensor' as const, dtype: 'float' as const, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  // Batched (N, C, spatial…) or unbatched (C, spatial…); any other rank makes PyTorch raise.
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== n + 2 && input.shape.dims.length !== n + 1)) return unknown;
  const dims = input.shape.dims;
  const lead = dims.slice(0, dims.length - n - 1).map(batchAxis);
  const channels = dims[dims.length - n - 1];
  const spatial = dims.slice(dims.length - n);
  return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, ...outputSizes(layer, spatial)]), minValue: undefined, maxValue: undefined };
}

function params(kind: string): ParamSpec[] {
  return [{ name: 'output_size' }, ...(kind.startsWith('AdaptiveMaxPool') ? [{ name: 'return_indices', default: { kind: 'bool', value: false } as Value }] : [])];
}

function hover(layer: LayerDesc): string {
  const three = spatialRank(layer.kind) === 3;
  const inAxes = three ? 'D, H, W' : 'H, W';
  return `**nn.${layer.kind}** — pools each of ${inAxes} to the output size, whatever its size: (batch, channels, ${inAxes}) → (batch, channels, output_size). None in the output size keeps that axis.`;
}

export const torchAdaptivePooling: LayerFamily = {
  framework: 'torch',
  kinds: ['AdaptiveAvgPool2d', 'AdaptiveMaxPool2d', 'AdaptiveAvgPool3d', 'AdaptiveMaxPool3d'],
  params,
  apply,
  hover,
};
