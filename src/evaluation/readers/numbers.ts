// Number parsing straight from the bytes of a file, without allocating a string per cell.
// The fast path is exact: a mantissa below 2^53 times or divided by an exact power of ten
// (10^0..10^22) is one correctly rounded IEEE operation, so it gives what Python's float()
// and JavaScript's Number() give. Anything else falls back to Number() on the text.

const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_EXACT_MANTISSA = 2 ** 53;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_TEXT = /^[+-]?(?:nan|inf|infinity)$/i;

/** NaN when the bytes are not a plain decimal number; ±Infinity/NaN spellings give those values. */
export function parseNumberBytes(buf: Buffer, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = buf[i];
  if (first === 45 /* - */) { negative = true; i++; } else if (first === 43 /* + */) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  let c = 0;
  while (i < end && (c = buf[i]) >= 48 && c <= 57) {
    if (mantissa !== 0 || c !== 48) { mantissa = mantissa * 10 + (c - 48); digits++; }
    sawDigit = true;
    i++;
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    while (i < end && (c = buf[i]) >= 48 && c <= 57) {
      if (mantissa !== 0 || c !== 48) { mantissa = mantissa * 10 + (c - 48); digits++; }
      scale--;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return parseNumberSlow(buf, start, end);
  if (i < end) {
    c = buf[i];
    if (c !== 101 && c !== 69) return parseNumberSlow(buf, start, end);
    i++;
    let expNegative = false;
    if (buf[i] === 45) { expNegative = true; i++; } else if (buf[i] === 43) i++;
    let exponent = 0;
    let expDigits = 0;
    while (i < end && (c = buf[i]) >= 48 && c <= 57) { exponent = exponent * 10 + (c - 48); expDigits++; i++; }
    if (expDigits === 0 || i < end || expDigits > 6) return parseNumberSlow(buf, start, end);
    scale += expNegative ? -exponent : exponent;
  }
  // Valid decimal syntax, just beyond the exact fast path: Number() rounds it correctly.
  if (digits > 16 || mantissa >= MAX_EXACT_MANTISSA || scale < -22 || scale > 22) return Number(latin1(buf, start, end));
  const magnitude = scale >= 0 ? mantissa * EXACT_POWERS_OF_TEN[scale] : mantissa / EXACT_POWERS_OF_TEN[-scale];
  return negative ? -magnitude : magnitude;
}

function parseNumberSlow(buf: Buffer, start: number, end: number): number {
  return parseNumberText(latin1(buf, start, end));
}

function latin1(buf: Buffer, start: number, end: number): string {
  // latin1Slice is what toString('latin1') calls, minus argument checks; it is not in @types/node.
  return (buf as Buffer & { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
}

/** The same rules on text: decimal numbers, and nan/inf/infinity in any case as non-finite values. */
export function parseNumberText(text: string): number {
  const trimmed = text.trim();
  if (NUMBER_TEXT.test(trimmed)) return Number(trimmed);
  if (NON_FINITE_TEXT.test(trimmed)) {
    const negative = trimmed.startsWith('-');
    return /nan/i.test(trimmed) ? NaN : negative ? -Infinity : Infinity;
  }
  return NaN;
}

/** True when the text is a non-finite spelling (so NaN means "nan", not "not a number at all"). */
export function isNonFiniteSpelling(text: string): boolean {
  return NON_FINITE_TEXT.test(text.trim());
}
