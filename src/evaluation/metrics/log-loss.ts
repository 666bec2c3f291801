// Log loss as scikit-learn 1.2's log_loss computes it: clip each probability to
// [eps, 1 - eps] with eps = float64 machine epsilon, renormalise every row to sum to 1,
// and average -log(p of the true class).
import { CompensatedSum } from './sum';

const EPS = 2.220446049250313e-16;

function clip(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

/** One probability per row for the positive class (log_loss with a 1-D y_pred). */
export function binaryLogLoss(score: Float64Array, isPositive: (i: number) => boolean): number {
  const total = new CompensatedSum();
  for (let i = 0; i < score.length; i++) {
    const p = clip(score[i]);
    const q = 1 - p;
    const sum = q + p;
    total.add(-Math.log((isPositive(i) ? p : q) / sum));
  }
  return total.value / score.length;
}

/** columns[c][i]: probability of class c for row i; truth[i] is the true class's column. */
export function multiclassLogLoss(columns: Float64Array[], truth: Int32Array): number {
  const total = new CompensatedSum();
  const k = columns.length;
  for (let i = 0; i < truth.length; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(columns[c][i]);
    total.add(-Math.log(clip(columns[truth[i]][i]) / sum));
  }
  return total.value / truth.length;
}

/** Rows whose probabilities do not sum to 1 within NumPy's allclose tolerances, and the first such row. */
export function unnormalisedRows(columns: Float64Array[], rows: number): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (const column of columns) sum += column[i];
    if (Math.abs(sum - 1) > 1e-8 + 1e-5) {
      if (first < 0) first = i;
      count++;
    }
  }
  return { count, first };
}

/** Turns per-class logits into probabilities, row by row, in place (max-subtracted for stability). */
export function softmaxInPlace(columns: Float64Array[], rows: number): void {
  const k = columns.length;
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (columns[c][i] > max) max = columns[c][i];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(columns[c][i] - max);
      columns[c][i] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) columns[c][i] /= sum;
  }
}
