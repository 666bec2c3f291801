/**
 * The one zip reader of the evaluation engine (NumPy `.npz`, Keras 3 `.keras`, and any later
 * zip-based format such as PyTorch's `.pt`). Built on yauzl, which validates the central
 * directory against the file (signatures, entry count, name and extra lengths, zip64 records,
 * member data inside the file) and checks that every member inflates to its declared size.
 * On top of that this module bounds what a hostile archive can cost: the number of members,
 * and the declared decompressed bytes per member and in total, are checked against caps
 * before a byte is inflated, and a member that inflates past its declared size is cut off.
 * Every failure is an InputError naming the archive (and the member).
 *
 * API
 *   const zip = await ZipArchive.open(path, limits?);     // or ZipArchive.fromBuffer(bytes, where, limits?)
 *   try {
 *     zip.members                    // [{ name, size, compressedSize, method }] in directory order
 *     zip.member('config.json')      // one member by name, or undefined
 *     for await (const chunk of zip.stream(member)) …     // decompressed bytes, streamed
 *     const bytes = await zip.read(member);               // a whole member (at most MAX_WHOLE_MEMBER bytes)
 *   } finally { zip.close(); }
 *   readZipMembers(bytes, where, limits?)                // every member of an in-memory archive, as a Map
 *
 * Limits (ZipLimits; defaults from defaultZipLimits(fileSize)):
 *   maxMembers      members in the directory (default 4096);
 *   maxMemberBytes  declared decompressed size of one member;
 *   maxTotalBytes   declared decompressed size of all members together;
 *   both byte caps default to max(512 MiB, 8 × the archive's size): deflate can reach about
 *   1000:1, real prediction and weight files stay far below 8:1 once they are large.
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { InputError } from './errors';

export interface ZipMember {
  name: string;
  /** Declared decompressed size, in bytes. */
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflate. */
  method: number;
}

export interface ZipLimits {
  maxMembers: number;
  maxMemberBytes: number;
  maxTotalBytes: number;
}

const MIN_BYTE_CAP = 512 * 2 ** 20;
const RATIO_CAP = 8;
/** Largest member `read()` returns in one Buffer; larger ones must be streamed. */
export const MAX_WHOLE_MEMBER = 2 ** 31 - 1;

export function defaultZipLimits(fileSize: number): ZipLimits {
  const bytes = Math.max(MIN_BYTE_CAP, RATIO_CAP * fileSize);
  return { maxMembers: 4096, maxMemberBytes: bytes, maxTotalBytes: bytes };
}

export class ZipArchive {
  private readonly entries = new Map<string, yauzl.Entry>();

  /** Bytes of the archive itself. */
  readonly fileSize: number;

  private constructor(
    private readonly file: yauzl.ZipFile,
    /** The archive as named in errors. */
    readonly where: string,
    readonly members: ZipMember[],
    entries: yauzl.Entry[],
  ) {
    for (const entry of entries) this.entries.set(entry.fileName, entry);
    this.fileSize = file.fileSize;
  }

  static async open(path: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
    let file: yauzl.ZipFile;
    try {
      file = await yauzl.openPromise(path, { autoClose: false, strictFileNames: false, validateEntrySizes: true, decodeStrings: true });
    } catch (error) {
      throw zipError(path, error);
    }
    return ZipArchive.list(file, path, limits);
  }

  static async fromBuffer(bytes: Buffer, where: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
    let file: yauzl.ZipFile;
    try {
      file = await yauzl.fromBufferPromise(bytes, { autoClose: false, strictFileNames: false, validateEntrySizes: true, decodeStrings: true });
    } catch (error) {
      throw zipError(where, error);
    }
    return ZipArchive.list(file, where, limits);
  }

