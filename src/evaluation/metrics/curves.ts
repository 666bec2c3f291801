// Threshold curves for one positive class, as scikit-learn 1.2 computes them:
// `_binary_clf_curve` (distinct scores, highest first, positive when score >= threshold),
// `roc_curve` with drop_intermediate and thresholds[0] = max + 1, `precision_recall_curve`
// and the non-interpolated `average_precision_score`.
//
// Sorting: the scores of positives and of negatives are copied into two Float64Arrays and
// sorted natively (no comparator, no index array), then merged from the top. That is one
// sort's worth of work on 10 million scores, with 8 bytes per score of extra memory.
import type { Label, PrCurve, RocCurve, ThresholdSweep } from '../types';
import { fScore } from './classification';

/**
 * The sweep for one positive class. With `consume`, the negatives' scores are compacted to the
 * front of `scores` and sorted there, so the only extra memory is one array for the positives:
 * the caller must not read `scores` afterwards.
 */
export function buildSweep(scores: Float64Array, isPositive: (i: number) => boolean, positiveLabel: Label, consume = false): ThresholdSweep {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (isPositive(i)) positives++;
  const negatives = scores.length - positives;
  const pos = new Float64Array(positives);
  const neg = consume ? scores.subarray(0, negatives) : new Float64Array(negatives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    // With consume, b <= i: each negative moves down over a slot already read.
    if (isPositive(i)) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();

  // Walk both sorted arrays from their largest value down, one distinct score at a time.
  let distinct = 0;
  {
    let i = positives - 1;
    let j = negatives - 1;
    while (i >= 0 || j >= 0) {
      const v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
      while (i >= 0 && pos[i] === v) i--;
      while (j >= 0 && neg[j] === v) j--;
      distinct++;
    }
  }
  const thresholds = new Float64Array(distinct);
  const tp = new Uint32Array(distinct);
  const fp = new Uint32Array(distinct);
  let i = positives - 1;
  let j = negatives - 1;
  let tpCount = 0;
  let fpCount = 0;
  for (let d = 0; d < distinct; d++) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === v) { i--; tpCount++; }
    while (j >= 0 && neg[j] === v) { j--; fpCount++; }
    thresholds[d] = v;
    tp[d] = tpCount;
    fp[d] = fpCount;
  }
  return { positiveLabel, positives, negatives, thresholds, tp, fp };
}

/** Precision, recall and F1 when predicting positive for score >= sweep.thresholds[index]. */
export function sweepPoint(sweep: ThresholdSweep, index: number) {
  const tp = sweep.tp[index];
  const fp = sweep.fp[index];
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = sweep.positives === 0 ? 0 : tp / sweep.positives;
  return {
    threshold: sweep.thresholds[index],
    tp,
    fp,
    fn: sweep.positives - tp,
    tn: sweep.negatives - fp,
    precision,
    recall,
    f1: fScore(precision, recall),
  };
}

