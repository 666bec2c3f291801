// Line by line over a file read in blocks, with a bound on the length of one line.
import { InputError } from '../../errors';
import { ByteStream } from '../../readers/byte-stream';

/** A line longer than this is not a line of a tagged file. */
export const MAX_LINE_BYTES = 1 << 24;

/** Calls `each(text, line)` for every line (without its LF or CRLF); 1-based lines. */
export async function forEachLine(path: string, each: (text: string, line: number) => void): Promise<void> {
  const stream = await ByteStream.open(path);
  let line = 1;
  let first = true;
  try {
    for (;;) {
      let lineEnd = stream.buf.indexOf(10, stream.pos);
      if (lineEnd < 0 || lineEnd >= stream.end) {
        if (stream.end - stream.pos > MAX_LINE_BYTES) throw new InputError(path, line, `a line longer than ${MAX_LINE_BYTES} bytes`);
        if (await stream.fill()) continue;
        if (stream.pos >= stream.end) break;
        lineEnd = stream.end;
      }
      let start = stream.pos;
      if (first) {
        first = false;
        if (stream.buf[start] === 0xef && stream.buf[start + 1] === 0xbb && stream.buf[start + 2] === 0xbf) start += 3;
      }
      let stop = lineEnd;
      if (stop > start && stream.buf[stop - 1] === 13) stop--;
      const text = stream.buf.toString('utf8', start, stop);
      stream.pos = Math.min(lineEnd + 1, stream.end);
      each(text, line);
      line++;
    }
  } finally {
    await stream.close();
  }
}
