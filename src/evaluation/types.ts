// The plain data the evaluation engine returns. No class instances, no functions:
// the CLI prints it, the JSON report serialises it and a webview can receive it by postMessage.

/** A class label as it appeared in the file: a number, or text when any label was text. */
export type Label = string | number;

export type Task = 'classification' | 'regression' | 'language-model';

/** The TensorFlow.js backends the engine can count on, fastest first. */
export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';

export interface EvalWarning {
  /** Stable code, never reused (see `WARNING_CATALOGUE`). */
  code: string;
  message: string;
}

export interface ClassMetrics {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface AverageMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface RocCurve {
  /** The class treated as positive (one curve per class for multi-class scores, one versus rest). */
  label: Label;
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is `max(score) + 1`, as scikit-learn 1.2 does. */
  thresholds: number[];
}

export interface PrCurve {
  label: Label;
  precision: number[];
  recall: number[];
  /** Increasing, one fewer than the points: the last point (recall 0, precision 1) has no threshold. */
  thresholds: number[];
}

/**
 * Counts at every distinct score, highest first: predicting positive when `score >= thresholds[i]`
 * gives `tp[i]` true positives and `fp[i]` false positives. Precision, recall and F1 at any threshold
 * follow by one division (see `sweepPoint`), so a slider never needs the data again.
 */
export interface ThresholdSweep {
  positiveLabel: Label;
  positives: number;
  negatives: number;
  thresholds: Float64Array;
  /** Counts (below 2^32, so 4 bytes each: a 10-million-point sweep stays under 160 MB). */
  tp: Uint32Array;
  fp: Uint32Array;
}

export interface ScoreMetrics {
  /** The threshold that produced the predictions, or null when they came from the file or from argmax. */
  threshold: number | null;
  /** Binary: ROC AUC of the positive class. Multi-class: macro average one versus rest. NaN when undefined. */
  rocAuc: number;
  /** Non-interpolated (step) average precision; macro one versus rest for multi-class. */
  averagePrecision: number;
  /** NaN when the scores are not probabilities. */
  logLoss: number;
  curves: { roc: RocCurve[]; pr: PrCurve[] };
  /** Binary scores only. */
  sweep: ThresholdSweep | null;
}

interface ResultBase {
  task: Task;
  backend: BackendName;
  /** Rows (samples; tokens for language models). */
  n: number;
  warnings: EvalWarning[];
  source: SourceInfo;
}

export interface SourceInfo {
  path: string;
  format: FileFormat;
  /** Which column of the file played which part. */
  columns: Partial<Record<ColumnRole, string>> & { classScores?: string[] };
  elapsedMs: number;
}

export interface ClassificationResult extends ResultBase {
  task: 'classification';
  labels: Label[];
  /** Rows are true labels, columns predicted labels, both in `labels` order. */
  confusionMatrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  mcc: number;
  kappa: number;
  perClass: ClassMetrics[];
  macro: AverageMetrics;
  micro: AverageMetrics;
  weighted: AverageMetrics;
  positiveLabel: Label | null;
  scores: ScoreMetrics | null;
}

export interface RegressionResult extends ResultBase {
  task: 'regression';
  mse: number;
  mae: number;
  rmse: number;
  r2: number;
}

export interface LanguageModelResult extends ResultBase {
  task: 'language-model';
  /** Mean negative log-likelihood per token, in nats. */
  crossEntropy: number;
  /** Corpus perplexity: exp(total NLL / total tokens), not a mean of per-sequence perplexities. */
  perplexity: number;
}

export type EvaluationResult = ClassificationResult | RegressionResult | LanguageModelResult;

export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'npy' | 'npz';

export type ColumnRole = 'true' | 'pred' | 'score' | 'logprob' | 'loss' | 'key';

export interface EvaluateOptions {
  task?: Task;
  /** Column names that override detection. */
  columns?: {
    true?: string;
    pred?: string;
    score?: string;
    /** Per-class probability or logit columns, in any order; each name ends with its class. */
    classScores?: string[];
    logprob?: string;
    loss?: string;
    /** The column that identifies a sample (text or id), used for the leakage check. */
    key?: string;
  };
  positiveLabel?: string;
  /** Binary threshold on the positive score; set explicitly, it overrides a prediction column. */
  threshold?: number;
  /** Names for integer labels 0..K-1; every one of them becomes a class. */
  classNames?: string[];
  backend?: BackendName;
  /** Evaluated the same way and compared with the main file (overfitting and leakage). */
  trainPath?: string;
}
