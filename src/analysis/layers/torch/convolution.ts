// nn.Conv1d and 1-D pooling: (N, C, L) → (N, C', L'), as often placed in front of a recurrent layer.
// The output length is PyTorch's: floor((L + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1, with ceil_mode
// rounding up unless the last window would start in the right padding.
import { Dim, UNKNOWN_DIM, intDim, sameDim, withRole } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value, boolValue, intValue, sequence } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argBool, argDim, argInt, argValue } from '../layer';
import { dimFromValue } from '../../ops/dims-from-values';

const int = (value: number): Value => ({ kind: 'int', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });

function firstInt(v: Value): number | undefined {
  return v.kind === 'tuple' || v.kind === 'list' ? (v.items.length === 1 ? intValue(v.items[0]) : undefined) : intValue(v);
}

export interface WindowArgs {
  kernel?: number;
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  ceilMode?: boolean;
}

/** PyTorch's output length of a 1-D convolution or pooling window; unknown when any input is. */
export function windowOutputLength(length: number, w: WindowArgs): number | undefined {
  const { kernel, stride, dilation = 1 } = w;
  if (kernel === undefined || stride === undefined || stride <= 0 || kernel <= 0 || w.padding === undefined) return undefined;
  if (w.padding === 'same') return length;
  const p = w.padding === 'valid' ? 0 : w.padding;
  const span = length + 2 * p - dilation * (kernel - 1) - 1;
  let out = w.ceilMode ? Math.ceil(span / stride) + 1 : Math.floor(span / stride) + 1;
  if (w.ceilMode && (out - 1) * stride >= length + p) out--;
  return out >= 1 ? out : undefined; // PyTorch raises: the window does not fit in the input
}

/**
 * The output length of a window over an axis whose size is a symbol (named, its number not known), where PyTorch's
 * formula gives the same answer for every number: the axis itself when the window keeps the length (stride 1 and
 * 2·padding = dilation·(kernel − 1), as `Conv1d(c, c, 5, padding=2)`, or a convolution's padding='same'), and one step
 * when the kernel is that very axis with no padding or dilation, whatever the stride (`nn.Conv2d(1, n, (k, D))` over
 * embeddings of D features). Unknown otherwise, and for any axis not named.
 */
export function symbolicWindowLength(length: Dim, kernel: Dim, stride: Dim, padding: number | 'same' | 'valid' | undefined, dilation: number | undefined, convolution: boolean): Dim {
  if (length.kind !== 'sym' || padding === undefined || dilation === undefined || !(dilation >= 1)) return UNKNOWN_DIM;
  if (padding === 'same') return convolution && stride.kind === 'int' && stride.value === 1 ? length : UNKNOWN_DIM;
  const p = padding === 'valid' ? 0 : padding;
  if (!(p >= 0) || !(stride.kind === 'sym' || (stride.kind === 'int' && stride.value >= 1))) return UNKNOWN_DIM;
  if (p === 0 && dilation === 1 && sameDim(kernel, length)) return intDim(1);
  if (stride.kind === 'int' && stride.value === 1 && kernel.kind === 'int' && kernel.value >= 1 && 2 * p === dilation * (kernel.value - 1)) return length;
  return UNKNOWN_DIM;
}

/** One axis' window argument as a size: a known number, a symbol (`D`, a parameter with no value), or unknown. */
export function windowDim(v: Value | undefined): Dim {
  if (v === undefined) return UNKNOWN_DIM;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.length === 1 && !v.element ? dimFromValue(v.items[0], undefined) : UNKNOWN_DIM;
  return dimFromValue(v, undefined);
}

export function windowArgs(layer: LayerDesc): WindowArgs {
  const kernel = firstInt(argValue(layer, 'kernel_size'));
  const strideValue = argValue(layer, 'stride');
  const stride = strideValue.kind === 'none' ? kernel : firstInt(strideValue);
  const paddingValue = argValue(layer, 'padding');
  const padding = paddingValue.kind === 'str' ? (paddingValue.value === 'same' || paddingValue.value === 'valid' ? paddingValue.value : undefined) : firstInt(paddingValue);
  const dilation = layer.kind === 'AvgPool1d' ? 1 : firstInt(argValue(layer, 'dilation'));
  const ceilMode = layer.kind === 'Conv1d' ? false : argBool(layer, 'ceil_mode');
  return { kernel, stride, padding, dilation, ceilMode };
}

function outLength(layer: LayerDesc, length: Dim, origin: ApplyContext['origin']): Dim {
  if (length.kind === 'sym') {
    const w = windowArgs(layer);
    const kernel = windowDim(argValue(layer, 'kernel_size'));
    const strideValue = argValue(layer, 'stride');
    return symbolicWindowLength(length, kernel, strideValue.kind === 'none' ? kernel : windowDim(strideValue), w.padding, w.dilation, layer.kind === 'Conv1d');
  }
  if (length.kind !== 'int') return UNKNOWN_DIM;
  const w = windowArgs(layer);
  if (w.ceilMode === undefined || w.dilation === undefined) return UNKNOWN_DIM;
  const out = windowOutputLength(length.value, w);
  return out === undefined ? UNKNOWN_DIM : w.padding === 'same' ? length : intDim(out, { origin, role: length.role });
}

