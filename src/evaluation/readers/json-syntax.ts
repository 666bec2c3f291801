// Strict JSON for the streamed readers, which cut a document into values themselves: every
// scalar is checked against RFC 8259 (no bare words, no `tru`, `nul`, `+1`, `.5` or `NaN`),
// strings are decoded by JSON.parse (which refuses bad escapes and raw control characters),
// text must be UTF-8, and an object may not name a key twice (JSON.parse would keep the last
// value silently).
import { isUtf8 } from 'node:buffer';

export class JsonSyntaxError extends Error {}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` over bytes. */
export function isJsonNumber(buf: Buffer, start: number, end: number): boolean {
  let p = start;
  if (buf[p] === 0x2d) p++;
  if (p >= end) return false;
  if (buf[p] === 0x30) p++;
  else if (buf[p] >= 0x31 && buf[p] <= 0x39) { while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++; }
  else return false;
  if (p < end && buf[p] === 0x2e) {
    p++;
    const digits = p;
    while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
    if (p === digits) return false;
  }
  if (p < end && (buf[p] === 0x65 || buf[p] === 0x45)) {
    p++;
    if (p < end && (buf[p] === 0x2b || buf[p] === 0x2d)) p++;
    const digits = p;
    while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
    if (p === digits) return false;
  }
  return p === end;
}

/** The literal at buf[start..end): 'null', 'true', 'false', or null when it is none of them. */
export function jsonLiteral(buf: Buffer, start: number, end: number): 'null' | 'true' | 'false' | null {
  const length = end - start;
  if (length === 4 && buf[start] === 0x6e && buf[start + 1] === 0x75 && buf[start + 2] === 0x6c && buf[start + 3] === 0x6c) return 'null';
  if (length === 4 && buf[start] === 0x74 && buf[start + 1] === 0x72 && buf[start + 2] === 0x75 && buf[start + 3] === 0x65) return 'true';
  if (length === 5 && buf.toString('latin1', start, end) === 'false') return 'false';
  return null;
}

/** Decodes buf[start..end) as UTF-8 text; invalid UTF-8 is an error, not U+FFFD. */
export function utf8Text(buf: Buffer, start: number, end: number): string {
  const text = buf.toString('utf8', start, end);
  // A genuine U+FFFD is valid UTF-8; only a replacement made by the decoder is refused.
  if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) throw new JsonSyntaxError('invalid UTF-8');
  return text;
}

/** JSON.parse of one whole value, with its errors as JsonSyntaxError. */
export function parseJsonValue(buf: Buffer, start: number, end: number): unknown {
  const text = utf8Text(buf, start, end);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError((error as Error).message);
  }
}

/** Checks a scalar that is not a string, array or object: a number or a literal. */
export function checkBareScalar(buf: Buffer, start: number, end: number): void {
  if (jsonLiteral(buf, start, end) !== null || isJsonNumber(buf, start, end)) return;
  const shown = buf.toString('utf8', start, Math.min(end, start + 40));
  throw new JsonSyntaxError(`'${shown}${end - start > 40 ? '…' : ''}' is not a JSON value (text needs double quotes)`);
}

/** The first key named twice among the top-level keys of the object at buf[start..end), or null. */
export function repeatedKey(buf: Buffer, start: number, end: number, keyCount: number): string | null {
  let depth = 0;
  let expectKey = false;
  let count = 0;
  const keys: string[] = [];
  for (let p = start; p < end; p++) {
    const b = buf[p];
    if (b === 0x22) {
      let q = p + 1;
      while (q < end && buf[q] !== 0x22) q += buf[q] === 0x5c ? 2 : 1;
      if (depth === 1 && expectKey) {
        count++;
        keys.push(buf.toString('utf8', p, q + 1));
        expectKey = false;
      }
      p = q;
    } else if (b === 0x7b || b === 0x5b) {
      depth++;
      if (depth === 1 && b === 0x7b) expectKey = true;
    } else if (b === 0x7d || b === 0x5d) depth--;
    else if (b === 0x2c && depth === 1) expectKey = true;
  }
  if (count === keyCount) return null;
  const seen = new Set<string>();
  for (const raw of keys) {
    const key = JSON.parse(raw) as string;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return null;
}
