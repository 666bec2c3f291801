// NumPy .npy arrays, streamed. Columns come from the array's shape and dtype:
//   a 1-D array is one column named after the array (the file's stem, or the .npz member);
//   a 2-D array (n, K) gives columns NAME_0 .. NAME_{K-1} (so `probs` gives probs_0, probs_1, ...);
//   a structured array gives one column per field.
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { CellError, InputError } from '../errors';
import type { CellSink } from './builders';
import type { ColumnPlanner } from './index';
import { halfToNumber } from '../half-float';

interface Field {
  /** Column name. */
  name: string;
  /** Byte offset within one row. */
  offset: number;
  decode: (view: DataView, offset: number, sink: CellSink) => void;
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

/** The magic string and header of a .npy file: the header's text and where the data starts; null when more bytes are needed. */
export function npyPreamble(head: Buffer, where: string): { header: string; dataOffset: number } | null {
  if (head.length < 10) return null;
  for (let i = 0; i < MAGIC.length; i++) {
    if (head[i] !== MAGIC[i]) throw new InputError(where, null, 'not a NumPy .npy array (the magic string is missing)');
  }
  const major = head[6];
  const lengthBytes = major === 1 ? 2 : 4;
  if (head.length < 8 + lengthBytes) return null;
  const headerLength = lengthBytes === 2 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (head.length < dataOffset) return null;
  return { header: head.toString(major >= 3 ? 'utf8' : 'latin1', 8 + lengthBytes, dataOffset), dataOffset };
}

/** The `shape` tuple of a .npy header. */
export function npyShape(header: string, where: string): number[] {
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw new InputError(where, null, `cannot read the array shape from the header ${header.trim()}`);
  return shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
}

/** Parses the header at the start of `head`; null when more bytes are needed. */
export function parseNpyHeader(head: Buffer, arrayName: string, where: string): NpyLayout | null {
  const preamble = npyPreamble(head, where);
  if (!preamble) return null;
  const { header, dataOffset } = preamble;

  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shape = npyShape(header, where);
  const descrMatch = /'descr'\s*:\s*('([^']*)'|\[(.*)\])\s*,\s*'(fortran_order|shape)'/s.exec(header);
  if (!descrMatch) throw new InputError(where, null, `cannot read the dtype from the header ${header.trim()}`);

  if (shape.length === 0) throw new InputError(where, null, `'${arrayName}' is a scalar, not a column`);
  if (shape.length > 2) throw new InputError(where, null, `'${arrayName}' has ${shape.length} dimensions; expected 1 (a column) or 2 (rows × classes)`);
  const rows = shape[0];
  const fields: Field[] = [];
  let rowBytes: number;
  if (descrMatch[2] !== undefined) {
    const element = elementType(descrMatch[2], arrayName, where);
    const width = shape.length === 2 ? shape[1] : 1;
    for (let k = 0; k < width; k++) {
      const name = shape.length === 2 && width > 1 ? `${arrayName}_${k}` : arrayName;
      fields.push({ name, offset: k * element.size, decode: element.decode });
    }
    rowBytes = width * element.size;
  } else {
    if (shape.length !== 1) throw new InputError(where, null, `structured array '${arrayName}' must be 1-D`);
    let offset = 0;
    const fieldPattern = /\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)/g;
    for (let m = fieldPattern.exec(descrMatch[3]); m; m = fieldPattern.exec(descrMatch[3])) {
      const element = elementType(m[2], `${arrayName}.${m[1]}`, where);
      fields.push({ name: m[1], offset, decode: element.decode });
      offset += element.size;
    }
    if (fields.length === 0) throw new InputError(where, null, `unsupported structured dtype ${descrMatch[3]}`);
    rowBytes = offset;
  }
  return { rows, rowBytes, fortran: fortran && shape.length === 2, fields, dataOffset };
}

function elementType(descr: string, what: string, where: string): { size: number; decode: Field['decode'] } {
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!match) throw new InputError(where, null, `'${what}' has dtype '${descr}', which is not supported (object arrays need pickle: save text as fixed-width strings)`);
  const little = match[1] !== '>';
  const kind = match[2];
  const size = Number(match[3]);
  const num = (read: (v: DataView, o: number) => number) => (v: DataView, o: number, sink: CellSink) => sink.number(read(v, o));
  switch (`${kind}${size}`) {
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
      size: size * 4,
      decode: (v, o, sink) => {
        let text = '';
        for (let i = 0; i < size; i++) {
          const code = v.getUint32(o + i * 4, little);
          if (code === 0) break;
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
        while (end < size && v.getUint8(o + end) !== 0) end++;
        sink.text(Buffer.from(v.buffer, v.byteOffset + o, end).toString('utf8'));
      },
    };
  }
  throw new InputError(where, null, `'${what}' has dtype '${descr}', which is not supported`);
}

function exactInteger(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CellError(`the integer ${value} is too large to be exact`);
  return n;
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
      const { offset, decode, name } = layout.fields[f];
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
      layout.fields[column].decode(view, at, sink);
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
  const head = await readHead(path);
  const layout = parseNpyHeader(head, name, path);
  if (layout === null) throw new InputError(path, null, 'the file ends inside the .npy header');
  if (layout.rows === 0) throw new InputError(path, null, 'the array is empty');
  const builder = planner(layout.fields.map((f) => f.name));
  const sinks = layout.fields.map((f) => builder.sinks.get(f.name) ?? null);
  await feedNpyData(createReadStream(path, { highWaterMark: 1 << 22 }), layout, sinks, path, layout.dataOffset);
  return layout.rows;
}

async function readHead(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of createReadStream(path, { start: 0, end: 65535 })) {
      parts.push(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
  } catch (error) {
    throw new InputError(path, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (length === 0) throw new InputError(path, null, 'the file is empty');
  return Buffer.concat(parts);
}
