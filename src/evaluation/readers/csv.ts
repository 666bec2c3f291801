// A streaming reader for CSV and TSV (RFC 4180 quoting, CRLF or LF, UTF-8 with or without BOM).
// It reads fixed-size blocks, hands each kept cell to its column's sink as raw bytes, and never
// holds more than one block and one partial record: a 10-million-row file streams through.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { CellError, InputError } from '../errors';
import type { CellSink } from './builders';

/** Given the header, the sink for each column index, or null to skip that column. */
export type HeaderPlan = (names: string[]) => (CellSink | null)[];

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BLOCK = 1 << 22;

export async function readDelimited(path: string, delimiter: ',' | '\t', plan: HeaderPlan): Promise<number> {
  const handle = await openForReading(path);
  const sep = delimiter.charCodeAt(0);
  let buf = Buffer.allocUnsafe(BLOCK);
  let filled = 0;
  let line = 1;
  let rows = 0;
  let names: string[] | null = null;
  let sinks: (CellSink | null)[] = [];
  let first = true;
  let reserved = false;
  let headerBytes = 0;
  let bytesTotal = 0;
  let starts: Int32Array<ArrayBuffer> = new Int32Array(16);
  let ends: Int32Array<ArrayBuffer> = new Int32Array(16);
  const quoted: (string | null)[] = [];

  try {
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null);
      const end = filled + bytesRead;
      const eof = bytesRead === 0;
      bytesTotal += bytesRead;
      let pos = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      if (first && end > 0) first = false;
      const blockStart = pos;
      const blockLine = line;

      // One record per iteration; `pos` stays at the record start until the record is complete.
      records: while (pos < end) {
        const recordLine = line;
        // Blank lines are skipped, as pandas does.
        if (buf[pos] === LF) { pos++; line++; continue; }
        if (buf[pos] === CR && (pos + 1 < end ? buf[pos + 1] === LF : eof)) { pos += pos + 1 < end ? 2 : 1; line++; continue; }
        if (buf[pos] === CR && pos + 1 >= end) break;

        // Find the cells of one whole record first: a record cut by the block end is parsed again
        // after the next read, so nothing reaches a sink until the record is complete.
        let p = pos;
        let field = 0;
        let linesInside = 0;
        for (;;) {
          if (field === starts.length) { starts = grow(starts); ends = grow(ends); }
          let cellStart = p;
          let cellEnd: number;
          let quotedText: string | null = null;
          if (buf[p] === QUOTE) {
            // Quoted cell: runs to a quote not followed by another quote.
            let q = p + 1;
            let escapes = false;
            for (;;) {
              while (q < end && buf[q] !== QUOTE) { if (buf[q] === LF) linesInside++; q++; }
              if (q >= end) {
                if (!eof) break records;
                throw new InputError(path, recordLine, 'a quoted cell is never closed');
              }
              if (q + 1 < end && buf[q + 1] === QUOTE) { escapes = true; q += 2; continue; }
              if (q + 1 >= end && !eof) break records;
              break;
            }
            cellStart = p + 1;
            cellEnd = q;
            quotedText = buf.toString('utf8', cellStart, cellEnd);
            if (escapes) quotedText = quotedText.replace(/""/g, '"');
            p = q + 1;
            if (p < end && buf[p] !== sep && buf[p] !== LF && buf[p] !== CR) {
              throw new InputError(path, recordLine + linesInside, `unexpected character after a closing quote in field ${field + 1}`);
            }
          } else {
            while (p < end && buf[p] !== sep && buf[p] !== LF) p++;
            if (p >= end && !eof) break records;
            cellEnd = p;
            if (cellEnd > cellStart && buf[cellEnd - 1] === CR && (p >= end || buf[p] === LF)) cellEnd--;
          }
          starts[field] = cellStart;
          ends[field] = cellEnd;
          quoted[field] = quotedText;
          field++;
          if (p < end && buf[p] === sep) {
            p++;
            if (p >= end && !eof) break records;
            continue;
          }
          // End of record: LF, CR LF, or end of file.
          if (p < end && buf[p] === CR) p++;
          if (p < end && buf[p] === LF) p++;
          break;
        }

        if (names === null) {
          names = [];
          for (let f = 0; f < field; f++) names.push(quoted[f] ?? buf.toString('utf8', starts[f], ends[f]).trim());
          if (names.every((n) => n === '')) throw new InputError(path, recordLine, 'the header row is empty');
          sinks = plan(names);
          headerBytes = p;
        } else {
          if (field !== names.length) {
            throw new InputError(path, recordLine, `expected ${names.length} fields (${names.join(', ')}), found ${field}`);
          }
          for (let f = 0; f < field; f++) {
            const sink = sinks[f];
            if (sink === null) continue;
            try {
              const text = quoted[f];
              if (text !== null) sink.text(text);
              else sink.bytes(buf, starts[f], ends[f]);
            } catch (error) {
              throw wrapCellError(error, path, recordLine, names[f]);
            }
          }
          rows++;
        }
        line = recordLine + linesInside + 1;
        pos = p;
      }

      // Text is UTF-8, as pandas reads it: an invalid byte is an error, never a U+FFFD that
      // would make two different labels one class. Checked once per block of whole records.
      if (!isUtf8(buf.subarray(blockStart, pos))) throw new InputError(path, firstInvalidLine(buf, blockStart, pos, blockLine), 'invalid UTF-8 (save the file as UTF-8)');

      if (!reserved && names !== null && rows > 0) {
        // Estimate the row count from the first block, so that columns are allocated once. A file
        // that fits in that block has been read whole: its columns already hold every row, and a
        // reservation would only give each of them (thousands, for per-class scores) unused room.
        reserved = true;
        const { size } = await handle.stat();
        const estimate = Math.ceil((size / Math.max(1, pos - headerBytes)) * rows * 1.02) + 1024;
        if (bytesTotal < size) for (const sink of sinks) sink?.reserve(estimate);
      }
      if (eof) break;
      buf.copy(buf, 0, pos, end);
      filled = end - pos;
    }
  } finally {
    await handle.close();
  }
  if (names === null) throw new InputError(path, null, 'the file is empty');
  if (rows === 0) throw new InputError(path, null, 'the file has a header but no rows');
  return rows;
}

function firstInvalidLine(buf: Buffer, start: number, end: number, line: number): number {
  let lineStart = start;
  for (let p = start; p <= end; p++) {
    if (p === end || buf[p] === LF) {
      if (!isUtf8(buf.subarray(lineStart, p))) return line;
      line++;
      lineStart = p + 1;
    }
  }
  return line;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

export async function openForReading(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw new InputError(path, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export function wrapCellError(error: unknown, path: string, line: number | null, column: string): unknown {
  if (error instanceof CellError) return new InputError(path, line, `column '${column}': ${error.cause}`);
  return error;
}
