// nn.Conv2d and 2-D pooling: (N, C, H, W) → (N, C', H', W'), as in the convolutional front of a CRNN (a text-line or
// captcha reader whose feature map, its height reduced to one row, is read by a recurrent layer along the width);
// nn.Conv3d and 3-D pooling: (N, C, D, H, W) → (N, C', D', H', W'), as in a video or lip-reading encoder whose frames
// are read by a recurrent layer once their map is reduced to one position.
// Each spatial axis follows PyTorch's 1-D rule (convolution.ts) with its own kernel, stride, padding and dilation.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value, boolValue, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argDim, argInt, argValue } from '../layer';
import { WindowArgs, batchAxis, symbolicWindowLength, windowDim, windowOutputLength } from './convolution';

const int = (value: number): Value => ({ kind: 'int', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });
const NONE: Value = { kind: 'none' };

/** The number of spatial axes of a 2-D or 3-D convolution or pooling layer. */
function spatialRank(kind: string): 2 | 3 {
  return kind.endsWith('3d') ? 3 : 2;
}

const isConv = (kind: string) => kind === 'Conv2d' || kind === 'Conv3d';
const isAvgPool = (kind: string) => kind === 'AvgPool2d' || kind === 'AvgPool3d';

/** An int for every axis, or one int per axis ((height, width), or (depth, height, width)); undefined when one is not known. */
export function perAxis(v: Value, n: number): number[] | undefined {
  if (v.kind === 'tuple' || v.kind === 'list') {
    if (v.element || v.items.length !== n) return undefined;
    const values = v.items.map(intValue);
    return values.some((x) => x === undefined) ? undefined : (values as number[]);
  }
  const x = intValue(v);
  return x === undefined ? undefined : Array(n).fill(x);
}

/** The window of each spatial axis ([height, width] or [depth, height, width]); an axis whose arguments are not all known is undefined. */
export function windowsNd(layer: LayerDesc): (WindowArgs | undefined)[] {
  const n = spatialRank(layer.kind);
  const kernel = perAxis(argValue(layer, 'kernel_size'), n);
  const strideValue = argValue(layer, 'stride');
  const stride = strideValue.kind === 'none' ? kernel : perAxis(strideValue, n);
  const paddingValue = argValue(layer, 'padding');
  const named = paddingValue.kind === 'str' && (paddingValue.value === 'same' || paddingValue.value === 'valid') ? paddingValue.value : undefined;
  const padding = named ? undefined : perAxis(paddingValue, n);
  const dilation = isAvgPool(layer.kind) ? Array(n).fill(1) : perAxis(argValue(layer, 'dilation'), n);
  const ceil = isConv(layer.kind) ? false : boolValue(argValue(layer, 'ceil_mode'));
  if (!kernel || !stride || !dilation || (!named && !padding) || ceil === undefined) return Array(n).fill(undefined);
  return kernel.map((k, i) => ({ kernel: k, stride: stride[i], padding: named ?? padding![i], dilation: dilation[i], ceilMode: ceil }));
}

/** The window of each spatial axis of a 2-D layer, [height, width]. */
export function windows2d(layer: LayerDesc): [WindowArgs | undefined, WindowArgs | undefined] {
  const [h, w] = windowsNd(layer);
  return [h, w];
}

/** One spatial axis' value of an argument given as an int or symbol for every axis, or as one value per axis. */
function axisOf(v: Value, axis: number, n: number): Value | undefined {
  if (v.kind === 'tuple' || v.kind === 'list') return v.element || v.items.length !== n ? undefined : v.items[axis];
  return v;
}

/** An axis of a size named but not known (symbolicWindowLength): the window's arguments read as sizes, symbols kept. */
function symbolicSize(layer: LayerDesc, size: Dim, axis: number): Dim {
  const n = spatialRank(layer.kind);
  const kernelValue = argValue(layer, 'kernel_size');
  const kernel = windowDim(axisOf(kernelValue, axis, n));
  const strideValue = argValue(layer, 'stride');
  const stride = strideValue.kind === 'none' ? kernel : windowDim(axisOf(strideValue, axis, n));
  const paddingValue = argValue(layer, 'padding');
  const padding = paddingValue.kind === 'str' ? (paddingValue.value === 'same' || paddingValue.value === 'valid' ? paddingValue.value : undefined) : intOf(axisOf(paddingValue, axis, n));
  const dilation = isAvgPool(layer.kind) ? 1 : intOf(axisOf(argValue(layer, 'dilation'), axis, n));
  return symbolicWindowLength(size, kernel, stride, padding, dilation, isConv(layer.kind));
}

