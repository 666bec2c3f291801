// Strings built from known values, as Python builds them: str(), str.format, `%` formatting and f-strings. They
// name attributes (`setattr(self, 'cell_{}'.format(i), cell)`, `getattr(nn, rnn_type)`), so a name made at run
// time can be followed. A piece whose text is not known for certain (a float Python would print in another
// notation, a format specifier not modelled, an object's repr) makes the whole string unknown, never a guess.
import { MAX_ITEMS, MAX_STRING, UNKNOWN, Value, sequence, strValue, summary } from '../values/value';

/** Python's `str(v)` for the values whose text is certain; undefined otherwise. */
export function pyStr(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'int':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'float':
      return v.value === undefined ? undefined : floatRepr(v.value);
    default:
      return undefined;
  }
}

/**
 * Python's repr of a float where it agrees with JavaScript's shortest round-trip text: integral values below 1e16
 * (`2.0`) and values printed without an exponent by both (1e-4 ≤ |v| < 1e16). Elsewhere the notations differ.
 */
function floatRepr(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e16) return `${Object.is(value, -0) ? '-0' : String(value)}.0`;
  if (magnitude < 1e-4 || magnitude >= 1e16) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** Python's `repr(v)` for ints, bools and None (a string's repr depends on its quotes: not modelled). */
function pyRepr(v: Value): string | undefined {
  return v.kind === 'str' ? undefined : pyStr(v);
}

/**
 * One replacement field's text: `spec` as in `format(v, spec)`, for the specifiers whose result is certain: none,
 * `s` on a string, and `d` on an int, each with an optional fill/align, zero padding and width (`03d`, `>4`).
 */
export function formatField(v: Value, spec: string, conversion?: string): string | undefined {
  let value: Value = v;
  if (conversion === 'r') {
    const text = pyRepr(v);
    if (text === undefined) return undefined;
    value = { kind: 'str', value: text };
  } else if (conversion === 's') {
    const text = pyStr(v);
    if (text === undefined) return undefined;
    value = { kind: 'str', value: text };
  } else if (conversion !== undefined) return undefined;
  if (spec === '') return pyStr(value);
  const m = /^(?:([^{}])?([<>^]))?(0)?(\d{1,3})?([sd])?$/.exec(spec);
  if (!m) return undefined;
  const [, fill, align, zero, widthText, type] = m;
  let text: string | undefined;
  if (type === 'd' || (type === undefined && value.kind === 'int')) text = value.kind === 'int' ? String(value.value) : undefined;
  else if (type === 's' || (type === undefined && value.kind === 'str')) text = value.kind === 'str' ? value.value : undefined;
  if (text === undefined) return undefined;
  const width = widthText ? Number(widthText) : 0;
  if (text.length >= width) return text;
  const pad = width - text.length;
  if (!align && zero && value.kind === 'int') return text.startsWith('-') ? `-${'0'.repeat(pad)}${text.slice(1)}` : `${'0'.repeat(pad)}${text}`;
  const c = fill ?? (zero && !align ? '0' : ' ');
  // Numbers align right by default, strings left.
  const side = align ?? (value.kind === 'int' ? '>' : '<');
  if (side === '<') return text + c.repeat(pad);
  if (side === '>') return c.repeat(pad) + text;
  const left = Math.floor(pad / 2);
  return c.repeat(left) + text + c.repeat(pad - left);
}

/** `template.format(*args, **kwargs)`: fields `{}`, `{0}` and `{name}` with a specifier formatField knows. */
export function formatBraces(template: string, args: Value[], kwargs: Map<string, Value>): Value {
  let out = '';
  let auto = 0;
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '}') {
      if (template[i + 1] !== '}') return UNKNOWN;
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) return UNKNOWN;
    const field = template.slice(i + 1, close);
    if (field.includes('{')) return UNKNOWN;
    const m = /^([A-Za-z_]\w*|\d+)?(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!m) return UNKNOWN;
    const [, key, conversion, spec] = m;
    const value = key === undefined ? args[auto++] : /^\d/.test(key) ? args[Number(key)] : kwargs.get(key);
    if (value === undefined) return UNKNOWN;
    const text = formatField(value, spec ?? '', conversion);
    if (text === undefined) return UNKNOWN;
    out += text;
    if (out.length > MAX_STRING) return UNKNOWN;
    i = close + 1;
  }
  return strValue(out);
}

