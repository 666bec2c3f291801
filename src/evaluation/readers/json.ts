// One JSON document, streamed: either an array of flat records
//   [{"y_true": 1, "score": 0.9}, ...]
// or an object of equal-length columns
//   {"y_true": [1, 0, ...], "score": [0.9, 0.2, ...]}.
// Records are parsed one at a time; column values one at a time; nothing holds the whole file.
import { InputError } from '../errors';
import type { CellSink } from './builders';
import { ByteStream } from './byte-stream';
import { wrapCellError } from './csv';
import type { ColumnPlanner } from './index';
import { parseNumberBytes } from './numbers';
import { checkBareScalar, JsonSyntaxError, jsonLiteral, parseJsonValue, repeatedKey } from './json-syntax';
import { feedJsonValue } from './jsonl';

const INCOMPLETE = -1;

export async function readJson(path: string, planner: ColumnPlanner): Promise<number> {
  const stream = await ByteStream.open(path);
  try {
    await skipSpace(stream);
    if (stream.pos >= stream.end) throw new InputError(path, null, 'the file is empty');
    const first = stream.buf[stream.pos];
    if (first === 0x5b /* [ */) return await readRecords(path, stream, planner);
    if (first === 0x7b /* { */) {
      // Column detection needs every key, and the keys are spread through the file: one pass
      // to list them, a second to read the chosen columns.
      const names: string[] = [];
      await walkColumns(path, stream, (name) => { names.push(name); return null; });
      await stream.close();
      const builder = planner(names);
      const again = await ByteStream.open(path);
      try {
        await skipSpace(again);
        const lengths = await walkColumns(path, again, (name) => builder.sinks.get(name) ?? null);
        return equalLengths(path, lengths);
      } finally {
        await again.close();
      }
    }
    throw new InputError(path, stream.line, 'expected an array of records or an object of columns');
  } finally {
    await stream.close().catch(() => undefined);
  }
}

async function readRecords(path: string, stream: ByteStream, planner: ColumnPlanner): Promise<number> {
  stream.pos++; // [
  let planned: [string, CellSink][] | null = null;
  let rows = 0;
  for (;;) {
    await skipSpace(stream);
    if (await atByte(stream, 0x5d /* ] */)) { stream.pos++; break; }
    if (rows > 0) {
      await expectByte(path, stream, 0x2c /* , */, "',' or ']'");
      await skipSpace(stream);
    }
    const line = stream.line;
    const end = await scanValue(path, stream);
    let record: unknown;
    try {
      record = parseJsonValue(stream.buf, stream.pos, end);
    } catch (error) {
      throw syntaxError(error, path, line);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new InputError(path, line, 'each element of the array must be an object (a record)');
    }
    const object = record as Record<string, unknown>;
    const twice = repeatedKey(stream.buf, stream.pos, end, Object.keys(object).length);
    if (twice !== null) throw new InputError(path, line, `the key '${twice}' appears twice in this record`);
    countLines(stream, end);
    stream.pos = end;
    if (planned === null) planned = [...planner(Object.keys(object)).sinks];
    for (const [name, sink] of planned) {
      if (!(name in object)) throw new InputError(path, line, `the key '${name}' is missing from this record`);
      try {
        feedJsonValue(sink, object[name]);
      } catch (error) {
        throw wrapCellError(error, path, line, name);
      }
    }
    rows++;
  }
  await skipSpace(stream);
  if (stream.pos < stream.end) throw new InputError(path, stream.line, 'unexpected text after the closing ]');
  if (planned === null) throw new InputError(path, null, 'the array holds no records');
  return rows;
}

/** Walks {"name": [values...], ...}, handing each value to the sink for its column (or dropping it). */
async function walkColumns(path: string, stream: ByteStream, sinkFor: (name: string) => CellSink | null): Promise<Map<string, number>> {
  const lengths = new Map<string, number>();
  stream.pos++; // {
  let columns = 0;
  for (;;) {
    await skipSpace(stream);
    if (await atByte(stream, 0x7d /* } */)) { stream.pos++; break; }
    if (columns > 0) {
      await expectByte(path, stream, 0x2c, "',' or '}'");
      await skipSpace(stream);
    }
    if (!(await atByte(stream, 0x22))) throw new InputError(path, stream.line, 'expected a column name in double quotes');
    const keyEnd = await scanValue(path, stream);
    let name: string;
    try {
      name = parseJsonValue(stream.buf, stream.pos, keyEnd) as string;
    } catch (error) {
      throw syntaxError(error, path, stream.line);
    }
    if (lengths.has(name)) throw new InputError(path, stream.line, `the column '${name}' appears twice`);
    stream.pos = keyEnd;
    await skipSpace(stream);
    await expectByte(path, stream, 0x3a /* : */, "':'");
    await skipSpace(stream);
    if (!(await atByte(stream, 0x5b))) throw new InputError(path, stream.line, `column '${name}' must be an array of values`);
    stream.pos++;
    const sink = sinkFor(name);
    let count = 0;
    for (;;) {
      await skipSpace(stream);
      if (await atByte(stream, 0x5d)) { stream.pos++; break; }
      if (count > 0) {
        await expectByte(path, stream, 0x2c, "',' or ']'");
        await skipSpace(stream);
      }
      const line = stream.line;
      const end = await scanValue(path, stream);
      try {
        feedScalar(stream.buf, stream.pos, end, sink);
      } catch (error) {
        throw syntaxError(wrapCellError(error, path, line, name), path, line);
      }
      countLines(stream, end);
      stream.pos = end;
      count++;
    }
    lengths.set(name, count);
    columns++;
  }
  await skipSpace(stream);
  if (stream.pos < stream.end) throw new InputError(path, stream.line, 'unexpected text after the closing }');
  return lengths;
}

