// torch.utils.data: what a TensorDataset holds, what a Subset or random_split keeps of a dataset, and what a DataLoader's
// default collate makes of a sample.
import { Dim, Origin, UNKNOWN_DIM, intDim, symDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, knownLength, partBounds, sequence, sequenceLength, summary } from '../values/value';

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
  // An int whose value is not known (`len(sample)` of a sample of varying length) is collated like any other; one only
  // assumed to be an int (a parameter nothing calls) is not known to be one.
  if (sample.kind === 'int' || (sample.kind === 'symint' && !sample.assumed)) return { kind: 'tensor', dtype: 'long', shape: shapeOf([batch]) };
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

/** How many indices a Subset is given: a list's or tuple's length, or a 1-D tensor's size, when known. */
function indexCount(indices: Value): number | undefined {
  if (indices.kind === 'list' || indices.kind === 'tuple') return sequenceLength(indices);
  if (indices.kind === 'tensor' && indices.shape.rankKnown && indices.shape.dims.length === 1) {
    const n = indices.shape.dims[0];
    return n.kind === 'int' ? n.value : undefined;
  }
  return undefined;
}

/**
 * The key a Subset gives its dataset's __getitem__: one of its indices, an int of unknown value when they are ints, a
 * 0-d int64 tensor when they are a 1-D int64 tensor; unknown otherwise.
 */
export function subsetIndex(indices: Value | undefined): Value {
  if (!indices) return UNKNOWN;
  if (indices.kind === 'list' || indices.kind === 'tuple') {
    const items = indices.element ? [indices.element] : indices.items;
    const ints = items.length > 0 && items.every((v) => v.kind === 'int' || v.kind === 'symint');
    return ints ? { kind: 'symint', dim: UNKNOWN_DIM } : UNKNOWN;
  }
  if (indices.kind === 'tensor' && indices.dtype === 'long' && indices.shape.rankKnown && indices.shape.dims.length === 1) {
    return { kind: 'tensor', dtype: indices.dtype, shape: shapeOf([]) };
  }
  return UNKNOWN;
}

/**
 * Subset(dataset, indices): item i is dataset[indices[i]], so a subset's samples are its dataset's and its length is
 * len(indices). `sample` is one sample of the dataset, undefined when the analysis cannot see one: the subset is then
 * unknown.
 */
export function subsetOf(sample: Value | undefined, indices: Value | undefined): Value {
  if (!sample) return UNKNOWN;
  return summary('list', indices ? indexCount(indices) : undefined, sample);
}

/**
 * random_split(dataset, lengths): a list of one Subset per length, in order. Int lengths are the subsets' lengths
 * (PyTorch raises unless they add up to the dataset's length); fractions (accepted since 1.13) or lengths the analysis
 * does not know leave them unknown, and a list of lengths of unknown count gives a list of subsets of unknown count.
 */
export function randomSplit(sample: Value | undefined, lengths: Value | undefined): Value {
  if (!sample || !lengths || (lengths.kind !== 'list' && lengths.kind !== 'tuple')) return UNKNOWN;
  if (lengths.element) return summary('list', lengths.length, subsetOf(sample, undefined));
  return sequence('list', lengths.items.map((n) => summary('list', n.kind === 'int' ? n.value : undefined, sample)));
}

/** What a DataLoader's smaller last batch is: see Dim.lastBatch. */
export type LastBatch = NonNullable<Extract<Dim, { kind: 'sym' }>['lastBatch']>;

/** How a loader comes to a smaller last batch, for messages: "splits 65 samples into batches of 64 without drop_last, so its last batch holds 1". */
export function lastBatchSplit(last: LastBatch): string {
  const per = last.per ?? 1;
  return `splits ${last.samples} samples into batches of ${last.size / per} without drop_last, so its last batch holds ${last.last / per}`;
}

/**
 * A batch as the loader's last one holds it: every batch axis that knows its last batch is smaller (Dim.lastBatch)
 * becomes that last size, in tensors, tuples, lists and dicts (enumerate's pairs, a collated dict). Undefined when no
 * axis knows one; `lastBatch` is the first found, for messages.
 */
export function atLastBatch(batch: Value): { value: Value; lastBatch: LastBatch } | undefined {
  return atBatch(batch, (last) => last.last);
}

/**
 * What a value carried from one iteration of a loop over such a loader to the next holds when the last batch comes:
 * what the batch before it, a full one, left (a recurrent state kept across batches has batch_size rows). Only when a
 * full batch comes before the last (more samples than batch_size); otherwise the value as it is.
 */
export function atFullBatch(value: Value): Value {
  return atBatch(value, (last) => (last.samples > last.size ? last.size : undefined))?.value ?? value;
}

function atBatch(batch: Value, size: (last: LastBatch) => number | undefined): { value: Value; lastBatch: LastBatch } | undefined {
  let found: LastBatch | undefined;
  const dim = (d: Dim): Dim => {
    if (d.kind !== 'sym' || !d.lastBatch) return d;
    const n = size(d.lastBatch);
    if (n === undefined) return d;
    found ??= d.lastBatch;
    // The size keeps what it is the batch of, for messages that say why the last one is smaller (SL103).
    return intDim(n, { role: 'batch', lastBatch: d.lastBatch, ...(d.lastBatch.loader ? { origin: d.lastBatch.loader } : {}) });
  };
  const walk = (v: Value, depth: number): Value => {
    if (depth > 8) return v;
    if (v.kind === 'tensor') {
      if (!v.shape.rankKnown || !v.shape.dims.some((d) => d.kind === 'sym' && d.lastBatch)) return v;
      return { ...v, shape: shapeOf(v.shape.dims.map(dim)), strides: undefined };
    }
    if (v.kind === 'tuple' || v.kind === 'list') {
      const items = v.items.map((item) => walk(item, depth + 1));
      const element = v.element && walk(v.element, depth + 1);
      return items.every((item, k) => item === v.items[k]) && element === v.element ? v : { ...v, items, ...(element ? { element } : {}) };
    }
    if (v.kind === 'dict' && !v.namespace && !v.parser) {
      let changed = false;
      const entries = new Map<string, Value>();
      for (const [key, item] of v.entries) {
        const walked = walk(item, depth + 1);
        changed ||= walked !== item;
        entries.set(key, walked);
      }
      return changed ? { ...v, entries } : v;
    }
    return v;
  };
  const value = walk(batch, 0);
  return found ? { value, lastBatch: found } : undefined;
}
