// NumPy .npy arrays, streamed. Columns come from the array's shape and dtype:
//   a 1-D array is one column named after the array (the file's stem, or the .npz member);
//   a 2-D array (n, K) gives columns NAME_0 .. NAME_{K-1} (so `probs` gives probs_0, probs_1, ...);
//   a structured array gives one column per field; a sub-array field `('probs', '<f4', (2,))`
//   gives probs_0, probs_1; padding (aligned structs) is skipped; a titled field is named by its name.
// The header is read as the Python literal NumPy writes (np.save writes `repr` of a dict), and
// held to what NumPy itself accepts: non-negative integer dimensions, known dtypes, no field
// named twice. Declared sizes are checked against the bytes present before anything is read.
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, extname } from 'node:path';
import { CellError, InputError } from '../errors';
import { halfToNumber } from '../half-float';
import type { CellSink } from './builders';
import type { ColumnPlanner } from './index';
import { checkTableBudget, MAX_COLUMNS } from './limits';
import type { TableBuilder } from './table';
import { openForReading } from './csv';

type Decode = (view: DataView, offset: number, sink: CellSink) => void;

interface Field {
  /** Column name. */
  name: string;
  /** Byte offset within one row. */
  offset: number;
  /** Bytes of one value. */
  size: number;
  /** null for a dtype SeqLens cannot read (complex, datetime, void): an error only if the column is used. */
  decode: Decode | null;
  descr: string;
}