/** Checks one value of a column (read or not: the file must be JSON) and hands it to the sink. */
function feedScalar(buf: Buffer, start: number, end: number, sink: CellSink | null): void {
  const c = buf[start];
  if (c === 0x22 || c === 0x5b || c === 0x7b) {
    const value = parseJsonValue(buf, start, end);
    if (sink !== null) feedJsonValue(sink, value);
    return;
  }
  checkBareScalar(buf, start, end);
  if (sink === null) return;
  const literal = jsonLiteral(buf, start, end);
  if (literal === 'null') sink.missing();
  else if (literal !== null) sink.text(literal);
  // A JSON number is also a decimal number, which parseNumberBytes reads exactly.
  else sink.number(parseNumberBytes(buf, start, end));
}

function syntaxError(error: unknown, path: string, line: number): unknown {
  if (error instanceof JsonSyntaxError) return new InputError(path, line, error.message === 'invalid UTF-8' ? 'invalid UTF-8' : `not valid JSON (${error.message})`);
  return error;
}

function equalLengths(path: string, lengths: Map<string, number>): number {
  const entries = [...lengths];
  if (entries.length === 0) throw new InputError(path, null, 'the object holds no columns');
  const rows = entries[0][1];
  for (const [name, length] of entries) {
    if (length !== rows) throw new InputError(path, null, `unequal lengths: column '${entries[0][0]}' has ${rows} values but '${name}' has ${length}`);
  }
  if (rows === 0) throw new InputError(path, null, 'the columns are empty');
  return rows;
}

async function skipSpace(stream: ByteStream): Promise<void> {
  for (;;) {
    const { buf } = stream;
    let p = stream.pos;
    while (p < stream.end) {
      const c = buf[p];
      if (c === 0x0a) stream.line++;
      else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      p++;
    }
    stream.pos = p;
    if (p < stream.end || !(await stream.fill())) return;
  }
}

async function atByte(stream: ByteStream, byte: number): Promise<boolean> {
  if (stream.pos >= stream.end) await stream.fill();
  return stream.pos < stream.end && stream.buf[stream.pos] === byte;
}

async function expectByte(path: string, stream: ByteStream, byte: number, what: string): Promise<void> {
  if (!(await atByte(stream, byte))) {
    const found = stream.pos < stream.end ? `'${String.fromCharCode(stream.buf[stream.pos])}'` : 'the end of the file';
    throw new InputError(path, stream.line, `expected ${what}, found ${found}`);
  }
  stream.pos++;
}

/** The end of the JSON value at `pos`, loading more of the file until it is whole. */
async function scanValue(path: string, stream: ByteStream): Promise<number> {
  for (;;) {
    const end = valueEnd(stream.buf, stream.pos, stream.end, stream.eof);
    if (end !== INCOMPLETE) return end;
    if (!(await stream.fill())) {
      const last = valueEnd(stream.buf, stream.pos, stream.end, true);
      if (last !== INCOMPLETE) return last;
      throw new InputError(path, stream.line, 'the file ends inside a value');
    }
  }
}

function valueEnd(buf: Buffer, start: number, end: number, eof: boolean): number {
  let p = start;
  const c = buf[p];
  if (c === 0x22) return stringEnd(buf, p, end);
  if (c === 0x5b || c === 0x7b) {
    let depth = 0;
    while (p < end) {
      const b = buf[p];
      if (b === 0x22) {
        const after = stringEnd(buf, p, end);
        if (after === INCOMPLETE) return INCOMPLETE;
        p = after;
        continue;
      }
      if (b === 0x5b || b === 0x7b) depth++;
      else if (b === 0x5d || b === 0x7d) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return INCOMPLETE;
  }
  // number or literal: runs to a delimiter
  while (p < end) {
    const b = buf[p];
    if (b === 0x2c || b === 0x5d || b === 0x7d || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) return p;
    p++;
  }
  return eof && p > start ? p : INCOMPLETE;
}

function stringEnd(buf: Buffer, start: number, end: number): number {
  let p = start + 1;
  while (p < end) {
    const b = buf[p];
    if (b === 0x5c /* \ */) { p += 2; continue; }
    if (b === 0x22) return p + 1;
    p++;
  }
  return INCOMPLETE;
}

function countLines(stream: ByteStream, end: number): void {
  for (let p = stream.pos; p < end; p++) if (stream.buf[p] === 0x0a) stream.line++;
}
