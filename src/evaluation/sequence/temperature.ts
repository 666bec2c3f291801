// Temperature scaling (Guo et al., 2017): one temperature T dividing every logit, fitted by
// minimising the log loss on the given data. The loss is convex in β = 1/T (its second derivative
// is the variance of the logits under the scaled softmax), so Newton's method on β, kept inside a
// bracket that bisection shrinks, finds the minimum; no step size to tune.

export interface TemperatureFit {
  /** The fitted temperature; null when the loss keeps falling as T → 0 or ∞ (no finite minimum). */
  temperature: number | null;
  /** Mean negative log-likelihood at T = 1 and at the fitted T (nats). */
  nllBefore: number;
  nllAfter: number;
}

const BETA_MIN = 1e-4;
const BETA_MAX = 1e4;

/**
 * logits[c][i] for class c of row i; truth[i] the true class's index. Returns the mean NLL, its first
 * and second derivatives with respect to β at β.
 */
function lossAt(logits: ArrayLike<number>[], truth: Int32Array, beta: number): [number, number, number] {
  const k = logits.length;
  const n = truth.length;
  let loss = 0;
  let grad = 0;
  let curvature = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (logits[c][i] > max) max = logits[c][i];
    let z = 0;
    let mean = 0;
    let second = 0;
    for (let c = 0; c < k; c++) {
      const v = logits[c][i];
      const w = Math.exp(beta * (v - max));
      z += w;
      mean += w * v;
      second += w * v * v;
    }
    mean /= z;
    second /= z;
    loss += -beta * (logits[truth[i]][i] - max) + Math.log(z);
    grad += mean - logits[truth[i]][i];
    curvature += second - mean * mean;
  }
  return [loss / n, grad / n, curvature / n];
}

export function fitTemperature(logits: ArrayLike<number>[], truth: Int32Array): TemperatureFit {
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

/** softmax(logits / T) as columns. */
export function scaledProbabilities(logits: ArrayLike<number>[], temperature: number): Float64Array[] {
  const k = logits.length;
  const n = k === 0 ? 0 : logits[0].length;
  const out = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (logits[c][i] > max) max = logits[c][i];
    let z = 0;
    for (let c = 0; c < k; c++) {
      const w = Math.exp((logits[c][i] - max) / temperature);
      out[c][i] = w;
      z += w;
    }
    for (let c = 0; c < k; c++) out[c][i] /= z;
  }
  return out;
}
