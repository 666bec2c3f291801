// keras.layers' 2-D image layers that sit in front of a recurrent one (CNN + LSTM, CRNN, TimeDistributed(Conv2D)):
// Conv2D, SeparableConv2D, DepthwiseConv2D, Conv2DTranspose, the 2-D poolings and global poolings, UpSampling2D,
// ZeroPadding2D, Cropping2D, and the image layers that keep their input's shape (Rescaling, the Random* ones).
//
// Each spatial axis follows Keras' keras/utils/conv_utils.py (tf.keras 2.x and Keras 3; tfjs-layers ports it):
//   conv_output_length:   dilated = (kernel - 1) * dilation + 1;
//                         'same': n; 'valid': n - dilated + 1; then ceil(length / stride)
//   deconv_output_length: without output_padding, 'valid': n * stride + max(dilated - stride, 0),
//                         'same': n * stride; with it, (n - 1) * stride + dilated - 2 * pad + output_padding,
//                         pad = dilated // 2 for 'same', 0 for 'valid'.
//
// Where the channels are is the layer's data_format, else Keras 1's dim_ordering ('th' is channels first), else the
// backend's image_data_format(), which is 'channels_last' unless keras.json or set_image_data_format() says
// otherwise. A file that changes it (set_image_data_format, set_image_dim_ordering, image_dim_ordering) and a layer
// written in Keras 1's spelling (whose default ordering was keras.json's, 'th' in Theano's days) have no known
// layout: the output keeps its rank and batch, and the other sizes are unknown. So does a Conv2D given three
// positional ints (`Conv2D(32, 3, 3)`): standalone Keras 2 reads them as a 3×3 kernel, tf.keras as strides of 3.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argFlag, argInt, argValue } from '../layer';
import { stepsDim } from './conv';
import { kerasTensor } from './dims';

