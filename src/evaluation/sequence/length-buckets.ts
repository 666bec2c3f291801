// Errors by sequence length: samples grouped into length buckets, with accuracy, macro F1 and the
// count per bucket (classification) or MSE and MAE per bucket (regression). Buckets are right-closed
// as pandas.cut: edges 20, 50 give (-∞, 20], (20, 50], (50, ∞). By default the edges are the 20/40/60/80%
// quantiles of the lengths, each rounded to the nearest 1, 2 or 5 × a power of ten.
import { CompensatedSum } from '../metrics/sum';
import { percent, warning } from '../warnings';
import type { EvalWarning } from '../types';

export interface LengthBucket {
  /** Exclusive lower and inclusive upper bound; null for an open end. */
  above: number | null;
  upTo: number | null;
  count: number;
  /** Classification. */
  accuracy?: number;
  macroF1?: number;
  /** Regression. */
  mse?: number;
  mae?: number;
  /** Language model: count is the sequences in the bucket; tokens their scored tokens. */
  tokens?: number;
  /** Mean NLL per token over the bucket's tokens, in nats. */
  crossEntropy?: number;
  /** exp(crossEntropy): the bucket's corpus perplexity. */
  perplexity?: number;
}

export interface LengthBuckets {
  /**
   * Where the lengths came from: a length column, token ids (non-padding), whitespace-split text, or
   * (language models) the rows of each sequence named by a sequence-id column.
   */
  source: { column: string; kind: 'length' | 'token-ids' | 'text' | 'sequence-id'; padId: number | null };
  edges: number[];
  edgesGiven: boolean;
  buckets: LengthBucket[];
  /** Samples whose length is unknown (an empty or non-numeric length cell; for a language model, tokens that name no sequence); in no bucket. */
  unknown: number;
  maxLength: number;
  /** Samples of exactly the maximum length. */
  atMax: number;
}

export const QUANTILES = [0.2, 0.4, 0.6, 0.8];
/** Fewest samples in both the shortest and the longest bucket for the long-sequence warning. */
export const MIN_BUCKET_SAMPLES = 30;
export const LONG_SEQUENCE_DROP = 0.1;
export const TRUNCATION_SHARE = 0.05;

