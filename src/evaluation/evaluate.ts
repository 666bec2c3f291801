// From a predictions file to an EvaluationResult: read, pick the task, map labels to sorted
// classes, count on the TensorFlow.js backend, compute the metrics in float64, and warn.
import { BackendUnavailableError, chooseBackend, CountingBackend } from './backend';
import { classificationWarnings } from './checks';
import { InputError } from './errors';
import { compareLabels, parseLabel, remapTable, sortedUnique } from './labels';
import { sharedSamples } from './leakage';
import { classificationMetrics } from './metrics/classification';
import { countConfusion } from './metrics/confusion';
import { averagePrecisionOf, buildSweep, prCurveOf, rocAucOf, rocCurveOf } from './metrics/curves';
import { languageModelMetrics } from './metrics/language-model';
import { binaryLogLoss, multiclassLogLoss, softmaxInPlace, unnormalisedRows } from './metrics/log-loss';
import { regressionMetrics } from './metrics/regression';
import { DEFAULT_CALIBRATION_BINS } from './sequence/calibration';
import { calibrationOf, calibrationWarnings, CalibrationResult } from './sequence/calibration-report';
import { LabelColumn, MAX_CLASSES } from './readers/builders';
import { MAX_MATRIX_CLASSES } from './readers/limits';
import { classificationBuckets, languageModelBuckets, type LengthBuckets, lengthBucketsOf, lengthWarnings, regressionBuckets } from './sequence/length-buckets';
import { readRowLengths, RowLengths } from './sequence/readers/lengths';
import { readSequenceIds, type SequenceIds } from './sequence/readers/sequence-ids';
import { readPredictions } from './readers/index';
import { attachSampleFields } from './readers/sample-fields';
import { CellSampleLimits, collectCellSamples, DEFAULT_CELL_SAMPLE_LIMITS, sampleResiduals, SampleScores } from './samples';
import type { PredictionTable } from './readers/table';
import type {
  ClassificationResult, EvalWarning, EvaluateOptions, EvaluationResult, Label, LanguageModelResult,
  PrCurve, RegressionResult, RocCurve, ScoreMetrics, SourceInfo, Task,
} from './types';
import {
  LEAKAGE_SHARE, OVERFIT_GAP, OVERFIT_PERPLEXITY_RATIO, percent, warning,
} from './warnings';

export interface EngineOptions extends EvaluateOptions {
  /** Largest number of points kept per ROC or PR curve in the result (the sweep is always whole); 0 keeps all. */
  maxCurvePoints?: number;
  /** Keep the first rows of each confusion-matrix cell, with their scores and text or id columns. */
  cellSamples?: boolean | CellSampleLimits;
  /** Keep at most this many (truth, prediction) pairs for a residual plot (regression). */
  residualSamples?: number;
  /** The length of every row, for errors by sequence length (read by `evaluate` from the file). */
  rowLengths?: RowLengths | null;
  /** A language model's per-token file: the sequence of each token, for perplexity by length. */
  sequenceIds?: SequenceIds | null;
}

export const DEFAULT_MAX_CURVE_POINTS = 2000;
/** A confusion matrix past this many classes would not fit in memory as counts. */
export { MAX_MATRIX_CLASSES };

export { BackendUnavailableError };

export async function evaluate(path: string, options: EngineOptions = {}): Promise<EvaluationResult> {
  const started = performance.now();
  const backend = await chooseBackend(options.backend);
  const table = await readPredictions(path, options);
  const keys = table.keys;
  const languageModel = options.task === 'language-model' || (options.task === undefined && table.yTrue === null && (table.logprob !== null || table.loss !== null));
  const rowLengths = languageModel || table.yTrue === null ? null : await readRowLengths(path, table.format, table.rows, options.padId ?? null);
  const sequenceIds = languageModel ? await readSequenceIds(path, table.format, table.rows, options.columns?.sequence) : null;
  if (languageModel && options.columns?.sequence !== undefined && sequenceIds === null) {
    throw new InputError(path, null, `no sequence-id column '${options.columns.sequence}' to read (a JSON, JSON Lines, CSV or TSV file can name one)`);
  }
  const result = await evaluateTable(table, backend, { ...options, rowLengths, sequenceIds });
  if (result.task === 'classification' && result.cellSamples) await attachSampleFields(result.cellSamples, path, table.format, table.choice.key);
  if (options.trainPath) {
    const trainTable = await readPredictions(options.trainPath, { ...options, trainPath: undefined });
    const trainKeys = trainTable.keys;
    const train = await evaluateTable(trainTable, backend, { ...options, trainPath: undefined });
    if (train.task !== result.task) {
      throw new InputError(options.trainPath, null, `the training file looks like a ${train.task} file but ${path} like a ${result.task} file; set --task`);
    }
    result.warnings.push(...compareWithTraining(result, train, keys, trainKeys));
  }
  result.source.elapsedMs = performance.now() - started;
  return result;
}

