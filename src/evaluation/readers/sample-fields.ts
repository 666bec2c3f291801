// Reads back the text or id columns of the few rows kept as cell samples. The main read keeps only
// the columns that are scored (and a hash of the sample text), so this is a second pass over the
// file, with one cheap sink per shown column, that stops after the last kept row.
import type { CellSamples, FileFormat } from '../types';
import type { CellSink } from './builders';
import { normaliseColumnName } from './columns';
import { readDelimited } from './csv';
import { readJson } from './json';
import { readJsonLines } from './jsonl';
import { TableBuilder } from './table';

/** Columns that name a sample rather than score it, in order of preference after the text column. */
const ID_NAMES = ['id', 'uid', 'guid', 'sample_id', 'example_id', 'row_id', 'idx', 'index', 'key', 'name', 'file', 'filename', 'file_name', 'path', 'image', 'image_path', 'url', 'uri'];
const MAX_FIELD_COLUMNS = 3;
export const MAX_FIELD_LENGTH = 300;

class StopReading extends Error {}

/** Keeps the cells of the wanted rows (sorted, ascending) of one column. */
class PickSink implements CellSink {
  private row = 0;
  private next = 0;
  readonly values = new Map<number, string>();

  /** With `stopEarly`, the row after the last wanted one ends the read (not for JSON columns, read one after another). */
  constructor(private readonly wanted: number[], private readonly stopEarly: boolean) {}

  get length(): number {
    return this.row;
  }

  reserve(): void {}

  private keep(read: () => string): void {
    const row = this.row++;
    if (this.next >= this.wanted.length) {
      if (this.stopEarly) throw new StopReading();
      return;
    }
    if (this.wanted[this.next] !== row) return;
    this.next++;
    const text = read();
    this.values.set(row, text.length > MAX_FIELD_LENGTH ? `${text.slice(0, MAX_FIELD_LENGTH - 1)}…` : text);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.keep(() => buf.toString('utf8', start, Math.min(end, start + MAX_FIELD_LENGTH * 4)));
  }

  text(value: string): void {
    this.keep(() => value);
  }

  number(value: number): void {
    this.keep(() => String(value));
  }

  missing(): void {
    this.keep(() => '');
  }
}

/** The text column the reader chose (if any), then id-like columns, at most three. */
export function chooseFieldColumns(names: string[], keyColumn: string | undefined): string[] {
  const chosen: string[] = [];
  if (keyColumn !== undefined && names.includes(keyColumn)) chosen.push(keyColumn);
  for (const wanted of ID_NAMES) {
    if (chosen.length >= MAX_FIELD_COLUMNS) break;
    const name = names.find((n) => normaliseColumnName(n) === wanted);
    if (name !== undefined && !chosen.includes(name)) chosen.push(name);
  }
  return chosen;
}

/**
 * Fills `samples.fieldColumns` and each cell's `fields` from the file, for the formats that hold
 * text (CSV, TSV, JSON, JSON Lines). NumPy files have no text columns worth showing.
 */
export async function attachSampleFields(samples: CellSamples, path: string, format: FileFormat, keyColumn: string | undefined): Promise<void> {
  if (format === 'npy' || format === 'npz') return;
  const wanted = [...new Set(samples.cells.flatMap((cell) => cell.rows))].sort((a, b) => a - b);
  if (wanted.length === 0) return;
  let columns: string[] = [];
  let sinks: PickSink[] = [];
  const plan = (names: string[]) => {
    columns = chooseFieldColumns(names, keyColumn);
    if (columns.length === 0) throw new StopReading();
    sinks = columns.map(() => new PickSink(wanted, format !== 'json'));
    return new Map(columns.map((name, i) => [name, sinks[i] as CellSink]));
  };
  const planner = (names: string[]) => {
    const builder = new TableBuilder({ classScores: [] });
    for (const [name, sink] of plan(names)) builder.sinks.set(name, sink);
    return builder;
  };
  try {
    if (format === 'csv' || format === 'tsv') {
      await readDelimited(path, format === 'csv' ? ',' : '\t', (names) => {
        const byName = plan(names);
        return names.map((name) => byName.get(name) ?? null);
      });
    } else if (format === 'jsonl') {
      await readJsonLines(path, planner);
    } else {
      await readJson(path, planner);
    }
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  if (columns.length === 0) return;
  samples.fieldColumns = columns;
  for (const cell of samples.cells) cell.fields = cell.rows.map((row) => sinks.map((sink) => sink.values.get(row) ?? ''));
}
