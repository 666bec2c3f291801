// What a reader does with the cells of a column it keeps. Readers know bytes, text and JSON
// values; builders know what a column means (a label, a number, a sample key) and store it
// in typed arrays. A builder throws CellError; the reader adds the file and line.
import { CellError } from '../errors';
import { GrowableFloat64, GrowableInt32 } from './growable';
import { isNonFiniteSpelling, parseNumberBytes, parseNumberText } from './numbers';

export interface CellSink {
  /** An unquoted cell, as raw UTF-8 bytes. */
  bytes(buf: Buffer, start: number, end: number): void;
  /** A cell that arrived as text (quoted CSV, JSON string, NumPy unicode). */
  text(value: string): void;
  /** A cell that arrived as a number (JSON, NumPy). */
  number(value: number): void;
  /** null, or an empty cell. */
  missing(): void;
  /** Room for this many rows, when the reader can estimate them. */
  reserve(rows: number): void;
  readonly length: number;
}

/**
 * A finished label column: class ids into `dictionary`, or raw values when too many distinct
 * values to be classes (`integers` when every one of them is an integer, which the task choice
 * does not take for a regression target by itself).
 */
export type LabelColumn =
  | { kind: 'labels'; ids: Int32Array; dictionary: (string | number)[]; numeric: boolean }
  | { kind: 'values'; values: Float64Array; integers: boolean };

/** Past this many distinct values a numeric column is treated as continuous (a regression target). */
export const MAX_CLASSES = 10_000;
const SMALL_INT_LIMIT = 4096;
const BYTE_CACHE_LIMIT = 32;

export class LabelColumnBuilder implements CellSink {
  private ids = new GrowableInt32();
  private values: GrowableFloat64 | null = null;
  private valuesAreIntegers = true;
  private mode: 'numeric' | 'text' = 'numeric';
  private readonly byNumber = new Map<number, number>();
  private byText = new Map<string, number>();
  private readonly smallInts = new Int32Array(SMALL_INT_LIMIT).fill(-1);
  /** First text seen for each id, and its number when numeric. */
  private readonly texts: string[] = [];
  private readonly numbers: number[] = [];
  /** Raw bytes of text labels, compared directly while there are few of them. */
  private readonly textBytes: Buffer[] = [];

  constructor(private readonly what: string) {}

  get length(): number {
    return this.values ? this.values.length : this.ids.length;
  }

  reserve(rows: number): void {
    if (this.values) this.values.reserve(rows);
    else this.ids.reserve(rows);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    if (start === end) return this.missing();
    if (this.mode === 'text') return this.textFromBytes(buf, start, end);
    const value = parseNumberBytes(buf, start, end);
    if (value === value) return this.numberWithText(value, buf, start, end);
    const text = buf.toString('utf8', start, end);
    if (isNonFiniteSpelling(text)) throw new CellError(`${this.what} is ${text.trim()}`);
    this.switchToText();
    this.textValue(text);
  }

  text(value: string): void {
    if (value.length === 0) return this.missing();
    if (this.mode === 'numeric') {
      const parsed = parseNumberText(value);
      if (parsed === parsed) return this.numberValue(parsed, value);
      if (isNonFiniteSpelling(value)) throw new CellError(`${this.what} is ${value.trim()}`);
      this.switchToText();
    }
    this.textValue(value);
  }

  number(value: number): void {
    if (this.mode === 'text') return this.textValue(String(value));
    this.numberValue(value, null);
  }

  missing(): never {
    throw new CellError(`${this.what} is missing`);
  }

  finish(): LabelColumn {
    if (this.values) return { kind: 'values', values: this.values.finish(), integers: this.valuesAreIntegers };
    const numeric = this.mode === 'numeric';
    return { kind: 'labels', ids: this.ids.finish(), dictionary: numeric ? this.numbers.slice() : this.texts.slice(), numeric };
  }

  private numberWithText(value: number, buf: Buffer, start: number, end: number): void {
    if (!Number.isFinite(value)) throw new CellError(`${this.what} is ${buf.toString('utf8', start, end).trim()}`);
    if (this.values) { this.pushValue(value); return; }
    if (value >= 0 && value < SMALL_INT_LIMIT && (value | 0) === value && !Object.is(value, -0)) {
      const id = this.smallInts[value];
      if (id >= 0) { this.ids.push(id); return; }
    }
    this.numberValue(value, buf.toString('utf8', start, end));
  }

  private numberValue(value: number, text: string | null): void {
    if (!Number.isFinite(value)) throw new CellError(`${this.what} is ${text ?? String(value)}`);
    if (this.values) { this.pushValue(value); return; }
    const key = value === 0 ? 0 : value;
    let id = this.byNumber.get(key);
    if (id === undefined) {
      id = this.texts.length;
      if (id >= MAX_CLASSES) { this.switchToValues(); this.pushValue(value); return; }
      this.byNumber.set(key, id);
      this.texts.push(text ?? String(value));
      this.numbers.push(key);
      if (key >= 0 && key < SMALL_INT_LIMIT && (key | 0) === key) this.smallInts[key] = id;
    }
    this.ids.push(id);
  }

