// Loads tree-sitter and the Python grammar once, and parses documents, incrementally after edits.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { Range, SourceEdit } from '../findings';
import type { Module } from './ast';
import { copyTopLevel, selectTreeReader, TreeReaderKind, treeReaderInUse } from './cst';
import { LoweredTop, lowerTopLevel, moveLowered, moveLoweredInPlace } from './lower';
import { parseSuppressions } from './suppressions';

let loading: Promise<Language> | undefined;

/** Finds a wasm file next to the bundle (dist/) or, in development, in node_modules. */
function locateWasm(fileName: string, packageName: string, wasmDir?: string): string {
  const candidates = [wasmDir && join(wasmDir, fileName), join(__dirname, fileName)].filter(Boolean) as string[];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  return require.resolve(`${packageName}/${fileName}`);
}

export function loadPython(wasmDir?: string): Promise<Language> {
  loading ??= (async () => {
    // Emscripten fills this object in as the module itself: its memory views are how wasm-tree.ts reads the tree.
    const module: Record<string, unknown> = { locateFile: () => locateWasm('tree-sitter.wasm', 'web-tree-sitter', wasmDir) };
    // The grammar is read while the runtime starts, and given to Language.load as bytes: given a path,
    // it reads the file through a dynamic import(), which starts Node's ES module loader for nothing.
    const grammar = readFile(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python', wasmDir));
    grammar.catch(() => undefined);
    await Parser.init(module as object);
    const language = await Language.load(await grammar);
    const scratch = new Parser();
    try {
      selectTreeReader(scratch, language, module);
    } finally {
      scratch.delete();
    }
    return language;
  })();
  return loading;
}

/** Which reader copies syntax trees, once `loadPython` has resolved (see cst.ts). */
export function treeReader(): TreeReaderKind {
  return treeReaderInUse();
}

/** Byte-free position of an offset in a text: tree-sitter's edit API wants rows and columns. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * One document's parse state. After `update`, tree-sitter re-parses only around the edit, and
 * top-level statements whose text and position did not change keep their lowered copy.
 */
export class DocumentParser {
  private tree: Tree | null = null;
  private text = '';
  /** Lowered top-level statements by text and start column, with the line they were lowered at. */
  private lowered = new Map<string, { line: number; top: LoweredTop }[]>();

  /**
   * Whether a statement that only moved is moved in place (the same objects, see moveLoweredInPlace) rather than
   * copied: what an earlier parse returned then moves with it.
   */
  movesInPlace = false;

  constructor(readonly parser: Parser) {}

  static forLanguage(language: Language): DocumentParser {
    const parser = new Parser();
    parser.setLanguage(language);
    return new DocumentParser(parser);
  }

  static async create(wasmDir?: string): Promise<DocumentParser> {
    return DocumentParser.forLanguage(await loadPython(wasmDir));
  }

  get source(): string {
    return this.text;
  }

  /** Replaces the whole text (no edit information: a cold parse). */
  reset(text: string): Module {
    this.tree?.delete();
    this.tree = null;
    this.text = text;
    return this.reparse();
  }

  /**
   * Parses a text with no statement shared with an earlier parse: every position object is new, so that
   * positions can tell which file they belong to (see workspace/modules.ts).
   */
  parseAlone(text: string): Module {
    this.lowered = new Map();
    const module = this.reset(text);
    this.lowered = new Map();
    return module;
  }

  /** Applies edits (offsets into the text before each edit, in order) and re-parses incrementally. */
  update(edits: SourceEdit[], newText: string): Module {
    if (!this.tree) return this.reset(newText);
    let text = this.text;
    for (const edit of edits) {
      const startPosition = pointAt(text, edit.rangeOffset);
      const oldEndPosition = pointAt(text, edit.rangeOffset + edit.rangeLength);
      const next = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
      const newEndPosition = pointAt(next, edit.rangeOffset + edit.text.length);
      this.tree.edit({
        startIndex: edit.rangeOffset,
        oldEndIndex: edit.rangeOffset + edit.rangeLength,
        newEndIndex: edit.rangeOffset + edit.text.length,
        startPosition,
        oldEndPosition,
        newEndPosition,
      });
      text = next;
    }
    if (text !== newText) return this.reset(newText);
    this.text = newText;
    return this.reparse();
  }

  private reparse(): Module {
    const tree = this.parser.parse(this.text, this.tree ?? undefined);
    if (!tree) throw new Error('tree-sitter returned no tree');
    this.tree?.delete();
    this.tree = tree;
    const broken = topLevelErrors(tree);
    if (broken.length === 0) return this.lower(tree, this.text);
    // tree-sitter's recovery can swallow the definitions after a broken one into one ERROR node.
    // Blank the broken statement's lines (keeping line numbers) and parse that text as well, so the
    // rest of the file is analysed; the syntax errors reported are the real ones.
    const { text: patched, spans } = blankBrokenStatements(this.text, broken.map((r) => r.start.line));
    // The blanked text has the same length and line breaks: re-parse it incrementally from a copy of
    // the tree, so only the blanked statements and their surroundings are parsed again.
    const base = tree.copy();
    for (const [start, end] of spans) {
      const startPosition = pointAt(patched, start);
      const endPosition = pointAt(patched, end);
      base.edit({ startIndex: start, oldEndIndex: end, newEndIndex: end, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition });
    }
    const recovered = this.parser.parse(patched, base);
    base.delete();
    if (!recovered) return this.lower(tree, this.text);
    try {
      const module = this.lower(recovered, patched);
      // The blanked statements are the syntax errors the recovered text no longer shows.
      module.syntaxErrors = [...broken, ...module.syntaxErrors];
      return module;
    } finally {
      recovered.delete();
    }
  }

  private lower(tree: Tree, text: string): Module {
    const previous = this.lowered;
    const next = new Map<string, { line: number; top: LoweredTop }[]>();
    const used = new Map<string, number>();
    const keep = (key: string, entry: { line: number; top: LoweredTop }) => {
      const list = next.get(key);
      if (list) list.push(entry);
      else next.set(key, [entry]);
    };
    const tops = copyTopLevel(
      tree,
      text,
      (key, line) => {
        // Statements with the same text (a repeated constant, a copied block) each keep their own copy, in order.
        const hits = previous.get(key);
        const taken = used.get(key) ?? 0;
        const hit = hits?.[taken];
        if (!hit) return undefined;
        used.set(key, taken + 1);
        const top = hit.line === line ? hit.top : this.movesInPlace ? moveLoweredInPlace(hit.top, line - hit.line) : moveLowered(hit.top, line - hit.line);
        keep(key, { line, top });
        return top;
      },
      (node, key) => {
        const top = lowerTopLevel(node, text);
        keep(key, { line: node.start.line, top });
        return top;
      },
    );
    this.lowered = next;
    const module: Module = { body: [], syntaxErrors: [], suppressions: new Map(), groups: tops.map((top) => top.stmts) };
    for (const top of tops) {
      module.body.push(...top.stmts);
      module.syntaxErrors.push(...top.errors);
      parseSuppressions(top.comments, module.suppressions);
    }
    return module;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.parser.delete();
  }
}

/** Ranges of the module's top-level ERROR nodes. */
function topLevelErrors(tree: Tree): Range[] {
  const ranges: Range[] = [];
  const cursor = tree.walk();
  try {
    if (cursor.gotoFirstChild()) {
      do {
        if (cursor.nodeType !== 'ERROR') continue;
        const { startPosition: s, endPosition: e } = cursor;
        ranges.push({ start: { line: s.row, column: s.column }, end: { line: e.row, column: e.column } });
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return ranges;
}

const STATEMENT_START = /^(async\s+def\s|def\s|class\s|@|if\s|for\s|while\s|with\s|try:|import\s|from\s|[A-Za-z_][\w.]*(\[.*\])?\s*(=|\(|\+=|-=|:))/;

/**
 * Replaces each broken statement (from its first line to the next top-level statement) with spaces,
 * keeping every line break. Returns the text and the blanked spans as [start, end) offsets.
 */
export function blankBrokenStatements(text: string, startLines: number[]): { text: string; spans: [number, number][] } {
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  for (let i = 0, offset = 0; i < lines.length; offset += lines[i].length + 1, i++) lineStarts.push(offset);
  const spans: [number, number][] = [];
  for (const start of startLines) {
    if (start >= lines.length) continue;
    let end = start + 1;
    while (end < lines.length && !(STATEMENT_START.test(lines[end]) && !/^\s/.test(lines[end]))) end++;
    for (let i = start; i < end; i++) lines[i] = ' '.repeat(lines[i].length);
    spans.push([lineStarts[start], lineStarts[end - 1] + lines[end - 1].length]);
  }
  return { text: lines.join('\n'), spans };
}
