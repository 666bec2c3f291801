// Datasets a sequence model runs on, streamed in batches so that memory stays bounded:
//   token-id sequences: JSONL ({"ids": [...], "label": ...}), CSV/TSV (an ids column of
//     "3 14 15" or "[3, 14, 15]"), or .npy (N, T) integers with a labels .npy beside it;
//   raw text with a vocabulary (JSONL/CSV text column + --vocab), tokenised as Keras does;
//   feature sequences: .npy (N, T, F) floats.
// Labels are one per sample, or one per token for a tagger: a JSONL "tags" (or "labels") array the
// length of the ids, a .npy (N, T) labels array beside an (N, T) ids array. Pre-tokenised text
// ({"tokens": ["EU", "rejects"], "tags": ["B-ORG", "O"]}, the tagged JSONL the sequence evaluation
// reads) is looked up word by word in --vocab.
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
  /** Names of the model's output classes in order (--class-names): per-token tags given as text index into them. */
  tagNames?: string[];
  /** A per-token label that marks a token not to score (besides any negative label, such as PyTorch's -100). */
  ignoreLabel?: string;
}

/** Per-token labels of a batch: a class index per (sample, step), or NO_TAG for padding and ignored tokens. */
export const NO_TAG = -1;

export interface DatasetBatch {
  /** Index of the first sample. */
  start: number;
  count: number;
  /** (count, length) ids or (count, length, features) features, row-major. */
  ids: Int32Array | null;
  features: Float32Array | null;
  length: number;
  /** (count, length) per-token class indices, NO_TAG where nothing is scored; null without per-token labels. */
  tags: Int32Array | null;
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
  /** Labels are one per token (a tagger's gold tags), streamed in each batch's `tags`. */
  tokenLabels: boolean;
  /** Streams the samples in order. */
  batches(size: number): AsyncGenerator<DatasetBatch>;
}

interface Sample {
  ids: number[] | null;
  features: Float32Array | null;
  label: Label | undefined;
  /** Per-token labels, as the file gives them. */
  tags: Label[] | null;
  /** How a message names it: `sample 12 (line 13)`. */
  where: string;
}

