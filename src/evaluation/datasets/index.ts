// Datasets a sequence model runs on, streamed in batches so that memory stays bounded:
//   token-id sequences: JSONL ({"ids": [...], "label": ...}), CSV/TSV (an ids column of
//     "3 14 15" or "[3, 14, 15]"), or .npy (N, T) integers with a labels .npy beside it;
//   raw text with a vocabulary (JSONL/CSV text column + --vocab), tokenised as Keras does;
//   feature sequences: .npy (N, T, F) floats.
// A first pass checks every sample against the model before anything runs (ids below the
// embedding size, feature count, sequence length), and names the first sample that does not fit.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../errors';
import type { Label } from '../types';
import type { InputSpec } from '../models/types';
import { npyShape } from '../readers/npy';
import { npyHeader, parseNpy, readNpyFile } from './npy';
import { readVocabulary, tokenize, Vocabulary } from './vocabulary';

export type Padding = 'pre' | 'post';

/**
 * The longest sample SeqLens pads every sample to on its own (when neither the model nor
 * --max-length fixes a length): each step of each sample is one step of the recurrent layers, so one
 * outlier of 2 million tokens would make every sample 2 million steps long. Past it, the user says
 * what they want with --max-length (Keras pad_sequences' maxlen).
 */
export const MAX_DATA_LENGTH = 10_000;
/** Bytes one batch's padded ids or features may take; the batch holds fewer samples when they are long. */
export const MAX_BATCH_BYTES = 64 << 20;

/** Samples per batch that keep `rowBytes`-byte samples within MAX_BATCH_BYTES (at least one). */
export function samplesPerBatch(size: number, rowBytes: number): number {
  return Math.max(1, Math.min(size, Math.floor(MAX_BATCH_BYTES / Math.max(1, rowBytes))));
}

export interface DatasetOptions {
  /** The model's input: what every sample is checked against. */
  input: InputSpec;
  /** Vocabulary for raw text (JSON word → id, or one token a line). */
  vocabPath?: string;
  oovId?: number;
  /** Id written into padding (default 0). */
  padId?: number;
  /** Sequence length to pad or truncate to when the model does not fix one (default: the longest sample). */
  maxLength?: number;
  /** Where padding goes and which end truncation drops (Keras pad_sequences defaults: 'pre' and 'pre'). */
  padding?: Padding;
  truncating?: Padding;
  /** Labels for a .npy input, when not found beside it. */
  labelsPath?: string;
  /** Samples need no label (a language model is scored against its own input). */
  unlabelled?: boolean;
}

export interface DatasetBatch {
  /** Index of the first sample. */
  start: number;
  count: number;
  /** (count, length) ids or (count, length, features) features, row-major. */
  ids: Int32Array | null;
  features: Float32Array | null;
  length: number;
}

export interface SequenceDataset {
  path: string;
  format: 'jsonl' | 'json' | 'csv' | 'tsv' | 'npy';
  kind: 'ids' | 'text' | 'features';
  n: number;
  /** The length every batch is padded or truncated to. */
  length: number;
  features: number | null;
  /** Sequences longer than `length` (truncated) and shorter (padded). */
  truncated: number;
  padded: number;
  labels: Label[];
  /** Streams the samples in order. */
  batches(size: number): AsyncGenerator<DatasetBatch>;
}

interface Sample {
  ids: number[] | null;
  features: Float32Array | null;
  label: Label | undefined;
  /** How a message names it: `sample 12 (line 13)`. */
  where: string;
}

const IDS_KEYS = ['ids', 'input_ids', 'token_ids', 'tokens', 'sequence', 'x', 'input', 'inputs'];
const TEXT_KEYS = ['text', 'sentence', 'review', 'content', 'document', 'utterance'];
const LABEL_KEYS = ['label', 'labels', 'y', 'y_true', 'target', 'class', 'category'];

export async function openDataset(path: string, options: DatasetOptions): Promise<SequenceDataset> {
  const extension = extname(path).toLowerCase();
  if (extension === '.npy') return openNpy(path, options);
  const format = extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : extension === '.json' ? 'json' : extension === '.tsv' ? 'tsv' : extension === '.csv' ? 'csv' : null;
  if (format === null) throw new InputError(path, null, `unknown dataset format '${extension}': use .jsonl, .json, .csv, .tsv (ids or text with --vocab) or .npy`);
  const vocabulary = options.vocabPath ? readVocabulary(options.vocabPath, { oovId: options.oovId }) : null;
  return openRecords(path, format, options, vocabulary);
}

