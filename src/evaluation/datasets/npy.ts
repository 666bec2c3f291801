// NumPy .npy arrays of any rank, read whole: token ids (N, T), features (N, T, F), labels (N,).
// Integers come back as Int32Array (ids must fit), floats as Float32Array, text as strings.
import { readFileSync } from 'node:fs';
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