  private textFromBytes(buf: Buffer, start: number, end: number): void {
    const known = this.textBytes;
    if (known.length > 0) {
      const len = end - start;
      for (let id = 0; id < known.length; id++) {
        const candidate = known[id];
        if (candidate.length !== len) continue;
        let same = true;
        for (let j = 0; j < len; j++) if (candidate[j] !== buf[start + j]) { same = false; break; }
        if (same) { this.ids.push(id); return; }
      }
    }
    const text = buf.toString('utf8', start, end);
    if (isNonFiniteSpelling(text)) throw new CellError(`${this.what} is ${text.trim()}`);
    this.textValue(text);
  }

  private textValue(text: string): void {
    let id = this.byText.get(text);
    if (id === undefined) {
      id = this.texts.length;
      if (id >= MAX_CLASSES) throw new CellError(`${this.what} has more than ${MAX_CLASSES} distinct text labels`);
      this.byText.set(text, id);
      this.texts.push(text);
      // Only a dense prefix of ids can be matched by position in textBytes.
      if (this.textBytes.length === id && id < BYTE_CACHE_LIMIT) this.textBytes.push(Buffer.from(text, 'utf8'));
    }
    this.ids.push(id);
  }

  private switchToText(): void {
    if (this.values) throw new CellError(`${this.what} mixes text with more than ${MAX_CLASSES} distinct numbers`);
    this.mode = 'text';
    this.byText = new Map(this.texts.map((t, i) => [t, i]));
    // Ids of numbers seen so far may not be a dense prefix of text ids in file order; start the byte cache afresh.
    for (let id = 0; id < this.texts.length && id < BYTE_CACHE_LIMIT; id++) this.textBytes.push(Buffer.from(this.texts[id], 'utf8'));
  }

  private pushValue(value: number): void {
    if (this.valuesAreIntegers && !Number.isInteger(value)) this.valuesAreIntegers = false;
    this.values!.push(value);
  }

  private switchToValues(): void {
    this.valuesAreIntegers = this.numbers.every((v) => Number.isInteger(v));
    const ids = this.ids.finish();
    const values = new GrowableFloat64();
    values.reserve(ids.length * 2);
    for (let i = 0; i < ids.length; i++) values.push(this.numbers[ids[i]]);
    this.values = values;
    this.ids = new GrowableInt32();
  }
}

/** Finite numbers only: NaN, infinities, text and empty cells are errors that name the column. */
export class NumberColumnBuilder implements CellSink {
  private readonly values = new GrowableFloat64();

  constructor(private readonly what: string) {}

  get length(): number {
    return this.values.length;
  }

  reserve(rows: number): void {
    this.values.reserve(rows);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    if (start === end) this.missing();
    const value = parseNumberBytes(buf, start, end);
    if (value === value && value !== Infinity && value !== -Infinity) { this.values.push(value); return; }
    this.reject(buf.toString('utf8', start, end));
  }

  text(value: string): void {
    if (value.length === 0) this.missing();
    const parsed = parseNumberText(value);
    if (Number.isFinite(parsed)) { this.values.push(parsed); return; }
    this.reject(value);
  }

  number(value: number): void {
    if (!Number.isFinite(value)) this.reject(String(value));
    this.values.push(value);
  }

  missing(): never {
    throw new CellError(`${this.what} is missing`);
  }

  finish(): Float64Array {
    return this.values.finish();
  }

  private reject(text: string): never {
    const shown = text.trim();
    if (isNonFiniteSpelling(shown)) throw new CellError(`${this.what} is ${shown}; scores must be finite numbers`);
    throw new CellError(`${this.what} '${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}' is not a number`);
  }
}

/**
 * One 53-bit hash per row of the sample column, for the train/test leakage check. Text is
 * normalised first (Unicode NFKC, case, punctuation, spacing), as Deepchecks does, so that
 * "Great movie!" and "great movie" count as the same sample.
 */
export class KeyColumnBuilder implements CellSink {
  private readonly hashes = new GrowableFloat64();

  get length(): number {
    return this.hashes.length;
  }

  reserve(rows: number): void {
    this.hashes.reserve(rows);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.text(buf.toString('utf8', start, end));
  }

  text(value: string): void {
    this.hashes.push(hashText(normaliseSampleText(value)));
  }

  number(value: number): void {
    this.hashes.push(hashText(String(value)));
  }

  missing(): void {
    this.hashes.push(hashText(''));
  }

  finish(): Float64Array {
    return this.hashes.finish();
  }
}

export function normaliseSampleText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
}

/** Two FNV-1a hashes with different seeds, joined into an integer below 2^53. */
export function hashText(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}
