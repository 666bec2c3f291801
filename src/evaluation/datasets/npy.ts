// NumPy .npy arrays of any rank, read whole: token ids (N, T), features (N, T, F), labels (N,).
// Integers come back as Int32Array (ids must fit), floats as Float32Array, text as strings.
// Float32 arrays are written back the way np.save writes them (a model's raw outputs).
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors';
import { halfToNumber } from '../half-float';
import { npyPreamble, npyShape } from '../readers/npy';

export type NpyArray =
  | { kind: 'int'; shape: number[]; data: Int32Array }
  | { kind: 'float'; shape: number[]; data: Float32Array }
  | { kind: 'text'; shape: number[]; data: string[] };

export function readNpyFile(path: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(path, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseNpy(bytes, path);
}

export function parseNpy(bytes: Buffer, where: string): NpyArray {
  const preamble = npyPreamble(bytes, where);
  if (!preamble) throw new InputError(where, null, 'not a NumPy .npy array (the file ends inside its header)');
  const { header, dataOffset } = preamble;
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) throw new InputError(where, null, `cannot read the dtype from the header ${header.trim()}`);
  if (/'fortran_order'\s*:\s*True/.test(header)) throw new InputError(where, null, 'the array is stored in Fortran order; save it with np.save(np.ascontiguousarray(a))');
  const shape = npyShape(header, where);
  const count = shape.reduce((a, b) => a * b, 1);
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!match) throw new InputError(where, null, `dtype '${descr}' is not supported`);
  const little = match[1] !== '>';
  const kind = match[2];
  const size = Number(match[3]);
  if (dataOffset + count * (kind === 'U' ? size * 4 : size) > bytes.length) throw new InputError(where, null, `the file is shorter than its ${JSON.stringify(shape)} ${descr} array`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset);
  if (kind === 'f') {
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = size === 8 ? view.getFloat64(8 * i, little) : size === 4 ? view.getFloat32(4 * i, little) : halfToNumber(view.getUint16(2 * i, little));
    return { kind: 'float', shape, data };
  }
  if (kind === 'i' || kind === 'u' || kind === 'b') {
    const data = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      let v: number;
      switch (size) {
        case 8: v = Number(kind === 'u' ? view.getBigUint64(8 * i, little) : view.getBigInt64(8 * i, little)); break;
        case 4: v = kind === 'u' ? view.getUint32(4 * i, little) : view.getInt32(4 * i, little); break;
        case 2: v = kind === 'u' ? view.getUint16(2 * i, little) : view.getInt16(2 * i, little); break;
        default: v = kind === 'i' ? view.getInt8(i) : view.getUint8(i);
      }
      if (v > 2147483647 || v < -2147483648) throw new InputError(where, null, `element ${i} is ${v}, beyond a 32-bit id`);
      data[i] = v;
    }
    return { kind: 'int', shape, data };
  }
  if (kind === 'U') {
    const data: string[] = [];
    for (let i = 0; i < count; i++) {
      let text = '';
      for (let k = 0; k < size; k++) {
        const code = view.getUint32((i * size + k) * 4, little);
        if (code === 0) break;
        text += String.fromCodePoint(code);
      }
      data.push(text);
    }
    return { kind: 'text', shape, data };
  }
  throw new InputError(where, null, `dtype '${descr}' is not supported (save ids as integers, features as floats)`);
}


/** A version-1 .npy header (magic, version, length, dict padded to 64 bytes) for a C-ordered array. */
export function npyHeader(descr: string, shape: number[]): Buffer {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const header = Buffer.alloc(10);
  header[0] = 0x93;
  header.write('NUMPY', 1, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);
  return Buffer.concat([header, Buffer.from(dict, 'latin1')]);
}

/** Writes float32 values as a .npy file that np.load reads back. */
export function writeNpyFile(path: string, shape: number[], data: Float32Array): void {
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  try {
    writeFileSync(path, Buffer.concat([npyHeader('<f4', shape), body]));
  } catch (error) {
    throw new InputError(path, null, `cannot write the array (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
