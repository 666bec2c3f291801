// repeat_interleave: each element repeated along one axis, or over the flattened tensor.
import { Dim, Origin, UNKNOWN_DIM, exactProduct, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, Value, intValue } from '../values/value';

/** A size times a count, when both are known numbers (and the product a safe integer). */
function times(d: Dim, count: number | undefined, origin: Origin): Dim {
  if (count === 1) return d;
  return d.kind === 'int' && count !== undefined && count >= 0 && Number.isSafeInteger(d.value * count) ? intDim(d.value * count, { origin }) : UNKNOWN_DIM;
}

/**
 * `x.repeat_interleave(repeats, dim=None)` and `torch.repeat_interleave(x, repeats, dim=None)`: along `dim` the axis
 * grows `repeats` times (an int, or a tensor of counts whose sum is the new size); without a dim the tensor is
 * flattened first, so the result is 1-D. `output_size` names the new size. The rank is known whenever the dim is
 * known or absent; a 0-D tensor takes no dim (PyTorch raises).
 */
export function repeatInterleave(t: TensorValue, repeats: Value | undefined, dimArg: Value | undefined, outputSize: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: t.dtype, origin, shape: UNKNOWN_SHAPE };
  const count = repeats?.kind === 'tensor' ? undefined : intValue(repeats);
  const given = intValue(outputSize);
  const size = (d: Dim): Dim => (given !== undefined && given >= 0 ? intDim(given, { origin }) : times(d, count, origin));
  if (dimArg === undefined || dimArg.kind === 'none') {
    if (!t.shape.rankKnown) return { ...base, shape: shapeOf([given !== undefined && given >= 0 ? intDim(given, { origin }) : UNKNOWN_DIM]) };
    const dims = t.shape.dims;
    const numel = exactProduct(dims);
    return { ...base, shape: shapeOf([size(numel !== undefined && Number.isSafeInteger(numel) ? intDim(numel) : UNKNOWN_DIM)]) };
  }
  const axis = intValue(dimArg);
  if (axis === undefined || !t.shape.rankKnown || t.shape.dims.length === 0) return base;
  const i = normaliseAxis(axis, t.shape.dims.length);
  if (i === undefined) return base;
  const dims = [...t.shape.dims];
  dims[i] = size(dims[i]);
  return { ...base, shape: shapeOf(dims) };
}

/** `torch.repeat_interleave(repeats)`: a 1-D tensor of counts gives each index as often as its count, 1-D. */
export function repeatIndices(repeats: TensorValue, outputSize: Value | undefined, origin: Origin): TensorValue {
  const given = intValue(outputSize);
  return { kind: 'tensor', dtype: repeats.dtype, origin, shape: shapeOf([given !== undefined && given >= 0 ? intDim(given, { origin }) : UNKNOWN_DIM]) };
}
