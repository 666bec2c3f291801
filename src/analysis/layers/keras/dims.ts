// Keras prints an unknown batch (and an unknown time axis) as None.
import { Dim, DimRole, Origin, UNKNOWN_DIM, intDim, symDim } from '../../shapes/dim';
import { Shape, shapeOf } from '../../shapes/shape';
import { TensorValue, Value, intValue } from '../../values/value';

export function noneDim(role?: DimRole): Dim {
  return symDim('None', { role });
}

/** `input_shape=(10, 8)` → (None, 10, 8); None entries stay None. */
export function shapeFromTuple(value: Value | undefined, origin: Origin, withBatch: boolean): Shape | undefined {
  // x_train.shape[1:] (or a whole x_train.shape) is a size: its dims as they are.
  if (value?.kind === 'size') return shapeOf(withBatch ? [noneDim('batch'), ...value.dims] : [...value.dims]);
  if (value?.kind !== 'tuple' && value?.kind !== 'list') return undefined;
  const dims = value.items.map((v): Dim => {
    const n = intValue(v);
    if (n !== undefined) return intDim(n, { origin });
    if (v.kind === 'none') return noneDim();
    return UNKNOWN_DIM;
  });
  return shapeOf(withBatch ? [noneDim('batch'), ...dims] : dims);
}

export function kerasTensor(shape: Shape, origin: Origin, dtype: TensorValue['dtype'] = 'float'): TensorValue {
  return { kind: 'tensor', shape, dtype, origin };
}

/** A shape whose batch axis is None, given the batch_size= that fixes it (`Input(shape=(10,), batch_size=32)`). */
export function withBatchSize(shape: Shape | undefined, batchSize: Value | undefined, origin: Origin): Shape | undefined {
  const n = intValue(batchSize);
  if (!shape?.rankKnown || n === undefined || n <= 0) return shape;
  return shapeOf([intDim(n, { origin }), ...shape.dims.slice(1)]);
}
