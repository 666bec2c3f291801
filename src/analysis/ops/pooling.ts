// Functional 1-D pooling: F.max_pool1d / F.avg_pool1d (N, C, L) → (N, C, L′), and the adaptive forms (N, C, size).
import { Dim, Origin, UNKNOWN_DIM, intDim, sameDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue, intValue } from '../values/value';
import { dimFromValue } from './dims-from-values';
import { windowOutputLength } from '../layers/torch/convolution';

function single(v: Value | undefined): Value | undefined {
  if (v?.kind === 'tuple' || v?.kind === 'list') return v.items.length === 1 ? v.items[0] : undefined;
  return v;
}

/**
 * PyTorch's window arithmetic (windowOutputLength), stride defaulting to the kernel. A kernel that is the length itself
 * (`F.max_pool1d(x, x.size(2))`, the max-over-time idiom) leaves one step whatever L is.
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
  if (padding === 0 && dilation === 1 && length.kind !== 'unknown' && sameDim(kernelDim, length) && sameDim(strideDim, length)) return intDim(1);
  return UNKNOWN_DIM;
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
  const isMax = name === 'max_pool1d';
  const get = (i: number, key: string) => args[i] ?? kwargs.get(key);
  // avg_pool1d's fifth and sixth arguments are ceil_mode and count_include_pad; it has no dilation.
  if (isMax && get(6, 'return_indices') !== undefined && boolValue(get(6, 'return_indices')) !== false) return undefined;
  const length2 = pooledLength(length, get(1, 'kernel_size'), get(2, 'stride'), get(3, 'padding'), isMax ? get(4, 'dilation') : undefined, isMax ? get(5, 'ceil_mode') : get(4, 'ceil_mode'));
  if (length2.kind === 'unknown' && windowIsLength(input, get(1, 'kernel_size'), get(2, 'stride'), get(3, 'padding'), isMax ? get(4, 'dilation') : undefined)) return out([...lead, intDim(1)]);
  return out([...lead, length2]);
}

/**
 * The max-over-time idiom on an axis whose size is not known: `F.max_pool1d(x, x.size(2))` (stride defaulting to the
 * kernel, no padding or dilation) leaves one step, since the kernel is that very axis' size.
 */
function windowIsLength(input: TensorValue, kernelValue: Value | undefined, strideValue: Value | undefined, paddingValue: Value | undefined, dilationValue: Value | undefined): boolean {
  const kernel = single(kernelValue);
  const stride = strideValue === undefined ? undefined : single(strideValue);
  const last = input.shape.dims.length - 1;
  const isLength = (v: Value | undefined): boolean => v?.kind === 'symint' && v.of?.tensor === input && v.of.axis === last;
  if (!isLength(kernel) || !(stride === undefined || stride.kind === 'none' || isLength(stride))) return false;
  return (paddingValue === undefined || intValue(single(paddingValue)) === 0) && (dilationValue === undefined || intValue(single(dilationValue)) === 1);
}
