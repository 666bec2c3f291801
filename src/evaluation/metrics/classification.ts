// Metrics from a confusion matrix, following scikit-learn 1.2 formula by formula:
// precision_recall_fscore_support with zero_division="warn" (0, and say so), balanced_accuracy_score
// (classes absent from y_true left out), matthews_corrcoef (0 when undefined), cohen_kappa_score.
import type { ClassMetrics, Label, MatrixMetrics } from '../types';

export interface ClassificationMetrics extends MatrixMetrics {  /** What scikit-learn would warn about: labels whose precision or recall divided by zero. */
  undefinedPrecision: Label[];
  undefinedRecall: Label[];
  /** Labels only in the predictions, which balanced accuracy leaves out. */
  onlyPredicted: Label[];
}

/** matrix[t][p]: rows are true classes, columns predicted, both in `labels` order. */
export function classificationMetrics(matrix: number[][], labels: Label[]): ClassificationMetrics {
  const k = labels.length;
  const trueSum = new Array<number>(k).fill(0);
  const predSum = new Array<number>(k).fill(0);
  let n = 0;
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const c = matrix[t][p];
      trueSum[t] += c;
      predSum[p] += c;
      n += c;
    }
    correct += matrix[t][t];
  }

  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const undefinedPrecision: Label[] = [];
  const undefinedRecall: Label[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    const p = predSum[c] === 0 ? 0 : tp / predSum[c];
    const r = trueSum[c] === 0 ? 0 : tp / trueSum[c];
    if (predSum[c] === 0) undefinedPrecision.push(labels[c]);
    if (trueSum[c] === 0) undefinedRecall.push(labels[c]);
    precision.push(p);
    recall.push(r);
    f1.push(fScore(p, r));
  }
  const perClass: ClassMetrics[] = labels.map((label, c) => ({ label, precision: precision[c], recall: recall[c], f1: f1[c], support: trueSum[c] }));

  const microP = n === 0 ? 0 : correct / n;
  const micro = { precision: microP, recall: microP, f1: fScore(microP, microP) };
  const macro = { precision: mean(precision), recall: mean(recall), f1: mean(f1) };
  const weighted = { precision: weightedMean(precision, trueSum), recall: weightedMean(recall, trueSum), f1: weightedMean(f1, trueSum) };

  const perClassRecall: number[] = [];
  const onlyPredicted: Label[] = [];
  for (let c = 0; c < k; c++) {
    if (trueSum[c] === 0) { if (predSum[c] > 0) onlyPredicted.push(labels[c]); continue; }
    perClassRecall.push(matrix[c][c] / trueSum[c]);
  }

  return {
    accuracy: n === 0 ? NaN : correct / n,
    balancedAccuracy: mean(perClassRecall),
    mcc: matthews(trueSum, predSum, correct, n),
    kappa: cohenKappa(matrix, trueSum, predSum, n),
    perClass,
    macro,
    micro,
    weighted,
    undefinedPrecision,
    undefinedRecall,
    onlyPredicted,
  };
}

/** F1 as scikit-learn computes it from precision and recall (0 when both are 0). */
export function fScore(precision: number, recall: number): number {
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
}

function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

function weightedMean(values: number[], weights: number[]): number {
  let total = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i] * weights[i];
    weight += weights[i];
  }
  return weight === 0 ? 0 : total / weight;
}

function matthews(trueSum: number[], predSum: number[], correct: number, n: number): number {
  let dotTP = 0;
  let dotPP = 0;
  let dotTT = 0;
  for (let c = 0; c < trueSum.length; c++) {
    dotTP += trueSum[c] * predSum[c];
    dotPP += predSum[c] * predSum[c];
    dotTT += trueSum[c] * trueSum[c];
  }
  const covTP = correct * n - dotTP;
  const covPP = n * n - dotPP;
  const covTT = n * n - dotTT;
  if (covPP * covTT === 0) return 0;
  return covTP / Math.sqrt(covTT * covPP);
}

/** 1 - sum(W*C)/sum(W*E) with W the off-diagonal ones and E = outer(predSum, trueSum)/n; NaN when 0/0. */
function cohenKappa(matrix: number[][], trueSum: number[], predSum: number[], n: number): number {
  const k = trueSum.length;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      observed += matrix[i][j];
      expected += (predSum[i] * trueSum[j]) / n;
    }
  }
  return 1 - observed / expected;
}