function describeModelInput(input: InputSpec): string {
  return input.kind === 'ids'
    ? `token ids (batch, ${input.length ?? 'length'})${input.vocabulary !== null ? ` below ${input.vocabulary}` : ''}`
    : `features (batch, ${input.length ?? 'length'}, ${input.features ?? 'features'})`;
}

/** The per-sample checks, shared by every format. */
class SampleChecker {
  maxLength = 0;
  /** Where the longest sample is, for the message that refuses to pad to it. */
  longest = '';
  minLength = Infinity;
  n = 0;
  readonly labels: Label[] = [];
  unlabelled: string | null = null;

  constructor(private readonly path: string, private readonly input: InputSpec, private readonly labelsOptional = false) {}

  check(sample: Sample): void {
    const input = this.input;
    if (sample.ids) {
      if (input.kind !== 'ids') throw new InputError(this.path, null, `${sample.where} holds token ids, but the model takes ${describeModelInput(input)}`);
      for (let t = 0; t < sample.ids.length; t++) {
        const id = sample.ids[t];
        if (!Number.isInteger(id) || id < 0) throw new InputError(this.path, null, `${sample.where}: token ${t} is ${id}, not a non-negative integer id`);
        if (input.vocabulary !== null && id >= input.vocabulary) {
          throw new InputError(this.path, null, `${sample.where}: token id ${id} at position ${t} is out of range for the model's embedding of ${input.vocabulary} rows (ids must be 0 to ${input.vocabulary - 1}); PyTorch raises "IndexError: index out of range in self" here`);
        }
      }
      if (sample.ids.length > this.maxLength) {
        this.maxLength = sample.ids.length;
        this.longest = sample.where;
      }
      this.minLength = Math.min(this.minLength, sample.ids.length);
    }
    if (sample.label === undefined) this.unlabelled ??= sample.where;
    else this.labels.push(sample.label);
    this.n++;
  }

  finish(): void {
    if (this.n === 0) throw new InputError(this.path, null, 'the dataset has no samples');
    if (this.unlabelled && !this.labelsOptional) throw new InputError(this.path, null, `${this.unlabelled} has no label (looked for ${LABEL_KEYS.join(', ')})`);
  }
}

function targetLength(path: string, checker: SampleChecker, input: InputSpec, options: DatasetOptions): number {
  if (input.length !== null) return input.length;
  if (options.maxLength !== undefined) return options.maxLength;
  if (checker.maxLength > MAX_DATA_LENGTH) throw tooLong(path, checker.longest, checker.maxLength, 'tokens');
  return Math.max(1, checker.maxLength);
}

function tooLong(path: string, where: string, length: number, unit: string): InputError {
  return new InputError(path, null, `${where} has ${length.toLocaleString('en-US')} ${unit}: padding every sample to the longest would run ${length.toLocaleString('en-US')} steps per sample, and SeqLens pads to at most ${MAX_DATA_LENGTH.toLocaleString('en-US')} on its own; pass --max-length N to pad and truncate every sample to N steps (Keras pad_sequences' maxlen)`);
}

/** Pads or truncates ids into `out` at `offset`, as Keras' pad_sequences does. */
function place(ids: number[], out: Int32Array, offset: number, length: number, options: DatasetOptions): void {
  const padId = options.padId ?? 0;
  const kept = ids.length <= length ? ids : (options.truncating ?? 'pre') === 'pre' ? ids.slice(ids.length - length) : ids.slice(0, length);
  const pad = length - kept.length;
  const padBefore = (options.padding ?? 'pre') === 'pre';
  for (let t = 0; t < length; t++) {
    const k = padBefore ? t - pad : t;
    out[offset + t] = k >= 0 && k < kept.length ? kept[k] : padId;
  }
}

// ---------------------------------------------------------------- JSONL, JSON, CSV, TSV