export async function evaluateTable(table: PredictionTable, backend: CountingBackend, options: EngineOptions): Promise<EvaluationResult> {
  const task = chooseTask(table, options.task);
  const source: SourceInfo = {
    path: table.path,
    format: table.format,
    columns: {
      ...(table.choice.true ? { true: table.choice.true } : {}),
      ...(table.choice.pred ? { pred: table.choice.pred } : {}),
      ...(table.choice.score ? { score: table.choice.score } : {}),
      ...(table.choice.logprob ? { logprob: table.choice.logprob } : {}),
      ...(table.choice.loss ? { loss: table.choice.loss } : {}),
      ...(table.choice.key ? { key: table.choice.key } : {}),
      ...(table.choice.classScores.length > 0 ? { classScores: table.choice.classScores.map((c) => c.name) } : {}),
    },
    elapsedMs: 0,
  };
  if (task === 'language-model') return evaluateLanguageModel(table, backend, source, options);
  if (task === 'regression') return evaluateRegression(table, backend, source, options);
  return evaluateClassification(table, backend, source, options);
}

function chooseTask(table: PredictionTable, forced: Task | undefined): Task {
  if (forced) return forced;
  if (!table.yTrue && (table.logprob || table.loss)) return 'language-model';
  // Non-integer numbers are a regression target. Many distinct integers are not, by themselves:
  // they may be class ids (a vocabulary), and a classifier scored as a regression would report a
  // meaningless R²; classification then refuses past its class limit and suggests --task regression.
  const continuous = (column: LabelColumn | null) =>
    column !== null && (column.kind === 'values' ? !column.integers : column.numeric && column.dictionary.some((v) => !Number.isInteger(v as number)));
  if (table.yTrue && table.yPred && !table.score && table.classScores.length === 0 && (continuous(table.yTrue) || continuous(table.yPred))) {
    return 'regression';
  }
  if (table.yTrue && table.yTrue.kind === 'values' && !table.yTrue.integers) return 'regression';
  return 'classification';
}

function evaluateLanguageModel(table: PredictionTable, backend: CountingBackend, source: SourceInfo, options: EngineOptions): LanguageModelResult {
  const values = table.logprob ?? table.loss;
  if (!values) throw new InputError(table.path, null, 'a language-model evaluation needs a per-token log-probability or loss column');
  const kind = table.logprob ? 'logprob' : 'loss';
  const metrics = languageModelMetrics(values, kind);
  if (metrics.badRow >= 0) throw new InputError(table.path, null, `row ${metrics.badRow + 1}: ${metrics.badReason}`);
  const warnings: EvalWarning[] = [];
  let lengthBuckets: LengthBuckets | undefined;
  const sequences = options.sequenceIds;
  if (sequences && sequences.sequences > 0) {
    source.columns.sequence = sequences.column;
    const lengths = new Float64Array(sequences.sequences);
    for (const q of sequences.ids) if (q >= 0) lengths[q]++;
    const nll = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) nll[i] = kind === 'logprob' ? -values[i] : values[i];
    lengthBuckets = lengthBucketsOf({ column: sequences.column, kind: 'sequence-id', padId: null, lengths }, options.lengthBuckets, (edges) => languageModelBuckets(lengths, sequences.ids, nll, edges));
    // The truncation check counts sequences; tokens that name none are not sequences of unknown length.
    warnings.push(...lengthWarnings({ ...lengthBuckets, unknown: 0 }, sequences.sequences));
  }
  return {
    task: 'language-model', backend: backend.name, n: values.length, warnings, source,
    crossEntropy: metrics.crossEntropy, perplexity: metrics.perplexity,
    ...(lengthBuckets ? { sequences: sequences!.sequences, lengthBuckets } : {}),
  };
}

