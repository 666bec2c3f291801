// Regression metrics as scikit-learn 1.2 defines them; r2_score with force_finite=True
// (a constant target gives 1.0 for a perfect fit, else 0.0, instead of nan or -inf).
import { CompensatedSum } from './sum';

export interface RegressionMetrics {
  mse: number;
  mae: number;
  rmse: number;
  r2: number;
  constantTarget: boolean;
}

export function regressionMetrics(truth: Float64Array, predicted: Float64Array): RegressionMetrics {
  const n = truth.length;
  const squared = new CompensatedSum();
  const absolute = new CompensatedSum();
  const sumTrue = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const error = truth[i] - predicted[i];
    squared.add(error * error);
    absolute.add(Math.abs(error));
    sumTrue.add(truth[i]);
  }
  const mean = sumTrue.value / n;
  const spread = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = truth[i] - mean;
    spread.add(d * d);
  }
  const numerator = squared.value;
  const denominator = spread.value;
  let r2: number;
  if (n < 2) r2 = NaN;
  else if (denominator !== 0) r2 = 1 - numerator / denominator;
  else r2 = numerator === 0 ? 1 : 0;
  const mse = numerator / n;
  return { mse, mae: absolute.value / n, rmse: Math.sqrt(mse), r2, constantTarget: n >= 2 && denominator === 0 };
}
