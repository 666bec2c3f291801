// torch.utils.data: what a TensorDataset holds and what a DataLoader's default collate makes of a sample.
import { Dim, Origin, intDim, symDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, knownLength, partBounds } from '../values/value';

/**
 * TensorDataset(*tensors): sample i is the tuple of every tensor's row i, and its length is their first axis (PyTorch
 * asserts they agree: first axes known to disagree leave the dataset unknown). A 0-d tensor is refused by PyTorch: unknown.
 */
export function tensorDataset(args: Value[]): Value {
  if (args.length === 0 || args.length > 64) return UNKNOWN;
  const rows: TensorValue[] = [];
  let length: number | undefined;
  let lengthKnown = true;
  for (const t of args) {
    // Every argument is a tensor (TensorDataset reads each one's size(0)); one whose rank is not known gives rows of
    // unknown shape, and leaves the length unknown.
    if (t.kind !== 'tensor' || !t.shape.rankKnown || t.shape.dims.length === 0) {
      if (t.kind === 'tensor' && t.shape.rankKnown) return UNKNOWN;
      rows.push({ kind: 'tensor', dtype: t.kind === 'tensor' ? t.dtype : 'unknown', shape: UNKNOWN_SHAPE });
      lengthKnown = false;
      continue;
    }
    const first = t.shape.dims[0];
    if (first.kind === 'int') {
      if (length !== undefined && length !== first.value) return UNKNOWN;
      length = first.value;
    } else lengthKnown = false;
    rows.push({ kind: 'tensor', dtype: t.dtype, origin: t.origin, shape: shapeOf(t.shape.dims.slice(1)), ...partBounds(t) });
  }
  const count = lengthKnown ? knownLength(length) : undefined;
  return { kind: 'list', items: [], element: { kind: 'tuple', items: rows }, ...(count !== undefined ? { length: count } : {}) };
}

/**
 * default_collate over a batch of samples like `sample`: each tensor gains a leading batch axis, numbers become 1-D
 * tensors, tuples and lists are collated item by item, dicts key by key. The batch axis is a symbol, not batch_size: the last batch may
 * be smaller.
 */
export function defaultCollate(sample: Value, batch: Dim = symDim('batch', { role: 'batch' }), depth = 0): Value {
  if (depth > 8) return UNKNOWN;
  if (sample.kind === 'tensor') return { ...sample, shape: sample.shape.rankKnown ? shapeOf([batch, ...sample.shape.dims]) : UNKNOWN_SHAPE, name: undefined, literal: undefined, strides: undefined, sortedDescending: undefined };
  if (sample.kind === 'int') return { kind: 'tensor', dtype: 'long', shape: shapeOf([batch]) };
  if (sample.kind === 'bool') return { kind: 'tensor', dtype: 'bool', shape: shapeOf([batch]) };
  if (sample.kind === 'float') return { kind: 'tensor', dtype: 'float', shape: shapeOf([batch]) };
  if (sample.kind === 'tuple' || sample.kind === 'list') return sample.element ? UNKNOWN : { kind: sample.kind, items: sample.items.map((v) => defaultCollate(v, batch, depth + 1)) };
  // A mapping is collated key by key (`{'input': ids, 'length': n}` gives `{'input': (B, T), 'length': (B,)}`); keys
  // the analysis does not know stay unknown.
  if (sample.kind === 'dict' && !sample.namespace && !sample.parser) {
    const entries = new Map<string, Value>();
    for (const [key, value] of sample.entries) entries.set(key, defaultCollate(value, batch, depth + 1));
    return sample.partial ? { kind: 'dict', entries, partial: true } : { kind: 'dict', entries };
  }
  return UNKNOWN;
}

/**
 * The batch axis of DataLoader(dataset, batch_size, ..., drop_last): a symbol, as batches differ in size only at the
 * end. When the dataset's length and the batch size are known, no sampler chooses the samples and drop_last is False,
 * a length that batch_size does not divide leaves a last batch of length % batch_size samples: the symbol says so.
 * An explicit batch_size=1 with no batch_sampler makes every batch one sample, the last one too and whatever sampler
 * orders them (BatchSampler(sampler, 1, drop_last) yields one index at a time): the axis is 1. A batch_size left out
 * is 1 as well in PyTorch, but a `**kwargs` the analysis does not see may give it, so only a written 1 counts.
 */
export function loaderBatch(dataset: Value, args: Value[], kwargs: Map<string, Value>, loader?: Origin): Dim {
  const batch = symDim('batch', { role: 'batch' });
  const size = kwargs.get('batch_size') ?? args[1];
  if (size?.kind === 'int' && size.value === 1 && !kwargs.has('batch_sampler') && args.length <= 4) return intDim(1, { role: 'batch' });
  if (kwargs.has('sampler') || kwargs.has('batch_sampler') || args.length > 3) return batch;
  const samples = (dataset.kind === 'list' || dataset.kind === 'tuple') && dataset.element ? dataset.length : undefined;
  const dropLast = kwargs.get('drop_last');
  if (dropLast !== undefined && !(dropLast.kind === 'bool' && !dropLast.value)) return batch;
  if (samples === undefined || size?.kind !== 'int' || size.value <= 0 || samples % size.value === 0) return batch;
  return symDim('batch', { role: 'batch', lastBatch: { size: size.value, last: samples % size.value, samples, ...(loader ? { loader } : {}) } });
}

/** One sample of a dataset given as a sequence (a TensorDataset, or a plain list of samples all alike), else undefined. */
export function sampleOfSequence(dataset: Value): Value | undefined {
  if (dataset.kind !== 'list' && dataset.kind !== 'tuple') return undefined;
  if (dataset.element) return dataset.element;
  return undefined;
}
