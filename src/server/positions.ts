// Position encodings (LSP 3.17): the analysis core and TextDocument count columns in UTF-16 code units;
// a client may prefer UTF-8 bytes or UTF-32 code points. Every position crossing the protocol goes
// through a PositionCodec, which converts on the line's own text.
import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export type PositionEncoding = 'utf-8' | 'utf-16' | 'utf-32';

/** The encoding to use: the first the client offers that we support, else UTF-16 (the protocol's default). */
export function negotiateEncoding(offered: readonly string[] | undefined): PositionEncoding {
  for (const kind of offered ?? []) if (kind === 'utf-8' || kind === 'utf-16' || kind === 'utf-32') return kind;
  return 'utf-16';
}

/** The text of one line, without its line break. */
export function lineText(document: TextDocument, line: number): string {
  if (line < 0 || line >= document.lineCount) return '';
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$|\r$/, '');
}

/** Code units `encoding` counts for the UTF-16 slice text[0, end). */
function unitsOf(text: string, end: number, encoding: PositionEncoding): number {
  let units = 0;
  for (let i = 0; i < end && i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (encoding === 'utf-8') units += code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    else units += 1;
    if (pair) i++;
  }
  return units;
}

/** The UTF-16 column at which `units` code units of `encoding` end on this line (clamped to the line). */
function columnOf(text: string, units: number, encoding: PositionEncoding): number {
  let counted = 0;
  let i = 0;
  while (i < text.length && counted < units) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    counted += encoding === 'utf-8' ? (code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3) : 1;
    i += pair ? 2 : 1;
  }
  return i;
}

export class PositionCodec {
  constructor(readonly encoding: PositionEncoding) {}

  /** A UTF-16 position of `document` in the client's encoding. */
  toClient(document: TextDocument, position: { line: number; character: number }): Position {
    if (this.encoding === 'utf-16') return { line: position.line, character: position.character };
    const text = lineText(document, position.line);
    return { line: position.line, character: unitsOf(text, position.character, this.encoding) };
  }

  toClientRange(document: TextDocument, range: Range): Range {
    return { start: this.toClient(document, range.start), end: this.toClient(document, range.end) };
  }

  /** A position the client sent, as a UTF-16 position of `document`. */
  fromClient(document: TextDocument, position: Position): Position {
    if (this.encoding === 'utf-16') return position;
    const text = lineText(document, position.line);
    return { line: position.line, character: columnOf(text, position.character, this.encoding) };
  }

  fromClientRange(document: TextDocument, range: Range): Range {
    return { start: this.fromClient(document, range.start), end: this.fromClient(document, range.end) };
  }
}