async function* records(path: string, format: 'jsonl' | 'json' | 'csv' | 'tsv', vocabulary: Vocabulary | null): AsyncGenerator<Sample> {
  if (format === 'json') {
    const { readFileSync } = await import('node:fs');
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new InputError(path, null, `not JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new InputError(path, null, 'a JSON dataset must be an array of objects like {"ids": [3, 14, 15], "label": 1}');
    let i = 0;
    for (const item of parsed) {
      yield fromObject(item, `sample ${i}`, path, vocabulary);
      i++;
    }
    return;
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let header: string[] | null = null;
  let columns: { ids: number; text: number; label: number } | null = null;
  let index = 0;
  const separator = format === 'tsv' ? '\t' : ',';
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const where = `sample ${index} (line ${lineNumber})`;
      if (format === 'jsonl') {
        let item: unknown;
        try {
          item = JSON.parse(line);
        } catch (error) {
          throw new InputError(path, lineNumber, `not a JSON object (${(error as Error).message})`);
        }
        yield fromObject(item, where, path, vocabulary);
        index++;
        continue;
      }
      const cells = splitCsvLine(line, separator, path, lineNumber);
      if (!header) {
        header = cells.map((c) => c.trim());
        const find = (keys: string[]) => {
          for (const key of keys) {
            const at = header!.findIndex((h) => h.toLowerCase() === key);
            if (at >= 0) return at;
          }
          return -1;
        };
        columns = { ids: find(IDS_KEYS), text: find(TEXT_KEYS), label: find(LABEL_KEYS) };
        if (columns.ids < 0 && columns.text < 0) throw new InputError(path, 1, `no ids column (${IDS_KEYS.join(', ')}) or text column (${TEXT_KEYS.join(', ')}) among ${header.join(', ')}`);
        continue;
      }
      const c = columns!;
      const label = c.label >= 0 ? parseLabel(cells[c.label]) : undefined;
      if (c.ids >= 0) {
        yield { ids: parseIdList(cells[c.ids] ?? '', path, lineNumber), features: null, label, where };
      } else {
        if (!vocabulary) throw new InputError(path, lineNumber, `the '${header[c.text]}' column holds text: pass --vocab with the model's vocabulary`);
        yield { ids: tokenize(cells[c.text] ?? '', vocabulary), features: null, label, where };
      }
      index++;
    }
  } finally {
    lines.close();
  }
}

function fromObject(item: unknown, where: string, path: string, vocabulary: Vocabulary | null): Sample {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError(path, null, `${where} is not an object like {"ids": [3, 14, 15], "label": 1}`);
  const record = item as Record<string, unknown>;
  const key = (keys: string[]) => keys.find((k) => k in record);
  const labelKey = key(LABEL_KEYS);
  const label = labelKey === undefined ? undefined : record[labelKey];
  if (label !== undefined && typeof label !== 'number' && typeof label !== 'string') throw new InputError(path, null, `${where}: the label ${JSON.stringify(label)} is neither a number nor text`);
  const idsKey = key(IDS_KEYS);
  if (idsKey !== undefined) {
    const ids = record[idsKey];
    if (!Array.isArray(ids) || ids.some((v) => typeof v !== 'number')) throw new InputError(path, null, `${where}: '${idsKey}' must be a list of integer ids`);
    return { ids: ids as number[], features: null, label: label as Label | undefined, where };
  }
  const textKey = key(TEXT_KEYS);
  if (textKey !== undefined) {
    if (!vocabulary) throw new InputError(path, null, `${where} holds text ('${textKey}'): pass --vocab with the model's vocabulary`);
    return { ids: tokenize(String(record[textKey]), vocabulary), features: null, label: label as Label | undefined, where };
  }
  throw new InputError(path, null, `${where} has neither ids (${IDS_KEYS.join(', ')}) nor text (${TEXT_KEYS.join(', ')})`);
}

function parseLabel(cell: string | undefined): Label | undefined {
  if (cell === undefined) return undefined;
  const text = cell.trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

function parseIdList(cell: string, path: string, line: number): number[] {
  const text = cell.trim().replace(/^\[|\]$/g, '');
  if (text === '') return [];
  return text.split(/[\s,]+/).filter((s) => s !== '').map((s) => {
    const v = Number(s);
    if (!Number.isInteger(v)) throw new InputError(path, line, `'${s}' in the ids is not an integer`);
    return v;
  });
}

export function splitCsvLine(line: string, separator: string, path: string, lineNumber: number): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new InputError(path, lineNumber, 'a quoted cell is not closed on its line');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      cells.push(value);
      if (i < line.length && line[i] !== separator) throw new InputError(path, lineNumber, 'text after a closing quote');
      i++;
    } else {
      const end = line.indexOf(separator, i);
      const stop = end < 0 ? line.length : end;
      cells.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return cells;
}

