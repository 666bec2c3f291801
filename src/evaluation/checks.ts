// The checks behind the warnings in warnings.ts, run on finished metrics.
import type { ClassificationMetrics } from './metrics/classification';
import type { EvalWarning, Label } from './types';
import {
  HIGH_ACCURACY, IMBALANCE_RATIO, LOW_RECALL, PARADOX_MARGIN, listLabels, percent, warning,
} from './warnings';

export function classificationWarnings(metrics: ClassificationMetrics, matrix: number[][], labels: Label[]): EvalWarning[] {
  const warnings: EvalWarning[] = [];
  const supported = metrics.perClass.filter((c) => c.support > 0);
  const n = supported.reduce((total, c) => total + c.support, 0);
  // Row by row: a column-wise sum would walk k arrays k times (seconds at 4,000 classes).
  const predictedCount = new Array<number>(labels.length).fill(0);
  for (const row of matrix) for (let p = 0; p < labels.length; p++) predictedCount[p] += row[p];

  // Accuracy paradox: high accuracy that says little.
  if (supported.length >= 2 && metrics.accuracy >= HIGH_ACCURACY) {
    const majority = supported.reduce((a, b) => (b.support > a.support ? b : a));
    const baseline = majority.support / n;
    const missed = supported.filter((c) => c.recall < LOW_RECALL).sort((a, b) => a.recall - b.recall);
    const barely = metrics.accuracy - baseline < PARADOX_MARGIN;
    if (barely || missed.length > 0) {
      const parts = [`accuracy is ${percent(metrics.accuracy)}`];
      if (missed.length > 0) parts.push(`but recall of ${missed.map((c) => `'${String(c.label)}' is ${percent(c.recall)}`).join(', ')}`);
      parts.push(`${missed.length > 0 ? 'and ' : 'but '}always predicting '${String(majority.label)}' would score ${percent(baseline)}`);
      warnings.push(warning('SLE101', `${parts.join(' ')}. Look at per-class recall, macro F1 (${metrics.macro.f1.toFixed(3)}) and balanced accuracy (${metrics.balancedAccuracy.toFixed(3)}).`));
    }
  }

  if (supported.length >= 2) {
    const largest = supported.reduce((a, b) => (b.support > a.support ? b : a));
    const smallest = supported.reduce((a, b) => (b.support < a.support ? b : a));
    if (largest.support >= IMBALANCE_RATIO * smallest.support) {
      warnings.push(warning('SLE102', `'${String(largest.label)}' has ${largest.support} samples (${percent(largest.support / n)}) and '${String(smallest.label)}' only ${smallest.support} (${percent(smallest.support / n)}): ${(largest.support / smallest.support).toFixed(1)} to 1.`));
    }
  }

  const neverPredicted = labels.filter((_label, c) => metrics.perClass[c].support > 0 && predictedCount[c] === 0);
  if (neverPredicted.length > 0) {
    warnings.push(warning('SLE103', `${listLabels(neverPredicted)} ${neverPredicted.length === 1 ? 'occurs' : 'occur'} in the true labels but ${neverPredicted.length === 1 ? 'is' : 'are'} never predicted.`));
  }
  if (metrics.undefinedPrecision.length > 0) {
    warnings.push(warning('SLE104', `Precision and F1 are ill-defined and set to 0.0 for ${listLabels(metrics.undefinedPrecision)}, which ${metrics.undefinedPrecision.length === 1 ? 'has' : 'have'} no predicted samples.`));
  }
  if (metrics.undefinedRecall.length > 0) {
    warnings.push(warning('SLE104', `Recall and F1 are ill-defined and set to 0.0 for ${listLabels(metrics.undefinedRecall)}, which ${metrics.undefinedRecall.length === 1 ? 'has' : 'have'} no true samples.`));
  }
  if (metrics.onlyPredicted.length > 0) {
    warnings.push(warning('SLE106', `${listLabels(metrics.onlyPredicted)} ${metrics.onlyPredicted.length === 1 ? 'is' : 'are'} predicted but never true; balanced accuracy leaves ${metrics.onlyPredicted.length === 1 ? 'it' : 'them'} out.`));
  }
  if (Number.isNaN(metrics.kappa)) {
    warnings.push(warning('SLE105', `Only one class ('${String(labels[0])}') occurs in the labels and predictions, so Cohen's kappa is undefined (NaN).`));
  }
  return warnings;
}
