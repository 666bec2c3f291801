// Functional pooling: F.max_pool1d / F.avg_pool1d (N, C, L) → (N, C, L′), F.max_pool2d / F.avg_pool2d
// (N, C, H, W) → (N, C, H′, W′), and the adaptive forms (N, C, size…).
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue, intValue } from '../values/value';
import { dimFromValue } from './dims-from-values';
import { symbolicWindowLength, windowOutputLength } from '../layers/torch/convolution';

function single(v: Value | undefined): Value | undefined {
  if (v?.kind === 'tuple' || v?.kind === 'list') return v.items.length === 1 ? v.items[0] : undefined;
  return v;
}

/**
 * PyTorch's window arithmetic (windowOutputLength), stride defaulting to the kernel. A kernel that is the length itself
 * (`F.max_pool1d(x, x.size(2))`, the max-over-time idiom) leaves one step whatever L is, and a stride-1 window padded
 * by half its span keeps a named length (symbolicWindowLength).
 */
export function pooledLength(length: Dim, kernelValue: Value | undefined, strideValue: Value | undefined, paddingValue: Value | undefined, dilationValue: Value | undefined, ceil: Value | undefined): Dim {
  const ceilMode = ceil === undefined ? false : boolValue(ceil);
  const kernel = single(kernelValue);
  const strideGiven = single(strideValue);
  const stride = strideGiven === undefined || strideGiven.kind === 'none' || (strideGiven.kind === 'tuple' && strideGiven.items.length === 0) ? kernel : strideGiven;
  const padding = paddingValue === undefined ? 0 : intValue(single(paddingValue));
  const dilation = dilationValue === undefined ? 1 : intValue(single(dilationValue));
  if (padding === undefined || dilation === undefined || ceilMode === undefined) return UNKNOWN_DIM;
  if (length.kind === 'int') {
    const out = windowOutputLength(length.value, { kernel: intValue(kernel), stride: intValue(stride), padding, dilation, ceilMode });
    return out === undefined ? UNKNOWN_DIM : intDim(out);
  }
  const kernelDim = kernel ? dimFromValue(kernel, undefined) : UNKNOWN_DIM;
  const strideDim = stride ? dimFromValue(stride, undefined) : UNKNOWN_DIM;
  return symbolicWindowLength(length, kernelDim, strideDim, padding, dilation, false);
}

/** The window arguments of a functional pooling, as given (undefined when left out). */
export interface PoolArguments {
  kernel: Value | undefined;
  stride: Value | undefined;
  padding: Value | undefined;
  dilation: Value | undefined;
  ceil: Value | undefined;
}

/**
 * The window arguments of F.max_pool1d/2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, …)
 * and F.avg_pool1d/2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, …): avg pooling has no dilation, so
 * its fifth argument is ceil_mode.
 */
export function poolArguments(name: string, args: Value[], kwargs: Map<string, Value>): PoolArguments {
  const get = (i: number, key: string) => args[i] ?? kwargs.get(key);
  const isMax = name.startsWith('max');
  return { kernel: get(1, 'kernel_size'), stride: get(2, 'stride'), padding: get(3, 'padding'), dilation: isMax ? get(4, 'dilation') : undefined, ceil: isMax ? get(5, 'ceil_mode') : get(4, 'ceil_mode') };
}

/** F.max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) and F.avg_pool1d. */
export function pool1d(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const input = args[0] ?? kwargs.get('input');
  if (input?.kind !== 'tensor') return undefined;
  const shape = input.shape;
  const out = (dims: Dim[] | undefined): TensorValue => ({ kind: 'tensor', dtype: input.dtype, origin, shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE });
  if (!shape.rankKnown || (shape.dims.length !== 2 && shape.dims.length !== 3)) return out(undefined);
  const lead = shape.dims.slice(0, -1);
  const length = shape.dims[shape.dims.length - 1];
  if (name === 'adaptive_max_pool1d' || name === 'adaptive_avg_pool1d') {
    if (name === 'adaptive_max_pool1d' && boolValue(args[2] ?? kwargs.get('return_indices')) !== false && (args[2] ?? kwargs.get('return_indices')) !== undefined) return undefined;
    const size = single(args[1] ?? kwargs.get('output_size'));
    return out([...lead, size ? dimFromValue(size, origin) : UNKNOWN_DIM]);
  }
  const indices = args[6] ?? kwargs.get('return_indices');
  if (name === 'max_pool1d' && indices !== undefined && boolValue(indices) !== false) return undefined;
  const { kernel, stride, padding, dilation, ceil } = poolArguments(name, args, kwargs);
  const length2 = pooledLength(length, kernel, stride, padding, dilation, ceil);
  if (length2.kind === 'unknown' && windowIsLength(input, kernel, stride, padding, dilation)) return out([...lead, intDim(1)]);
  return out([...lead, length2]);
}

