// Which sequence each token of a language model's predictions file belongs to, for perplexity by
// sequence length. A per-token file (one row per scored token, its log-probability or loss) names
// the sequence in a column such as `seq_id`; a sequence is every row with the same id, in any
// order, and its length is the number of its scored tokens. A second pass over the file that keeps
// one sequence index per row.
import { normaliseColumnName } from '../../readers/columns';
import type { CellSink } from '../../readers/builders';
import { readDelimited } from '../../readers/csv';
import { GrowableInt32 } from '../../readers/growable';
import { readJson } from '../../readers/json';
import { TableBuilder } from '../../readers/table';
import type { FileFormat } from '../../types';
import { forEachLine } from './lines';

export const SEQUENCE_ID_NAMES = ['seq_id', 'sequence_id', 'seq_idx', 'sequence', 'sentence_id', 'sent_id', 'doc_id', 'document_id', 'example_id', 'sample_id'];

export interface SequenceIds {
  column: string;
  /** Per row: the index of its sequence (first seen first), or -1 when the row names none. */
  ids: Int32Array;
  sequences: number;
}

export function chooseSequenceColumn(names: string[], explicit?: string): string | null {
  if (explicit !== undefined) return names.includes(explicit) ? explicit : (names.find((n) => normaliseColumnName(n) === normaliseColumnName(explicit)) ?? null);
  const byNormal = new Map(names.map((n) => [normaliseColumnName(n), n]));
  for (const wanted of SEQUENCE_ID_NAMES) {
    const column = byNormal.get(wanted);
    if (column !== undefined) return column;
  }
  return null;
}

/** Ids as text: the number 7 and the text "7" name one sequence, as a CSV reader cannot tell them apart. */
class SequenceIdSink implements CellSink {
  readonly ids = new GrowableInt32();
  readonly index = new Map<string, number>();

  get length(): number {
    return this.ids.length;
  }

  reserve(rows: number): void {
    this.ids.reserve(rows);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.text(buf.toString('utf8', start, end));
  }

  text(value: string): void {
    const key = value.trim();
    if (key === '') return this.missing();
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.index.size;
      this.index.set(key, at);
    }
    this.ids.push(at);
  }

  number(value: number): void {
    if (Number.isFinite(value)) this.text(String(value));
    else this.missing();
  }

  value(value: unknown): void {
    if (typeof value === 'string') this.text(value);
    else if (typeof value === 'number') this.number(value);
    else this.missing(); // null, a boolean, an array or an object names no sequence
  }

  missing(): void {
    this.ids.push(-1);
  }
}

/** The sequence of every row, or null when the file has no sequence-id column (or is NumPy, or disagrees with the main read). */
export async function readSequenceIds(path: string, format: FileFormat, rows: number, explicit?: string): Promise<SequenceIds | null> {
  let column: string | null = null;
  const sink = new SequenceIdSink();
  const plan = (names: string[]) => (column = chooseSequenceColumn(names, explicit));
  if (format === 'csv' || format === 'tsv') {
    await readDelimited(path, format === 'csv' ? ',' : '\t', (names) => {
      const c = plan(names);
      return names.map((name) => (c !== null && name === c ? sink : null));
    });
  } else if (format === 'json') {
    try {
      await readJson(path, (names) => {
        const builder = new TableBuilder({ classScores: [] });
        const c = plan(names);
        if (c !== null) builder.sinks.set(c, sink);
        return builder;
      });
    } catch {
      return null;
    }
  } else if (format === 'jsonl') {
    let first = true;
    await forEachLine(path, (text) => {
      if (text.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        sink.missing(); // the main read has already accepted every line
        return;
      }
      const fields = record !== null && typeof record === 'object' && !Array.isArray(record) ? (record as Record<string, unknown>) : null;
      if (first) {
        first = false;
        plan(fields ? Object.keys(fields) : []);
      }
      const c = column as string | null;
      if (c !== null && fields) sink.value(fields[c]);
      else sink.missing();
    });
  } else {
    return null;
  }
  const c = column as string | null;
  if (c === null) return null;
  const ids = sink.ids.finish();
  return ids.length === rows ? { column: c, ids, sequences: sink.index.size } : null;
}
