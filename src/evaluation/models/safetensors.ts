// The .safetensors format, read without a library: an 8-byte little-endian header length, a JSON
// header naming each tensor's dtype, shape and byte range, then the raw little-endian tensors.
// Every tensor comes back as float32, the only type the model builders need.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors';
import { halfToNumber } from '../half-float';

export interface NamedTensor {
  name: string;
  dtype: string;
  shape: number[];
  values: Float32Array;
}

const ELEMENT_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

export function readSafetensorsFile(path: string): Map<string, NamedTensor> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(path, null, `cannot read the weights file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseSafetensors(bytes, path);
}

export function parseSafetensors(bytes: Uint8Array, where: string): Map<string, NamedTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new InputError(where, null, 'not a .safetensors file: shorter than its 8-byte header length');
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8 || headerLength > 100_000_000) {
    throw new InputError(where, null, `not a .safetensors file: the header claims ${headerLength} bytes but the file has ${bytes.length}`);
  }
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch (error) {
    throw new InputError(where, null, `not a .safetensors file: its header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const out = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const size = ELEMENT_BYTES[dtype];
    if (size === undefined) throw new InputError(where, null, `tensor '${name}' has dtype ${dtype}, which is not supported`);
    const count = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = offsets;
    if (end - begin !== count * size || dataStart + end > bytes.length) {
      throw new InputError(where, null, `tensor '${name}' (${dtype} ${JSON.stringify(shape)}) has byte range [${begin}, ${end}) that does not fit its shape or the file`);
    }
    out.set(name, { name, dtype, shape, values: decode(view, dataStart + begin, count, dtype) });
  }
  return out;
}

function decode(view: DataView, offset: number, count: number, dtype: string): Float32Array {
  const values = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + 4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) values[i] = view.getFloat64(offset + 8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) values[i] = halfToNumber(view.getUint16(offset + 2 * i, true));
      break;
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        scratch.setUint32(0, view.getUint16(offset + 2 * i, true) << 16);
        values[i] = scratch.getFloat32(0);
      }
      break;
    }
    case 'I64':
      for (let i = 0; i < count; i++) values[i] = Number(view.getBigInt64(offset + 8 * i, true));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) values[i] = view.getInt32(offset + 4 * i, true);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) values[i] = view.getInt16(offset + 2 * i, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) values[i] = view.getInt8(offset + i);
      break;
    default:
      for (let i = 0; i < count; i++) values[i] = view.getUint8(offset + i);
  }
  return values;
}


/** Writes float32 tensors as .safetensors (used for the "Verify shapes" random weights and by tests). */
export function encodeSafetensors(tensors: { name: string; shape: number[]; values: Float32Array }[]): Buffer {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.values.length * 4] };
    offset += t.values.length * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.values.length; i++) out.writeFloatLE(t.values[i], at + 4 * i);
    at += t.values.length * 4;
  }
  return out;
}
