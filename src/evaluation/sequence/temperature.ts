// Temperature scaling (Guo et al., 2017): one temperature T dividing every logit, fitted by
// minimising the log loss on the given data. The loss is convex in β = 1/T (its second derivative
// is the variance of the logits under the scaled softmax), so Newton's method on β, kept inside a
// bracket that bisection shrinks, finds the minimum; no step size to tune.

import { ReliabilityBins, TopLabelCalibration } from './calibration';

export interface TemperatureFit {
  /** The fitted temperature; null when the loss keeps falling as T → 0 or ∞ (no finite minimum). */
  temperature: number | null;
  /** Mean negative log-likelihood at T = 1 and at the fitted T (nats). */
  nllBefore: number;
  nllAfter: number;
}

/**
 * Per-class columns, read row by row: logits as they are, or probabilities whose logits are log(p)
 * (clipped as log loss clips), taken one row at a time so that 10 M rows hold no second copy.
 */
export interface LogitSource {
  columns: ArrayLike<number>[];
  probabilities?: boolean;
}

/** Probabilities are clipped here before their log is used as a logit. */
export const LOG_EPS = 2.220446049250313e-16;

/** Reads row i's logits into `row`. */
function readRow(source: LogitSource, i: number, row: Float64Array): void {
  const { columns } = source;
  if (source.probabilities) {
    for (let c = 0; c < columns.length; c++) {
      const p = columns[c][i];
      row[c] = Math.log(p < LOG_EPS ? LOG_EPS : p);
    }
  } else {
    for (let c = 0; c < columns.length; c++) row[c] = columns[c][i];
  }
}

function asSource(logits: ArrayLike<number>[] | LogitSource): LogitSource {
  return Array.isArray(logits) ? { columns: logits } : (logits as LogitSource);
}

const BETA_MIN = 1e-4;
const BETA_MAX = 1e4;

/**
 * logits[c][i] for class c of row i; truth[i] the true class's index. Returns the mean NLL, its first
 * and second derivatives with respect to β at β.
 */
function lossAt(source: LogitSource, truth: Int32Array, beta: number): [number, number, number] {
  const k = source.columns.length;
  const n = truth.length;
  const row = new Float64Array(k);
  let loss = 0;
  let grad = 0;
  let curvature = 0;
  for (let i = 0; i < n; i++) {
    readRow(source, i, row);
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (row[c] > max) max = row[c];
    let z = 0;
    let mean = 0;
    let second = 0;
    for (let c = 0; c < k; c++) {
      const v = row[c];
      const w = Math.exp(beta * (v - max));
      z += w;
      mean += w * v;
      second += w * v * v;
    }
    mean /= z;
    second /= z;
    loss += -beta * (row[truth[i]] - max) + Math.log(z);
    grad += mean - row[truth[i]];
    curvature += second - mean * mean;
  }
  return [loss / n, grad / n, curvature / n];
}

export function fitTemperature(input: ArrayLike<number>[] | LogitSource, truth: Int32Array): TemperatureFit {
  const logits = asSource(input);
  const nllBefore = lossAt(logits, truth, 1)[0];
  let lo = BETA_MIN;
  let hi = BETA_MAX;
  if (lossAt(logits, truth, lo)[1] >= 0) return { temperature: null, nllBefore, nllAfter: NaN };
  if (lossAt(logits, truth, hi)[1] <= 0) return { temperature: null, nllBefore, nllAfter: NaN };
  let beta = 1;
  for (let step = 0; step < 200; step++) {
    const [, grad, curvature] = lossAt(logits, truth, beta);
    if (grad > 0) hi = beta;
    else lo = beta;
    let next = curvature > 0 ? beta - grad / curvature : NaN;
    if (!(next > lo && next < hi)) next = Math.sqrt(lo * hi); // bisect (geometrically: β spans decades)
    if (Math.abs(next - beta) <= 1e-13 * beta || hi - lo <= 1e-13 * lo) { beta = next; break; }
    beta = next;
  }
  return { temperature: 1 / beta, nllBefore, nllAfter: lossAt(logits, truth, beta)[0] };
}

/**
 * Top-label calibration of softmax(logits / T): per row the highest scaled probability and whether
 * its class (the first of equal ones, as numpy's argmax) is the truth, binned one row at a time.
 */
export function scaledTopLabel(input: ArrayLike<number>[] | LogitSource, temperature: number, truth: Int32Array, bins: number): TopLabelCalibration {
  const source = asSource(input);
  const k = source.columns.length;
  const acc = new ReliabilityBins(bins);
  const row = new Float64Array(k);
  for (let i = 0; i < truth.length; i++) {
    readRow(source, i, row);
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (row[c] > max) max = row[c];
    let z = 0;
    for (let c = 0; c < k; c++) {
      row[c] = Math.exp((row[c] - max) / temperature);
      z += row[c];
    }
    for (let c = 0; c < k; c++) row[c] /= z;
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
    acc.add(row[best], best === truth[i]);
  }
  return acc.topLabel();
}
