// Byte-level builders for the hostile-input tests: .npy files with any header text, and zip
// archives whose every field can be set, so a test can make the lie it is about.
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A .npy file (format 1.0) whose header is exactly `header`, padded as np.save pads it, then `data`. */
export function npyBytes(header: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const text = Buffer.from(header, 'latin1');
  const padding = 64 - ((10 + text.length + 1) % 64);
  const padded = Buffer.concat([text, Buffer.alloc(padding === 64 ? 0 : padding, 0x20), Buffer.from('\n')]);
  const preamble = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 0xff, padded.length >> 8]);
  return Buffer.concat([preamble, padded, data]);
}

/** The header np.save writes for a plain array. */
export function npyHeader(descr: string, shape: number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
}

export function float64Data(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
  return out;
}

export function int64Data(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeBigInt64LE(BigInt(v), i * 8));
  return out;
}

export interface ZipInput {
  name: string;
  data: Buffer;
  /** Deflate (8, the default) or store (0). */
  method?: 0 | 8;
}

export interface BuiltZip {
  bytes: Buffer;
  /** Offsets of each member's central-directory record, and of the end-of-directory record. */
  central: number[];
  end: number;
  /** Offset of each member's compressed data. */
  data: number[];
}

/** A well-formed zip (as np.savez writes one), with the offsets a test needs to damage it. */
export function buildZip(entries: ZipInput[]): BuiltZip {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  const dataOffsets: number[] = [];
  const localOffsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const name = Buffer.from(entry.name, 'utf8');
    const body = method === 8 ? deflateRawSync(entry.data) : entry.data;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    localOffsets.push(offset);
    dataOffsets.push(offset + 30 + name.length);
    parts.push(local, name, body);
    offset += 30 + name.length + body.length;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(localOffsets[localOffsets.length - 1], 42);
    centrals.push(Buffer.concat([central, name]));
  }
  const central: number[] = [];
  let at = offset;
  for (const c of centrals) { central.push(at); at += c.length; }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return { bytes: Buffer.concat([...parts, directory, end]), central, end: offset + directory.length, data: dataOffsets };
}

/** A zip64 archive of one stored member whose extra field states the given 64-bit sizes. */
export function zip64WithSizes(name: string, data: Buffer, uncompressed: bigint, compressed: bigint): Buffer {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const body = Buffer.concat([local, nameBytes, data]);
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(uncompressed, 4);
  extra.writeBigUInt64LE(compressed, 12);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(45, 6);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt16LE(extra.length, 30);
  const directory = Buffer.concat([central, nameBytes, extra]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, directory, end]);
}

/**
 * A raw deflate stream of `mebibytes` MiB of zeros, about 1 KiB per MiB: one MiB compressed
 * with a sync flush (so it ends on a byte boundary and refers to nothing before it), repeated,
 * then an empty final block.
 */
export function deflateBomb(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_SYNC_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: mebibytes }, () => block), final]);
}

/** The archive with member `index` made deflated, its data replaced by `body`, declaring `size` bytes. */
export function withMemberBody(bytes: Buffer, built: BuiltZip, index: number, body: Buffer, size: number): Buffer {
  if (built.central.length !== 1 || index !== 0) throw new Error('withMemberBody handles one-member archives');
  const localStart = 0;
  const nameLength = bytes.readUInt16LE(26);
  const name = bytes.subarray(30, 30 + nameLength);
  const local = Buffer.from(bytes.subarray(localStart, 30));
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(Math.min(size, 0xfffffffe), 22);
  const central = Buffer.from(bytes.subarray(built.central[0], built.central[0] + 46));
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(Math.min(size, 0xfffffffe), 24);
  const directory = Buffer.concat([central, name]);
  const end = Buffer.from(bytes.subarray(built.end, built.end + 22));
  const dataEnd = 30 + nameLength + body.length;
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(dataEnd, 16);
  return Buffer.concat([local, name, body, directory, end]);
}