/**
 * The max-over-time idiom on an axis whose size is not known: `F.max_pool1d(x, x.size(2))` (stride defaulting to the
 * kernel, no padding or dilation) leaves one step, since the kernel is that very axis' size.
 */
function windowIsLength(input: TensorValue, kernelValue: Value | undefined, strideValue: Value | undefined, paddingValue: Value | undefined, dilationValue: Value | undefined): boolean {
  return windowIsAxis(input, input.shape.dims.length - 1, single(kernelValue), strideValue === undefined ? undefined : single(strideValue), paddingValue === undefined ? undefined : single(paddingValue), dilationValue === undefined ? undefined : single(dilationValue));
}

/** A window over `axis` of `input` that is the axis' own size, read off the tensor (`x.size(axis)`), with no padding or dilation. */
function windowIsAxis(input: TensorValue, axis: number, kernel: Value | undefined, stride: Value | undefined, padding: Value | undefined, dilation: Value | undefined): boolean {
  const isLength = (v: Value | undefined): boolean => v?.kind === 'symint' && v.of?.tensor === input && v.of.axis === axis;
  if (!isLength(kernel) || !(stride === undefined || stride.kind === 'none' || isLength(stride))) return false;
  return (padding === undefined || intValue(padding) === 0) && (dilation === undefined || intValue(dilation) === 1);
}

/** The value for one spatial axis of a kernel/stride/padding argument: an int for both, or a pair (height, width). */
function axisValue(v: Value | undefined, axis: 0 | 1): Value | undefined {
  if (v === undefined || v.kind === 'none') return v;
  if (v.kind === 'tuple' || v.kind === 'list') {
    if (v.element) return undefined;
    if (v.items.length === 1) return v.items[0];
    return v.items.length === 2 ? v.items[axis] : { kind: 'unknown' };
  }
  if (v.kind === 'size') return v.dims.length === 2 ? valueOfDim(v.dims[axis]) : v.dims.length === 1 ? valueOfDim(v.dims[0]) : { kind: 'unknown' };
  return v;
}

function valueOfDim(d: Dim): Value {
  return d.kind === 'int' ? { kind: 'int', value: d.value } : { kind: 'symint', dim: d };
}

/**
 * F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False),
 * F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)
 * and the adaptive forms, on (N, C, H, W) or (C, H, W): each spatial axis follows the 1-D rule with its own window (an
 * int for both axes, or a pair). A window that is the axis itself (`kernel_size=(x.size(2), 1)`, pooling a feature
 * map's whole height) leaves one step on that axis, whatever its size.
 */
export function pool2d(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const input = args[0] ?? kwargs.get('input');
  if (input?.kind !== 'tensor') return undefined;
  const shape = input.shape;
  const out = (dims: Dim[] | undefined): TensorValue => ({ kind: 'tensor', dtype: input.dtype, origin, shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE });
  if (!shape.rankKnown || (shape.dims.length !== 3 && shape.dims.length !== 4)) return out(undefined);
  const rank = shape.dims.length;
  const lead = shape.dims.slice(0, rank - 2);
  const spatial = shape.dims.slice(rank - 2);
  const get = (i: number, key: string) => args[i] ?? kwargs.get(key);
  if (name === 'adaptive_max_pool2d' || name === 'adaptive_avg_pool2d') {
    const indices = get(2, 'return_indices');
    if (name === 'adaptive_max_pool2d' && indices !== undefined && boolValue(indices) !== false) return undefined;
    const size = get(1, 'output_size');
    if (size === undefined) return out(undefined);
    // None in the output size keeps that axis as it is.
    return out([...lead, ...([0, 1] as const).map((a) => {
      const v = axisValue(size, a);
      return v?.kind === 'none' ? spatial[a] : v ? dimFromValue(v, origin) : UNKNOWN_DIM;
    })]);
  }
  if (name === 'max_pool2d' && get(6, 'return_indices') !== undefined && boolValue(get(6, 'return_indices')) !== false) return undefined;
  const { kernel, stride, padding, dilation, ceil } = poolArguments(name, args, kwargs);
  if (kernel === undefined) return out(undefined);
  return out([...lead, ...([0, 1] as const).map((a) => {
    const axis = rank - 2 + a;
    const k = axisValue(kernel, a);
    const s = axisValue(stride, a);
    const p = axisValue(padding, a);
    const d = axisValue(dilation, a);
    const length = pooledLength(spatial[a], k, s, p, d, ceil);
    return length.kind === 'unknown' && windowIsAxis(input, axis, k, s, p, d) ? intDim(1) : length;
  })]);
}