export const CONV_2D = ['Conv2D', 'Convolution2D'];
const SEPARABLE_2D = ['SeparableConv2D', 'SeparableConvolution2D'];
const DEPTHWISE_2D = ['DepthwiseConv2D'];
const TRANSPOSE_2D = ['Conv2DTranspose', 'Convolution2DTranspose'];
const POOLING_2D = ['MaxPooling2D', 'AveragePooling2D', 'MaxPool2D', 'AvgPool2D'];
const GLOBAL_POOLING_2D = ['GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAvgPool2D', 'GlobalMaxPool2D'];
const RESIZING_2D = ['UpSampling2D', 'ZeroPadding2D', 'Cropping2D'];
/** A convolutional LSTM over (batch, steps, rows, cols, channels); not one of the recurrent family's layers, whose rules read 3-D input. */
const CONV_LSTM_2D = ['ConvLSTM2D'];
/** Image layers whose output has their input's shape (preprocessing, spatial dropout, augmentation). */
const SAME_SHAPE = ['SpatialDropout2D', 'Rescaling', 'Normalization', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization', 'PReLU', 'ELU', 'ThresholdedReLU'];

/** Keras 1's names for the same arguments. */
const KERAS_1_ARGS = ['nb_filter', 'nb_row', 'nb_col', 'border_mode', 'subsample', 'dim_ordering'];
const KERAS_1_ALIASES: Record<string, string> = { padding: 'border_mode', strides: 'subsample', filters: 'nb_filter' };

/** The file's source says the backend's image layout may not be the default one. */
export const CHANGES_IMAGE_FORMAT = /set_image_data_format|set_image_dim_ordering|image_dim_ordering\s*\(/;

type Layout = 'last' | 'first' | undefined;

function arg(layer: LayerDesc, name: string): Value {
  if (layer.args.has(name)) return argValue(layer, name);
  const old = KERAS_1_ALIASES[name];
  return old && layer.args.has(old) ? argValue(layer, old) : UNKNOWN;
}

function given(layer: LayerDesc, name: string): boolean {
  return layer.args.has(name) || (KERAS_1_ALIASES[name] !== undefined && layer.args.has(KERAS_1_ALIASES[name]));
}

/** `3` → [3, 3]; `(3, 5)` → [3, 5]; anything else undefined. */
function pair(v: Value): [number, number] | undefined {
  const n = intValue(v);
  if (n !== undefined) return [n, n];
  if ((v.kind === 'tuple' || v.kind === 'list') && v.items.length === 2) {
    const a = intValue(v.items[0]);
    const b = intValue(v.items[1]);
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  }
  return undefined;
}

/** `1` → [[1, 1], [1, 1]]; `(1, 2)` → [[1, 1], [2, 2]]; `((1, 2), (3, 4))` → as written. */
function margins(v: Value): [[number, number], [number, number]] | undefined {
  const both = pair(v);
  if (both) return [[both[0], both[0]], [both[1], both[1]]];
  if ((v.kind === 'tuple' || v.kind === 'list') && v.items.length === 2) {
    const rows = pair(v.items[0]);
    const cols = pair(v.items[1]);
    const explicit = (x: Value) => x.kind === 'tuple' || x.kind === 'list';
    if (rows && cols && explicit(v.items[0]) && explicit(v.items[1])) return [rows, cols];
  }
  return undefined;
}

/** Written in Keras 1's spelling (or the three-int form that two Kerases read differently). */
function keras1(layer: LayerDesc): boolean {
  if (KERAS_1_ARGS.some((n) => layer.args.has(n))) return true;
  const strides = layer.args.get('strides');
  return (CONV_2D.includes(layer.kind) || SEPARABLE_2D.includes(layer.kind)) && strides !== undefined && !strides.keyword && intValue(strides.value) !== undefined && intValue(argValue(layer, 'kernel_size')) !== undefined;
}

function layout(layer: LayerDesc, ctx: ApplyContext): Layout {
  if (layer.args.has('data_format')) {
    const v = argValue(layer, 'data_format');
    if (v.kind === 'none') return defaultLayout(layer, ctx);
    return v.kind === 'str' ? (v.value === 'channels_first' ? 'first' : v.value === 'channels_last' ? 'last' : undefined) : undefined;
  }
  if (layer.args.has('dim_ordering')) {
    const v = argValue(layer, 'dim_ordering');
    return v.kind === 'str' ? (v.value === 'th' ? 'first' : v.value === 'tf' ? 'last' : undefined) : undefined;
  }
  return defaultLayout(layer, ctx);
}

function defaultLayout(layer: LayerDesc, ctx: ApplyContext): Layout {
  if (keras1(layer)) return undefined;
  return ctx.source && CHANGES_IMAGE_FORMAT.test(ctx.source) ? undefined : 'last';
}

interface Window2D {
  kernel: [number, number] | undefined;
  strides: [number, number] | undefined;
  dilation: [number, number] | undefined;
  padding: string;
}

function windowOf(layer: LayerDesc): Window2D {
  const pooling = POOLING_2D.includes(layer.kind);
  const kernel = pooling ? (given(layer, 'pool_size') ? pair(arg(layer, 'pool_size')) : [2, 2]) : kernelOf(layer);
  // Keras 1's third positional int is the kernel's columns (nb_col), and its strides are subsample=.
  const legacy = keras1Columns(layer) !== undefined;
  const written = legacy ? layer.args.has('subsample') : given(layer, 'strides');
  const strideArg = legacy ? argValue(layer, 'subsample') : arg(layer, 'strides');
  const strides = !written || strideArg.kind === 'none' ? (pooling ? kernel : [1, 1]) : pair(strideArg);
  const dilation: [number, number] | undefined = pooling || !layer.args.has('dilation_rate') ? [1, 1] : pair(argValue(layer, 'dilation_rate'));
  const padding = arg(layer, 'padding');
  return { kernel: kernel as [number, number] | undefined, strides: strides as [number, number] | undefined, dilation, padding: !given(layer, 'padding') ? 'valid' : padding.kind === 'str' ? padding.value.toLowerCase() : '?' };
}

function kernelOf(layer: LayerDesc): [number, number] | undefined {
  // Keras 1: Convolution2D(nb_filter, nb_row, nb_col); nb_row/nb_col as keywords too.
  const row = intValue(argValue(layer, 'nb_row'));
  const col = intValue(argValue(layer, 'nb_col'));
  if (row !== undefined && col !== undefined) return [row, col];
  const columns = keras1Columns(layer);
  const size = argValue(layer, 'kernel_size');
  if (columns !== undefined && intValue(size) !== undefined) return [intValue(size)!, columns];
  return pair(size);
}

/**
 * `Convolution2D(8, 3, 3, border_mode='same')`: a layer in Keras 1's spelling given a third positional int means
 * nb_col (the parameters bind it as strides). Undefined otherwise.
 */
function keras1Columns(layer: LayerDesc): number | undefined {
  const third = layer.args.get('strides');
  if (!third || third.keyword || !KERAS_1_ARGS.some((n) => layer.args.has(n))) return undefined;
  return intValue(third.value);
}

/** One spatial axis through a convolution or pooling window: conv.ts' rule for the steps of a 1-D window. */
function convAxis(n: Dim, kernel: number, stride: number, dilation: number, padding: string, ctx: ApplyContext): Dim {
  if (stride < 1 || dilation < 1 || kernel < 1) return UNKNOWN_DIM;
  return stepsDim(n, { kernel, stride, dilation, padding, channelsFirst: false }, ctx);
}

function deconvAxis(n: Dim, kernel: number, stride: number, dilation: number, padding: string, outputPadding: number | undefined, ctx: ApplyContext): Dim {
  if (stride < 1 || dilation < 1 || kernel < 1) return UNKNOWN_DIM;
  if (n.kind !== 'int') return n.kind === 'sym' && n.name === 'None' ? n : UNKNOWN_DIM;
  const dilated = (kernel - 1) * dilation + 1;
  let length: number | undefined;
  if (outputPadding === undefined) {
    length = padding === 'valid' ? n.value * stride + Math.max(dilated - stride, 0) : padding === 'same' ? n.value * stride : undefined;
  } else {
    const pad = padding === 'same' ? Math.floor(dilated / 2) : padding === 'valid' ? 0 : undefined;
    length = pad === undefined ? undefined : (n.value - 1) * stride + dilated - 2 * pad + outputPadding;
  }
  return length !== undefined && length >= 1 ? intDim(length, { origin: ctx.origin }) : UNKNOWN_DIM;
}

function scaled(n: Dim, by: number, plus: number, ctx: ApplyContext): Dim {
  if (n.kind !== 'int') return by === 1 && plus === 0 ? n : n.kind === 'sym' && n.name === 'None' ? n : UNKNOWN_DIM;
  const length = n.value * by + plus;
  return length >= 1 ? intDim(length, { origin: ctx.origin }) : UNKNOWN_DIM;
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input: TensorValue | undefined = args[0]?.kind === 'tensor' ? args[0] : undefined;
  if (!input) return UNKNOWN;
  if (SAME_SHAPE.includes(layer.kind)) {
    const float = layer.kind === 'Rescaling' || layer.kind === 'Normalization';
    return { ...input, origin: ctx.origin, ...(float ? { dtype: 'float' as const } : {}) };
  }
  const out = (dims: Dim[] | undefined) => kerasTensor(dims ? shapeOf(dims) : UNKNOWN_SHAPE, ctx.origin);
  if (CONV_LSTM_2D.includes(layer.kind)) return convLstm(layer, input, ctx);
  if (!input.shape.rankKnown) return out(undefined);
  const dims = input.shape.dims;
  // The convolutions take extra leading batch axes in tf.keras 2.x; the others want exactly (batch, rows, cols, channels).
  const convolution = CONV_2D.includes(layer.kind) || SEPARABLE_2D.includes(layer.kind) || DEPTHWISE_2D.includes(layer.kind) || TRANSPOSE_2D.includes(layer.kind);
  if (convolution ? dims.length < 4 : dims.length !== 4) return out(undefined);
  const lead = dims.slice(0, dims.length - 3);
  const where = layout(layer, ctx);
  if (GLOBAL_POOLING_2D.includes(layer.kind)) {
    // Both spatial axes go, or stay as 1s with keepdims=True; the channels are known only with the layout.
    const keep = argFlag(layer, 'keepdims');
    if (keep === undefined) return out(undefined);
    const channels = where === 'last' ? dims[3] : where === 'first' ? dims[1] : UNKNOWN_DIM;
    if (!keep) return out([...lead, channels]);
    if (where === undefined) return out([...lead, UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM]);
    return out(where === 'last' ? [...lead, intDim(1), intDim(1), channels] : [...lead, channels, intDim(1), intDim(1)]);
  }
  if (where === undefined) return out([...lead, UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM]);
  const [rows, cols, channels] = where === 'last' ? dims.slice(-3) : [dims[dims.length - 2], dims[dims.length - 1], dims[dims.length - 3]];
  const assemble = (r: Dim, c: Dim, ch: Dim) => out(where === 'last' ? [...lead, r, c, ch] : [...lead, ch, r, c]);

  if (layer.kind === 'UpSampling2D') {
    const size = layer.args.has('size') ? pair(argValue(layer, 'size')) : [2, 2];
    if (!size) return assemble(UNKNOWN_DIM, UNKNOWN_DIM, channels);
    return assemble(scaled(rows, size[0], 0, ctx), scaled(cols, size[1], 0, ctx), channels);
  }
  if (layer.kind === 'ZeroPadding2D' || layer.kind === 'Cropping2D') {
    const name = layer.kind === 'ZeroPadding2D' ? 'padding' : 'cropping';
    const m = layer.args.has(name) ? margins(argValue(layer, name)) : layer.kind === 'ZeroPadding2D' ? [[1, 1], [1, 1]] as [[number, number], [number, number]] : [[0, 0], [0, 0]] as [[number, number], [number, number]];
    if (!m) return assemble(UNKNOWN_DIM, UNKNOWN_DIM, channels);
    const sign = layer.kind === 'ZeroPadding2D' ? 1 : -1;
    return assemble(scaled(rows, 1, sign * (m[0][0] + m[0][1]), ctx), scaled(cols, 1, sign * (m[1][0] + m[1][1]), ctx), channels);
  }

  const w = windowOf(layer);
  let outChannels: Dim = channels;
  if (DEPTHWISE_2D.includes(layer.kind)) {
    const multiplier = layer.args.has('depth_multiplier') ? argInt(layer, 'depth_multiplier') : 1;
    outChannels = multiplier === undefined ? UNKNOWN_DIM : scaled(channels, multiplier, 0, ctx);
  } else if (!POOLING_2D.includes(layer.kind)) {
    outChannels = given(layer, 'filters') ? argDim(layer, layer.args.has('filters') ? 'filters' : 'nb_filter', 'feature') : UNKNOWN_DIM;
  }
  if (!w.kernel || !w.strides || !w.dilation || (w.padding !== 'valid' && w.padding !== 'same')) return assemble(UNKNOWN_DIM, UNKNOWN_DIM, outChannels);
  const [k, s, d] = [w.kernel, w.strides, w.dilation];
  if (TRANSPOSE_2D.includes(layer.kind)) {
    const padArg = layer.args.has('output_padding') ? argValue(layer, 'output_padding') : { kind: 'none' as const };
    const op = padArg.kind === 'none' ? undefined : pair(padArg);
    if (padArg.kind !== 'none' && !op) return assemble(UNKNOWN_DIM, UNKNOWN_DIM, outChannels);
    return assemble(deconvAxis(rows, k[0], s[0], d[0], w.padding, op?.[0], ctx), deconvAxis(cols, k[1], s[1], d[1], w.padding, op?.[1], ctx), outChannels);
  }
  return assemble(convAxis(rows, k[0], s[0], d[0], w.padding, ctx), convAxis(cols, k[1], s[1], d[1], w.padding, ctx), outChannels);
}

/**
 * ConvLSTM2D: each step's (rows, cols, channels) map through Conv2D's window; the output is the last step's
 * (batch, rows', cols', filters), or every step's with return_sequences=True, and with return_state=True the two
 * states, each shaped as one step's output.
 */
function convLstm(layer: LayerDesc, input: TensorValue, ctx: ApplyContext): Value {
  // Both default to False; one given a value not known leaves the output unknown.
  const everyStep = argFlag(layer, 'return_sequences');
  const withStates = argFlag(layer, 'return_state');
  if (everyStep === undefined || withStates === undefined) return UNKNOWN;
  const tensor = (dims: Dim[] | undefined) => kerasTensor(dims ? shapeOf(dims) : UNKNOWN_SHAPE, ctx.origin);
  const dims = input.shape.rankKnown ? input.shape.dims : undefined;
  let step: Dim[] | undefined;
  let time: Dim = UNKNOWN_DIM;
  if (dims && dims.length === 5) {
    const [batch, steps] = dims;
    time = steps;
    const where = layout(layer, ctx);
    const w = windowOf(layer);
    const filters = argDim(layer, 'filters', 'feature');
    if (where === undefined || !w.kernel || !w.strides || !w.dilation || (w.padding !== 'valid' && w.padding !== 'same')) {
      step = [batch, UNKNOWN_DIM, UNKNOWN_DIM, where === 'last' ? filters : UNKNOWN_DIM];
    } else {
      const [rows, cols] = where === 'last' ? [dims[2], dims[3]] : [dims[3], dims[4]];
      const r = convAxis(rows, w.kernel[0], w.strides[0], w.dilation[0], w.padding, ctx);
      const c = convAxis(cols, w.kernel[1], w.strides[1], w.dilation[1], w.padding, ctx);
      step = where === 'last' ? [batch, r, c, filters] : [batch, filters, r, c];
    }
  }
  const output = everyStep ? tensor(step ? [step[0], time, ...step.slice(1)] : undefined) : tensor(step);
  return withStates ? { kind: 'list', items: [output, tensor(step), tensor(step)] } : output;
}

const CONV_PARAMS = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate'];
const POOL_PARAMS = ['pool_size', 'strides', 'padding', 'data_format'];
const PARAMS: Record<string, string[]> = {
  ...Object.fromEntries(CONV_2D.map((k) => [k, CONV_PARAMS])),
  ...Object.fromEntries(SEPARABLE_2D.map((k) => [k, CONV_PARAMS])),
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate'],
  ...Object.fromEntries(TRANSPOSE_2D.map((k) => [k, ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate']])),
  ...Object.fromEntries(POOLING_2D.map((k) => [k, POOL_PARAMS])),
  ...Object.fromEntries(GLOBAL_POOLING_2D.map((k) => [k, ['data_format', 'keepdims']])),
  UpSampling2D: ['size', 'data_format', 'interpolation'],
  ZeroPadding2D: ['padding', 'data_format'],
  Cropping2D: ['cropping', 'data_format'],
  SpatialDropout2D: ['rate'],
  Rescaling: ['scale', 'offset'],
  ConvLSTM2D: CONV_PARAMS,
};

function hover(layer: LayerDesc): string {
  const kind = `**layers.${layer.kind}**`;
  if (SAME_SHAPE.includes(layer.kind)) return `${kind} — the output has the input's shape.`;
  if (CONV_LSTM_2D.includes(layer.kind)) return `${kind} — \`(None, steps, rows, cols, channels)\` → \`(None, rows', cols', filters)\`, or \`(None, steps, rows', cols', filters)\` with return_sequences=True: each step's map goes through Conv2D's window. A second ConvLSTM2D after it needs return_sequences=True.`;
  if (GLOBAL_POOLING_2D.includes(layer.kind)) return `${kind} — \`(None, rows, cols, channels)\` → \`(None, channels)\`: both spatial axes are gone (keepdims=True keeps them as 1).`;
  if (RESIZING_2D.includes(layer.kind)) return `${kind} — \`(None, rows, cols, channels)\`: changes rows and cols, keeps the channels.`;
  const w = windowOf(layer);
  const two = (p: [number, number] | undefined) => (p ? `(${p[0]}, ${p[1]})` : '?');
  const what = POOLING_2D.includes(layer.kind) ? `pool_size=${two(w.kernel)}` : `${DEPTHWISE_2D.includes(layer.kind) ? '' : `filters=${argInt(layer, 'filters') ?? argInt(layer, 'nb_filter') ?? '?'}, `}kernel_size=${two(w.kernel)}`;
  return [
    `${kind} — \`${what}\`, \`strides=${two(w.strides)}\`, \`padding='${w.padding}'\``,
    '',
    '```',
    TRANSPOSE_2D.includes(layer.kind) ? '(None, rows, cols, channels) → (None, rows × strides, cols × strides, filters)   # padding=\'same\'' : "(None, rows, cols, channels) → (None, ceil(rows' / strides), ceil(cols' / strides), channels out)",
    '```',
    '',
    "Channels last unless data_format='channels_first' (or the backend's image_data_format() says otherwise), unlike PyTorch's `nn.Conv2d`. Before an LSTM the 4-D maps need a `Reshape` to (steps, features).",
  ].join('\n');
}

export const kerasConv2D: LayerFamily = {
  framework: 'keras',
  kinds: [...CONV_2D, ...CONV_LSTM_2D, ...SEPARABLE_2D, ...DEPTHWISE_2D, ...TRANSPOSE_2D, ...POOLING_2D, ...GLOBAL_POOLING_2D, ...RESIZING_2D, ...SAME_SHAPE],
  params: (kind) => (PARAMS[kind] ?? []).map((name) => ({ name })),
  apply,
  hover,
};
