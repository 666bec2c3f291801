// The length of each row of a predictions file, for errors by sequence length: from a length column,
// from a token-id column (ids other than the padding id), or from the text column split on whitespace.
// A second pass over the file that keeps one number per row.
import { normaliseColumnName } from '../../readers/columns';
import type { CellSink } from '../../readers/builders';
import { readDelimited } from '../../readers/csv';
import { GrowableFloat64 } from '../../readers/growable';
import { readJson } from '../../readers/json';
import { TableBuilder } from '../../readers/table';
import type { FileFormat } from '../../types';
import type { LengthBuckets } from '../length-buckets';
import { forEachLine } from './lines';

export const LENGTH_NAMES = ['length', 'len', 'n_tokens', 'num_tokens', 'seq_len', 'seq_length', 'sequence_length', 'token_count', 'n_words'];
export const TOKEN_ID_NAMES = ['input_ids', 'token_ids', 'ids', 'tokens_ids', 'input_id'];
export const TEXT_NAMES = ['text', 'sentence', 'input', 'inputs', 'sample', 'document', 'review', 'content', 'utterance', 'prompt', 'source', 'tokens'];

type Kind = LengthBuckets['source']['kind'];

export interface RowLengths {
  column: string;
  kind: Kind;
  padId: number | null;
  lengths: Float64Array;
}

function chooseLengthColumn(names: string[]): { column: string; kind: Kind } | null {
  const byNormal = new Map(names.map((n) => [normaliseColumnName(n), n]));
  for (const [list, kind] of [[LENGTH_NAMES, 'length'], [TOKEN_ID_NAMES, 'token-ids'], [TEXT_NAMES, 'text']] as const) {
    for (const wanted of list) {
      const column = byNormal.get(wanted);
      if (column !== undefined) return { column, kind };
    }
  }
  return null;
}

/** Non-padding ids in "1 2 3 0 0", "[1, 2, 3, 0]" or "1,2,3". */
function countIds(text: string, padId: number | null): number {
  let count = 0;
  for (const part of text.split(/[\s,[\]]+/)) {
    if (part === '') continue;
    const id = Number(part);
    if (!Number.isFinite(id)) return NaN;
    if (padId === null || id !== padId) count++;
  }
  return count;
}

function countWords(text: string): number {
  let count = 0;
  for (const part of text.split(/\s+/)) if (part !== '') count++;
  return count;
}

class LengthSink implements CellSink {
  readonly values = new GrowableFloat64();

  constructor(private readonly kind: Kind, private readonly padId: number | null) {}

  get length(): number {
    return this.values.length;
  }

  reserve(rows: number): void {
    this.values.reserve(rows);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.text(buf.toString('utf8', start, end));
  }

  text(value: string): void {
    this.values.push(lengthOfValue(value, this.kind, this.padId));
  }

  number(value: number): void {
    this.values.push(this.kind === 'length' && Number.isFinite(value) && value >= 0 ? value : this.kind === 'token-ids' ? countIds(String(value), this.padId) : NaN);
  }

  missing(): void {
    this.values.push(NaN);
  }
}

function lengthOfValue(value: unknown, kind: Kind, padId: number | null): number {
  if (Array.isArray(value)) {
    if (kind === 'text') return value.length; // pre-tokenised text
    if (kind !== 'token-ids') return NaN;
    let count = 0;
    for (const id of value) if (padId === null || id !== padId) count++;
    return count;
  }
  if (typeof value === 'number') return kind === 'length' && Number.isFinite(value) && value >= 0 ? value : NaN;
  if (typeof value !== 'string') return NaN;
  if (kind === 'length') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : NaN;
  }
  return kind === 'token-ids' ? countIds(value, padId) : countWords(value);
}

/** The lengths of every row, or null when the file has no length, token-id or text column (or is NumPy). */
export async function readRowLengths(path: string, format: FileFormat, rows: number, padId: number | null): Promise<RowLengths | null> {
  let chosen: { column: string; kind: Kind } | null = null;
  let sink: LengthSink | null = null;
  const plan = (names: string[]) => {
    chosen = chooseLengthColumn(names);
    sink = chosen ? new LengthSink(chosen.kind, padId) : null;
    return chosen;
  };
  if (format === 'csv' || format === 'tsv') {
    await readDelimited(path, format === 'csv' ? ',' : '\t', (names) => {
      const c = plan(names);
      return names.map((name) => (c && name === c.column ? sink : null));
    });
  } else if (format === 'json') {
    try {
      await readJson(path, (names) => {
        const builder = new TableBuilder({ classScores: [] });
        const c = plan(names);
        if (c && sink) builder.sinks.set(c.column, sink);
        return builder;
      });
    } catch {
      return null; // arrays inside a JSON document: its cells are not scalars, so no lengths
    }
  } else if (format === 'jsonl') {
    // Own pass: token ids and pre-tokenised text arrive as arrays, which the table reader refuses.
    const values = new GrowableFloat64();
    let first = true;
    await forEachLine(path, (text) => {
      if (text.trim() === '') return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        values.push(NaN); // the main read has already accepted every line; a stray one is unknown
        return;
      }
      if (first) {
        first = false;
        plan(record && typeof record === 'object' ? Object.keys(record) : []);
      }
      const c = chosen as { column: string; kind: Kind } | null;
      values.push(c && record && typeof record === 'object' ? lengthOfValue(record[c.column], c.kind, padId) : NaN);
    });
    const c = chosen as { column: string; kind: Kind } | null;
    if (!c) return null;
    const lengths = values.finish();
    return lengths.length === rows ? { ...c, padId: c.kind === 'token-ids' ? padId : null, lengths } : null;
  } else {
    return null;
  }
  const c = chosen as { column: string; kind: Kind } | null;
  const s = sink as LengthSink | null;
  if (!c || !s) return null;
  const lengths = s.values.finish();
  return lengths.length === rows ? { ...c, padId: c.kind === 'token-ids' ? padId : null, lengths } : null;
}