/** The sweep index in force at `threshold`: the last distinct score >= threshold, or -1 if none is. */
export function sweepIndexAt(sweep: ThresholdSweep, threshold: number): number {
  let lo = 0;
  let hi = sweep.thresholds.length; // thresholds decrease
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sweep.thresholds[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Indices of the sweep points roc_curve keeps with drop_intermediate=True. */
function forEachRocPoint(sweep: ThresholdSweep, visit: (index: number) => void): void {
  const m = sweep.thresholds.length;
  const { tp, fp } = sweep;
  for (let d = 0; d < m; d++) {
    if (m > 2 && d > 0 && d < m - 1) {
      const fpBend = fp[d + 1] - 2 * fp[d] + fp[d - 1];
      const tpBend = tp[d + 1] - 2 * tp[d] + tp[d - 1];
      if (fpBend === 0 && tpBend === 0) continue;
    }
    visit(d);
  }
}

/** Area under the ROC curve (trapezoids over the kept points, from (0, 0)); NaN with one class. */
export function rocAucOf(sweep: ThresholdSweep): number {
  if (sweep.positives === 0 || sweep.negatives === 0) return NaN;
  let x0 = 0;
  let y0 = 0;
  let area = 0;
  let compensation = 0;
  forEachRocPoint(sweep, (d) => {
    const x1 = sweep.fp[d] / sweep.negatives;
    const y1 = sweep.tp[d] / sweep.positives;
    const term = ((x1 - x0) * (y1 + y0)) / 2.0;
    const t = area + term;
    compensation += Math.abs(area) >= Math.abs(term) ? area - t + term : term - t + area;
    area = t;
    x0 = x1;
    y0 = y1;
  });
  return area + compensation;
}

/** sum over thresholds, highest first, of (R_i - R_{i-1}) * P_i; recall is 1 throughout when there are no positives. */
export function averagePrecisionOf(sweep: ThresholdSweep): number {
  let previousRecall = 0;
  let total = 0;
  let compensation = 0;
  for (let d = 0; d < sweep.thresholds.length; d++) {
    const tp = sweep.tp[d];
    const predicted = tp + sweep.fp[d];
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = sweep.positives === 0 ? 1 : tp / sweep.positives;
    const term = (recall - previousRecall) * precision;
    const t = total + term;
    compensation += Math.abs(total) >= Math.abs(term) ? total - t + term : term - t + total;
    total = t;
    previousRecall = recall;
  }
  return total + compensation;
}

/**
 * At most `maxPoints` points of an n-point curve: all of them when they fit, else evenly spaced
 * indices that always keep the first and the last.
 */
function thinIndices(n: number, maxPoints: number): (i: number) => number {
  if (maxPoints <= 0 || n <= maxPoints) return (i) => i;
  return (i) => Math.round((i * (n - 1)) / (maxPoints - 1));
}

export interface CurveOptions {
  /** Largest number of points per curve; 0 keeps every point. */
  maxPoints: number;
}

export function rocCurveOf(sweep: ThresholdSweep, options: CurveOptions): RocCurve & { points: number } {
  let keptCount = 0;
  forEachRocPoint(sweep, () => keptCount++);
  const total = keptCount + 1;
  const fprOf = (fps: number) => (sweep.negatives === 0 ? NaN : fps / sweep.negatives);
  const tprOf = (tps: number) => (sweep.positives === 0 ? NaN : tps / sweep.positives);
  const size = options.maxPoints > 0 ? Math.min(total, options.maxPoints) : total;
  const pick = thinIndices(total, size);
  // scikit-learn prepends (0, 0) with threshold max + 1 (1.2; later versions use inf).
  const fpr: number[] = [fprOf(0)];
  const tpr: number[] = [tprOf(0)];
  const thresholds: number[] = [sweep.thresholds.length > 0 ? sweep.thresholds[0] + 1 : NaN];
  let wanted = 1;
  let point = 0;
  forEachRocPoint(sweep, (d) => {
    point++;
    if (wanted < size && pick(wanted) === point) {
      fpr.push(fprOf(sweep.fp[d]));
      tpr.push(tprOf(sweep.tp[d]));
      thresholds.push(sweep.thresholds[d]);
      wanted++;
    }
  });
  return { label: sweep.positiveLabel, fpr, tpr, thresholds, points: total };
}

export function prCurveOf(sweep: ThresholdSweep, options: CurveOptions): PrCurve & { points: number } {
  const m = sweep.thresholds.length;
  const total = m + 1;
  const size = options.maxPoints > 0 ? Math.min(total, options.maxPoints) : total;
  const pick = thinIndices(total, size);
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  // scikit-learn's order: increasing threshold, then the final point (recall 0, precision 1).
  for (let i = 0; i < size; i++) {
    const point = pick(i);
    if (point === m) {
      precision.push(1);
      recall.push(0);
      continue;
    }
    const d = m - 1 - point;
    const tp = sweep.tp[d];
    const predicted = tp + sweep.fp[d];
    precision.push(predicted === 0 ? 0 : tp / predicted);
    recall.push(sweep.positives === 0 ? 1 : tp / sweep.positives);
    thresholds.push(sweep.thresholds[d]);
  }
  return { label: sweep.positiveLabel, precision, recall, thresholds, points: total };
}
