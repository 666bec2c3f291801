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

/** The reference implementation's bound on the header (huggingface/safetensors, MAX_HEADER_SIZE). */
const MAX_HEADER_BYTES = 100_000_000;

interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Validates the header exactly as the reference library does (`Metadata::validate` in
 * huggingface/safetensors): every entry has a known dtype, a shape of non-negative integers and
 * two integer data offsets; sorted by offset, the tensors are contiguous from 0 with no gap or
 * overlap; each one's byte size is its element count times its dtype's size; and the last one ends
 * exactly where the file does. Names are unique (the reference's JSON map would keep only the last).
 */
export function parseSafetensors(bytes: Uint8Array, where: string): Map<string, NamedTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new InputError(where, null, 'not a .safetensors file: shorter than its 8-byte header length');
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) throw new InputError(where, null, `not a .safetensors file: the header claims ${declared} bytes, more than the format's limit of ${MAX_HEADER_BYTES}`);
  const headerLength = Number(declared);
  if (headerLength > bytes.length - 8) {
    throw new InputError(where, null, `not a .safetensors file: the header claims ${headerLength} bytes but the file has ${bytes.length}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new InputError(where, null, 'not a .safetensors file: its header is not UTF-8 text');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new InputError(where, null, `not a .safetensors file: its header is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new InputError(where, null, `not a .safetensors file: its header is ${header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header}, not an object of tensors`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== null) throw new InputError(where, null, `the header names tensor '${duplicate}' twice`);
  const entries: TensorEntry[] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.values(entry).some((v) => typeof v !== 'string')) {
        throw new InputError(where, null, '__metadata__ must be an object of text values');
      }
      continue;
    }
    entries.push(tensorEntry(name, entry, where));
  }
  // As the reference does: sort by offsets, then require each tensor to start where the previous ended.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataStart = 8 + headerLength;
  let expected = 0;
  for (const entry of entries) {
    if (entry.begin !== expected) {
      throw new InputError(where, null, entry.begin < expected
        ? `tensor '${entry.name}' has data_offsets [${entry.begin}, ${entry.end}) overlapping the tensor before it (which ends at ${expected})`
        : `tensor '${entry.name}' has data_offsets [${entry.begin}, ${entry.end}) leaving a gap after byte ${expected}`);
    }
    const size = entry.shape.reduce((a, b) => a * b, 1) * ELEMENT_BYTES[entry.dtype];
    if (!Number.isSafeInteger(size) || entry.end - entry.begin !== size) {
      throw new InputError(where, null, `tensor '${entry.name}' (${entry.dtype} ${JSON.stringify(entry.shape)}) needs ${size} bytes but its data_offsets [${entry.begin}, ${entry.end}) hold ${entry.end - entry.begin}`);
    }
    expected = entry.end;
  }
  if (dataStart + expected !== bytes.length) {
    throw new InputError(where, null, `the tensors cover ${expected} bytes of data but the file holds ${bytes.length - dataStart} after the header`);
  }
  const out = new Map<string, NamedTensor>();
  for (const { name, dtype, shape, begin } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    out.set(name, { name, dtype, shape, values: decode(view, dataStart + begin, count, dtype) });
  }
  return out;
}

function tensorEntry(name: string, entry: unknown, where: string): TensorEntry {
  const bad = (what: string): never => {
    throw new InputError(where, null, `tensor '${name}' ${what}`);
  };
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return bad(`is ${entry === null ? 'null' : JSON.stringify(entry)?.slice(0, 40)}, not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string') return bad('has no dtype');
  if (ELEMENT_BYTES[dtype] === undefined) return bad(`has dtype ${dtype.slice(0, 20)}, which is not supported (${Object.keys(ELEMENT_BYTES).join(', ')})`);
  if (!Array.isArray(shape)) return bad('has no shape (a list of sizes)');
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return bad(`has shape ${JSON.stringify(shape).slice(0, 60)}: sizes must be non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2) return bad('has no data_offsets [begin, end]');
  const [begin, end] = offsets as unknown[];
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || (begin as number) < 0 || (end as number) < (begin as number)) {
    return bad(`has data_offsets ${JSON.stringify(offsets)}: they must be integers with 0 <= begin <= end`);
  }
  return { name, dtype, shape: shape as number[], begin: begin as number, end: end as number };
}

/** The first key that a JSON object's top level (valid JSON, already parsed) repeats, or null. */
export function firstDuplicateKey(json: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < json.length && /\s/.test(json[k])) k++;
        if (json[k] === ':') {
          const key = JSON.parse(json.slice(i, j + 1)) as string;
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j;
    }
  }
  return null;
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
