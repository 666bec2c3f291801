// A file read in blocks, for the JSON readers: `buf[pos..end)` is what is loaded, and
// `fill()` keeps the unread tail, reads the next block after it, and grows the buffer
// when a single token is longer than a block.
import type { FileHandle } from 'node:fs/promises';
import { openForReading } from './csv';

const BLOCK = 1 << 22;

export class ByteStream {
  buf = Buffer.allocUnsafe(BLOCK);
  pos = 0;
  end = 0;
  eof = false;
  /** 1-based line of `pos`; readers advance it when they step over a newline. */
  line = 1;

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<ByteStream> {
    return new ByteStream(await openForReading(path));
  }

  /** Loads more bytes; false at the end of the file. Positions before `pos` are discarded. */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    const keep = this.end - this.pos;
    if (keep === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, this.pos, this.end);
      this.buf = bigger;
    } else if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    }
    this.pos = 0;
    this.end = keep;
    const { bytesRead } = await this.handle.read(this.buf, this.end, this.buf.length - this.end, null);
    if (bytesRead === 0) {
      this.eof = true;
      return false;
    }
    this.end += bytesRead;
    return true;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