export interface NpyLayout {
  rows: number;
  rowBytes: number;
  fortran: boolean;
  fields: Field[];
  /** Bytes taken by the magic string and header, where the data starts. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** Longest header read; NumPy itself refuses headers over 10,000 bytes unless told otherwise. */
export const npyHeaderLimit = 1 << 16;
/** Nesting of the header literal: dict, descr list, field tuple, shape tuple, title tuple. */
const MAX_LITERAL_DEPTH = 8;

/** The magic string and header of a .npy file: the header's text and where the data starts; null when more bytes are needed. */
export function npyPreamble(head: Buffer, where: string): { header: string; dataOffset: number } | null {
  if (head.length < 10) return null;
  for (let i = 0; i < MAGIC.length; i++) {
    if (head[i] !== MAGIC[i]) throw new InputError(where, null, 'not a NumPy .npy array (the magic string is missing)');
  }
  const major = head[6];
  if (major < 1 || major > 3) throw new InputError(where, null, `unknown .npy format version ${major}.${head[7]}`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (head.length < 8 + lengthBytes) return null;
  const headerLength = lengthBytes === 2 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  if (headerLength > npyHeaderLimit) throw new InputError(where, null, `the .npy header claims ${headerLength} bytes; at most ${npyHeaderLimit} are read`);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (head.length < dataOffset) return null;
  const raw = head.subarray(8 + lengthBytes, dataOffset);
  if (major >= 3 && !isUtf8(raw)) throw new InputError(where, null, 'the .npy header is not valid UTF-8');
  return { header: raw.toString(major >= 3 ? 'utf8' : 'latin1'), dataOffset };
}

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };
interface Tuple { tuple: true; items: Literal[] }

/** The header dict, read as a Python literal: strings, integers, True/False/None, tuples, lists, dicts. */
function parseHeaderLiteral(header: string, where: string): { [key: string]: Literal } {
  let p = 0;
  const fail = (what: string): never => {
    throw new InputError(where, null, `the .npy header is not a literal NumPy writes (${what} at character ${p + 1}): ${header.trim().slice(0, 200)}`);
  };
  const space = () => { while (p < header.length && /\s/.test(header[p])) p++; };
  const value = (depth: number): Literal => {
    if (depth > MAX_LITERAL_DEPTH) fail('nested too deeply');
    space();
    const c = header[p];
    if (c === "'" || c === '"') {
      const quote = c;
      let out = '';
      p++;
      for (;;) {
        if (p >= header.length) fail('an unterminated string');
        const ch = header[p++];
        if (ch === quote) break;
        if (ch === '\\') {
          const next = header[p++];
          if (next === undefined) fail('an unterminated string');
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        } else out += ch;
      }
      return out;
    }
    if (c === '(' || c === '[' ) {
      const close = c === '(' ? ')' : ']';
      p++;
      const items: Literal[] = [];
      for (;;) {
        space();
        if (header[p] === close) { p++; break; }
        items.push(value(depth + 1));
        space();
        if (header[p] === ',') { p++; continue; }
        if (header[p] === close) { p++; break; }
        fail(`expected ',' or '${close}'`);
      }
      return c === '(' ? ({ tuple: true, items } as unknown as Literal) : items;
    }
    if (c === '{') {
      p++;
      const dict: { [key: string]: Literal } = {};
      for (;;) {
        space();
        if (header[p] === '}') { p++; break; }
        const key = value(depth + 1);
        if (typeof key !== 'string') fail('a key that is not a string');
        space();
        if (header[p] !== ':') fail("expected ':'");
        p++;
        dict[key as string] = value(depth + 1);
        space();
        if (header[p] === ',') { p++; continue; }
        if (header[p] === '}') { p++; break; }
        fail("expected ',' or '}'");
      }
      return dict;
    }
    // np.save writes dimensions as decimal integers; other spellings (0x10, 1_6, 16.0) are refused.
    const number = /^[-+]?\d+(?![\w.])/.exec(header.slice(p, p + 40));
    if (number) { p += number[0].length; return Number(number[0]); }
    const word = /^(True|False|None)\b/.exec(header.slice(p, p + 6));
    if (word) { p += word[0].length; return word[0] === 'True' ? true : word[0] === 'False' ? false : null; }
    return fail('an unexpected token');
  };
  const result = value(0);
  space();
  if (p < header.length) fail('text after the header dict');
  if (result === null || typeof result !== 'object' || Array.isArray(result) || isTuple(result)) fail('a header that is not a dict');
  const dict = result as { [key: string]: Literal };
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') throw new InputError(where, null, `the .npy header must have the keys descr, fortran_order and shape; it has ${Object.keys(dict).join(', ') || 'none'}`);
  return dict;
}

function isTuple(value: unknown): value is Tuple {
  return typeof value === 'object' && value !== null && (value as Tuple).tuple === true;
}

/** A shape tuple as NumPy accepts it: integers of at least 0. */
function shapeOf(value: Literal, where: string, what: string): number[] {
  if (!isTuple(value)) throw new InputError(where, null, `${what} is not a tuple of integers`);
  return value.items.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d)) throw new InputError(where, null, `${what} has a dimension that is not an integer (${JSON.stringify(d)})`);
    if (d < 0) throw new InputError(where, null, `${what} has the negative dimension ${d}`);
    return d;
  });
}

/** The `shape` tuple of a .npy header. */
export function npyShape(header: string, where: string): number[] {
  return shapeOf(parseHeaderLiteral(header, where).shape, where, 'the shape');
}

