// JSON Lines: one flat object per line. The first object's keys are the columns.
import { CellError, InputError } from '../errors';
import type { CellSink } from './builders';
import { ByteStream } from './byte-stream';
import { wrapCellError } from './csv';
import type { ColumnPlanner } from './index';
import { JsonSyntaxError, repeatedKey, utf8Text } from './json-syntax';

export async function readJsonLines(path: string, planner: ColumnPlanner): Promise<number> {
  const stream = await ByteStream.open(path);
  let planned: [string, CellSink][] | null = null;
  let rows = 0;
  try {
    for (;;) {
      const { buf } = stream;
      let lineEnd = buf.indexOf(10, stream.pos);
      if (lineEnd < 0 || lineEnd >= stream.end) {
        if (await stream.fill()) continue;
        if (stream.pos >= stream.end) break;
        lineEnd = stream.end;
      }
      const start = stream.pos;
      const line = stream.line;
      stream.pos = Math.min(lineEnd + 1, stream.end);
      stream.line++;
      let record: unknown;
      try {
        const text = utf8Text(stream.buf, start, lineEnd).trim();
        if (text === '') continue;
        record = JSON.parse(text);
      } catch (error) {
        throw new InputError(path, line, error instanceof JsonSyntaxError ? error.message : `not valid JSON (${(error as Error).message})`);
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new InputError(path, line, 'each line must hold one JSON object');
      }
      const object = record as Record<string, unknown>;
      const twice = repeatedKey(stream.buf, start, lineEnd, Object.keys(object).length);
      if (twice !== null) throw new InputError(path, line, `the key '${twice}' appears twice in this record`);
      if (planned === null) {
        const sinks = planner(Object.keys(object)).sinks;
        planned = [...sinks];
      }
      for (const [name, sink] of planned) {
        if (!(name in object)) throw new InputError(path, line, `the key '${name}' is missing`);
        try {
          feedJsonValue(sink, object[name]);
        } catch (error) {
          throw wrapCellError(error, path, line, name);
        }
      }
      rows++;
    }
  } finally {
    await stream.close();
  }
  if (planned === null) throw new InputError(path, null, 'the file is empty');
  return rows;
}

/** Hands one parsed JSON scalar to a sink; arrays and objects are not cells. */
export function feedJsonValue(sink: CellSink, value: unknown): void {
  if (typeof value === 'number') sink.number(value);
  else if (typeof value === 'string') sink.text(value);
  else if (typeof value === 'boolean') sink.text(value ? 'true' : 'false');
  else if (value === null) sink.missing();
  else throw new CellError(`expected a number or a string, found ${Array.isArray(value) ? 'an array' : 'an object'}`);
}