/** The nearest of 1, 2, 5 × 10^k (k ≥ 0) to v. */
export function niceNumber(v: number): number {
  if (!(v > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  let best = power;
  for (const candidate of [power, 2 * power, 5 * power, 10 * power]) if (Math.abs(candidate - v) < Math.abs(best - v)) best = candidate;
  return best;
}

/** np.quantile's default (linear) of sorted values. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** Rounded quantile edges strictly inside [min, max) of the known lengths; may be empty. */
export function quantileEdges(lengths: Float64Array): number[] {
  const known = lengths.filter((v) => !Number.isNaN(v)).sort();
  if (known.length === 0) return [];
  const min = known[0];
  const max = known[known.length - 1];
  const edges = new Set<number>();
  for (const q of QUANTILES) {
    const edge = niceNumber(quantileOfSorted(known, q));
    if (edge >= min && edge < max) edges.add(edge);
  }
  return [...edges].sort((a, b) => a - b);
}

/** The bucket of a length: how many edges lie strictly below it (right-closed). */
export function bucketOf(edges: number[], length: number): number {
  let b = 0;
  while (b < edges.length && edges[b] < length) b++;
  return b;
}

function emptyBuckets(edges: number[]): LengthBucket[] {
  return Array.from({ length: edges.length + 1 }, (_, b) => ({ above: b === 0 ? null : edges[b - 1], upTo: b === edges.length ? null : edges[b], count: 0 }));
}

function lengthStats(lengths: Float64Array): { unknown: number; maxLength: number; atMax: number } {
  let unknown = 0;
  let maxLength = -Infinity;
  for (const v of lengths) {
    if (Number.isNaN(v)) unknown++;
    else if (v > maxLength) maxLength = v;
  }
  let atMax = 0;
  for (const v of lengths) if (v === maxLength) atMax++;
  return { unknown, maxLength, atMax };
}

/** Classification: combined[i] = truth * k + predicted, as the engine builds it. */
export function classificationBuckets(lengths: Float64Array, combined: Int32Array, k: number, edges: number[]): Pick<LengthBuckets, 'buckets' | 'unknown' | 'maxLength' | 'atMax'> {
  const buckets = emptyBuckets(edges);
  const counts = buckets.map(() => new Float64Array(k * k));
  for (let i = 0; i < combined.length; i++) {
    if (Number.isNaN(lengths[i])) continue;
    counts[bucketOf(edges, lengths[i])][combined[i]]++;
  }
  buckets.forEach((bucket, b) => {
    const m = counts[b];
    let total = 0;
    let correct = 0;
    let f1Sum = 0;
    let present = 0;
    for (let c = 0; c < k; c++) {
      let row = 0;
      let column = 0;
      for (let j = 0; j < k; j++) { row += m[c * k + j]; column += m[j * k + c]; }
      total += row;
      correct += m[c * k + c];
      // scikit-learn's macro F1 on the bucket's samples averages over the labels present there.
      if (row === 0 && column === 0) continue;
      present++;
      const tp = m[c * k + c];
      f1Sum += row + column === 0 ? 0 : (2 * tp) / (row + column);
    }
    bucket.count = total;
    bucket.accuracy = total === 0 ? NaN : correct / total;
    bucket.macroF1 = present === 0 ? NaN : f1Sum / present;
  });
  return { buckets, ...lengthStats(lengths) };
}

export function regressionBuckets(lengths: Float64Array, truth: Float64Array, predicted: Float64Array, edges: number[]): Pick<LengthBuckets, 'buckets' | 'unknown' | 'maxLength' | 'atMax'> {
  const buckets = emptyBuckets(edges);
  const squared = new Float64Array(buckets.length);
  const absolute = new Float64Array(buckets.length);
  for (let i = 0; i < truth.length; i++) {
    if (Number.isNaN(lengths[i])) continue;
    const b = bucketOf(edges, lengths[i]);
    const d = truth[i] - predicted[i];
    squared[b] += d * d;
    absolute[b] += Math.abs(d);
    buckets[b].count++;
  }
  buckets.forEach((bucket, b) => {
    bucket.mse = bucket.count === 0 ? NaN : squared[b] / bucket.count;
    bucket.mae = bucket.count === 0 ? NaN : absolute[b] / bucket.count;
  });
  return { buckets, ...lengthStats(lengths) };
}

/**
 * Language model, one row per scored token: `sequenceOf[i]` is row i's sequence (-1: none) and
 * `nll[i]` its negative log-likelihood. A sequence's length is its number of tokens; each bucket
 * holds its sequences' tokens, with their mean NLL and exp of it (the bucket's corpus perplexity).
 */
export function languageModelBuckets(sequenceLengths: Float64Array, sequenceOf: Int32Array, nll: Float64Array, edges: number[]): Pick<LengthBuckets, 'buckets' | 'unknown' | 'maxLength' | 'atMax'> {
  const buckets = emptyBuckets(edges);
  const bucketOfSequence = new Int32Array(sequenceLengths.length);
  for (let q = 0; q < sequenceLengths.length; q++) {
    bucketOfSequence[q] = bucketOf(edges, sequenceLengths[q]);
    buckets[bucketOfSequence[q]].count++;
  }
  const sums = buckets.map(() => new CompensatedSum());
  const tokens = new Float64Array(buckets.length);
  let unknown = 0;
  for (let i = 0; i < sequenceOf.length; i++) {
    const q = sequenceOf[i];
    if (q < 0) {
      unknown++;
      continue;
    }
    const b = bucketOfSequence[q];
    sums[b].add(nll[i]);
    tokens[b]++;
  }
  buckets.forEach((bucket, b) => {
    bucket.tokens = tokens[b];
    bucket.crossEntropy = tokens[b] === 0 ? NaN : sums[b].value / tokens[b];
    bucket.perplexity = Math.exp(bucket.crossEntropy);
  });
  return { buckets, ...lengthStats(sequenceLengths), unknown };
}

export function bucketName(bucket: LengthBucket): string {
  if (bucket.above === null && bucket.upTo === null) return 'all lengths';
  if (bucket.above === null) return `≤ ${bucket.upTo} tokens`;
  if (bucket.upTo === null) return `> ${bucket.above} tokens`;
  return `${bucket.above + 1}–${bucket.upTo} tokens`;
}

export function lengthWarnings(result: LengthBuckets, n: number): EvalWarning[] {
  const warnings: EvalWarning[] = [];
  const filled = result.buckets.filter((b) => b.count > 0);
  const shortest = filled[0];
  const longest = filled[filled.length - 1];
  if (filled.length >= 2 && shortest.accuracy !== undefined && longest.accuracy !== undefined &&
      shortest.count >= MIN_BUCKET_SAMPLES && longest.count >= MIN_BUCKET_SAMPLES &&
      shortest.accuracy - longest.accuracy >= LONG_SEQUENCE_DROP) {
    warnings.push(warning('SLE321', `Accuracy falls from ${percent(shortest.accuracy)} on ${bucketName(shortest)} (${shortest.count} samples) to ${percent(longest.accuracy)} on ${bucketName(longest)} (${longest.count} samples).`));
  }
  const known = n - result.unknown;
  if (known > 0 && result.maxLength > 1 && result.atMax < known && result.atMax / known >= TRUNCATION_SHARE) {
    warnings.push(warning('SLE322', `${percent(result.atMax / known)} of samples have exactly ${result.maxLength} tokens (the longest): pad_sequences(maxlen=${result.maxLength}) or a tokenizer's max_length probably cut them.`));
  }
  return warnings;
}

/** The whole section: edges (given, or from the quantiles), the buckets and the stats for the warnings. */
export function lengthBucketsOf(
  source: { column: string; kind: LengthBuckets['source']['kind']; padId: number | null; lengths: Float64Array },
  given: number[] | undefined,
  fill: (edges: number[]) => Pick<LengthBuckets, 'buckets' | 'unknown' | 'maxLength' | 'atMax'>,
): LengthBuckets {
  const edges = given && given.length > 0 ? [...given].sort((a, b) => a - b) : quantileEdges(source.lengths);
  return { source: { column: source.column, kind: source.kind, padId: source.padId }, edges, edgesGiven: given !== undefined && given.length > 0, ...fill(edges) };
}