function numericValues(column: LabelColumn | null, what: string, path: string): Float64Array {
  if (!column) throw new InputError(path, null, `regression needs a ${what} column`);
  if (column.kind === 'values') return column.values;
  if (!column.numeric) throw new InputError(path, null, `regression needs numbers, but the ${what} column holds text ('${String(column.dictionary[0])}', …)`);
  const out = new Float64Array(column.ids.length);
  for (let i = 0; i < out.length; i++) out[i] = column.dictionary[column.ids[i]] as number;
  return out;
}

function evaluateRegression(table: PredictionTable, backend: CountingBackend, source: SourceInfo, options: EngineOptions): RegressionResult {
  const truth = numericValues(table.yTrue, 'true-value', table.path);
  const predicted = table.yPred ? numericValues(table.yPred, 'prediction', table.path) : table.score;
  if (!predicted) throw new InputError(table.path, null, 'regression needs a prediction column');
  const metrics = regressionMetrics(truth, predicted);
  const lengthBuckets = options.rowLengths ? lengthBucketsOf(options.rowLengths, options.lengthBuckets, (edges) => regressionBuckets(options.rowLengths!.lengths, truth, predicted, edges)) : undefined;
  const residuals = options.residualSamples ? sampleResiduals(truth, predicted, options.residualSamples) : undefined;
  const warnings: EvalWarning[] = [];
  if (metrics.constantTarget) warnings.push(warning('SLE109', `Every true value is ${truth[0]}; R² is reported as ${metrics.r2.toFixed(1)}.`));
  return {
    task: 'regression', backend: backend.name, n: truth.length, warnings, source,
    mse: metrics.mse, mae: metrics.mae, rmse: metrics.rmse, r2: metrics.r2,
    ...(residuals ? { residuals } : {}),
    ...(lengthBuckets ? { lengthBuckets } : {}),
  };
}

interface ScoreSetup {
  /** Binary: the positive class and the score for it. */
  binary: { positive: Label; negative: Label | null; score: Float64Array } | null;
  /** Per-class probability columns in sorted class order (binary with two columns, or multi-class). */
  columns: { label: Label; values: Float64Array }[];
  probabilities: boolean;
  warnings: EvalWarning[];
}

