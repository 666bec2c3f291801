// Dense, Dropout, Flatten, Reshape, RepeatVector, Masking, the merge layers and the other Keras layers
// that sit around a recurrent one.
import { Dim, UNKNOWN_DIM, intDim, knownProduct } from '../../shapes/dim';
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
  return dims.every((d) => d.kind === 'int') ? intDim(knownProduct(dims)) : UNKNOWN_DIM;
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
  if (layer.kind === 'Dot') return dot(layer, args, out);
  if (!input) return UNKNOWN;
  const shape = input.shape;
  const dims = shape.dims;
  switch (layer.kind) {
    case 'Dense':
      // Still one output per step when the input was a sequence.
      return { ...out(withLast(shape, argDim(layer, 'units', 'feature'))), seqFrom: input.seqFrom };
    case 'Flatten':
      return shape.rankKnown ? out(shapeOf([dims[0] ?? noneDim('batch'), product(dims.slice(1))])) : out(UNKNOWN_SHAPE);
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
    default:
      return SAME.includes(layer.kind) ? { ...input, origin: ctx.origin } : UNKNOWN;
  }
}

/**
 * Dot(axes)([a, b]): a batched dot product over one axis of each (Keras' batch_dot): a's other axes, then b's other
 * axes but the batch; a result with the batch axis alone gets a trailing axis of 1, as Keras gives (None, 1).
 */
function dot(layer: LayerDesc, args: Value[], out: (shape: TensorValue['shape']) => TensorValue): Value {
  const items = args[0]?.kind === 'list' || args[0]?.kind === 'tuple' ? args[0].items : [];
  const [a, b] = items;
  if (items.length !== 2 || a.kind !== 'tensor' || b.kind !== 'tensor' || !a.shape.rankKnown || !b.shape.rankKnown) return out(UNKNOWN_SHAPE);
  const given = argValue(layer, 'axes');
  const pair = given.kind === 'tuple' || given.kind === 'list' ? given.items.map(intValue) : [intValue(given), intValue(given)];
  if (pair.length !== 2 || pair[0] === undefined || pair[1] === undefined) return out(UNKNOWN_SHAPE);
  const ra = a.shape.dims.length;
  const rb = b.shape.dims.length;
  const ia = pair[0] < 0 ? pair[0] + ra : pair[0];
  const ib = pair[1] < 0 ? pair[1] + rb : pair[1];
  if (ia < 1 || ia >= ra || ib < 1 || ib >= rb) return out(UNKNOWN_SHAPE);
  const dims = [...a.shape.dims.filter((_, i) => i !== ia), ...b.shape.dims.filter((_, i) => i !== 0 && i !== ib)];
  return out(shapeOf(dims.length === 1 ? [...dims, intDim(1)] : dims));
}

const PARAMS: Record<string, string[]> = {
  Dot: ['axes', 'normalize'],
  Dense: ['units', 'activation'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  RepeatVector: ['n'],
  Reshape: ['target_shape'],
  Activation: ['activation'],
  Masking: ['mask_value'],
  Concatenate: ['axis'],
};

export const kerasCore: LayerFamily = {
  framework: 'keras',
  kinds: [...SAME, 'Dense', 'Flatten', 'RepeatVector', 'Reshape', 'Concatenate', 'Dot', ...MERGE],
  params: (kind) => (PARAMS[kind] ?? []).map((name) => ({ name })),
  apply,
  hover: (layer) => layer.kind === 'Dense'
    ? `**layers.Dense** — \`units=${argInt(layer, 'units') ?? '?'}\`: applied to the last axis; on a 3-D input (None, timesteps, features) it is applied at every step and the output stays 3-D.`
    : `**layers.${layer.kind}**`,
};