/** `template % values`: `%s`, `%d`/`%i` (with flags `0` and `-` and a width) and `%%`, from a tuple or one value. */
export function formatPercent(template: string, right: Value): Value {
  if (right.kind === 'dict' || right.kind === 'list') return UNKNOWN;
  if (right.kind === 'tuple' && right.element) return UNKNOWN;
  const values = right.kind === 'tuple' ? right.items : [right];
  let next = 0;
  let failed = false;
  const out = template.replace(/%([-0]*)(\d{0,3})([sdi%])|%/g, (_whole, flags: string | undefined, width: string | undefined, type: string | undefined) => {
    if (failed) return '';
    if (type === '%' && !flags && !width) return '%';
    const value = type && type !== '%' ? values[next++] : undefined;
    if (!value) {
      failed = true;
      return '';
    }
    let text: string | undefined;
    if (type === 's') text = pyStr(value);
    else if (value.kind === 'int') text = String(value.value);
    else if (value.kind === 'bool') text = value.value ? '1' : '0';
    if (text === undefined) {
      failed = true;
      return '';
    }
    const w = width ? Number(width) : 0;
    if (text.length >= w) return text;
    const pad = w - text.length;
    if (flags?.includes('-')) return text + ' '.repeat(pad);
    if (flags?.includes('0') && type !== 's') return text.startsWith('-') ? `-${'0'.repeat(pad)}${text.slice(1)}` : '0'.repeat(pad) + text;
    return ' '.repeat(pad) + text;
  });
  // Python refuses a tuple with more values than the template takes: not a string.
  if (failed || next !== values.length) return UNKNOWN;
  return out.length > MAX_STRING ? UNKNOWN : strValue(out);
}

/** An f-string's text, when every field's text is known. */
export function formatFString(parts: (string | { value: Value; conversion?: string; spec?: string; opaque?: boolean })[]): Value {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else {
      if (part.opaque) return UNKNOWN;
      const text = formatField(part.value, part.spec ?? '', part.conversion);
      if (text === undefined) return UNKNOWN;
      out += text;
    }
    if (out.length > MAX_STRING) return UNKNOWN;
  }
  return strValue(out);
}

/** `sep.join(items)` of known strings. */
export function joinStrings(separator: string, items: Value): Value {
  if ((items.kind !== 'list' && items.kind !== 'tuple') || items.element) return UNKNOWN;
  const texts: string[] = [];
  let length = 0;
  for (const item of items.items) {
    if (item.kind !== 'str') return UNKNOWN;
    texts.push(item.value);
    length += item.value.length + separator.length;
    if (length > MAX_STRING + separator.length) return UNKNOWN;
  }
  return strValue(texts.join(separator));
}

/** `s.upper()`, `s.lower()`, `s.strip()`, `s.lstrip()` and `s.rstrip()` of an ASCII string (elsewhere Python's and JavaScript's tables differ). */
export function changeCase(text: string, method: string): Value {
  if (!/^[\x00-\x7f]*$/.test(text)) return UNKNOWN;
  if (method === 'upper') return strValue(text.toUpperCase());
  if (method === 'lower') return strValue(text.toLowerCase());
  if (method === 'strip') return strValue(text.replace(/^[ \t\n\r\x0b\x0c\x1c-\x1f]+|[ \t\n\r\x0b\x0c\x1c-\x1f]+$/g, ''));
  if (method === 'lstrip') return strValue(text.replace(/^[ \t\n\r\x0b\x0c\x1c-\x1f]+/, ''));
  if (method === 'rstrip') return strValue(text.replace(/[ \t\n\r\x0b\x0c\x1c-\x1f]+$/, ''));
  return UNKNOWN;
}

/**
 * `s.replace(old, new, count=-1)` of known strings, as Python gives it: every occurrence of `old`, left to right and
 * not overlapping, or the first `count` of them. An empty `old` matches before each character and at the end. Text
 * with characters past U+FFFF (one character in Python, two code units here) and results past MAX_STRING give unknown.
 */
export function replaceString(text: string, args: Value[], kwargs: Map<string, Value>): Value {
  const [from, to] = args;
  const countValue = args[2] ?? kwargs.get('count');
  if (args.length < 2 || args.length > 3 || from?.kind !== 'str' || to?.kind !== 'str' || [...kwargs.keys()].some((k) => k !== 'count')) return UNKNOWN;
  if (countValue && countValue.kind !== 'int' && countValue.kind !== 'bool') return UNKNOWN;
  const count = countValue ? Number(countValue.value) : -1;
  if (/[\ud800-\udfff]/.test(text + from.value + to.value)) return UNKNOWN;
  const pieces = from.value === '' ? ['', ...text.split(''), ''] : text.split(from.value);
  // Pieces joined by `new` where a match was replaced, by `old` past the count.
  const limit = count < 0 ? pieces.length - 1 : Math.min(count, pieces.length - 1);
  let out = pieces[0];
  for (let i = 1; i < pieces.length; i++) {
    out += (i <= limit ? to.value : from.value) + pieces[i];
    if (out.length > MAX_STRING) return UNKNOWN;
  }
  return strValue(out);
}

