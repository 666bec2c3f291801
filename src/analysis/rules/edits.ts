// Building quick-fix edits from the AST: replace an argument, add a keyword, drop a keyword.
import type { Fix, Range, TextEdit } from '../findings';
import type { Call } from '../parse/ast';

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function fix(title: string, edits: TextEdit[], isPreferred = false): Fix {
  return { title, edits, isPreferred };
}

/** Inserts `name=value` as the call's last argument. */
export function addKeyword(call: Call, name: string, value: string): TextEdit {
  const end = call.argsRange.end;
  const closing = { line: end.line, column: Math.max(0, end.column - 1) };
  const hasArgs = call.args.length > 0 || call.keywords.length > 0;
  return { range: { start: closing, end: closing }, newText: `${hasArgs ? ', ' : ''}${name}=${value}` };
}

/** Sets a keyword argument: replaces its value when present, else appends it. */
export function setKeyword(call: Call, name: string, value: string): TextEdit {
  const existing = call.keywords.find((k) => k.name === name);
  return existing ? replace(existing.value.range, value) : addKeyword(call, name, value);
}

/** Deletes a keyword argument together with the comma that separates it from its neighbour. */
export function removeKeyword(call: Call, name: string): TextEdit | undefined {
  const all = [...call.args.map((a) => a.range), ...call.keywords.map((k) => k.range)].sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column);
  const target = call.keywords.find((k) => k.name === name);
  if (!target) return undefined;
  const index = all.findIndex((r) => r.start.line === target.range.start.line && r.start.column === target.range.start.column);
  if (index > 0) return { range: { start: all[index - 1].end, end: target.range.end }, newText: '' };
  if (index === 0 && all.length > 1) return { range: { start: target.range.start, end: all[1].start }, newText: '' };
  return { range: target.range, newText: '' };
}

/** Splits `a, b(c, d), e` at its top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
