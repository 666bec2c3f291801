import type { CalibrationResult } from './sequence/calibration-report';
import type { LengthBuckets } from './sequence/length-buckets';

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
  /** Reliability, ECE, MCE, Brier and temperature scaling, when the scores are probabilities. */
  calibration?: CalibrationResult;
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

/** The metrics read off a confusion matrix. */
export interface MatrixMetrics {
  accuracy: number;
  balancedAccuracy: number;
  mcc: number;
  kappa: number;
  perClass: ClassMetrics[];
  macro: AverageMetrics;
  micro: AverageMetrics;
  weighted: AverageMetrics;
}

export interface ClassificationResult extends ResultBase, MatrixMetrics {
  task: 'classification';
  labels: Label[];
  /** Rows are true labels, columns predicted labels, both in `labels` order. */
  confusionMatrix: number[][];
  positiveLabel: Label | null;
  scores: ScoreMetrics | null;
  /** The rows behind each matrix cell, when asked for (`cellSamples`); bounded whatever the file's size. */
  cellSamples?: CellSamples;
  /** Accuracy and macro F1 by sequence length, when the file has a length, token-id or text column. */
  lengthBuckets?: LengthBuckets;
}

/**
 * The first rows of each non-empty confusion-matrix cell, in file order. Rows are 0-based data rows
 * (the header and blank lines not counted). Cells with no kept rows are left out.
 */
export interface CellSamples {
  /** Most rows kept for any one cell. */
  perCell: number;
  /** Most rows kept over all cells; once reached, later cells keep none. */
  limit: number;
  /** What each entry of a sample's `scores` is, e.g. `score (spam)`, `p_true`, `p_pred`. */
  scoreColumns: string[];
  /** The text or id columns read back for the kept rows, in the order of a sample's `fields`. */
  fieldColumns: string[];
  cells: {
    /** Class indices into `labels`. */
    truth: number;
    predicted: number;
    rows: number[];
    scores: number[][] | null;
    /** Cell text per row, cut to 300 characters; null when the file has no text or id column. */
    fields: string[][] | null;
  }[];
}

/** (truth, prediction) pairs for a residual plot: every row of a small file, an even sample of a big one. */
export interface ResidualSample {
  total: number;
  sampled: boolean;
  rows: number[];
  truth: number[];
  predicted: number[];
}

export interface RegressionResult extends ResultBase {
  task: 'regression';
  mse: number;
  mae: number;
  rmse: number;
  r2: number;
  /** When asked for (`residualSamples`). */
  residuals?: ResidualSample;
  /** MSE and MAE by sequence length, when the file has a length, token-id or text column. */
  lengthBuckets?: LengthBuckets;
}

export interface LanguageModelResult extends ResultBase {
  task: 'language-model';
  /** Mean negative log-likelihood per token, in nats. */
  crossEntropy: number;
  /** Corpus perplexity: exp(total NLL / total tokens), not a mean of per-sequence perplexities. */
  perplexity: number;
  /** Sequences named by the file's sequence-id column, when it has one. */
  sequences?: number;
  /** Tokens, mean NLL and perplexity by sequence length (tokens per sequence), when the file names each token's sequence. */
  lengthBuckets?: LengthBuckets;
}

export type EvaluationResult = ClassificationResult | RegressionResult | LanguageModelResult;

export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'npy' | 'npz';

export type ColumnRole = 'true' | 'pred' | 'score' | 'logprob' | 'loss' | 'key' | 'sequence';

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
    /** A language model's per-token file: the column naming each token's sequence (default: seq_id, sentence_id, …). */
    sequence?: string;
  };
  positiveLabel?: string;
  /** Binary threshold on the positive score; set explicitly, it overrides a prediction column. */
  threshold?: number;
  /** Names for integer labels 0..K-1; every one of them becomes a class. */
  classNames?: string[];
  backend?: BackendName;
  /** Evaluated the same way and compared with the main file (overfitting and leakage). */
  trainPath?: string;
  /** Uniform bins of the reliability diagram (default 10). */
  calibrationBins?: number;
  /** Edges of the length buckets (right-closed, open at both ends); default: rounded quantiles. */
  lengthBuckets?: number[];
  /** The padding id, not counted in a token-id column's lengths. */
  padId?: number;
}
