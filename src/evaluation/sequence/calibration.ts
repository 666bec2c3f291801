// Calibration: reliability diagrams, expected and maximum calibration error, Brier score.
// Bins are scikit-learn 1.2's calibration_curve(strategy='uniform'): edges np.linspace(0, 1, n + 1)
// and `np.searchsorted(edges[1:-1], p)` (side='left'), so bins are right-closed and a score on an
// edge goes to the lower bin; 0 goes to the first bin and 1 to the last.
// ECE = Σ over non-empty bins of (count / n) · |mean score − fraction positive|; MCE is the largest
// of those gaps. scikit-learn has neither; they are computed from its bins.

export const DEFAULT_CALIBRATION_BINS = 10;
export const MAX_CALIBRATION_BINS = 1000;

export interface ReliabilityCurve {
  /** Fraction of positives in each non-empty bin (calibration_curve's prob_true). */
  probTrue: number[];
  /** Mean score in each non-empty bin (prob_pred). */
  probPred: number[];
  /** Samples in each non-empty bin. */
  counts: number[];
  /** Index of each non-empty bin among the `bins` uniform bins. */
  binIndex: number[];
  ece: number;
  mce: number;
}

export interface ClassCalibration extends ReliabilityCurve {
  label: string | number;
  /** brier_score_loss of this class one versus rest. */
  brier: number;
}

export interface TopLabelCalibration extends ReliabilityCurve {
  /** Mean of the highest probability. */
  meanConfidence: number;
  /** Share of rows whose highest-probability class is the true one. */
  accuracy: number;
}

/** np.linspace(0, 1, bins + 1)'s inner edges, computed as NumPy does (i · step, then + 0). */
export function innerEdges(bins: number): Float64Array {
  const step = 1 / bins;
  const edges = new Float64Array(bins - 1);
  for (let i = 1; i < bins; i++) edges[i - 1] = i * step;
  return edges;
}

/** np.searchsorted(edges, p, side='left'): how many edges are strictly below p. */
export function binOf(edges: Float64Array, p: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Reliability of scores `p` (in [0, 1]) against outcomes `positive`. */
export function reliability(p: ArrayLike<number>, positive: (i: number) => boolean, bins: number): ReliabilityCurve {
  const edges = innerEdges(bins);
  const sums = new Float64Array(bins);
  const trues = new Float64Array(bins);
  const totals = new Float64Array(bins);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const b = binOf(edges, p[i]);
    sums[b] += p[i];
    if (positive(i)) trues[b] += 1;
    totals[b]++;
  }
  const curve: ReliabilityCurve = { probTrue: [], probPred: [], counts: [], binIndex: [], ece: 0, mce: 0 };
  for (let b = 0; b < bins; b++) {
    if (totals[b] === 0) continue;
    const fraction = trues[b] / totals[b];
    const mean = sums[b] / totals[b];
    const gap = Math.abs(mean - fraction);
    curve.probTrue.push(fraction);
    curve.probPred.push(mean);
    curve.counts.push(totals[b]);
    curve.binIndex.push(b);
    curve.ece += (totals[b] / n) * gap;
    if (gap > curve.mce) curve.mce = gap;
  }
  if (n === 0) { curve.ece = NaN; curve.mce = NaN; }
  return curve;
}

/** brier_score_loss: the mean of (outcome − p)². */
export function brierScore(p: ArrayLike<number>, positive: (i: number) => boolean): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const d = (positive(i) ? 1 : 0) - p[i];
    total += d * d;
  }
  return p.length === 0 ? NaN : total / p.length;
}

/**
 * Top-label calibration over per-class probability columns (sorted class order): confidence is the
 * highest probability, correct when that class (the first of equal ones, as numpy's argmax) is the truth.
 */
export function topLabel(columns: ArrayLike<number>[], truthColumn: Int32Array, bins: number): TopLabelCalibration {
  const n = truthColumn.length;
  const confidence = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < columns.length; c++) if (columns[c][i] > columns[best][i]) best = c;
    confidence[i] = columns[best][i];
    correct[i] = best === truthColumn[i] ? 1 : 0;
  }
  return topLabelOf(confidence, correct, bins);
}

/** Top-label calibration from each row's confidence and whether its top class is right. */
export function topLabelOf(confidence: Float64Array, correct: Uint8Array, bins: number): TopLabelCalibration {
  const n = confidence.length;
  let confidenceSum = 0;
  let correctCount = 0;
  for (let i = 0; i < n; i++) {
    confidenceSum += confidence[i];
    correctCount += correct[i];
  }
  const curve = reliability(confidence, (i) => correct[i] === 1, bins);
  return { ...curve, meanConfidence: n === 0 ? NaN : confidenceSum / n, accuracy: n === 0 ? NaN : correctCount / n };
}