async function evaluateClassification(table: PredictionTable, backend: CountingBackend, source: SourceInfo, options: EngineOptions): Promise<ClassificationResult> {
  const { path } = table;
  const yTrue = table.yTrue;
  if (!yTrue) throw new InputError(path, null, 'classification needs a true-label column');
  if (yTrue.kind === 'values') {
    throw new InputError(path, null, `the true labels take more than ${MAX_CLASSES} distinct values, too many classes for a confusion matrix (at most ${MAX_MATRIX_CLASSES}); if they are numbers to regress, pass --task regression`);
  }
  let yPred = table.yPred;
  if (yPred && yPred.kind === 'values') {
    throw new InputError(path, null, yPred.integers
      ? `the predictions take more than ${MAX_CLASSES} distinct values, too many classes for a confusion matrix (at most ${MAX_MATRIX_CLASSES}); if they are numbers to regress, pass --task regression`
      : `the predictions take more than ${MAX_CLASSES} distinct values; if these are scores, name the column with --score`);
  }
  const numeric = yTrue.numeric;
  if (yPred && yPred.numeric !== numeric) {
    throw new InputError(path, null, `the true labels are ${numeric ? 'numbers' : 'text'} but the predictions are ${yPred.numeric ? 'numbers' : 'text'}; both columns must use the same labels`);
  }
  const n = yTrue.ids.length;
  const declared: Label[] = [];
  if (options.classNames && options.classNames.length > 0) {
    if (!numeric) throw new InputError(path, null, '--class-names names integer labels 0..K-1, but the labels are already text');
    options.classNames.forEach((_, i) => declared.push(i));
  }

  const scores = setupScores(table, numeric, options, yTrue, yPred);
  for (const column of scores.columns) declared.push(column.label);
  const deriveBinary = scores.binary !== null && (!yPred || options.threshold !== undefined);
  const deriveArgmax = scores.binary === null && scores.columns.length > 2 && !yPred;
  const threshold = options.threshold ?? 0.5;

  // Which labels the derived predictions use, so the class set is y_true ∪ y_pred as in scikit-learn.
  const predictedLabels: Label[] = [];
  if (deriveBinary) {
    const { score, positive, negative } = scores.binary!;
    let above = 0;
    for (let i = 0; i < n; i++) if (score[i] >= threshold) above++;
    if (above > 0) predictedLabels.push(positive);
    if (above < n) {
      if (negative === null) {
        throw new InputError(path, null, `cannot tell the negative class: only '${String(positive)}' occurs, and scores below the threshold need a label; add a prediction column or a second class`);
      }
      predictedLabels.push(negative);
    }
  }
  const labels = sortedUnique([
    ...yTrue.dictionary,
    ...(yPred && !deriveBinary ? yPred.dictionary : []),
    ...predictedLabels,
    ...declared,
  ]);
  const k = labels.length;
  if (k > MAX_MATRIX_CLASSES) {
    throw new InputError(path, null, `${k} classes are too many for a confusion matrix (at most ${MAX_MATRIX_CLASSES})${numeric ? '; if the labels are numbers to regress, pass --task regression' : ''}`);
  }
  const indexOf = new Map(labels.map((l, i) => [`${typeof l}:${l}`, i]));
  const labelIndex = (label: Label) => indexOf.get(`${typeof label}:${label}`) ?? -1;

  // One pass maps file labels to class indices, in place, and writes truth*k + predicted.
  const truth = yTrue.ids;
  const truthMap = remapTable(yTrue.dictionary, labels);
  let combined: Int32Array;
  if (deriveBinary) {
    const { score, positive, negative } = scores.binary!;
    const pos = labelIndex(positive);
    const neg = negative === null ? -1 : labelIndex(negative);
    combined = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = truthMap[truth[i]];
      truth[i] = t;
      combined[i] = t * k + (score[i] >= threshold ? pos : neg);
    }
  } else if (deriveArgmax) {
    const columnIndex = scores.columns.map((c) => labelIndex(c.label));
    const cols = scores.columns.map((c) => c.values);
    combined = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = truthMap[truth[i]];
      truth[i] = t;
      let best = 0;
      for (let c = 1; c < cols.length; c++) if (cols[c][i] > cols[best][i]) best = c;
      combined[i] = t * k + columnIndex[best];
    }
  } else {
    if (!yPred) throw new InputError(path, null, 'no prediction column, and no scores to derive predictions from');
    const predMap = remapTable(yPred.dictionary, labels);
    combined = yPred.ids; // no longer needed as labels: reuse its memory
    for (let i = 0; i < n; i++) {
      const t = truthMap[truth[i]];
      truth[i] = t;
      combined[i] = t * k + predMap[combined[i]];
    }
  }
  const confusionMatrix = await countConfusion(backend, combined, k);
  const lengthBuckets = options.rowLengths
    ? lengthBucketsOf(options.rowLengths, options.lengthBuckets, (edges) => classificationBuckets(options.rowLengths!.lengths, combined, k, edges))
    : undefined;
  const cellSamples = options.cellSamples
    ? collectCellSamples(combined, k, confusionMatrix, sampleScoresOf(table, scores, labelIndex), options.cellSamples === true ? DEFAULT_CELL_SAMPLE_LIMITS : options.cellSamples)
    : undefined;
  // Drop every reference to the prediction ids (they held the combined indices) before the curves.
  combined = new Int32Array(0);
  table.yPred = null;
  yPred = null;

  const metrics = classificationMetrics(confusionMatrix, labels);
  const warnings = classificationWarnings(metrics, confusionMatrix, labels);
  warnings.push(...scores.warnings);
  if (lengthBuckets) warnings.push(...lengthWarnings(lengthBuckets, n));

  const scoreMetrics = computeScoreMetrics(scores, truth, labelIndex, deriveBinary ? threshold : null, options, warnings);
  table.score = null;
  table.classScores = [];

  const display = (label: Label): Label => (options.classNames && typeof label === 'number' && options.classNames[label] !== undefined ? options.classNames[label] : label);
  const named = <T extends { label: Label }>(items: T[]) => items.map((item) => ({ ...item, label: display(item.label) }));
  return {
    task: 'classification',
    backend: backend.name,
    n,
    warnings,
    source,
    labels: labels.map(display),
    confusionMatrix,
    accuracy: metrics.accuracy,
    balancedAccuracy: metrics.balancedAccuracy,
    mcc: metrics.mcc,
    kappa: metrics.kappa,
    perClass: named(metrics.perClass),
    macro: metrics.macro,
    micro: metrics.micro,
    weighted: metrics.weighted,
    positiveLabel: scores.binary ? display(scores.binary.positive) : null,
    scores: scoreMetrics && {
      ...scoreMetrics,
      curves: { roc: named(scoreMetrics.curves.roc), pr: named(scoreMetrics.curves.pr) },
      sweep: scoreMetrics.sweep && { ...scoreMetrics.sweep, positiveLabel: display(scoreMetrics.sweep.positiveLabel) },
    },
    ...(cellSamples ? { cellSamples } : {}),
    ...(lengthBuckets ? { lengthBuckets } : {}),
  };
}

