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

/**
 * Reliability bins filled one score at a time, so that a derived score (a top-label confidence, a
 * temperature-scaled probability) needs no column of its own: 10 M rows stay within the memory budget.
 */
export class ReliabilityBins {
  private readonly edges: Float64Array;
  private readonly sums: Float64Array;
  private readonly trues: Float64Array;
  private readonly totals: Float64Array;
  private n = 0;
  private scoreSum = 0;
  private positiveCount = 0;

  constructor(private readonly bins: number) {
    this.edges = innerEdges(bins);
    this.sums = new Float64Array(bins);
    this.trues = new Float64Array(bins);
    this.totals = new Float64Array(bins);
  }

  add(p: number, positive: boolean): void {
    const b = binOf(this.edges, p);
    this.sums[b] += p;
    if (positive) {
      this.trues[b] += 1;
      this.positiveCount++;
    }
    this.totals[b]++;
    this.scoreSum += p;
    this.n++;
  }

  curve(): ReliabilityCurve {
    const { bins, sums, trues, totals, n } = this;
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

  /** The curve read as top-label calibration: scores are confidences, positives are correct rows. */
  topLabel(): TopLabelCalibration {
    const n = this.n;
    return { ...this.curve(), meanConfidence: n === 0 ? NaN : this.scoreSum / n, accuracy: n === 0 ? NaN : this.positiveCount / n };
  }
}

/** Reliability of scores `p` (in [0, 1]) against outcomes `positive`. */
export function reliability(p: ArrayLike<number>, positive: (i: number) => boolean, bins: number): ReliabilityCurve {
  const acc = new ReliabilityBins(bins);
  for (let i = 0; i < p.length; i++) acc.add(p[i], positive(i));
  return acc.curve();
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
  const acc = new ReliabilityBins(bins);
  for (let i = 0; i < truthColumn.length; i++) {
    let best = 0;
    for (let c = 1; c < columns.length; c++) if (columns[c][i] > columns[best][i]) best = c;
    acc.add(columns[best][i], best === truthColumn[i]);
  }
  return acc.topLabel();
}
