// Dense, Dropout, Flatten, pooling, Reshape, RepeatVector, Masking, Conv1D and the other Keras layers
// that sit around a recurrent one.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf, withLast } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argInt, argValue } from '../layer';
import { kerasTensor, noneDim } from './dims';

/** Element-wise merges of a list of tensors of one shape. */
export const MERGE = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'];

const SAME = ['Dropout', 'SpatialDropout1D', 'Masking', 'Activation', 'LayerNormalization', 'BatchNormalization', 'GaussianNoise', 'ReLU', 'Softmax', 'LeakyReLU'];

function tensorIn(args: Value[]): TensorValue | undefined {
  return args[0]?.kind === 'tensor' ? args[0] : undefined;
}

function product(dims: Dim[]): Dim {
  return dims.every((d) => d.kind === 'int') ? intDim(dims.reduce((p, d) => p * (d.kind === 'int' ? d.value : 1), 1)) : UNKNOWN_DIM;
}

function convLength(length: Dim, kernel: number | undefined, stride: number, padding: string): Dim {
  if (length.kind !== 'int' || kernel === undefined) return length.kind === 'int' ? UNKNOWN_DIM : length;
  if (padding === 'same') return intDim(Math.ceil(length.value / stride));
  return intDim(Math.floor((length.value - kernel) / stride) + 1);
}

function firstInt(v: Value): number | undefined {
  return v.kind === 'tuple' || v.kind === 'list' ? intValue(v.items[0]) : intValue(v);
}

function str(layer: LayerDesc, name: string, fallback: string): string {
  const v = argValue(layer, name);
  return v.kind === 'str' ? v.value : fallback;
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = tensorIn(args);
  const out = (shape: TensorValue['shape']) => kerasTensor(shape, ctx.origin);
  if (layer.kind === 'Concatenate' || MERGE.includes(layer.kind)) {
    const items = args[0]?.kind === 'list' || args[0]?.kind === 'tuple' ? args[0].items : [];
    const tensors = items.filter((v): v is TensorValue => v.kind === 'tensor');
    if (tensors.length !== items.length || !tensors.length || !tensors.every((t) => t.shape.rankKnown && t.shape.dims.length === tensors[0].shape.dims.length)) return out(UNKNOWN_SHAPE);
    // A merge of per-step outputs is still per step.
    const seqFrom = tensors.find((t) => t.seqFrom)?.seqFrom;
    if (layer.kind !== 'Concatenate') {
      // Add, Multiply, …: element-wise over inputs of one shape.
      return { ...out(tensors[0].shape), seqFrom };
    }
    const axis = intValue(argValue(layer, 'axis'));
    const rank = tensors[0].shape.dims.length;
    if (axis !== undefined && axis !== -1 && axis !== rank - 1) return out(UNKNOWN_SHAPE);
    const lasts = tensors.map((t) => t.shape.dims[t.shape.dims.length - 1]);
    const total = lasts.every((d) => d.kind === 'int') ? intDim(lasts.reduce((s, d) => s + (d.kind === 'int' ? d.value : 0), 0)) : UNKNOWN_DIM;
    return { ...out(withLast(tensors[0].shape, total)), seqFrom };
  }
  if (!input) return UNKNOWN;
  const shape = input.shape;
  const dims = shape.dims;
  switch (layer.kind) {
    case 'Dense':
      // Still one output per step when the input was a sequence.
      return { ...out(withLast(shape, argDim(layer, 'units', 'feature'))), seqFrom: input.seqFrom };
    case 'Flatten':
      return shape.rankKnown ? out(shapeOf([dims[0] ?? noneDim('batch'), product(dims.slice(1))])) : out(UNKNOWN_SHAPE);
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPool1D':
    case 'GlobalAvgPool1D':
      return shape.rankKnown && dims.length === 3 ? out(shapeOf([dims[0], dims[2]])) : out(UNKNOWN_SHAPE);
    case 'RepeatVector': {
      const n = argDim(layer, 'n', 'time');
      return shape.rankKnown && dims.length === 2 ? out(shapeOf([dims[0], n, dims[1]])) : out(UNKNOWN_SHAPE);
    }
    case 'Reshape': {
      const target = argValue(layer, 'target_shape');
      if (target.kind !== 'tuple' && target.kind !== 'list') return out(UNKNOWN_SHAPE);
      const wanted = target.items.map((v) => intValue(v));
      if (wanted.some((n) => n === undefined)) return out(UNKNOWN_SHAPE);
      const total = shape.rankKnown ? product(dims.slice(1)) : UNKNOWN_DIM;
      const known = (wanted as number[]).filter((n) => n !== -1).reduce((p, n) => p * n, 1);
      const resolved = (wanted as number[]).map((n) => (n === -1 ? (total.kind === 'int' && known > 0 && total.value % known === 0 ? intDim(total.value / known) : UNKNOWN_DIM) : intDim(n)));
      return out(shapeOf([shape.rankKnown ? dims[0] : noneDim('batch'), ...resolved]));
    }
    case 'Conv1D': {
      if (!shape.rankKnown || dims.length !== 3) return out(UNKNOWN_SHAPE);
      const kernel = firstInt(argValue(layer, 'kernel_size'));
      const stride = firstInt(argValue(layer, 'strides')) ?? 1;
      return out(shapeOf([dims[0], convLength(dims[1], kernel, stride, str(layer, 'padding', 'valid')), argDim(layer, 'filters', 'feature')]));
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'MaxPool1D':
    case 'AvgPool1D': {
      if (!shape.rankKnown || dims.length !== 3) return out(UNKNOWN_SHAPE);
      const pool = firstInt(argValue(layer, 'pool_size')) ?? 2;
      const stride = firstInt(argValue(layer, 'strides')) ?? pool;
      return out(shapeOf([dims[0], convLength(dims[1], pool, stride, str(layer, 'padding', 'valid')), dims[2]]));
    }
    default:
      return SAME.includes(layer.kind) ? { ...input, origin: ctx.origin } : UNKNOWN;
  }
}

const PARAMS: Record<string, string[]> = {
  Dense: ['units', 'activation'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  RepeatVector: ['n'],
  Reshape: ['target_shape'],
  Conv1D: ['filters', 'kernel_size', 'strides', 'padding'],
  MaxPooling1D: ['pool_size', 'strides', 'padding'],
  AveragePooling1D: ['pool_size', 'strides', 'padding'],
  MaxPool1D: ['pool_size', 'strides', 'padding'],
  AvgPool1D: ['pool_size', 'strides', 'padding'],
  Activation: ['activation'],
  Masking: ['mask_value'],
  Concatenate: ['axis'],
};

export const kerasCore: LayerFamily = {
  framework: 'keras',
  kinds: [...SAME, 'Dense', 'Flatten', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPool1D', 'GlobalAvgPool1D', 'RepeatVector', 'Reshape', 'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'MaxPool1D', 'AvgPool1D', 'Concatenate', ...MERGE],
  params: (kind) => (PARAMS[kind] ?? []).map((name) => ({ name })),
  apply,
  hover: (layer) => layer.kind === 'Dense'
    ? `**layers.Dense** — \`units=${argInt(layer, 'units') ?? '?'}\`: applied to the last axis; on a 3-D input (None, timesteps, features) it is applied at every step and the output stays 3-D.`
    : `**layers.${layer.kind}**`,
};