  private static async list(file: yauzl.ZipFile, where: string, partial: Partial<ZipLimits>): Promise<ZipArchive> {
    const limits = { ...defaultZipLimits(file.fileSize), ...partial };
    try {
      if (file.entryCount > limits.maxMembers) {
        throw new InputError(where, null, `the zip directory lists ${file.entryCount} members; at most ${limits.maxMembers} are read`);
      }
      const entries: yauzl.Entry[] = [];
      const members: ZipMember[] = [];
      const names = new Set<string>();
      let total = 0;
      for await (const entry of file.eachEntry()) {
        const name = entry.fileName;
        if (names.has(name)) throw new InputError(where, null, `the zip archive holds two members named '${name}'`);
        names.add(name);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new InputError(where, null, `member '${name}' uses zip compression method ${entry.compressionMethod}; only stored and deflate are supported`);
        }
        if (entry.isEncrypted()) throw new InputError(where, null, `member '${name}' is encrypted`);
        if (entry.uncompressedSize > limits.maxMemberBytes) {
          throw new InputError(where, null, `member '${name}' declares ${formatBytes(entry.uncompressedSize)} once decompressed, more than the limit of ${formatBytes(limits.maxMemberBytes)} for a ${formatBytes(file.fileSize)} archive`);
        }
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) {
          throw new InputError(where, null, `the members declare ${formatBytes(total)} once decompressed, more than the limit of ${formatBytes(limits.maxTotalBytes)} for a ${formatBytes(file.fileSize)} archive`);
        }
        entries.push(entry);
        members.push({ name, size: entry.uncompressedSize, compressedSize: entry.compressedSize, method: entry.compressionMethod });
      }
      // Errors of the underlying file after listing reach each read as it fails; an unheard
      // 'error' event would end the process instead.
      file.on('error', () => undefined);
      return new ZipArchive(file, where, members, entries);
    } catch (error) {
      file.close();
      throw zipError(where, error);
    }
  }

  member(name: string): ZipMember | undefined {
    return this.members.find((m) => m.name === name);
  }

  /** The member's decompressed bytes, chunk by chunk; at most its declared size, or an InputError. */
  async *stream(member: ZipMember): AsyncGenerator<Buffer> {
    const entry = this.entries.get(member.name);
    if (!entry) throw new InputError(this.where, null, `the archive has no member '${member.name}'`);
    let readable: Readable;
    try {
      readable = await new Promise<Readable>((resolve, reject) => {
        this.file.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
      });
    } catch (error) {
      throw zipError(this.where, error, member.name);
    }
    try {
      for await (const chunk of readable) yield chunk as Buffer;
    } catch (error) {
      throw zipError(this.where, error, member.name);
    } finally {
      readable.destroy();
    }
  }

  /** A whole member in one Buffer, allocated once from its declared size. */
  async read(member: ZipMember): Promise<Buffer> {
    if (member.size > MAX_WHOLE_MEMBER) {
      throw new InputError(this.where, null, `member '${member.name}' is ${formatBytes(member.size)}, too large to load whole`);
    }
    const out = Buffer.allocUnsafe(member.size);
    let at = 0;
    for await (const chunk of this.stream(member)) {
      // yauzl stops a member that inflates past its declared size; this guards the copy all the same.
      if (at + chunk.length > out.length) throw new InputError(this.where, null, `member '${member.name}' is longer than its declared ${member.size} bytes`);
      chunk.copy(out, at);
      at += chunk.length;
    }
    if (at !== out.length) throw new InputError(this.where, null, `member '${member.name}' ends after ${at} of its declared ${member.size} bytes`);
    return out;
  }

  close(): void {
    this.file.close();
  }
}

/** Every member of an in-memory archive, by name, in directory order. */
export async function readZipMembers(bytes: Buffer, where: string, limits: Partial<ZipLimits> = {}): Promise<Map<string, Buffer>> {
  const zip = await ZipArchive.fromBuffer(bytes, where, limits);
  try {
    const out = new Map<string, Buffer>();
    for (const member of zip.members) out.set(member.name, await zip.read(member));
    return out;
  } finally {
    zip.close();
  }
}

function zipError(where: string, error: unknown, member?: string): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const cause = code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR'
    ? `cannot read the file (${code})`
    : describe(message);
  return new InputError(where, null, member === undefined ? cause : `member '${member}': ${cause}`);
}

/** yauzl's and zlib's messages, in the words of someone holding the file. */
function describe(message: string): string {
  if (/End of central directory record signature not found/.test(message)) return 'not a zip archive, or a truncated one (no end-of-directory record)';
  if (/unexpected end of file|unexpected EOF/i.test(message)) return 'the zip archive is truncated (a record runs past the end of the file)';
  if (/incorrect header check|invalid (block type|distance|code|stored block|literal)|too many length|invalid/i.test(message) && !/central directory|zip64|signature/.test(message)) {
    return `damaged compressed data (${message})`;
  }
  if (/not enough bytes in the stream/.test(message)) return `the member is shorter than its declared size (${message})`;
  if (/too many bytes in the stream/.test(message)) return `the member inflates past its declared size (${message})`;
  return `damaged zip archive (${message})`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