/** Python's whitespace for str.split() with no separator, within ASCII (str.isspace). */
const ASCII_SPACE = /[ \t\n\r\x0b\x0c\x1c-\x1f]/;
const ASCII_SPACE_RUNS = new RegExp(`${ASCII_SPACE.source}+`);
/** The characters outside ASCII that Python's str.isspace() accepts (NEL, no-break and typographic spaces, separators). */
const UNICODE_SPACE = /[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * `s.split(sep, maxsplit)` / `s.rsplit(sep, maxsplit)` of a known string: its pieces, as Python gives them. With no
 * separator Python splits on runs of whitespace and drops empty pieces; with a maxsplit of 0 or more it makes at most
 * that many splits, from the left (split) or the right (rsplit), and keeps the rest as the last (first) piece: without a
 * separator that rest loses its leading (trailing) whitespace only. An empty separator raises; a separator or maxsplit
 * not known, or text holding non-ASCII whitespace split on whitespace gives unknown. Past MAX_ITEMS only the count is kept.
 */
export function splitString(text: string, args: Value[], kwargs: Map<string, Value>, fromRight = false): Value {
  const sep = args[0] ?? kwargs.get('sep');
  const maxsplitValue = args[1] ?? kwargs.get('maxsplit');
  if (args.length > 2) return UNKNOWN;
  let maxsplit = -1;
  if (maxsplitValue) {
    if (maxsplitValue.kind !== 'int' && maxsplitValue.kind !== 'bool') return UNKNOWN;
    maxsplit = Number(maxsplitValue.value);
  }
  let pieces: string[];
  if (!sep || sep.kind === 'none') {
    // Python also splits on Unicode whitespace; text without any (accented words, other scripts) splits as ASCII does.
    // Characters past U+FFFF are two code units here and one in Python, so their pieces' lengths would differ.
    if (UNICODE_SPACE.test(text) || /[\ud800-\udfff]/.test(text)) return UNKNOWN;
    pieces = maxsplit < 0 ? text.split(ASCII_SPACE_RUNS).filter((p) => p.length > 0) : splitOnSpace(text, maxsplit, fromRight);
  } else if (sep.kind === 'str' && sep.value.length > 0) {
    pieces = maxsplit < 0 ? text.split(sep.value) : splitOn(text, sep.value, maxsplit, fromRight);
  } else {
    return UNKNOWN;
  }
  if (pieces.length > MAX_ITEMS) return summary('list', pieces.length);
  return sequence('list', pieces.map(strValue));
}

/** At most `maxsplit` splits of `text` at `sep`, from the left or from the right. */
function splitOn(text: string, sep: string, maxsplit: number, fromRight: boolean): string[] {
  const pieces: string[] = [];
  if (!fromRight) {
    let from = 0;
    while (pieces.length < maxsplit) {
      const at = text.indexOf(sep, from);
      if (at < 0) break;
      pieces.push(text.slice(from, at));
      from = at + sep.length;
    }
    pieces.push(text.slice(from));
    return pieces;
  }
  let to = text.length;
  while (pieces.length < maxsplit && to >= sep.length) {
    const at = text.lastIndexOf(sep, to - sep.length);
    if (at < 0) break;
    pieces.push(text.slice(at + sep.length, to));
    to = at;
  }
  pieces.push(text.slice(0, to));
  return pieces.reverse();
}

/** At most `maxsplit` splits of `text` on runs of whitespace (CPython's algorithm), from the left or from the right. */
function splitOnSpace(text: string, maxsplit: number, fromRight: boolean): string[] {
  const pieces: string[] = [];
  const space = (i: number) => ASCII_SPACE.test(text[i]);
  if (!fromRight) {
    let i = 0;
    for (;;) {
      while (i < text.length && space(i)) i++;
      if (i === text.length) break;
      if (pieces.length === maxsplit) {
        pieces.push(text.slice(i));
        break;
      }
      let j = i;
      while (j < text.length && !space(j)) j++;
      pieces.push(text.slice(i, j));
      i = j;
    }
    return pieces;
  }
  let j = text.length;
  for (;;) {
    while (j > 0 && space(j - 1)) j--;
    if (j === 0) break;
    if (pieces.length === maxsplit) {
      pieces.push(text.slice(0, j));
      break;
    }
    let i = j;
    while (i > 0 && !space(i - 1)) i--;
    pieces.push(text.slice(i, j));
    j = i;
  }
  return pieces.reverse();
}
