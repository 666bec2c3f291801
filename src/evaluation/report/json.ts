// `--format json`: one object with exactly the keys the issue lists, NaN and infinities as null.
import type { EvaluationResult } from '../types';

export function toJsonObject(result: EvaluationResult): Record<string, unknown> {
  const head = { task: result.task, backend: result.backend, n: result.n };
  const warnings = result.warnings.map(({ code, message }) => ({ code, message }));
  if (result.task === 'regression') {
    return { ...head, mse: result.mse, mae: result.mae, rmse: result.rmse, r2: result.r2, ...(result.lengthBuckets ? { lengthBuckets: result.lengthBuckets } : {}), warnings };
  }
  if (result.task === 'language-model') {
    return {
      ...head, crossEntropy: result.crossEntropy, perplexity: result.perplexity,
      ...(result.lengthBuckets ? { sequences: result.sequences, lengthBuckets: result.lengthBuckets } : {}),
      warnings,
    };
  }
  const body: Record<string, unknown> = {
    ...head,
    labels: result.labels,
    confusionMatrix: result.confusionMatrix,
    accuracy: result.accuracy,
    balancedAccuracy: result.balancedAccuracy,
    mcc: result.mcc,
    kappa: result.kappa,
    perClass: result.perClass.map(({ label, precision, recall, f1, support }) => ({ label, precision, recall, f1, support })),
    macro: result.macro,
    micro: result.micro,
    weighted: result.weighted,
  };
  if (result.scores) {
    const { threshold, rocAuc, averagePrecision, logLoss, curves } = result.scores;
    Object.assign(body, {
      threshold,
      rocAuc,
      averagePrecision,
      logLoss,
      curves: {
        roc: curves.roc.map(({ label, fpr, tpr, thresholds }) => ({ label, fpr, tpr, thresholds })),
        pr: curves.pr.map(({ label, precision, recall, thresholds }) => ({ label, precision, recall, thresholds })),
      },
      ...(result.scores.calibration ? { calibration: result.scores.calibration } : {}),
    });
  }
  if (result.lengthBuckets) body.lengthBuckets = result.lengthBuckets;
  body.warnings = warnings;
  return body;
}

export function formatJson(result: EvaluationResult): string {
  // JSON.stringify already writes NaN and ±Infinity as null.
  return `${JSON.stringify(toJsonObject(result), null, 2)}\n`;
}
