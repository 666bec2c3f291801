// torch.unique and torch.unique_consecutive, as functions and methods. How many values come out depends on the data,
// so that length is unknown; the rank, the dtype and the other axes are known. Every value of the input survives at
// least once, so the output reaches the input's bounds exactly: ids deduplicated are still the same ids.
import { Origin, dataCountDim, intDim } from '../shapes/dim';
import { normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, boolValue, intValue } from '../values/value';

export function isUnique(name: string): boolean {
  return name === 'unique' || name === 'unique_consecutive';
}

/** Positional parameters after the input: unique(sorted, return_inverse, return_counts, dim), unique_consecutive(return_inverse, return_counts, dim). */
const PARAMETERS: Record<string, string[]> = {
  unique: ['sorted', 'return_inverse', 'return_counts', 'dim'],
  unique_consecutive: ['return_inverse', 'return_counts', 'dim'],
};

/** `t.unique(...)` / `torch.unique(t, ...)` with the arguments after the input. */
export function unique(t: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const names = PARAMETERS[name];
  if (args.length > names.length || [...kwargs.keys()].some((k) => !names.includes(k))) return UNKNOWN;
  const param = (p: string): Value | undefined => args[names.indexOf(p)] ?? kwargs.get(p);
  const flag = (p: string): boolean | undefined => {
    const v = param(p);
    return v === undefined ? false : boolValue(v);
  };
  const inverse = flag('return_inverse');
  const counts = flag('return_counts');
  if (inverse === undefined || counts === undefined) return UNKNOWN;
  const dimArg = param('dim');
  const bounds = { minValue: t.minValue, maxValue: t.maxValue, ...(t.mixedBounds ? { mixedBounds: true } : {}), ...(t.minBoundOnly ? { minBoundOnly: true } : {}), ...(t.maxBoundOnly ? { maxBoundOnly: true } : {}) };
  const long = (dims: TensorValue['shape']['dims']): TensorValue => ({ kind: 'tensor', dtype: 'long', origin, shape: shapeOf(dims) });
  // How many distinct values: the data's count, minted at this evaluation; the counts (return_counts) have one each.
  const distinct = dataCountDim(origin);
  let output: TensorValue;
  let inverseOf: TensorValue;
  if (dimArg === undefined || dimArg.kind === 'none') {
    // Flattened: one axis of distinct values; the inverse indices have the input's shape.
    output = { kind: 'tensor', dtype: t.dtype, origin, shape: shapeOf([distinct]), ...bounds };
    inverseOf = { kind: 'tensor', dtype: 'long', origin, shape: t.shape };
  } else {
    const axis = intValue(dimArg);
    if (axis === undefined || !t.shape.rankKnown) return UNKNOWN;
    const i = normaliseAxis(axis, t.shape.dims.length);
    if (i === undefined) return UNKNOWN;
    output = { kind: 'tensor', dtype: t.dtype, origin, shape: shapeOf(t.shape.dims.map((d, k) => (k === i ? distinct : d))), ...bounds };
    const along = t.shape.dims[i];
    inverseOf = long([along.kind === 'int' ? intDim(along.value, { origin }) : along]);
  }
  if (!inverse && !counts) return output;
  const items: Value[] = [output];
  if (inverse) items.push(inverseOf);
  if (counts) items.push(long([distinct]));
  return { kind: 'tuple', items };
}
