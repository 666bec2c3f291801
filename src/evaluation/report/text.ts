// The text report: scikit-learn's classification_report layout, then the confusion matrix,
// the score metrics and the warnings.
import { sweepPoint } from '../metrics/curves';
import type { ClassificationResult, EvaluationResult, Label, ThresholdSweep } from '../types';
import { WARNING_CATALOGUE } from '../warnings';
import type { CalibrationResult } from '../sequence/calibration-report';
import { bucketName, LengthBuckets } from '../sequence/length-buckets';

const DIGITS = 3;
/** Past this many classes the matrix is too wide to read as text. */
const MAX_TEXT_MATRIX = 30;

export function formatText(result: EvaluationResult): string {
  const lines: string[] = [];
  const s = result.source;
  lines.push(`SeqLens evaluation of ${s.path} (${s.format}, ${result.n} ${result.task === 'language-model' ? 'tokens' : 'rows'})`);
  lines.push(`task: ${result.task}   backend: ${result.backend}${s.elapsedMs > 0 ? `   time: ${(s.elapsedMs / 1000).toFixed(2)} s` : ''}`);
  const columns = Object.entries(s.columns).map(([role, name]) => `${role}=${Array.isArray(name) ? name.join(',') : name}`);
  if (columns.length > 0) lines.push(`columns: ${columns.join('  ')}`);
  lines.push('');
  if (result.task === 'regression') {
    lines.push(`MSE   ${num(result.mse)}`, `RMSE  ${num(result.rmse)}`, `MAE   ${num(result.mae)}`, `R²    ${num(result.r2)}`);
    if (result.lengthBuckets) lines.push('', ...lengthLines(result.lengthBuckets));
  } else if (result.task === 'language-model') {
    lines.push(`cross-entropy  ${num(result.crossEntropy)} nats/token`, `perplexity     ${num(result.perplexity)}  (corpus: exp of the mean NLL over all tokens)`);
    if (result.lengthBuckets) lines.push('', ...lengthLines(result.lengthBuckets));
  } else {
    lines.push(...classificationReport(result), '', ...summaryLine(result), '', ...matrixLines(result));
    if (result.scores) lines.push('', ...scoreLines(result));
    if (result.scores?.calibration) lines.push('', ...calibrationLines(result.scores.calibration));
    if (result.lengthBuckets) lines.push('', ...lengthLines(result.lengthBuckets));
  }
  lines.push('');
  if (result.warnings.length === 0) {
    lines.push('No warnings.');
  } else {
    lines.push('Warnings:');
    for (const w of result.warnings) lines.push(`  ${w.code} ${WARNING_CATALOGUE[w.code]?.name ?? ''}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function num(value: number): string {
  return Number.isNaN(value) ? 'nan' : value.toFixed(DIGITS);
}

function classificationReport(r: ClassificationResult): string[] {
  const names = r.perClass.map((c) => String(c.label));
  const width = Math.max(12, ...names.map((n) => n.length));
  const row = (name: string, cells: string[]) => `${name.padStart(width)} ${cells.map((c) => c.padStart(10)).join('')}`;
  const lines = [row('', ['precision', 'recall', 'f1-score', 'support']), ''];
  for (const c of r.perClass) lines.push(row(String(c.label), [num(c.precision), num(c.recall), num(c.f1), String(c.support)]));
  lines.push('');
  lines.push(row('accuracy', ['', '', num(r.accuracy), String(r.n)]));
  lines.push(row('micro avg', [num(r.micro.precision), num(r.micro.recall), num(r.micro.f1), String(r.n)]));
  lines.push(row('macro avg', [num(r.macro.precision), num(r.macro.recall), num(r.macro.f1), String(r.n)]));
  lines.push(row('weighted avg', [num(r.weighted.precision), num(r.weighted.recall), num(r.weighted.f1), String(r.n)]));
  return lines;
}

function summaryLine(r: ClassificationResult): string[] {
  return [`balanced accuracy ${num(r.balancedAccuracy)}   MCC ${num(r.mcc)}   Cohen's kappa ${num(r.kappa)}`];
}

function matrixLines(r: ClassificationResult): string[] {
  if (r.labels.length > MAX_TEXT_MATRIX) {
    return [`Confusion matrix: ${r.labels.length} classes, too wide for text; use --format html or json.`];
  }
  const names = r.labels.map((l: Label) => String(l));
  const cellWidth = Math.max(...names.map((n) => n.length), ...r.confusionMatrix.flat().map((c) => String(c).length)) + 2;
  const head = Math.max(...names.map((n) => n.length), 'true \\ pred'.length);
  const lines = ['Confusion matrix (rows: true, columns: predicted)'];
  lines.push(`${'true \\ pred'.padStart(head)}${names.map((n) => n.padStart(cellWidth)).join('')}`);
  r.confusionMatrix.forEach((row, t) => lines.push(`${names[t].padStart(head)}${row.map((c) => String(c).padStart(cellWidth)).join('')}`));
  return lines;
}

function scoreLines(r: ClassificationResult): string[] {
  const sc = r.scores!;
  const what = r.positiveLabel !== null
    ? `positive class '${String(r.positiveLabel)}'${sc.threshold !== null ? `, predictions at score >= ${sc.threshold}` : ', predictions from the file'}`
    : 'one-versus-rest, macro average; predictions by argmax';
  const lines = [`Scores (${what}):`, `  ROC AUC ${num(sc.rocAuc)}   average precision ${num(sc.averagePrecision)}   log loss ${num(sc.logLoss)}`];
  if (sc.sweep) {
    const best = bestF1(sc.sweep);
    if (best) lines.push(`  best F1 ${num(best.f1)} at threshold ${best.threshold} (precision ${num(best.precision)}, recall ${num(best.recall)}); ${sc.sweep.thresholds.length} distinct thresholds in the sweep`);
  }
  return lines;
}

function bestF1(sweep: ThresholdSweep) {
  let best: ReturnType<typeof sweepPoint> | null = null;
  for (let i = 0; i < sweep.thresholds.length; i++) {
    const point = sweepPoint(sweep, i);
    if (!best || point.f1 > best.f1) best = point;
  }
  return best;
}

function calibrationLines(c: CalibrationResult): string[] {
  const lines = [`Calibration (${c.bins} uniform bins, right-closed as scikit-learn's calibration_curve):`];
  const top = c.topLabel;
  if (top) {
    lines.push(`  top label: ECE ${num(top.ece)}   MCE ${num(top.mce)}   mean confidence ${num(top.meanConfidence)}   accuracy ${num(top.accuracy)}`);
  }
  const shown = c.perClass.slice(0, 20);
  for (const k of shown) lines.push(`  class ${String(k.label)} (one versus rest): ECE ${num(k.ece)}   MCE ${num(k.mce)}   Brier ${num(k.brier)}`);
  if (c.perClass.length > shown.length) lines.push(`  … and ${c.perClass.length - shown.length} more classes (see --format json)`);
  if (top) {
    lines.push('  reliability (top label): bin  mean confidence  accuracy  count');
    top.binIndex.forEach((b, i) => {
      const lo = (b / c.bins).toFixed(2);
      const hi = ((b + 1) / c.bins).toFixed(2);
      lines.push(`    (${lo}, ${hi}]  ${num(top.probPred[i]).padStart(8)}  ${num(top.probTrue[i]).padStart(8)}  ${String(top.counts[i]).padStart(6)}`);
    });
  }
  const t = c.temperature;
  if (t) {
    lines.push(t.temperature === null
      ? '  temperature scaling: no finite temperature minimises the log loss on this data (it keeps falling towards T = 0 or ∞)'
      : `  temperature scaling, FITTED ON THIS SAME DATA (optimistic): T = ${t.temperature.toFixed(4)}, log loss ${num(t.nllBefore)} → ${num(t.nllAfter)}, top-label ECE ${num(top!.ece)} → ${num(t.eceAfter)}`);
  }
  return lines;
}

function lengthLines(l: LengthBuckets): string[] {
  if (l.source.kind === 'sequence-id') return languageModelLengthLines(l);
  const how = l.source.kind === 'length' ? `column '${l.source.column}'`
    : l.source.kind === 'token-ids' ? `non-padding ids in '${l.source.column}'${l.source.padId === null ? ' (no padding id given: every id counts; set --pad-id)' : ` (padding id ${l.source.padId})`}`
    : `whitespace-split words of '${l.source.column}'`;
  const lines = [`By sequence length (${how}; buckets ${l.edgesGiven ? 'given' : 'at rounded quantiles'}, right-closed as pandas.cut):`];
  const regression = l.buckets.some((b) => b.mse !== undefined);
  lines.push(regression ? `  ${'length'.padEnd(20)}${'count'.padStart(8)}${'MSE'.padStart(10)}${'MAE'.padStart(10)}` : `  ${'length'.padEnd(20)}${'count'.padStart(8)}${'accuracy'.padStart(10)}${'macro F1'.padStart(10)}`);
  for (const b of l.buckets) {
    const cells = regression ? [num(b.mse!), num(b.mae!)] : [num(b.accuracy!), num(b.macroF1!)];
    lines.push(`  ${bucketName(b).padEnd(20)}${String(b.count).padStart(8)}${cells.map((c) => c.padStart(10)).join('')}`);
  }
  if (l.unknown > 0) lines.push(`  ${l.unknown} rows have no readable length and are in no bucket.`);
  return lines;
}

/** A language model's buckets: sequences by their scored tokens, with each bucket's perplexity. */
function languageModelLengthLines(l: LengthBuckets): string[] {
  const lines = [`By sequence length (tokens of each sequence in '${l.source.column}'; buckets ${l.edgesGiven ? 'given' : 'at rounded quantiles'}, right-closed as pandas.cut; perplexity = exp of the bucket's mean NLL per token):`];
  lines.push(`  ${'length'.padEnd(20)}${'sequences'.padStart(10)}${'tokens'.padStart(10)}${'mean NLL'.padStart(10)}${'perplexity'.padStart(12)}`);
  for (const b of l.buckets) {
    lines.push(`  ${bucketName(b).padEnd(20)}${String(b.count).padStart(10)}${String(b.tokens).padStart(10)}${num(b.crossEntropy!).padStart(10)}${num(b.perplexity!).padStart(12)}`);
  }
  if (l.unknown > 0) lines.push(`  ${l.unknown} tokens name no sequence and are in no bucket.`);
  return lines;
}
