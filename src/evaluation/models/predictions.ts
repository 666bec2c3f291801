// A model's predictions in the two forms the rest of SeqLens reads: the evaluation engine's
// in-memory table (the same one a predictions file becomes), and a predictions CSV with
// `index, y_true, y_pred, prob_<label>…`, which `seqlens eval FILE.csv` evaluates identically.
import { createWriteStream } from 'node:fs';
import { InputError } from '../errors';
import type { ColumnChoice } from '../readers/columns';
import { PredictionTable, TableBuilder } from '../readers/table';
import type { FileFormat, Label } from '../types';
import type { ModelPredictions } from './run';

/** Every label must be one of the model's classes: the engine needs a score column for each. */
export function checkLabelsAgainstClasses(predictions: ModelPredictions, where: string): void {
  const known = new Set(predictions.classes.map((c) => `${typeof c}:${c}`));
  for (let i = 0; i < predictions.labels.length; i++) {
    const label = predictions.labels[i];
    if (!known.has(`${typeof label}:${label}`)) {
      throw new InputError(where, null, `sample ${i}: the label ${JSON.stringify(label)} is not one of the model's ${predictions.classes.length} classes (${predictions.classes.map((c) => JSON.stringify(c)).join(', ')})`);
    }
  }
}

function probabilityColumn(label: Label): string {
  return `prob_${String(label)}`;
}

export function predictionTable(predictions: ModelPredictions, path: string, format: FileFormat = 'csv'): PredictionTable {
  const { classes, n } = predictions;
  const choice: ColumnChoice = {
    true: 'y_true',
    pred: 'y_pred',
    classScores: classes.map((label) => ({ name: probabilityColumn(label), className: String(label), kind: 'probability' as const })),
  };
  const builder = new TableBuilder(choice);
  const yTrue = builder.sinks.get('y_true')!;
  const yPred = builder.sinks.get('y_pred')!;
  const columns = classes.map((label) => builder.sinks.get(probabilityColumn(label))!);
  for (const sink of builder.sinks.values()) sink.reserve(n);
  const put = (sink: typeof yTrue, label: Label) => (typeof label === 'number' ? sink.number(label) : sink.text(label));
  const k = classes.length;
  for (let i = 0; i < n; i++) {
    put(yTrue, predictions.labels[i]);
    put(yPred, classes[predictions.predicted[i]]);
    for (let c = 0; c < k; c++) columns[c].number(predictions.probabilities[i * k + c]);
  }
  return builder.finish(path, format, n);
}

function csvCell(value: Label): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Shortest decimal that reads back as the same float32. */
function float32Text(value: number): string {
  for (let digits = 6; digits < 10; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

export async function writePredictionsCsv(predictions: ModelPredictions, path: string): Promise<void> {
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  const { classes, n } = predictions;
  const k = classes.length;
  out.write(['index', 'y_true', 'y_pred', ...classes.map(probabilityColumn)].map(csvCell).join(',') + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = [String(i), csvCell(predictions.labels[i]), csvCell(classes[predictions.predicted[i]])];
    for (let c = 0; c < k; c++) row.push(float32Text(predictions.probabilities[i * k + c]));
    chunk.push(row.join(','));
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  if (chunk.length > 0) out.write(chunk.join('\n') + '\n');
  out.end();
  await done;
}