/** Parses the header at the start of `head`; null when more bytes are needed. */
export function parseNpyHeader(head: Buffer, arrayName: string, where: string): NpyLayout | null {
  const preamble = npyPreamble(head, where);
  if (!preamble) return null;
  const { header, dataOffset } = preamble;
  const dict = parseHeaderLiteral(header, where);
  if (typeof dict.fortran_order !== 'boolean') throw new InputError(where, null, `fortran_order must be True or False, not ${JSON.stringify(dict.fortran_order)}`);
  const shape = shapeOf(dict.shape, where, 'the shape');
  const descr = dict.descr;

  if (shape.length === 0) throw new InputError(where, null, `'${arrayName}' is a scalar, not a column`);
  if (shape.length > 2) throw new InputError(where, null, `'${arrayName}' has ${shape.length} dimensions; expected 1 (a column) or 2 (rows × classes)`);
  const rows = shape[0];
  const fields: Field[] = [];
  let rowBytes: number;
  if (typeof descr === 'string') {
    const element = elementType(descr, arrayName, where);
    const width = shape.length === 2 ? shape[1] : 1;
    if (width > MAX_COLUMNS) throw new InputError(where, null, `'${arrayName}' has ${width} columns; at most ${MAX_COLUMNS} are read`);
    for (let k = 0; k < width; k++) {
      const name = shape.length === 2 && width > 1 ? `${arrayName}_${k}` : arrayName;
      fields.push({ name, offset: k * element.size, size: element.size, decode: element.decode, descr });
    }
    rowBytes = width * element.size;
  } else if (Array.isArray(descr)) {
    if (shape.length !== 1) throw new InputError(where, null, `structured array '${arrayName}' must be 1-D`);
    rowBytes = structuredFields(descr, arrayName, where, fields);
    if (fields.length === 0) throw new InputError(where, null, `structured array '${arrayName}' has no fields`);
  } else {
    throw new InputError(where, null, `the dtype of '${arrayName}' is neither a type string nor a list of fields`);
  }
  if (rowBytes === 0 && rows > 0) throw new InputError(where, null, `'${arrayName}' has elements of 0 bytes (dtype ${describeDescr(descr)}): there is nothing to read`);
  return { rows, rowBytes, fortran: dict.fortran_order && shape.length === 2, fields, dataOffset };
}

/** Fields of a structured dtype in NumPy's list form, appended to `fields`; returns the row size. */
function structuredFields(descr: Literal[], arrayName: string, where: string, fields: Field[]): number {
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of descr) {
    if (!isTuple(entry) || entry.items.length < 2 || entry.items.length > 3) {
      throw new InputError(where, null, `a field of '${arrayName}' is not a (name, dtype) or (name, dtype, shape) tuple`);
    }
    const [nameItem, type, subShape] = entry.items;
    // A titled field is ((title, name), dtype).
    const name = isTuple(nameItem) && nameItem.items.length === 2 && typeof nameItem.items[1] === 'string' ? nameItem.items[1] : nameItem;
    if (typeof name !== 'string') throw new InputError(where, null, `a field of '${arrayName}' has a name that is not a string`);
    if (typeof type !== 'string') {
      throw new InputError(where, null, `field '${name}' of '${arrayName}' is itself structured; SeqLens reads flat fields only`);
    }
    const element = elementType(type, name === '' ? `${arrayName} (padding)` : `${arrayName}.${name}`, where, name === '');
    const dims = subShape === undefined ? [] : shapeOf(subShape, where, `the shape of field '${name}'`);
    const count = dims.reduce((a, b) => a * b, 1);
    if (name === '') {
      // Padding that np.save writes for aligned structs and explicit offsets: ('', '|V7').
      offset += count * element.size;
      continue;
    }
    if (seen.has(name)) throw new InputError(where, null, `'${arrayName}' names the field '${name}' twice`);
    seen.add(name);
    if (fields.length + count > MAX_COLUMNS) throw new InputError(where, null, `'${arrayName}' has more than ${MAX_COLUMNS} columns`);
    if (dims.length === 0) fields.push({ name, offset, size: element.size, decode: element.decode, descr: type });
    else for (let k = 0; k < count; k++) fields.push({ name: `${name}_${k}`, offset: offset + k * element.size, size: element.size, decode: element.decode, descr: type });
    offset += count * element.size;
  }
  return offset;
}

function describeDescr(descr: Literal): string {
  return typeof descr === 'string' ? `'${descr}'` : 'structured';
}

