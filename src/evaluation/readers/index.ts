// Reading a predictions file of any supported format into a PredictionTable.
import { extname } from 'node:path';
import { InputError } from '../errors';
import type { EvaluateOptions, FileFormat } from '../types';
import { chooseColumns, ColumnChoice } from './columns';
import { MAX_COLUMNS } from './limits';
import { readDelimited } from './csv';
import { readJson } from './json';
import { readJsonLines } from './jsonl';
import { readNpy } from './npy';
import { readNpz } from './npz';
import { PredictionTable, TableBuilder } from './table';

const FORMATS: Record<string, FileFormat> = {
  '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.npy': 'npy', '.npz': 'npz',
};

export function detectFormat(path: string): FileFormat {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new InputError(path, null, `unknown file type '${extname(path) || '(none)'}': expected .csv, .tsv, .json, .jsonl, .npy or .npz`);
  return format;
}

/**
 * Called by a reader once it knows the column names: chooses the columns and returns the
 * builders, keyed by column name. Columns without a builder are skipped while reading.
 */
export type ColumnPlanner = (names: string[]) => TableBuilder;

export async function readPredictions(path: string, options: EvaluateOptions = {}): Promise<PredictionTable> {
  const format = detectFormat(path);
  let builder: TableBuilder | null = null;
  const planner: ColumnPlanner = (names) => {
    if (names.length > MAX_COLUMNS) throw new InputError(path, null, `the file has ${names.length} columns; at most ${MAX_COLUMNS} are read`);
    const unique = [...new Set(names)];
    const choice = chooseColumns(unique, options.columns, path);
    requireUsefulColumns(choice, unique, path, options);
    builder = new TableBuilder(choice);
    refuseDuplicateColumns(names, builder, path);
    return builder;
  };
  let rows: number;
  switch (format) {
    case 'csv':
    case 'tsv':
      rows = await readDelimited(path, format === 'csv' ? ',' : '\t', (names) => {
        const sinks = planner(names).sinks;
        return names.map((name) => sinks.get(name) ?? null);
      });
      break;
    case 'jsonl':
      rows = await readJsonLines(path, planner);
      break;
    case 'json':
      rows = await readJson(path, planner);
      break;
    case 'npy':
      rows = await readNpy(path, planner);
      break;
    case 'npz':
      rows = await readNpz(path, planner);
      break;
  }
  if (builder === null) throw new InputError(path, null, 'the file is empty');
  const finished = (builder as TableBuilder).finish(path, format, rows);
  return finished;
}

/**
 * Two columns of one name would feed one builder, interleaving their values (n doubles and
 * the metrics are wrong), so a name used twice is refused when that column is read. An unused
 * duplicate (two 'notes' columns) is harmless and left alone.
 */
function refuseDuplicateColumns(names: string[], builder: TableBuilder, path: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && builder.sinks.has(name)) {
      throw new InputError(path, null, `the column '${name}' appears twice; rename one (SeqLens will not guess which one is meant)`);
    }
    seen.add(name);
  }
}

function requireUsefulColumns(choice: ColumnChoice, names: string[], path: string, options: EvaluateOptions): void {
  const lm = options.task === 'language-model' || (options.task === undefined && !choice.true && (choice.logprob || choice.loss));
  if (lm) {
    if (!choice.logprob && !choice.loss) {
      throw new InputError(path, null, `no per-token log-probability or loss column (looked for logprob, log_prob, loss, nll; the columns are: ${names.join(', ')}); name one with --logprob or --loss`);
    }
    return;
  }
  if (!choice.true) {
    throw new InputError(path, null, `no true-label column (looked for y_true, label, target, …; the columns are: ${names.join(', ')}); name it with --true`);
  }
  if (!choice.pred && !choice.score && choice.classScores.length === 0) {
    throw new InputError(path, null, `no prediction or score column (looked for y_pred, prediction, score, prob, p_<class>, …; the columns are: ${names.join(', ')}); name one with --pred or --score`);
  }
}
