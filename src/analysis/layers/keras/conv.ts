// keras.layers.Conv1D, MaxPooling1D / AveragePooling1D and the global 1-D poolings, channels-last by default:
// (batch, steps, channels) → (batch, new_steps, filters). The length rule is Keras' conv_output_length
// (keras/utils/conv_utils.py, the same in tf.keras 2.x and Keras 3; tfjs-layers' convOutputLength):
//   dilated = (kernel - 1) * dilation + 1
//   'same' / 'causal': steps; 'valid': steps - dilated + 1; 'full': steps + dilated - 1
//   then ceil(length / stride).
// A length below 1 is what TensorFlow refuses ("Negative dimension size caused by subtracting 5 from 3"): it stays
// unknown here and SL217 reports it.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argFlag, argInt, argValue } from '../layer';
import { kerasTensor } from './dims';

export const CONV_1D = ['Conv1D', 'Convolution1D'];
export const POOLING_1D = ['MaxPooling1D', 'AveragePooling1D', 'MaxPool1D', 'AvgPool1D'];
export const GLOBAL_POOLING_1D = ['GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPool1D', 'GlobalAvgPool1D'];

/** What a 1-D convolution or pooling slides over its steps. */
export interface Window1D {
  kernel: number | undefined;
  stride: number;
  dilation: number;
  padding: string;
  channelsFirst: boolean;
}

function firstInt(v: Value): number | undefined {
  return v.kind === 'tuple' || v.kind === 'list' ? (v.items.length === 1 ? intValue(v.items[0]) : undefined) : intValue(v);
}

/** Keras 1 spelled them Convolution1D(nb_filter, filter_length, border_mode=, subsample_length=), MaxPooling1D(pool_length, stride). */
const KERAS_1: Record<string, string[]> = {
  filters: ['nb_filter'],
  kernel_size: ['filter_length'],
  padding: ['border_mode'],
  strides: ['subsample_length', 'stride'],
  pool_size: ['pool_length'],
};

/** The argument under its Keras 2 name or its Keras 1 one. */
function named(layer: LayerDesc, name: string): string | undefined {
  return [name, ...(KERAS_1[name] ?? [])].find((n) => layer.args.has(n));
}

function arg(layer: LayerDesc, name: string): Value {
  const n = named(layer, name);
  return n ? argValue(layer, n) : argValue(layer, name);
}

function str(layer: LayerDesc, name: string, fallback: string): string {
  const v = arg(layer, name);
  return v.kind === 'str' ? v.value.toLowerCase() : fallback;
}

export function windowOf(layer: LayerDesc): Window1D {
  const pooling = POOLING_1D.includes(layer.kind);
  const kernel = pooling ? (arg(layer, 'pool_size').kind === 'none' || !named(layer, 'pool_size') ? 2 : firstInt(arg(layer, 'pool_size'))) : firstInt(arg(layer, 'kernel_size'));
  const strideArg = arg(layer, 'strides');
  const stride = strideArg.kind === 'none' || !named(layer, 'strides') ? (pooling ? kernel ?? 0 : 1) : firstInt(strideArg) ?? 0;
  const dilation = pooling || !layer.args.has('dilation_rate') ? 1 : firstInt(argValue(layer, 'dilation_rate')) ?? 0;
  return { kernel, stride, dilation, padding: str(layer, 'padding', 'valid'), channelsFirst: str(layer, 'data_format', 'channels_last') === 'channels_first' };
}

/** The steps a window leaves, as Keras computes them; undefined when an argument is not known. */
export function windowLength(steps: number, w: Window1D): number | undefined {
  if (w.kernel === undefined || w.stride < 1 || w.dilation < 1) return undefined;
  const dilated = (w.kernel - 1) * w.dilation + 1;
  let length: number;
  if (w.padding === 'same' || w.padding === 'causal') length = steps;
  else if (w.padding === 'valid') length = steps - dilated + 1;
  else if (w.padding === 'full') length = steps + dilated - 1;
  else return undefined;
  return Math.floor((length + w.stride - 1) / w.stride);
}

/** The dilated kernel that does not fit in the steps it is given ('valid' padding only), if any. */
export function tooShort(steps: Dim, w: Window1D): { steps: number; dilated: number } | undefined {
  if (steps.kind !== 'int' || w.kernel === undefined || w.padding !== 'valid' || w.dilation < 1) return undefined;
  const dilated = (w.kernel - 1) * w.dilation + 1;
  return steps.value < dilated ? { steps: steps.value, dilated } : undefined;
}