const IDS_KEYS = ['ids', 'input_ids', 'token_ids', 'tokens', 'sequence', 'x', 'input', 'inputs'];
const TEXT_KEYS = ['text', 'sentence', 'review', 'content', 'document', 'utterance'];
const LABEL_KEYS = ['label', 'labels', 'y', 'y_true', 'target', 'class', 'category'];
/** Keys of per-token labels, looked for before LABEL_KEYS (whose arrays are per-token labels too). */
const TAG_KEYS = ['tags', 'ner_tags', 'pos_tags', 'tag_ids', 'label_ids'];

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
  /** The first sample with per-token labels and the first with one label, which cannot mix. */
  tagged: string | null = null;
  single: string | null = null;

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
    if (sample.tags) {
      if (sample.ids && sample.tags.length !== sample.ids.length) throw new InputError(this.path, null, `${sample.where} has ${sample.tags.length} per-token labels for ${sample.ids.length} tokens; a tagger's labels are one per token`);
      this.tagged ??= sample.where;
    } else if (sample.label === undefined) this.unlabelled ??= sample.where;
    else {
      this.labels.push(sample.label);
      this.single ??= sample.where;
    }
    if (this.tagged && this.single) throw new InputError(this.path, null, `${this.tagged} has one label per token but ${this.single} one label for the sequence`);
    this.n++;
  }

  finish(): void {
    if (this.n === 0) throw new InputError(this.path, null, 'the dataset has no samples');
    if (this.tagged) {
      if (this.unlabelled) throw new InputError(this.path, null, `${this.unlabelled} has no per-token labels (looked for ${[...TAG_KEYS, ...LABEL_KEYS].join(', ')}) while ${this.tagged} has`);
      return;
    }
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

/** Pads or truncates ids into `out` at `offset`, as Keras' pad_sequences does (`fill` in the padding). */
function place(ids: ArrayLike<number>, out: Int32Array, offset: number, length: number, options: DatasetOptions, fill = options.padId ?? 0): void {
  const padId = fill;
  const kept = ids.length <= length ? ids : (options.truncating ?? 'pre') === 'pre' ? Array.prototype.slice.call(ids, ids.length - length) : Array.prototype.slice.call(ids, 0, length);
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
        yield { ids: parseIdList(cells[c.ids] ?? '', path, lineNumber), features: null, label, tags: null, where };
      } else {
        if (!vocabulary) throw new InputError(path, lineNumber, `the '${header[c.text]}' column holds text: pass --vocab with the model's vocabulary`);
        yield { ids: tokenize(cells[c.text] ?? '', vocabulary), features: null, label, tags: null, where };
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
  const tagKey = key(TAG_KEYS) ?? key(LABEL_KEYS.filter((k) => Array.isArray(record[k])));
  const labelKey = tagKey === undefined ? key(LABEL_KEYS) : undefined;
  const label = labelKey === undefined ? undefined : record[labelKey];
  if (label !== undefined && typeof label !== 'number' && typeof label !== 'string') throw new InputError(path, null, `${where}: the label ${JSON.stringify(label)?.slice(0, 40)} is neither a number nor text`);
  let tags: Label[] | null = null;
  if (tagKey !== undefined) {
    const value = record[tagKey];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' && typeof v !== 'string')) throw new InputError(path, null, `${where}: '${tagKey}' must be a list of per-token labels (integers or tag strings)`);
    tags = value as Label[];
  }
  const idsKey = key(IDS_KEYS);
  if (idsKey !== undefined) {
    const ids = record[idsKey];
    if (Array.isArray(ids) && ids.length > 0 && ids.every((v) => typeof v === 'string')) {
      // Pre-tokenised text: each word is one token of the vocabulary, as a tagger's data gives it.
      if (!vocabulary) throw new InputError(path, null, `${where}: '${idsKey}' holds words; pass --vocab with the model's vocabulary`);
      return { ids: (ids as string[]).map((w) => vocabulary.ids.get(vocabulary.lowercase ? w.toLowerCase() : w) ?? vocabulary.oovId), features: null, label: label as Label | undefined, tags, where };
    }
    if (!Array.isArray(ids) || ids.some((v) => typeof v !== 'number')) throw new InputError(path, null, `${where}: '${idsKey}' must be a list of integer ids`);
    return { ids: ids as number[], features: null, label: label as Label | undefined, tags, where };
  }
  const textKey = key(TEXT_KEYS);
  if (textKey !== undefined) {
    if (!vocabulary) throw new InputError(path, null, `${where} holds text ('${textKey}'): pass --vocab with the model's vocabulary`);
    if (tags) throw new InputError(path, null, `${where} has per-token labels beside untokenised text ('${textKey}'); give the tokens as a list ("tokens": ["EU", "rejects", …]) so that each label has its token`);
    return { ids: tokenize(String(record[textKey]), vocabulary), features: null, label: label as Label | undefined, tags, where };
  }
  throw new InputError(path, null, `${where} has neither ids (${IDS_KEYS.join(', ')}) nor text (${TEXT_KEYS.join(', ')})`);
}

/**
 * Places one sample's per-token labels as class indices, padded and truncated as its ids are. A
 * negative label (PyTorch's ignore_index -100) or the --ignore-label value is NO_TAG; text labels
 * index the model's class names.
 */
function placeTags(tags: ArrayLike<Label>, out: Int32Array, offset: number, length: number, options: DatasetOptions, path: string, where: string): void {
  const indices = new Int32Array(tags.length);
  const names = options.tagNames;
  for (let t = 0; t < tags.length; t++) {
    const tag = tags[t];
    if (options.ignoreLabel !== undefined && String(tag) === options.ignoreLabel) { indices[t] = NO_TAG; continue; }
    if (typeof tag === 'number') {
      if (!Number.isInteger(tag)) throw new InputError(path, null, `${where}: the label of token ${t} is ${tag}, not an integer class`);
      indices[t] = tag < 0 ? NO_TAG : tag;
      continue;
    }
    if (!names) throw new InputError(path, null, `${where}: the per-token labels are tags such as '${String(tag).slice(0, 20)}'; name the model's output classes in order with --class-names (e.g. O,B-PER,I-PER,…) so that each tag has its output`);
    const index = names.indexOf(tag);
    if (index < 0) throw new InputError(path, null, `${where}: the tag '${String(tag).slice(0, 40)}' of token ${t} is not among the --class-names (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})`);
    indices[t] = index;
  }
  place(indices, out, offset, length, options, NO_TAG);
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
    // Tags are checked (text against the class names) before anything runs.
    if (sample.tags) placeTags(sample.tags, new Int32Array(sample.tags.length), 0, sample.tags.length, options, path, sample.where);
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
    tokenLabels: checker.tagged !== null,
    async *batches(requested: number) {
      const tagged = checker.tagged !== null;
      const size = samplesPerBatch(requested, length * (tagged ? 8 : 4));
      let buffer = new Int32Array(size * length);
      let tags = tagged ? new Int32Array(size * length) : null;
      let count = 0;
      let start = 0;
      for await (const sample of records(path, format, vocabulary)) {
        place(sample.ids!, buffer, count * length, length, options);
        if (tags) placeTags(sample.tags!, tags, count * length, length, options, path, sample.where);
        count++;
        if (count === size) {
          yield { start, count, ids: buffer, features: null, length, tags };
          start += count;
          count = 0;
          buffer = new Int32Array(size * length);
          tags = tagged ? new Int32Array(size * length) : null;
        }
      }
      if (count > 0) yield { start, count, ids: buffer.subarray(0, count * length), features: null, length, tags: tags?.subarray(0, count * length) ?? null };
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
  if (!labelsPath && !options.unlabelled) throw new InputError(path, null, `no labels: pass --labels FILE.npy, or put them beside it as ${basename(labelsBeside(path)[0])}`);
  const labelArray = labelsPath ? readNpyFile(labelsPath) : null;
  // (N,) labels are one per sample; (N, T) labels beside (N, T) ids one per token (a tagger's).
  const tokenLabels = labelArray !== null && features === null && labelArray.shape.length === 2;
  if (labelArray && !(labelArray.shape[0] === n && (labelArray.shape.length === 1 || (tokenLabels && labelArray.shape[1] === steps)))) {
    throw new InputError(labelsPath!, null, `the labels are ${JSON.stringify(labelArray.shape)}, but ${basename(path)} is ${JSON.stringify(shape)}: labels are (${n},) one per sample${features === null ? `, or (${n}, ${steps}) one per token` : ''}`);
  }
  if (labelArray?.kind === 'float' && tokenLabels) throw new InputError(labelsPath!, null, 'per-token labels must be integer classes (or tag strings), not floats');
  const labels: Label[] = labelArray && !tokenLabels ? Array.from(labelArray.data as ArrayLike<Label>) : [];
  const tagRows = tokenLabels ? labelArray!.data as ArrayLike<Label> : null;
  if (tagRows) for (let r = 0; r < n; r++) placeTags(Array.prototype.slice.call(tagRows, r * steps, (r + 1) * steps), new Int32Array(steps), 0, steps, options, labelsPath!, `sample ${r}`);

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
    tokenLabels,
    async *batches(requested: number) {
      const size = samplesPerBatch(requested, Math.max(rowBytes, length * (features ?? 1) * 4) + (tagRows ? length * 4 : 0));
      const fd = openSync(path, 'r');
      try {
        for (let start = 0; start < n; start += size) {
          const count = Math.min(size, n - start);
          const rows = readRows(fd, start, count);
          let tags: Int32Array | null = null;
          if (tagRows) {
            tags = new Int32Array(count * length);
            for (let r = 0; r < count; r++) placeTags(Array.prototype.slice.call(tagRows, (start + r) * steps, (start + r + 1) * steps), tags, r * length, length, options, labelsPath!, `sample ${start + r}`);
          }
          if (features !== null) {
            yield { start, count, ids: null, features: rows.data as Float32Array, length, tags };
          } else if (length === steps) {
            yield { start, count, ids: rows.data as Int32Array, features: null, length, tags };
          } else {
            const out = new Int32Array(count * length);
            const data = rows.data as Int32Array;
            for (let r = 0; r < count; r++) place(Array.from(data.subarray(r * steps, (r + 1) * steps)), out, r * length, length, options);
            yield { start, count, ids: out, features: null, length, tags };
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