function intOf(v: Value | undefined): number | undefined {
  return v === undefined ? undefined : intValue(v);
}

function outSize(size: Dim, w: WindowArgs | undefined, origin: ApplyContext['origin']): Dim {
  if (size.kind !== 'int' || !w) return UNKNOWN_DIM;
  if (w.padding === 'same') return size;
  const out = windowOutputLength(size.value, w);
  return out === undefined ? UNKNOWN_DIM : intDim(out, { origin });
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const unknown = { kind: 'tensor' as const, dtype: 'float' as const, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  // MaxPool2d(return_indices=True) returns (values, indices): not modelled, so not a tensor either.
  if (layer.kind.startsWith('MaxPool') && boolValue(argValue(layer, 'return_indices')) !== false) return { kind: 'unknown' };
  const n = spatialRank(layer.kind);
  // Batched (N, C, spatial…) or unbatched (C, spatial…).
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== n + 2 && input.shape.dims.length !== n + 1)) return unknown;
  const dims = input.shape.dims;
  const lead = dims.slice(0, dims.length - n - 1).map(batchAxis);
  const channels = dims[dims.length - n - 1];
  const windows = windowsNd(layer);
  const spatial = dims.slice(dims.length - n).map((size, i) => (size.kind === 'sym' ? symbolicSize(layer, size, i) : outSize(size, windows[i], ctx.origin)));
  if (isConv(layer.kind)) return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...lead, argDim(layer, 'out_channels', 'feature'), ...spatial]) };
  return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, ...spatial]), minValue: undefined, maxValue: undefined };
}

function params(kind: string): ParamSpec[] {
  if (isConv(kind)) {
    return [{ name: 'in_channels' }, { name: 'out_channels' }, { name: 'kernel_size' }, { name: 'stride', default: int(1) }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'groups', default: int(1) }, { name: 'bias', default: bool(true) }, { name: 'padding_mode', default: { kind: 'str', value: 'zeros' } }];
  }
  if (kind.startsWith('MaxPool')) return [{ name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'return_indices', default: bool(false) }, { name: 'ceil_mode', default: bool(false) }];
  return [{ name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }, { name: 'ceil_mode', default: bool(false) }, { name: 'count_include_pad', default: bool(true) }, { name: 'divisor_override', default: NONE }];
}

function hover(layer: LayerDesc): string {
  const three = spatialRank(layer.kind) === 3;
  const axes = three ? 'depth, height and width' : 'height and width';
  const inAxes = three ? 'D, H, W' : 'H, W';
  const outAxes = three ? 'D′, H′, W′' : 'H′, W′';
  if (!isConv(layer.kind)) return `**nn.${layer.kind}** — pools over ${axes}: (batch, channels, ${inAxes}) → (batch, channels, ${outAxes}).`;
  const i = argInt(layer, 'in_channels');
  const o = argInt(layer, 'out_channels');
  return [
    `**nn.${layer.kind}** — convolves over ${axes}: channels come second`,
    '',
    '```',
    `input (batch, ${i ?? 'in_channels'}, ${inAxes}) → output (batch, ${o ?? 'out_channels'}, ${outAxes})`,
    '```',
    '',
    `each of ${outAxes} = ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 for its own axis`,
    '',
    '**Common mistakes**',
    three
      ? '- Before a recurrent layer, the height and width must be reduced to 1 and removed (`squeeze(-1).squeeze(-1)`), or folded into the channels: `squeeze()` removes nothing when the map left is larger than 1 × 1, as with frames larger than the encoder was built for.'
      : '- Before a recurrent layer, the height must be reduced to 1 and removed (`squeeze(2)`), or folded into the channels: `squeeze()` removes nothing when the height left is larger than 1.',
  ].join('\n');
}

export const torchConvolution2d: LayerFamily = {
  framework: 'torch',
  kinds: ['Conv2d', 'MaxPool2d', 'AvgPool2d', 'Conv3d', 'MaxPool3d', 'AvgPool3d'],
  params,
  apply,
  hover,
};
