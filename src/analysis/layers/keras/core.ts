// Dense, Dropout, Flatten, Reshape, Permute, RepeatVector, Masking, the merge layers and the other Keras layers
// that sit around a recurrent one.
import { Dim, UNKNOWN_DIM, exactProduct, intDim } from '../../shapes/dim';
import { broadcastClash } from '../../ops/broadcast';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf, withLast } from '../../shapes/shape';
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
  const n = exactProduct(dims);
  return n === undefined ? UNKNOWN_DIM : intDim(n);
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = tensorIn(args);
  const out = (shape: TensorValue['shape']) => kerasTensor(shape, ctx.origin);
  if (layer.kind === 'Concatenate' || MERGE.includes(layer.kind)) {
    const tensors = mergeInputs(args);
    if (!tensors || !tensors.every((t) => t.shape.rankKnown && t.shape.dims.length === tensors[0].shape.dims.length)) return out(UNKNOWN_SHAPE);
    // Inputs Keras refuses to merge (SL221 says why): nothing comes out.
    if (mergeMismatch(layer, tensors)) return out(UNKNOWN_SHAPE);
    // A merge of per-step outputs is still per step.
    const seqFrom = tensors.find((t) => t.seqFrom)?.seqFrom;
    if (layer.kind !== 'Concatenate') {
      // Add, Multiply, …: element-wise, an axis of size 1 broadcast to the other inputs' size on it.
      const dims = tensors[0].shape.dims.map((d, k) => {
        if (k === 0 || d.kind !== 'int' || d.value !== 1) return d;
        const others = tensors.map((t) => t.shape.dims[k]);
        return others.every((o) => o.kind === 'int') ? intDim(Math.max(...others.map((o) => (o.kind === 'int' ? o.value : 1)))) : UNKNOWN_DIM;
      });
      return { ...out(shapeOf(dims)), seqFrom };
    }
    const rank = tensors[0].shape.dims.length;
    const i = concatAxis(layer, rank);
    if (i === undefined) return out(UNKNOWN_SHAPE);
    // Keras' compute_output_shape: the first input's shape, the joined axis summed.
    const joined = tensors.map((t) => t.shape.dims[i]);
    const total = joined.every((d) => d.kind === 'int') ? intDim(joined.reduce((s, d) => s + (d.kind === 'int' ? d.value : 0), 0)) : UNKNOWN_DIM;
    return { ...out(shapeOf(tensors[0].shape.dims.map((d, k) => (k === i ? total : d)))), seqFrom };
  }
  if (layer.kind === 'Dot') return dot(layer, args, out);
  if (!input) return UNKNOWN;
  const shape = input.shape;
  const dims = shape.dims;
  switch (layer.kind) {
    case 'Dense':
      // Keras' Dense takes at least 2 axes (input_spec min_ndim=2) and raises on fewer.
      if (shape.rankKnown && dims.length < 2) return out(UNKNOWN_SHAPE);
      // Still one output per step when the input was a sequence.
      return { ...out(withLast(shape, argDim(layer, 'units', 'feature'))), seqFrom: input.seqFrom };
    case 'TimeDistributedDense':
      // Keras 0.x and 1's TimeDistributedDense(output_dim): a Dense at every step of a 3-D input (its input_spec
      // asks for exactly 3 axes), as TimeDistributed(Dense(output_dim)) does since Keras 1.
      if (!shape.rankKnown || dims.length !== 3) return out(UNKNOWN_SHAPE);
      return { ...out(withLast(shape, argDim(layer, 'output_dim', 'feature'))), seqFrom: input.seqFrom };
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
      // A target Keras refuses (SL223) gives no output: the model is not built past it.
      if (total.kind === 'int' && reshapeRefused(wanted as number[], total.value)) return out(UNKNOWN_SHAPE);
      const known = (wanted as number[]).filter((n) => n !== -1).reduce((p, n) => p * n, 1);
      const resolved = (wanted as number[]).map((n) => (n === -1 ? (total.kind === 'int' && known > 0 && total.value % known === 0 ? intDim(total.value / known) : UNKNOWN_DIM) : intDim(n)));
      return out(shapeOf([shape.rankKnown ? dims[0] : noneDim('batch'), ...resolved]));
    }
    case 'Permute': {
      const order = permutation(layer, dims.length);
      return shape.rankKnown && order ? out(shapeOf([dims[0], ...order.map((axis) => dims[axis])])) : out(UNKNOWN_SHAPE);
    }
    default:
      return SAME.includes(layer.kind) ? { ...input, origin: ctx.origin } : UNKNOWN;
  }
}

/**
 * What a Keras Reshape's target_shape asks for, given the number of values per sample it receives: the values the
 * target holds, and whether Keras refuses it. Keras (tf.keras 2.x's Reshape._fix_unknown_dimension, Keras 3's
 * compute_reshape_output_shape) refuses a target whose sizes multiply to another number than the input's values
 * after the batch, or, with one -1, whose other sizes do not divide that number. Undefined when the target is not
 * known size by size, holds a size below 1 other than one -1, or more than one -1 (another error, not claimed here).
 */
export function reshapeRefused(target: number[], total: number): { wanted: number; unknown: boolean } | undefined {
  const unknowns = target.filter((n) => n === -1).length;
  if (unknowns > 1 || target.some((n) => n !== -1 && n < 1)) return undefined;
  const wanted = target.filter((n) => n !== -1).reduce((p, n) => p * n, 1);
  const refused = unknowns === 1 ? total % wanted !== 0 : wanted !== total;
  return refused ? { wanted, unknown: unknowns === 1 } : undefined;
}