/** The scores a sampled row shows: the positive score for binary, the true and predicted class's for multi-class. */
function sampleScoresOf(table: PredictionTable, scores: ScoreSetup, labelIndex: (label: Label) => number): SampleScores | null {
  if (scores.binary) {
    const { score, positive } = scores.binary;
    const name = scores.columns.length === 2
      ? table.classScores.find((c) => c.column.className.trim() === String(positive))?.column.name
      : table.choice.score;
    return { columns: [name ?? `score (${String(positive)})`], of: (row) => [score[row]] };
  }
  if (scores.columns.length > 2) {
    const byClass = new Map(scores.columns.map((c) => [labelIndex(c.label), c.values]));
    return {
      columns: ['p(true class)', 'p(predicted class)'],
      of: (row, truth, predicted) => [byClass.get(truth)?.[row] ?? NaN, byClass.get(predicted)?.[row] ?? NaN],
    };
  }
  return null;
}

function setupScores(table: PredictionTable, numeric: boolean, options: EngineOptions, yTrue: LabelColumn & { kind: 'labels' }, yPred: LabelColumn | null): ScoreSetup {
  const { path } = table;
  const warnings: EvalWarning[] = [];
  if (table.classScores.length >= 2) {
    const columns = table.classScores
      .map(({ column, values }) => ({ label: parseLabel(column.className, numeric, path, `column '${column.name}' names class`), values, kind: column.kind }))
      .sort((a, b) => compareLabels(a.label, b.label));
    if (columns[0].kind === 'logit') softmaxInPlace(columns.map((c) => c.values), table.rows);
    let probabilities = true;
    if (columns[0].kind === 'probability') {
      const outside = columns.some((c) => c.values.some((v) => v < 0 || v > 1));
      if (outside) {
        probabilities = false;
        warnings.push(warning('SLE108', `Some per-class scores fall outside [0, 1]; log loss is not computed. If they are logits, name the columns logit_<class>.`));
      } else {
        const { count, first } = unnormalisedRows(columns.map((c) => c.values), table.rows);
        if (count > 0) warnings.push(warning('SLE107', `${count} of ${table.rows} rows (the first is row ${first + 1}) have probabilities that do not sum to 1; log loss renormalises them.`));
      }
    }
    const known = new Set(columns.map((c) => `${typeof c.label}:${c.label}`));
    const missing = yTrue.dictionary.filter((l) => !known.has(`${typeof l}:${l}`));
    if (missing.length > 0) {
      throw new InputError(path, null, `the true label '${String(missing[0])}' has no score column (the per-class columns are: ${table.classScores.map((c) => c.column.name).join(', ')})`);
    }
    const plain = columns.map(({ label, values }) => ({ label, values }));
    if (columns.length === 2) {
      const positive = options.positiveLabel !== undefined ? parseLabel(options.positiveLabel, numeric, path, '--positive') : columns[1].label;
      const index = columns.findIndex((c) => compareLabels(c.label, positive) === 0);
      if (index < 0) throw new InputError(path, null, `--positive '${options.positiveLabel}' is not one of the scored classes (${columns.map((c) => String(c.label)).join(', ')})`);
      return { binary: { positive, negative: columns[1 - index].label, score: columns[index].values }, columns: plain, probabilities, warnings };
    }
    return { binary: null, columns: plain, probabilities, warnings };
  }
  if (!table.score) return { binary: null, columns: [], probabilities: false, warnings };

  const present = sortedUnique([...yTrue.dictionary, ...(yPred && yPred.kind === 'labels' ? yPred.dictionary : [])]);
  let positive: Label;
  if (options.positiveLabel !== undefined) positive = parseLabel(options.positiveLabel, numeric, path, '--positive');
  else if (table.choice.scoreClass !== undefined) positive = parseLabel(table.choice.scoreClass, numeric, path, `column '${table.choice.score}' names class`);
  else if (present.length >= 2) positive = present[present.length - 1];
  else positive = numeric && present[0] === 0 ? 1 : present[0];
  const others = present.filter((l) => compareLabels(l, positive) !== 0);
  if (others.length > 1) {
    throw new InputError(path, null, `one score column needs two classes, but the labels hold ${present.length} (${present.slice(0, 6).map(String).join(', ')}${present.length > 6 ? ', …' : ''}); give one column per class (p_<class>)`);
  }
  let negative: Label | null = others.length === 1 ? others[0] : null;
  if (negative === null && numeric) negative = positive === 1 ? 0 : positive === 0 ? 1 : null;
  const score = table.score;
  let probabilities = true;
  for (let i = 0; i < score.length; i++) if (score[i] < 0 || score[i] > 1) { probabilities = false; break; }
  if (!probabilities) warnings.push(warning('SLE108', `Scores range outside [0, 1], so log loss is not computed; the threshold ${options.threshold ?? 0.5} applies to the raw score.`));
  return { binary: { positive, negative, score }, columns: [], probabilities, warnings };
}