async function openRecords(path: string, format: 'jsonl' | 'json' | 'csv' | 'tsv', options: DatasetOptions, vocabulary: Vocabulary | null): Promise<SequenceDataset> {
  const checker = new SampleChecker(path, options.input, options.unlabelled === true);
  let sawText = false;
  for await (const sample of records(path, format, vocabulary)) {
    checker.check(sample);
    sawText ||= vocabulary !== null;
  }
  checker.finish();
  const length = targetLength(path, checker, options.input, options);
  let truncated = 0;
  let padded = 0;
  // Counting again is cheaper than keeping every length.
  for await (const sample of records(path, format, vocabulary)) {
    const n = sample.ids!.length;
    if (n > length) truncated++;
    else if (n < length) padded++;
  }
  return {
    path,
    format,
    kind: sawText ? 'text' : 'ids',
    n: checker.n,
    length,
    features: null,
    truncated,
    padded,
    labels: checker.labels,
    async *batches(requested: number) {
      const size = samplesPerBatch(requested, length * 4);
      let buffer = new Int32Array(size * length);
      let count = 0;
      let start = 0;
      for await (const sample of records(path, format, vocabulary)) {
        place(sample.ids!, buffer, count * length, length, options);
        count++;
        if (count === size) {
          yield { start, count, ids: buffer, features: null, length };
          start += count;
          count = 0;
          buffer = new Int32Array(size * length);
        }
      }
      if (count > 0) yield { start, count, ids: buffer.subarray(0, count * length), features: null, length };
    },
  };
}

// ---------------------------------------------------------------- NumPy

function labelsBeside(path: string): string[] {
  const dir = dirname(path);
  const stem = basename(path, '.npy');
  const candidates: string[] = [];
  for (const [from, to] of [['inputs', 'labels'], ['input', 'labels'], ['ids', 'labels'], ['features', 'labels'], ['x', 'y'], ['X', 'y']]) {
    if (stem.endsWith(from)) candidates.push(join(dir, `${stem.slice(0, stem.length - from.length)}${to}.npy`));
  }
  candidates.push(join(dir, `${stem}.labels.npy`), join(dir, 'labels.npy'), join(dir, 'y.npy'));
  return candidates;
}

