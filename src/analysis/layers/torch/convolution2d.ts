// nn.Conv2d and 2-D pooling: (N, C, H, W) → (N, C', H', W'), as in the convolutional front of a CRNN (a text-line or
// captcha reader whose feature map, its height reduced to one row, is read by a recurrent layer along the width).
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

/** An int for both axes, or a pair (height, width); undefined when either is not known. */
function pairOf(v: Value): [number, number] | undefined {
  if (v.kind === 'tuple' || v.kind === 'list') {
    if (v.element || v.items.length !== 2) return undefined;
    const [a, b] = v.items.map(intValue);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const n = intValue(v);
  return n === undefined ? undefined : [n, n];
}

/** The window of each spatial axis, [height, width]; an axis whose arguments are not all known is undefined. */
export function windows2d(layer: LayerDesc): [WindowArgs | undefined, WindowArgs | undefined] {
  const kernel = pairOf(argValue(layer, 'kernel_size'));
  const strideValue = argValue(layer, 'stride');
  const stride = strideValue.kind === 'none' ? kernel : pairOf(strideValue);
  const paddingValue = argValue(layer, 'padding');
  const named = paddingValue.kind === 'str' && (paddingValue.value === 'same' || paddingValue.value === 'valid') ? paddingValue.value : undefined;
  const padding = named ? undefined : pairOf(paddingValue);
  const dilation = layer.kind === 'AvgPool2d' ? ([1, 1] as [number, number]) : pairOf(argValue(layer, 'dilation'));
  const ceil = layer.kind === 'Conv2d' ? false : boolValue(argValue(layer, 'ceil_mode'));
  if (!kernel || !stride || !dilation || (!named && !padding) || ceil === undefined) return [undefined, undefined];
  const axis = (i: 0 | 1): WindowArgs => ({ kernel: kernel[i], stride: stride[i], padding: named ?? padding![i], dilation: dilation[i], ceilMode: ceil });
  return [axis(0), axis(1)];
}

/** One spatial axis' value of an argument given as an int or symbol for both axes, or as a pair (height, width). */
function axisOf(v: Value, axis: 0 | 1): Value | undefined {
  if (v.kind === 'tuple' || v.kind === 'list') return v.element || v.items.length !== 2 ? undefined : v.items[axis];
  return v;
}

/** An axis of a size named but not known (symbolicWindowLength): the window's arguments read as sizes, symbols kept. */
function symbolicSize(layer: LayerDesc, size: Dim, axis: 0 | 1): Dim {
  const kernelValue = argValue(layer, 'kernel_size');
  const kernel = windowDim(axisOf(kernelValue, axis));
  const strideValue = argValue(layer, 'stride');
  const stride = strideValue.kind === 'none' ? kernel : windowDim(axisOf(strideValue, axis));
  const paddingValue = argValue(layer, 'padding');
  const padding = paddingValue.kind === 'str' ? (paddingValue.value === 'same' || paddingValue.value === 'valid' ? paddingValue.value : undefined) : intOf(axisOf(paddingValue, axis));
  const dilation = layer.kind === 'AvgPool2d' ? 1 : intOf(axisOf(argValue(layer, 'dilation'), axis));
  return symbolicWindowLength(size, kernel, stride, padding, dilation, layer.kind === 'Conv2d');
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
  if (layer.kind === 'MaxPool2d' && boolValue(argValue(layer, 'return_indices')) !== false) return { kind: 'unknown' };
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== 4 && input.shape.dims.length !== 3)) return unknown;
  const dims = input.shape.dims;
  const lead = dims.slice(0, dims.length - 3).map(batchAxis);
  const [channels, height, width] = dims.slice(dims.length - 3);
  const [wh, ww] = windows2d(layer);
  const spatial = [height.kind === 'sym' ? symbolicSize(layer, height, 0) : outSize(height, wh, ctx.origin), width.kind === 'sym' ? symbolicSize(layer, width, 1) : outSize(width, ww, ctx.origin)];
  if (layer.kind === 'Conv2d') return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...lead, argDim(layer, 'out_channels', 'feature'), ...spatial]) };
  return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, ...spatial]), minValue: undefined, maxValue: undefined };
}

function params(kind: string): ParamSpec[] {
  if (kind === 'Conv2d') {
    return [{ name: 'in_channels' }, { name: 'out_channels' }, { name: 'kernel_size' }, { name: 'stride', default: int(1) }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'groups', default: int(1) }, { name: 'bias', default: bool(true) }, { name: 'padding_mode', default: { kind: 'str', value: 'zeros' } }];
  }
  if (kind === 'MaxPool2d') return [{ name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'return_indices', default: bool(false) }, { name: 'ceil_mode', default: bool(false) }];
  return [{ name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }, { name: 'ceil_mode', default: bool(false) }, { name: 'count_include_pad', default: bool(true) }, { name: 'divisor_override', default: NONE }];
}

function hover(layer: LayerDesc): string {
  if (layer.kind !== 'Conv2d') return `**nn.${layer.kind}** — pools over height and width: (batch, channels, H, W) → (batch, channels, H′, W′).`;
  const i = argInt(layer, 'in_channels');
  const o = argInt(layer, 'out_channels');
  return [
    '**nn.Conv2d** — convolves over height and width: channels come second',
    '',
    '```',
    `input (batch, ${i ?? 'in_channels'}, H, W) → output (batch, ${o ?? 'out_channels'}, H′, W′)`,
    '```',
    '',
    'each of H′ and W′ = ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 for its own axis',
    '',
    '**Common mistakes**',
    '- Before a recurrent layer, the height must be reduced to 1 and removed (`squeeze(2)`), or folded into the channels: `squeeze()` removes nothing when the height left is larger than 1.',
  ].join('\n');
}

export const torchConvolution2d: LayerFamily = {
  framework: 'torch',
  kinds: ['Conv2d', 'MaxPool2d', 'AvgPool2d'],
  params,
  apply,
  hover,
};