/**
 * Axis 0 of a batched input to a convolution or pooling layer is the batch: PyTorch reads it so, and the output keeps
 * it. The size says so from then on (a (batch, patches, dim) token sequence made from a feature map), unless it was
 * already read as something else (a time axis given to the layer by mistake keeps its role, for the rules to compare).
 */
export function batchAxis(d: Dim): Dim {
  return d.role ? d : withRole(d, 'batch');
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const unknown = { kind: 'tensor' as const, dtype: 'float' as const, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  const indices = layer.kind === 'MaxPool1d' || layer.kind === 'AdaptiveMaxPool1d' ? boolValue(argValue(layer, 'return_indices')) : false;
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== 3 && input.shape.dims.length !== 2) || indices !== false) {
    return indices === true ? sequence('tuple', [unknown, { ...unknown, dtype: 'long' }]) : indices === false ? unknown : { kind: 'unknown' };
  }
  const shape = input.shape;
  const batched = shape.dims.length === 3;
  const [channels, length] = shape.dims.slice(batched ? 1 : 0);
  const lead = batched ? [batchAxis(shape.dims[0])] : [];
  if (layer.kind === 'AdaptiveAvgPool1d' || layer.kind === 'AdaptiveMaxPool1d') {
    const size = argValue(layer, 'output_size');
    const out = size.kind === 'none' ? length : argDim(layer, 'output_size');
    return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, out]), minValue: undefined, maxValue: undefined };
  }
  if (layer.kind === 'Conv1d') {
    const out = argDim(layer, 'out_channels', 'feature');
    return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...lead, out, outLength(layer, length, ctx.origin)]) };
  }
  return { ...input, origin: ctx.origin, shape: shapeOf([...lead, channels, outLength(layer, length, ctx.origin)]), minValue: undefined, maxValue: undefined };
}

function params(kind: string): ParamSpec[] {
  if (kind === 'Conv1d') {
    return [{ name: 'in_channels' }, { name: 'out_channels' }, { name: 'kernel_size' }, { name: 'stride', default: int(1) }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'groups', default: int(1) }, { name: 'bias', default: bool(true) }, { name: 'padding_mode', default: { kind: 'str', value: 'zeros' } }];
  }
  if (kind.startsWith('Adaptive')) return [{ name: 'output_size' }, ...(kind === 'AdaptiveMaxPool1d' ? [{ name: 'return_indices', default: bool(false) }] : [])];
  if (kind === 'MaxPool1d') return [{ name: 'kernel_size' }, { name: 'stride', default: { kind: 'none' } }, { name: 'padding', default: int(0) }, { name: 'dilation', default: int(1) }, { name: 'return_indices', default: bool(false) }, { name: 'ceil_mode', default: bool(false) }];
  return [{ name: 'kernel_size' }, { name: 'stride', default: { kind: 'none' } }, { name: 'padding', default: int(0) }, { name: 'ceil_mode', default: bool(false) }, { name: 'count_include_pad', default: bool(true) }];
}

function hover(layer: LayerDesc): string {
  if (layer.kind !== 'Conv1d') return `**nn.${layer.kind}** — pools along the length: (batch, channels, length) → (batch, channels, length′). Text data (batch, seq, embed) must be permuted to (batch, embed, seq) first.`;
  const i = argInt(layer, 'in_channels');
  const o = argInt(layer, 'out_channels');
  const w = windowArgs(layer);
  return [
    '**nn.Conv1d** — convolves along the last axis: channels come second',
    '',
    '```',
    `input (batch, ${i ?? 'in_channels'}, length) → output (batch, ${o ?? 'out_channels'}, length′)`,
    '```',
    '',
    `length′ = ⌊(length + 2·${w.padding ?? 'padding'} − ${w.dilation ?? 'dilation'}·(${w.kernel ?? 'kernel_size'} − 1) − 1) / ${w.stride ?? 'stride'}⌋ + 1`,
    '',
    '**Common mistakes**',
    `- Embeddings are (batch, seq, ${i ?? 'embed'}): permute them to (batch, ${i ?? 'embed'}, seq) with \`x.permute(0, 2, 1)\` before the convolution.`,
    `- Before an RNN, permute back: \`x.permute(0, 2, 1)\` gives (batch, length′, ${o ?? 'out_channels'}).`,
  ].join('\n');
}

export const torchConvolution: LayerFamily = {
  framework: 'torch',
  kinds: ['Conv1d', 'MaxPool1d', 'AvgPool1d', 'AdaptiveAvgPool1d', 'AdaptiveMaxPool1d'],
  params,
  apply,
  hover,
};