function computeScoreMetrics(
  scores: ScoreSetup,
  truth: Int32Array,
  labelIndex: (label: Label) => number,
  threshold: number | null,
  options: EngineOptions,
  warnings: EvalWarning[],
): ScoreMetrics | null {
  const curveOptions = { maxPoints: options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS };
  if (scores.binary) {
    const { positive, score } = scores.binary;
    const pos = labelIndex(positive);
    const isPositive = (i: number) => truth[i] === pos;
    let logLoss = NaN;
    if (scores.probabilities) {
      if (scores.columns.length === 2) {
        const columnOf = new Int32Array(Math.max(...scores.columns.map((c) => labelIndex(c.label))) + 1);
        scores.columns.forEach((c, i) => { columnOf[labelIndex(c.label)] = i; });
        const truthColumns = new Int32Array(truth.length);
        for (let i = 0; i < truth.length; i++) truthColumns[i] = columnOf[truth[i]];
        logLoss = multiclassLogLoss(scores.columns.map((c) => c.values), truthColumns);
      } else {
        logLoss = binaryLogLoss(score, isPositive);
      }
    }
    const calibration = scores.probabilities ? binaryCalibration(scores, truth, labelIndex, options) : undefined;
    if (calibration) warnings.push(...calibrationWarnings(calibration));
    // The sweep is built last and consumes the scores (they are not read again).
    const sweep = buildSweep(score, isPositive, positive, true);
    const rocAuc = rocAucOf(sweep);
    if (Number.isNaN(rocAuc)) {
      warnings.push(warning('SLE105', `${sweep.positives === 0 ? `No true sample is '${String(positive)}'` : `Every true sample is '${String(positive)}'`}, so ROC AUC is undefined (NaN)${sweep.positives === 0 ? ' and recall is set to 1 along the PR curve' : ''}.`));
    }
    const roc: RocCurve = strip(rocCurveOf(sweep, curveOptions));
    const pr: PrCurve = strip(prCurveOf(sweep, curveOptions));
    return { threshold, rocAuc, averagePrecision: averagePrecisionOf(sweep), logLoss, curves: { roc: [roc], pr: [pr] }, sweep, ...(calibration ? { calibration } : {}) };
  }
  if (scores.columns.length > 2) {
    // Log loss first: the sweeps below consume the columns.
    let logLoss = NaN;
    let calibration: CalibrationResult | undefined;
    if (scores.probabilities) {
      const columnOf = new Map(scores.columns.map((c, i) => [labelIndex(c.label), i]));
      const truthColumns = new Int32Array(truth.length);
      for (let i = 0; i < truth.length; i++) truthColumns[i] = columnOf.get(truth[i])!;
      logLoss = multiclassLogLoss(scores.columns.map((c) => c.values), truthColumns);
      calibration = calibrationOf(scores.columns, truthColumns, scores.columns.map((_, i) => i), options.calibrationBins ?? DEFAULT_CALIBRATION_BINS);
      warnings.push(...calibrationWarnings(calibration));
    }
    const roc: RocCurve[] = [];
    const pr: PrCurve[] = [];
    let aucTotal = 0;
    let apTotal = 0;
    const undefinedAuc: Label[] = [];
    for (const column of scores.columns) {
      const index = labelIndex(column.label);
      const sweep = buildSweep(column.values, (i) => truth[i] === index, column.label, true);
      const auc = rocAucOf(sweep);
      if (Number.isNaN(auc)) undefinedAuc.push(column.label);
      aucTotal += auc;
      apTotal += averagePrecisionOf(sweep);
      roc.push(strip(rocCurveOf(sweep, curveOptions)));
      pr.push(strip(prCurveOf(sweep, curveOptions)));
    }
    if (undefinedAuc.length > 0) {
      warnings.push(warning('SLE105', `No true sample is ${undefinedAuc.map((l) => `'${String(l)}'`).join(', ')}, so one-versus-rest ROC AUC is undefined for ${undefinedAuc.length === 1 ? 'that class' : 'those classes'} and its macro average is NaN.`));
    }
    const k = scores.columns.length;
    return { threshold: null, rocAuc: aucTotal / k, averagePrecision: apTotal / k, logLoss, curves: { roc, pr }, sweep: null, ...(calibration ? { calibration } : {}) };
  }
  return null;
}