function openNpy(path: string, options: DatasetOptions): SequenceDataset {
  const head = Buffer.alloc(4096);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(path, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let headerBytes: number;
  let layout: { shape: number[]; descr: string; dataOffset: number };
  let fileBytes: number;
  try {
    headerBytes = readSync(fd, head, 0, head.length, 0);
    layout = npyLayout(head.subarray(0, headerBytes), path);
    fileBytes = fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
  const { shape, descr } = layout;
  const dataBytes = shape.reduce((a, b) => a * b, 1) * Number(/\d+$/.exec(descr)![0]);
  if (layout.dataOffset + dataBytes !== fileBytes) {
    throw new InputError(path, null, `the header declares ${JSON.stringify(shape)} ${descr} (${dataBytes.toLocaleString('en-US')} bytes of data) but the file holds ${Math.max(0, fileBytes - layout.dataOffset).toLocaleString('en-US')}`);
  }
  const floating = /f\d$/.test(descr);
  const input = options.input;
  if (shape.length !== 2 && shape.length !== 3) throw new InputError(path, null, `the array is ${JSON.stringify(shape)}; expected token ids (N, T) or features (N, T, F)`);
  if (shape.length === 2 && input.kind === 'features') throw new InputError(path, null, `the array is ${JSON.stringify(shape)} token ids, but the model takes ${describeModelInput(input)}`);
  if (shape.length === 3 && input.kind === 'ids') throw new InputError(path, null, `the array is ${JSON.stringify(shape)} features, but the model takes ${describeModelInput(input)} (an Embedding comes first)`);
  if (shape.length === 2 && floating) throw new InputError(path, null, `token ids must be integers, but the array's dtype is ${descr}`);
  const [n, steps] = shape;
  if (input.length === null && options.maxLength === undefined && steps > MAX_DATA_LENGTH) throw tooLong(path, 'every sample', steps, 'steps');
  const features = shape.length === 3 ? shape[2] : null;
  if (features !== null && input.features !== null && features !== input.features) {
    throw new InputError(path, null, `every sample has ${features} features per step, but the model expects ${input.features} (input ${describeModelInput(input)})`);
  }
  if (features !== null && input.length !== null && steps !== input.length) {
    throw new InputError(path, null, `every sample has ${steps} steps, but the model's input is fixed at ${input.length} (input ${describeModelInput(input)})`);
  }
  const labelsPath = options.labelsPath ?? labelsBeside(path).find((p) => {
    try {
      closeSync(openSync(p, 'r'));
      return true;
    } catch {
      return false;
    }
  });
  if (!labelsPath) throw new InputError(path, null, `no labels: pass --labels FILE.npy, or put them beside it as ${basename(labelsBeside(path)[0])}`);
  const labelArray = readNpyFile(labelsPath);
  if (labelArray.shape.length !== 1 || labelArray.shape[0] !== n) throw new InputError(labelsPath, null, `the labels are ${JSON.stringify(labelArray.shape)}, but ${basename(path)} has ${n} samples`);
  const labels: Label[] = Array.from(labelArray.data as ArrayLike<Label>);

  const length = features !== null ? steps : input.length ?? options.maxLength ?? steps;
  const rowElements = steps * (features ?? 1);
  const elementBytes = Number(/\d+$/.exec(descr)![0]);
  const rowBytes = rowElements * elementBytes;
  const readRows = (fd: number, first: number, count: number) => {
    const bytes = Buffer.alloc(count * rowBytes);
    readSync(fd, bytes, 0, bytes.length, layout.dataOffset + first * rowBytes);
    return parseNpy(Buffer.concat([npyHeader(descr, [count, ...shape.slice(1)]), bytes]), path);
  };
  // The check pass reads in chunks of rows: ids against the embedding, nothing kept.
  if (features === null && input.vocabulary !== null) {
    const vocabulary = input.vocabulary;
    const fd = openSync(path, 'r');
    try {
      const chunk = samplesPerBatch(Number.MAX_SAFE_INTEGER, rowBytes);
      for (let first = 0; first < n; first += chunk) {
        const rows = readRows(fd, first, Math.min(chunk, n - first)).data as Int32Array;
        for (let i = 0; i < rows.length; i++) {
          const id = rows[i];
          if (id < 0 || id >= vocabulary) {
            const sample = first + Math.floor(i / steps);
            throw new InputError(path, null, `sample ${sample}: token id ${id} at position ${i % steps} is out of range for the model's embedding of ${vocabulary} rows (ids must be 0 to ${vocabulary - 1}); PyTorch raises "IndexError: index out of range in self" here`);
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return {
    path,
    format: 'npy',
    kind: features === null ? 'ids' : 'features',
    n,
    length,
    features,
    truncated: length < steps ? n : 0,
    padded: length > steps ? n : 0,
    labels,
    async *batches(requested: number) {
      const size = samplesPerBatch(requested, Math.max(rowBytes, length * (features ?? 1) * 4));
      const fd = openSync(path, 'r');
      try {
        for (let start = 0; start < n; start += size) {
          const count = Math.min(size, n - start);
          const rows = readRows(fd, start, count);
          if (features !== null) {
            yield { start, count, ids: null, features: rows.data as Float32Array, length };
          } else if (length === steps) {
            yield { start, count, ids: rows.data as Int32Array, features: null, length };
          } else {
            const out = new Int32Array(count * length);
            const data = rows.data as Int32Array;
            for (let r = 0; r < count; r++) place(Array.from(data.subarray(r * steps, (r + 1) * steps)), out, r * length, length, options);
            yield { start, count, ids: out, features: null, length };
          }
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

function npyLayout(head: Buffer, path: string): { shape: number[]; descr: string; dataOffset: number } {
  if (head.length < 10 || head[0] !== 0x93 || head.toString('latin1', 1, 6) !== 'NUMPY') throw new InputError(path, null, 'not a NumPy .npy array (the magic string is missing)');
  const major = head[6];
  const headerLength = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const dataOffset = (major === 1 ? 10 : 12) + headerLength;
  const header = head.toString('latin1', major === 1 ? 10 : 12, Math.min(head.length, dataOffset));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new InputError(path, null, 'cannot read the dtype and shape from the .npy header');
  if (/'fortran_order'\s*:\s*True/.test(header)) throw new InputError(path, null, 'the array is stored in Fortran order; save it with np.save(np.ascontiguousarray(a))');
  if (!/^[<|]?[fiub]\d$/.test(descr)) throw new InputError(path, null, `dtype '${descr}' is not supported: ids must be integers, features floats`);
  const shape = npyShape(header, path);
  return { shape, descr, dataOffset };
}