function elementType(descr: string, what: string, where: string, padding = false): { size: number; decode: Decode | null } {
  const match = /^([<>|=])([a-zA-Z])(\d+)(\[\w+\])?$/.exec(descr);
  if (!match) throw new InputError(where, null, `'${what}' has dtype '${descr}', which is not supported (object arrays need pickle: save text as fixed-width strings)`);
  const little = match[1] !== '>';
  const kind = match[2];
  const count = Number(match[3]);
  const size = kind === 'U' ? count * 4 : count;
  if (!Number.isSafeInteger(size)) throw new InputError(where, null, `'${what}' has dtype '${descr}', whose size is not a number`);
  if (padding) return { size, decode: null };
  if (size === 0) throw new InputError(where, null, `'${what}' has dtype '${descr}': elements of 0 bytes hold nothing`);
  if (match[4] !== undefined) return { size, decode: null };
  const num = (read: (v: DataView, o: number) => number): Decode => (v, o, sink) => sink.number(read(v, o));
  switch (`${kind}${count}`) {
    case 'f8': return { size, decode: num((v, o) => v.getFloat64(o, little)) };
    case 'f4': return { size, decode: num((v, o) => v.getFloat32(o, little)) };
    case 'f2': return { size, decode: num((v, o) => halfToNumber(v.getUint16(o, little))) };
    case 'i8': return { size, decode: num((v, o) => exactInteger(v.getBigInt64(o, little))) };
    case 'u8': return { size, decode: num((v, o) => exactInteger(v.getBigUint64(o, little))) };
    case 'i4': return { size, decode: num((v, o) => v.getInt32(o, little)) };
    case 'u4': return { size, decode: num((v, o) => v.getUint32(o, little)) };
    case 'i2': return { size, decode: num((v, o) => v.getInt16(o, little)) };
    case 'u2': return { size, decode: num((v, o) => v.getUint16(o, little)) };
    case 'i1': return { size, decode: num((v, o) => v.getInt8(o)) };
    case 'u1': return { size, decode: num((v, o) => v.getUint8(o)) };
    case 'b1': return { size, decode: (v, o, sink) => sink.text(v.getUint8(o) ? 'true' : 'false') };
  }
  if (kind === 'U') {
    return {
      size,
      decode: (v, o, sink) => {
        let text = '';
        for (let i = 0; i < count; i++) {
          const code = v.getUint32(o + i * 4, little);
          if (code === 0) break;
          if (code > 0x10ffff) throw new CellError(`holds the invalid code point 0x${code.toString(16)}`);
          text += String.fromCodePoint(code);
        }
        sink.text(text);
      },
    };
  }
  if (kind === 'S') {
    return {
      size,
      decode: (v, o, sink) => {
        let end = 0;
        while (end < count && v.getUint8(o + end) !== 0) end++;
        const bytes = Buffer.from(v.buffer, v.byteOffset + o, end);
        // Two different byte strings must not become one label through U+FFFD.
        if (!isUtf8(bytes)) throw new CellError('is not valid UTF-8');
        sink.text(bytes.toString('utf8'));
      },
    };
  }
  // Complex, datetime, void: the size is known, so the other fields can still be read.
  return { size, decode: null };
}

function exactInteger(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CellError(`the integer ${value} is too large to be exact`);
  return n;
}

/** The declared data must be present: rows × row size within the bytes after the header. */
export function checkNpyFits(layout: NpyLayout, available: number, where: string, holder: string): void {
  const needed = layout.rows * layout.rowBytes;
  if (needed > available) {
    throw new InputError(where, null, `the header declares ${layout.rows} rows of ${layout.rowBytes} bytes (${needed} bytes) but ${holder} holds ${Math.max(0, available)} bytes of data`);
  }
}

/** The sink of each field the planner kept; a kept field of a dtype SeqLens cannot read is an error. */
export function sinksForLayout(layout: NpyLayout, builder: TableBuilder, where: string): (CellSink | null)[] {
  return layout.fields.map((f) => {
    const sink = builder.sinks.get(f.name) ?? null;
    if (sink !== null && f.decode === null) throw new InputError(where, null, `column '${f.name}' has dtype '${f.descr}', which is not supported`);
    return sink;
  });
}