/** Calibration of binary scores: the positive class one versus rest, and the top label over both classes. */
function binaryCalibration(scores: ScoreSetup, truth: Int32Array, labelIndex: (label: Label) => number, options: EngineOptions): CalibrationResult {
  const { positive, negative, score } = scores.binary!;
  const bins = options.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
  let columns: { label: Label; values: ArrayLike<number> }[];
  if (scores.columns.length === 2) {
    columns = scores.columns;
  } else {
    columns = [{ label: positive, values: score }];
    if (negative !== null) {
      // A loop, not Float64Array.from(score, fn): from() gathers an iterable into a plain array first,
      // which for 10 M scores is hundreds of MB of boxed numbers on the JS heap.
      const values = new Float64Array(score.length);
      for (let i = 0; i < values.length; i++) values[i] = 1 - score[i];
      const complement = { label: negative, values };
      columns = compareLabels(negative, positive) < 0 ? [complement, columns[0]] : [columns[0], complement];
    }
  }
  const columnOf = new Map(columns.map((c, i) => [labelIndex(c.label), i]));
  const truthColumns = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) truthColumns[i] = columnOf.get(truth[i]) ?? -1;
  const positiveColumn = columns.findIndex((c) => compareLabels(c.label, positive) === 0);
  return calibrationOf(columns, truthColumns, [positiveColumn], bins);
}

function strip<T extends { points: number }>(curve: T): Omit<T, 'points'> {
  const { points: _points, ...rest } = curve;
  return rest;
}

function compareWithTraining(test: EvaluationResult, train: EvaluationResult, testKeys: Float64Array | null, trainKeys: Float64Array | null): EvalWarning[] {
  const warnings: EvalWarning[] = [];
  if (test.task === 'classification' && train.task === 'classification') {
    const accuracyGap = train.accuracy - test.accuracy;
    const f1Gap = train.macro.f1 - test.macro.f1;
    if (accuracyGap >= OVERFIT_GAP || f1Gap >= OVERFIT_GAP) {
      warnings.push(warning('SLE201', `Training accuracy ${percent(train.accuracy)} vs ${percent(test.accuracy)} here; macro F1 ${train.macro.f1.toFixed(3)} vs ${test.macro.f1.toFixed(3)}.`));
    }
  } else if (test.task === 'regression' && train.task === 'regression') {
    if (train.r2 - test.r2 >= OVERFIT_GAP) warnings.push(warning('SLE201', `Training R² ${train.r2.toFixed(3)} vs ${test.r2.toFixed(3)} here; MSE ${train.mse.toPrecision(4)} vs ${test.mse.toPrecision(4)}.`));
  } else if (test.task === 'language-model' && train.task === 'language-model') {
    if (test.perplexity >= OVERFIT_PERPLEXITY_RATIO * train.perplexity) {
      warnings.push(warning('SLE201', `Training perplexity ${train.perplexity.toFixed(2)} vs ${test.perplexity.toFixed(2)} here (${(test.perplexity / train.perplexity).toFixed(2)}×).`));
    }
  }
  if (testKeys && trainKeys) {
    const shared = sharedSamples(testKeys, trainKeys);
    if (shared / testKeys.length > LEAKAGE_SHARE) {
      warnings.push(warning('SLE202', `${shared} of ${testKeys.length} evaluated samples (${percent(shared / testKeys.length)}) also occur in the training file.`));
    }
  } else {
    warnings.push(warning('SLE203', `No sample column in ${testKeys ? 'the training file' : 'the evaluated file'}, so leakage between the two files was not checked.`));
  }
  return warnings;
}
