// Keras data given as a stream of batches: keras.preprocessing.sequence.TimeseriesGenerator (a keras.utils.Sequence),
// a Python generator yielding (x, y) batches, and what fit / fit_generator / evaluate / predict read from them. A
// stream is held as a list of unknown length whose every item is one (x_batch, y_batch) tuple, so indexing it
// (`generator[i]`) and iterating over it give a batch, as in Keras.
import { intDim, UNKNOWN_DIM } from '../shapes/dim';
import { shapeOf, UNKNOWN_SHAPE } from '../shapes/shape';
import type { Origin } from '../shapes/dim';
import { UNKNOWN, Value, intValue, sequence, summary } from '../values/value';
import { asArray } from './pandas';

/** A batch's tensor without its batch size: a stream's last batch may be shorter, and a generator's sizes vary. */
function unbatched(v: Value): Value {
  if (v.kind === 'tensor') {
    if (!v.shape.rankKnown || v.shape.dims.length === 0) return v;
    return { kind: 'tensor', dtype: v.dtype, origin: v.origin, shape: shapeOf([UNKNOWN_DIM, ...v.shape.dims.slice(1)]) };
  }
  // Several inputs or outputs: each without its batch size.
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.element) return sequence(v.kind, v.items.map(unbatched));
  return UNKNOWN;
}

/**
 * The x and y batches of data given as a stream of (x, y) or (x, y, sample_weight) batches, each without its batch
 * size; undefined for anything else (arrays, a list of inputs, a dataset the analysis does not follow).
 */
export function batchStream(data: Value | undefined): { x: Value; y: Value } | undefined {
  if ((data?.kind !== 'list' && data?.kind !== 'tuple') || !data.element || data.items.length) return undefined;
  const batch = data.element;
  if (batch.kind !== 'tuple' || batch.element || batch.items.length < 2 || batch.items.length > 3) return undefined;
  return { x: unbatched(batch.items[0]), y: unbatched(batch.items[1]) };
}

/** One axis after the batch for each axis of `array` after its first, or undefined when its rank is not known. */
function perSample(array: Value | undefined, origin: Origin): Value | undefined {
  const a = array && asArray(array, origin);
  return a?.kind === 'tensor' && a.shape.rankKnown && a.shape.dims.length >= 1 ? a : undefined;
}

/**
 * `TimeseriesGenerator(data, targets, length, sampling_rate=1, stride=1, start_index=0, end_index=None, shuffle=False,
 * reverse=False, batch_size=128)`: batch i holds, for each of its rows r, the window data[r - length:r:sampling_rate]
 * and the target targets[r]; so x batches are (batch, ceil(length / sampling_rate), *data.shape[1:]) and y batches
 * (batch, *targets.shape[1:]).
 */
export function timeseriesGenerator(args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const arg = (i: number, name: string) => args[i] ?? kwargs.get(name);
  const data = perSample(arg(0, 'data'), origin);
  const targets = perSample(arg(1, 'targets'), origin);
  const length = intValue(arg(2, 'length'));
  const rateArg = arg(3, 'sampling_rate');
  const rate = rateArg === undefined ? 1 : intValue(rateArg);
  const steps = length !== undefined && rate !== undefined && length > 0 && rate > 0 ? intDim(Math.ceil(length / rate), { origin }) : UNKNOWN_DIM;
  const x: Value = data?.kind === 'tensor'
    ? { kind: 'tensor', dtype: data.dtype, origin, shape: shapeOf([UNKNOWN_DIM, steps, ...data.shape.dims.slice(1)]) }
    : { kind: 'tensor', dtype: 'unknown', origin, shape: UNKNOWN_SHAPE };
  const y: Value = targets?.kind === 'tensor'
    ? { kind: 'tensor', dtype: targets.dtype, origin, shape: shapeOf([UNKNOWN_DIM, ...targets.shape.dims.slice(1)]) }
    : { kind: 'tensor', dtype: 'unknown', origin, shape: UNKNOWN_SHAPE };
  return summary('list', undefined, sequence('tuple', [x, y]));
}