/** Feeds the data that follows the header, chunk by chunk, to the sinks of the fields kept. */
export async function feedNpyData(
  chunks: AsyncIterable<Buffer>,
  layout: NpyLayout,
  sinks: (CellSink | null)[],
  where: string,
  skipBytes: number,
): Promise<void> {
  const total = layout.rows * layout.rowBytes;
  // Whole rows in C order; whole elements in Fortran order, where each column is contiguous.
  const unit = layout.fortran ? elementBytes(layout) : layout.rowBytes;
  let consumed = 0;
  let skip = skipBytes;
  let carry: Buffer | null = null;
  if (total === 0) return;
  for await (const raw of chunks) {
    let chunk = raw as Buffer;
    if (skip > 0) {
      if (chunk.length <= skip) { skip -= chunk.length; continue; }
      chunk = chunk.subarray(skip);
      skip = 0;
    }
    let data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (data.length > total - consumed) data = data.subarray(0, total - consumed);
    const usable: number = data.length - (data.length % unit);
    if (usable > 0) {
      feedUnits(data.subarray(0, usable), consumed, layout, sinks, where);
      consumed += usable;
    }
    carry = usable < data.length ? Buffer.from(data.subarray(usable)) : null;
    if (consumed >= total) break;
  }
  if (consumed < total) {
    throw new InputError(where, null, `the array data ends early: ${Math.floor(consumed / layout.rowBytes)} of ${layout.rows} rows`);
  }
}

function elementBytes(layout: NpyLayout): number {
  return layout.rowBytes / layout.fields.length;
}

function feedUnits(data: Buffer, start: number, layout: NpyLayout, sinks: (CellSink | null)[], where: string): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (!layout.fortran) {
    const rows = data.length / layout.rowBytes;
    const firstRow = start / layout.rowBytes;
    for (let f = 0; f < layout.fields.length; f++) {
      const sink = sinks[f];
      if (sink === null) continue;
      const { offset, name } = layout.fields[f];
      const decode = layout.fields[f].decode!;
      let r = 0;
      try {
        for (r = 0; r < rows; r++) decode(view, r * layout.rowBytes + offset, sink);
      } catch (error) {
        throw arrayError(error, where, name, firstRow + r);
      }
    }
    return;
  }
  const size = elementBytes(layout);
  const perColumn = layout.rows * size;
  for (let at = 0; at < data.length; at += size) {
    const absolute = start + at;
    const column = Math.floor(absolute / perColumn);
    const sink = sinks[column];
    if (sink === null) continue;
    try {
      layout.fields[column].decode!(view, at, sink);
    } catch (error) {
      throw arrayError(error, where, layout.fields[column].name, (absolute % perColumn) / size);
    }
  }
}

function arrayError(error: unknown, where: string, name: string, row: number): unknown {
  if (error instanceof CellError) return new InputError(where, null, `'${name}' at row ${row}: ${error.cause}`);
  return error;
}

export async function readNpy(path: string, planner: ColumnPlanner): Promise<number> {
  const name = basename(path, extname(path));
  const { head, size } = await readHead(path);
  const layout = parseNpyHeader(head, name, path);
  if (layout === null) throw new InputError(path, null, 'the file ends inside the .npy header');
  checkNpyFits(layout, size - layout.dataOffset, path, 'the file');
  if (layout.rows === 0) throw new InputError(path, null, 'the array is empty');
  const builder = planner(layout.fields.map((f) => f.name));
  const sinks = sinksForLayout(layout, builder, path);
  checkTableBudget(path, layout.rows, sinks.filter((s) => s !== null).length, size);
  for (const sink of sinks) sink?.reserve(layout.rows);
  await feedNpyData(createReadStream(path, { highWaterMark: 1 << 22 }), layout, sinks, path, layout.dataOffset);
  return layout.rows;
}

async function readHead(path: string): Promise<{ head: Buffer; size: number }> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new InputError(path, null, 'the file is empty');
    const head = Buffer.alloc(Math.min(size, npyHeaderLimit + 16));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await handle.close();
  }
}