/**
 * Permute(dims)'s order of the axes after the batch, numbered from 1 (Keras' Permute.compute_output_shape gives
 * output axis i + 1 the input's axis dims[i]); undefined unless dims is a permutation of 1..rank-1 for an input of
 * `rank` axes (Keras refuses any other dims when the layer is made or called).
 */
function permutation(layer: LayerDesc, rank: number): number[] | undefined {
  const given = argValue(layer, 'dims');
  if (given.kind !== 'tuple' && given.kind !== 'list') return undefined;
  const order = given.items.map((v) => intValue(v));
  if (order.length !== rank - 1 || order.some((n) => n === undefined)) return undefined;
  const sorted = [...(order as number[])].sort((a, b) => a - b);
  return sorted.every((n, i) => n === i + 1) ? (order as number[]) : undefined;
}

/** The tensors a merge layer is called on, `layer([a, b])`; undefined when they are not all tensors. */
export function mergeInputs(args: Value[]): TensorValue[] | undefined {
  const items = args[0]?.kind === 'list' || args[0]?.kind === 'tuple' ? args[0].items : [];
  const tensors = items.filter((v): v is TensorValue => v.kind === 'tensor');
  return tensors.length && tensors.length === items.length ? tensors : undefined;
}

/** Concatenate's axis (default -1) as an index into inputs of `rank` axes; undefined when it is not known or is the batch. */
export function concatAxis(layer: LayerDesc, rank: number): number | undefined {
  const given = layer.args.get('axis');
  const axis = given ? intValue(given.value) : -1;
  if (axis === undefined) return undefined;
  const i = normaliseAxis(axis, rank);
  return i === undefined || i === 0 ? undefined : i;
}

/** Why Keras refuses to merge inputs when the layer is built. */
export type MergeMismatch =
  | { kind: 'rank' }
  /** Two inputs with other known sizes on an axis (counted with the batch) that must agree. */
  | { kind: 'size'; axis: number; sizes: [number, number]; inputs: [number, number] };

/**
 * Inputs a merge layer refuses, as tf.keras 2.x and Keras 3 check them when the layer is built; undefined when they
 * fit or may fit (an unknown size fits anything, the batch axis is not compared).
 * - Concatenate: the same number of axes, and the same size on every axis but the joined one ("A `Concatenate`
 *   layer requires inputs with matching shapes except for the concat axis"). Keras 3 lets a size of 1 pass the build,
 *   but concatenating then raises all the same.
 * - Add, Subtract, Multiply, Average, Maximum, Minimum: the shapes after the batch, lined up from their last axis,
 *   must broadcast: on each axis the sizes agree or one is 1 ("Operands could not be broadcast together with
 *   shapes"). Inputs of different ranks are allowed (the shorter one gains axes after the batch).
 */
export function mergeMismatch(layer: LayerDesc, tensors: TensorValue[]): MergeMismatch | undefined {
  if (tensors.length < 2 || !tensors.every((t) => t.shape.rankKnown)) return undefined;
  const size = (t: TensorValue, k: number): number | undefined => {
    const d = t.shape.dims[k];
    return d?.kind === 'int' ? d.value : undefined;
  };
  if (layer.kind === 'Concatenate') {
    const rank = tensors[0].shape.dims.length;
    if (tensors.some((t) => t.shape.dims.length !== rank)) return { kind: 'rank' };
    const i = concatAxis(layer, rank);
    if (i === undefined) return undefined;
    for (let k = 1; k < rank; k++) {
      if (k === i) continue;
      const first = tensors.findIndex((t) => size(t, k) !== undefined);
      if (first < 0) continue;
      const other = tensors.findIndex((t) => size(t, k) !== undefined && size(t, k) !== size(tensors[first], k));
      if (other >= 0) return { kind: 'size', axis: k, sizes: [size(tensors[first], k)!, size(tensors[other], k)!], inputs: [first, other] };
    }
    return undefined;
  }
  if (!MERGE.includes(layer.kind)) return undefined;
  // Pairwise against the first input, lined up from the last axis; the batch axis (0) is left out.
  const a = tensors[0];
  for (let n = 1; n < tensors.length; n++) {
    const b = tensors[n];
    const clash = broadcastClash(a.shape.dims.slice(1), b.shape.dims.slice(1));
    if (clash) return { kind: 'size', axis: Math.max(a.shape.dims.length, b.shape.dims.length) - clash.back, sizes: [clash.a.value, clash.b.value], inputs: [0, n] };
  }
  return undefined;
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
  TimeDistributedDense: ['output_dim', 'init', 'activation'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  RepeatVector: ['n'],
  Reshape: ['target_shape'],
  Permute: ['dims'],
  Activation: ['activation'],
  Masking: ['mask_value'],
  Concatenate: ['axis'],
};

export const kerasCore: LayerFamily = {
  framework: 'keras',
  kinds: [...SAME, 'Dense', 'TimeDistributedDense', 'Flatten', 'RepeatVector', 'Reshape', 'Permute', 'Concatenate', 'Dot', ...MERGE],
  params: (kind) => (PARAMS[kind] ?? []).map((name) => ({ name })),
  apply,
  hover: (layer) => layer.kind === 'Dense'
    ? `**layers.Dense** — \`units=${argInt(layer, 'units') ?? '?'}\`: applied to the last axis; on a 3-D input (None, timesteps, features) it is applied at every step and the output stays 3-D.`
    : layer.kind === 'TimeDistributedDense'
    ? `**layers.TimeDistributedDense** (Keras 0.x and 1) — \`output_dim=${argInt(layer, 'output_dim') ?? '?'}\`: a Dense applied at every step of a 3-D input (None, timesteps, features); \`TimeDistributed(Dense(...))\` since Keras 1.`
    : `**layers.${layer.kind}**`,
};
