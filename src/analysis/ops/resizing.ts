// Functional resizing: F.interpolate (and its deprecated name F.upsample) on (N, C, L), (N, C, H, W) or
// (N, C, D, H, W): the batch and channel axes stay, each spatial axis takes its `size`, or floor(length × scale_factor).
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, numberValue } from '../values/value';
import { dimFromValue } from './dims-from-values';

/** The value given for spatial axis `axis` of `count`: one value for every axis, or a sequence of exactly `count`. */
function perAxis(v: Value, axis: number, count: number): Value | undefined {
  if (v.kind === 'tuple' || v.kind === 'list') return !v.element && v.items.length === count ? v.items[axis] : undefined;
  if (v.kind === 'size') return v.dims.length === count ? { kind: 'symint', dim: v.dims[axis] } : undefined;
  return v;
}

/**
 * F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None,
 * antialias=False). PyTorch 1.13 (_interp_output_size) takes `size` as it is, or floor(float(length) × scale) per axis;
 * the mode only decides which ranks it accepts, an error this does not model (the shape is then the one a valid call
 * gives).
 */
export function interpolate(args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const input = args[0] ?? kwargs.get('input');
  if (input?.kind !== 'tensor') return undefined;
  const out = (dims: Dim[] | undefined): TensorValue => ({ kind: 'tensor', dtype: input.dtype, origin, shape: dims ? shapeOf(dims) : UNKNOWN_SHAPE });
  const shape = input.shape;
  if (!shape.rankKnown || shape.dims.length < 3 || shape.dims.length > 5) return out(undefined);
  const lead = shape.dims.slice(0, 2);
  const spatial = shape.dims.slice(2);
  const size = args[1] ?? kwargs.get('size');
  const scale = args[2] ?? kwargs.get('scale_factor');
  const given = (v: Value | undefined) => v !== undefined && v.kind !== 'none';
  if (given(size) === given(scale)) return out(undefined);
  if (given(size)) {
    return out([...lead, ...spatial.map((_, a) => {
      const v = perAxis(size!, a, spatial.length);
      return v ? dimFromValue(v, origin) : UNKNOWN_DIM;
    })]);
  }
  return out([...lead, ...spatial.map((length, a) => {
    const v = perAxis(scale!, a, spatial.length);
    const s = numberValue(v);
    if (s === undefined || !(s > 0) || length.kind !== 'int') return UNKNOWN_DIM;
    return intDim(Math.floor(length.value * s), { origin });
  })]);
}
