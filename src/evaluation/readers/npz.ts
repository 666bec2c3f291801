// NumPy .npz archives (np.savez and np.savez_compressed): a zip of .npy members, each a
// column or a (rows × classes) block. Members are streamed, inflating on the fly.
import { createReadStream } from 'node:fs';
import { createInflateRaw } from 'node:zlib';
import { InputError } from '../errors';
import { openForReading } from './csv';
import type { ColumnPlanner } from './index';
import { feedNpyData, NpyLayout, parseNpyHeader } from './npy';

interface Member {
  name: string;
  method: number;
  compressedSize: number;
  dataStart: number;
}

export async function readNpz(path: string, planner: ColumnPlanner): Promise<number> {
  const members = await listMembers(path);
  const arrays = members.filter((m) => m.name.endsWith('.npy'));
  if (arrays.length === 0) throw new InputError(path, null, 'the archive holds no .npy arrays');
  const layouts: { member: Member; array: string; layout: NpyLayout }[] = [];
  for (const member of arrays) {
    const array = member.name.replace(/\.npy$/, '');
    const where = `${path}[${array}]`;
    const layout = await readMemberHeader(path, member, array, where);
    layouts.push({ member, array, layout });
  }
  const rows = layouts[0].layout.rows;
  for (const { array, layout } of layouts) {
    if (layout.rows !== rows) {
      throw new InputError(path, null, `unequal lengths: '${layouts[0].array}' has ${rows} rows but '${array}' has ${layout.rows}`);
    }
  }
  if (rows === 0) throw new InputError(path, null, 'the arrays are empty');
  const builder = planner(layouts.flatMap(({ layout }) => layout.fields.map((f) => f.name)));
  for (const { member, array, layout } of layouts) {
    const sinks = layout.fields.map((f) => builder.sinks.get(f.name) ?? null);
    if (sinks.every((s) => s === null)) continue;
    await feedNpyData(memberBytes(path, member), layout, sinks, `${path}[${array}]`, layout.dataOffset);
  }
  return rows;
}

async function readMemberHeader(path: string, member: Member, array: string, where: string): Promise<NpyLayout> {
  let head = Buffer.alloc(0);
  for await (const chunk of memberBytes(path, member)) {
    head = Buffer.concat([head, chunk as Buffer]);
    const layout = parseNpyHeader(head, array, where);
    if (layout !== null) return layout;
    if (head.length > 1 << 20) break;
  }
  throw new InputError(where, null, 'the member ends inside its .npy header');
}

function memberBytes(path: string, member: Member): AsyncIterable<Buffer> {
  const raw = createReadStream(path, {
    start: member.dataStart,
    end: member.dataStart + member.compressedSize - 1,
    highWaterMark: 1 << 22,
  });
  if (member.method === 0) return raw;
  if (member.method === 8) return raw.pipe(createInflateRaw({ chunkSize: 1 << 20 }));
  throw new InputError(path, null, `member '${member.name}' uses zip compression method ${member.method}; only stored and deflate are supported`);
}

async function listMembers(path: string): Promise<Member[]> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    }
    if (eocd < 0) throw new InputError(path, null, 'not a zip archive (no end-of-directory record); .npz files are written by np.savez');
    let entries = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new InputError(path, null, 'broken zip64 directory');
      const record = Buffer.alloc(56);
      await handle.read(record, 0, 56, Number(tail.readBigUInt64LE(locator + 8)));
      if (record.readUInt32LE(0) !== 0x06064b50) throw new InputError(path, null, 'broken zip64 directory');
      entries = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const members: Member[] = [];
    let p = 0;
    for (let e = 0; e < entries; e++) {
      if (directory.readUInt32LE(p) !== 0x02014b50) throw new InputError(path, null, 'broken zip directory');
      const method = directory.readUInt16LE(p + 10);
      let compressedSize = directory.readUInt32LE(p + 20);
      let uncompressedSize = directory.readUInt32LE(p + 24);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      let localOffset = directory.readUInt32LE(p + 42);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      // Zip64 extra field: the 64-bit values replace, in this order, those saturated at 0xffffffff.
      let x = p + 46 + nameLength;
      const extraEnd = x + extraLength;
      while (x + 4 <= extraEnd) {
        const id = directory.readUInt16LE(x);
        const length = directory.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (uncompressedSize === 0xffffffff) { uncompressedSize = Number(directory.readBigUInt64LE(q)); q += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = Number(directory.readBigUInt64LE(q)); q += 8; }
          if (localOffset === 0xffffffff) { localOffset = Number(directory.readBigUInt64LE(q)); q += 8; }
        }
        x += 4 + length;
      }
      const local = Buffer.alloc(30);
      await handle.read(local, 0, 30, localOffset);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new InputError(path, null, `broken zip entry '${name}'`);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      members.push({ name, method, compressedSize, dataStart });
      p = extraEnd + commentLength;
    }
    return members;
  } finally {
    await handle.close();
  }
}
