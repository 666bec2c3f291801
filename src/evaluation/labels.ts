// The class set and its order. scikit-learn sorts labels (numbers numerically, text by code
// point, as Python compares str) and uses the union of those in y_true and y_pred; so do we.
import { InputError } from './errors';
import type { Label } from './types';

/** Python's str ordering: by Unicode code point (JavaScript's < compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

/** Sorted, without duplicates (numbers compared by value, text by content). */
export function sortedUnique(values: Iterable<Label>): Label[] {
  const seen = new Map<string, Label>();
  for (const v of values) seen.set(`${typeof v}:${v}`, v);
  return [...seen.values()].sort(compareLabels);
}

/** Maps each dictionary entry of a column to its index in `labels`. */
export function remapTable(dictionary: Label[], labels: Label[]): Int32Array {
  const index = new Map(labels.map((l, i) => [`${typeof l}:${l}`, i]));
  return Int32Array.from(dictionary, (d) => {
    const i = index.get(`${typeof d}:${d}`);
    if (i === undefined) throw new Error(`label ${String(d)} missing from the class set`);
    return i;
  });
}

/** A label written by the user (a column suffix, --positive) in the kind of label the data uses. */
export function parseLabel(text: string, numeric: boolean, where: string, what: string): Label {
  if (!numeric) return text;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new InputError(where, null, `${what} '${text}' is not a number, but the labels are numbers`);
  }
  return value;
}

export function labelText(label: Label): string {
  return String(label);
}