/** The steps after a window, as a dimension: unknown where the window leaves none or its arguments are not known. */
export function stepsDim(steps: Dim, w: Window1D, ctx: ApplyContext): Dim {
  if (steps.kind === 'int') {
    const n = windowLength(steps.value, w);
    return n !== undefined && n >= 1 ? intDim(n, { origin: ctx.origin }) : UNKNOWN_DIM;
  }
  // An unknown length (None) stays unknown; 'same' with stride 1 keeps the very same length.
  if ((w.padding === 'same' || w.padding === 'causal') && w.stride === 1) return steps;
  return steps.kind === 'sym' && steps.name === 'None' ? steps : UNKNOWN_DIM;
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input: TensorValue | undefined = args[0]?.kind === 'tensor' ? args[0] : undefined;
  if (!input) return UNKNOWN;
  const out = (dims: Dim[] | undefined) => kerasTensor(dims ? shapeOf(dims) : UNKNOWN_SHAPE, ctx.origin);
  if (!input.shape.rankKnown) return out(undefined);
  const dims = input.shape.dims;
  const channelsFirst = str(layer, 'data_format', 'channels_last') === 'channels_first';
  if (GLOBAL_POOLING_1D.includes(layer.kind)) {
    if (dims.length !== 3) return out(undefined);
    const keep = argFlag(layer, 'keepdims');
    if (keep === undefined) return out(undefined);
    const channels = channelsFirst ? dims[1] : dims[2];
    if (keep) return out(channelsFirst ? [dims[0], channels, intDim(1)] : [dims[0], intDim(1), channels]);
    return out([dims[0], channels]);
  }
  const w = windowOf(layer);
  if (POOLING_1D.includes(layer.kind)) {
    if (dims.length !== 3) return out(undefined);
    return channelsFirst ? out([dims[0], dims[1], stepsDim(dims[2], w, ctx)]) : out([dims[0], stepsDim(dims[1], w, ctx), dims[2]]);
  }
  // Conv1D: the batch axes (tf.keras 2.x and Keras 3 take extra leading ones), steps and channels.
  if (dims.length < 3) return out(undefined);
  const lead = dims.slice(0, dims.length - 2);
  const filters = argDim(layer, named(layer, 'filters') ?? 'filters', 'feature');
  return channelsFirst ? out([...lead, filters, stepsDim(dims[dims.length - 1], w, ctx)]) : out([...lead, stepsDim(dims[dims.length - 2], w, ctx), filters]);
}

const POOL_PARAMS = ['pool_size', 'strides', 'padding', 'data_format'];
const PARAMS: Record<string, string[]> = {
  Conv1D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation'],
  Convolution1D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation'],
  ...Object.fromEntries(POOLING_1D.map((k) => [k, POOL_PARAMS])),
  ...Object.fromEntries(GLOBAL_POOLING_1D.map((k) => [k, ['data_format', 'keepdims']])),
};

function hover(layer: LayerDesc): string {
  if (GLOBAL_POOLING_1D.includes(layer.kind)) {
    return `**layers.${layer.kind}** — \`(None, steps, channels)\` → \`(None, channels)\`: the time axis is gone (keepdims=True keeps it as 1). A recurrent layer after it gets 2-D input.`;
  }
  const w = windowOf(layer);
  if (POOLING_1D.includes(layer.kind)) {
    return `**layers.${layer.kind}** — \`pool_size=${w.kernel ?? '?'}\`, \`strides=${w.stride || '?'}\`, \`padding='${w.padding}'\`: \`(None, steps, channels)\` → \`(None, ${w.padding === 'same' ? `ceil(steps / ${w.stride || '?'})` : `(steps - ${w.kernel ?? '?'}) // ${w.stride || '?'} + 1`}, channels)\`.`;
  }
  const dilated = w.kernel !== undefined ? (w.kernel - 1) * w.dilation + 1 : undefined;
  const length = w.padding === 'same' || w.padding === 'causal' ? `ceil(steps / ${w.stride})` : `(steps - ${dilated ?? '?'}) // ${w.stride} + 1`;
  return [
    `**layers.Conv1D** — \`filters=${argInt(layer, 'filters') ?? '?'}\`, \`kernel_size=${w.kernel ?? '?'}\`, \`strides=${w.stride}\`, \`dilation_rate=${w.dilation}\`, \`padding='${w.padding}'\``,
    '',
    '```',
    w.channelsFirst ? `(None, channels, steps) → (None, filters, ${length})` : `(None, steps, channels) → (None, ${length}, filters)`,
    '```',
    '',
    "Channels last, unlike PyTorch's `nn.Conv1d`: after an `Embedding` the output goes straight in, no permute. `'causal'` pads on the left only and keeps the length.",
  ].join('\n');
}

export const kerasConv: LayerFamily = {
  framework: 'keras',
  kinds: [...CONV_1D, ...POOLING_1D, ...GLOBAL_POOLING_1D],
  params: (kind) => (PARAMS[kind] ?? []).map((name) => ({ name })),
  apply,
  hover,
};
