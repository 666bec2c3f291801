// Loads tree-sitter and the Python grammar once, and parses documents, incrementally after edits.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { Range, SourceEdit } from '../findings';
import type { Module } from './ast';
import { copyTopLevel, FlatTree, selectTreeReader, tablesForLanguage, TreeReaderKind, treeReaderInUse } from './cst';
import { fastCopyTopLevel } from './fast-parser';
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

/** The position after text[from, to) when text[from] is at `start`. */
function pointAfter(start: { row: number; column: number }, text: string, from: number, to: number): { row: number; column: number } {
  let { row, column } = start;
  let lineStart = from - column;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: to - lineStart };
}

/** Whether `next` is `text` with the edit applied. */
function isEdited(text: string, edit: SourceEdit, next: string): boolean {
  const end = edit.rangeOffset + edit.rangeLength;
  const after = edit.rangeOffset + edit.text.length;
  return (
    next.length === text.length - edit.rangeLength + edit.text.length &&
    next.startsWith(edit.text, edit.rangeOffset) &&
    // Slices compared with === (V8 compares their characters in bulk; startsWith of a slice goes one by one).
    next.slice(0, edit.rangeOffset) === text.slice(0, edit.rangeOffset) &&
    next.slice(after) === text.slice(end)
  );
}

/**
 * Copies a text's top-level statements in order, each taken from `reuse` or given to `lower`; false when it gave up
 * part way (the fast parser refusing the text).
 */
type StatementCopy = (reuse: (key: string, line: number, start: number, end: number) => LoweredTop | undefined, lower: (node: FlatTree, key: string) => LoweredTop) => boolean;

/** One lowered top-level node of the current text: its offsets, first line, cache key and lowered copy. */
interface TopEntry {
  start: number;
  end: number;
  line: number;
  key: string;
  top: LoweredTop;
}

/**
 * One document's parse state. After `update`, tree-sitter re-parses only around the edit, and
 * top-level statements whose text and position did not change keep their lowered copy.
 *
 * An edit inside the top-level statements of an error-free text is parsed as those statements alone (with
 * a statement of context on each side): tree-sitter's incremental re-parse of a Python file still re-lexes
 * and re-reduces most of it, so it costs about a quarter of a cold parse wherever the edit is. When that
 * region does not parse cleanly into the same context statements, the whole text is re-parsed from the
 * full tree, which has every edit applied.
 */
export class DocumentParser {
  private tree: Tree | null = null;
  private text = '';
  /** The current text's top-level nodes in order, as last lowered. */
  private tops: TopEntry[] = [];
  /** Whether the current text parsed with no syntax error (only then may an edit re-parse a region alone). */
  private clean = false;
  /** Parses regions of the text (its included ranges are set for each parse), made at the first region parse. */
  private regionParser: Parser | undefined;

  /**
   * Whether a statement that only moved is moved in place (the same objects, see moveLoweredInPlace) rather than
   * copied: what an earlier parse returned then moves with it.
   */
  movesInPlace = false;

  /** Whether a cold parse tries the fast parser first (see fast-parser.ts); tree-sitter parses what it refuses. */
  useFastParser = true;

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
    return this.parseFast() ?? this.reparse();
  }

  /**
   * The cold parse by the fast parser (fast-parser.ts), or undefined when it refuses the text. It leaves no
   * tree-sitter tree: an edit then re-parses the statements it touched (reparseRegion), or the whole text from
   * no tree.
   */
  private parseFast(): Module | undefined {
    const language = this.parser.language;
    if (!this.useFastParser || !language) return undefined;
    const text = this.text;
    const tables = tablesForLanguage(language);
    const lowered = this.lowerTops((reuse, lower) => fastCopyTopLevel(tables, text, reuse, lower) !== undefined, text, byKey(this.tops));
    if (!lowered) return undefined;
    this.tops = lowered.settle();
    this.clean = true;
    return this.module();
  }

  /**
   * Parses a text with no statement shared with an earlier parse: every position object is new, so that
   * positions can tell which file they belong to (see workspace/modules.ts).
   */
  parseAlone(text: string): Module {
    this.tops = [];
    const module = this.reset(text);
    this.tops = [];
    return module;
  }

  /** Applies edits (offsets into the text before each edit, in order) and re-parses incrementally. */
  update(edits: SourceEdit[], newText: string): Module {
    // After the fast parser there is no tree-sitter tree, only the statements: the edit goes to reparseRegion.
    if (!this.tree && !(this.clean && this.tops.length > 0)) return this.reset(newText);
    let text = this.text;
    for (let k = 0; k < edits.length; k++) {
      const edit = edits[k];
      const end = edit.rangeOffset + edit.rangeLength;
      if (edit.rangeOffset < 0 || end > text.length) return this.reset(newText);
      const startPosition = pointAt(text, edit.rangeOffset);
      const oldEndPosition = pointAfter(startPosition, text, edit.rangeOffset, end);
      const newEndPosition = pointAfter(startPosition, edit.text, 0, edit.text.length);
      this.tree?.edit({
        startIndex: edit.rangeOffset,
        oldEndIndex: end,
        newEndIndex: edit.rangeOffset + edit.text.length,
        startPosition,
        oldEndPosition,
        newEndPosition,
      });
      // The last edit's text is only checked against the new text, without building it (a copy of the file).
      if (k < edits.length - 1) text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(end);
      else if (!isEdited(text, edit, newText)) return this.reset(newText);
      else text = newText;
    }
    if (text !== newText) return this.reset(newText);
    const old = this.text;
    this.text = newText;
    return (this.clean && this.reparseRegion(old, edits)) || this.reparse();
  }

  /**
   * Re-parses only the top-level statements an edit touched, with one statement of context on each side, and
   * moves the others. Undefined (nothing changed but the text) when the region cannot be parsed alone with
   * certainty of the same result as a whole parse: the caller then re-parses the whole text.
   */
  private reparseRegion(old: string, edits: SourceEdit[]): Module | undefined {
    const text = this.text;
    const tops = this.tops;
    if (tops.length === 0) return undefined;
    // The changed span, in the old text [from, oldTo) and in the new one [from, newTo).
    let from: number;
    let oldTo: number;
    if (edits.length === 1) {
      from = edits[0].rangeOffset;
      oldTo = from + edits[0].rangeLength;
    } else {
      const limit = Math.min(old.length, text.length);
      from = 0;
      while (from < limit && old.charCodeAt(from) === text.charCodeAt(from)) from++;
      let same = 0;
      while (same < limit - from && old.charCodeAt(old.length - 1 - same) === text.charCodeAt(text.length - 1 - same)) same++;
      oldTo = old.length - same;
    }
    const delta = text.length - old.length;
    const newTo = oldTo + delta;
    // The statements touching the change (an edit between two touches both), and one more on each side.
    let first = 0;
    while (first < tops.length && tops[first].end < from) first++;
    let last = first;
    while (last + 1 < tops.length && tops[last + 1].start <= oldTo) last++;
    first = Math.max(0, Math.min(first, tops.length - 1) - 1);
    // A comment is no statement of context: an indented line after it would belong to the statement above it.
    while (first > 0 && old.charCodeAt(tops[first].start) === 35) first--;
    last = Math.min(tops.length - 1, last + 1);
    // The region runs over whole lines: from the start of its first statement's line (column 0, the
    // statement before ending before it) to the end of the line its last statement ends on, with the
    // statement after it starting on a line of its own at column 0.
    const startOld = Math.min(tops[first].start, from);
    const regionStart = lineStartOf(old, startOld);
    if ((tops[first].start > 0 && old.charCodeAt(tops[first].start - 1) !== 10) || (first > 0 && tops[first - 1].end > regionStart)) return undefined;
    const endOld = Math.max(tops[last].end, oldTo);
    const lineEnd = old.indexOf('\n', endOld);
    const regionEndOld = lineEnd === -1 ? old.length : lineEnd + 1;
    if (last + 1 < tops.length && tops[last + 1].start !== regionEndOld && !isBlankBetween(old, regionEndOld, tops[last + 1].start)) return undefined;
    if (last + 1 < tops.length && old.charCodeAt(tops[last + 1].start - 1) !== 10) return undefined;
    const regionEnd = regionEndOld + delta;
    if (regionStart > from || regionEnd < newTo) return undefined;
    // The region's first statement line (comments aside) must start at column 0 in the new text, or it would
    // belong to the statement before; a line ending in a backslash would join the next statement.
    const firstCode = firstStatementLine(text, regionStart, regionEnd);
    if (firstCode !== -1 && (text.charCodeAt(firstCode) === 32 || text.charCodeAt(firstCode) === 9)) return undefined;
    if (/\\\r?\n?$/.test(text.slice(Math.max(regionStart, regionEnd - 3), regionEnd))) return undefined;
    this.regionParser ??= newParserLike(this.parser);
    const startPosition = pointAt(text, regionStart);
    const endPosition = pointAt(text, regionEnd);
    // The text is read only up to the region's end: given the whole string, web-tree-sitter hands it the rest of
    // the text from each offset it asks for (copying up to 10 KB into wasm memory each time).
    const input = (index: number) => (index < regionEnd ? text.slice(index, regionEnd) : '');
    const tree = this.regionParser.parse(input, undefined, { includedRanges: [{ startIndex: regionStart, endIndex: regionEnd, startPosition, endPosition }] });
    if (!tree) return undefined;
    try {
      if (tree.rootNode.hasError) return undefined;
      const lineDelta = countLines(text, from, newTo) - countLines(old, from, oldTo);
      // What the region held before, for statements of the region whose text did not change.
      const lowered = this.lowerTops(treeCopy(tree, text), text, byKey(tops.slice(first, last + 1)))!;
      const region = lowered.entries;
      // The context statements must come out as they were, where they were.
      if (region.length === 0) return undefined;
      const head = tops[first];
      if (head.end < from && (region[0].start !== head.start || region[0].key !== head.key)) return undefined;
      const tail = tops[last];
      const end = region[region.length - 1];
      if (tail.start > oldTo && (end.start !== tail.start + delta || end.key !== tail.key)) return undefined;
      const moved = tops.slice(last + 1).map((entry) => this.movedEntry(entry, delta, lineDelta));
      lowered.settle();
      this.tops = [...tops.slice(0, first), ...region, ...moved];
      return this.module();
    } finally {
      tree.delete();
    }
  }

  /** A statement after an edit, `lines` lines and `offset` characters further on. */
  private movedEntry(entry: TopEntry, offset: number, lines: number): TopEntry {
    if (offset === 0 && lines === 0) return entry;
    const top = lines === 0 ? entry.top : this.movesInPlace ? moveLoweredInPlace(entry.top, lines) : moveLowered(entry.top, lines);
    return { start: entry.start + offset, end: entry.end + offset, line: entry.line + lines, key: entry.key, top };
  }

  private reparse(): Module {
    const tree = this.parser.parse(this.text, this.tree ?? undefined);
    if (!tree) throw new Error('tree-sitter returned no tree');
    this.tree?.delete();
    this.tree = tree;
    // The top-level nodes are looked through for ERROR only when the tree has an error at all.
    const hasError = tree.rootNode.hasError;
    const broken = hasError ? topLevelErrors(tree) : [];
    this.clean = !hasError;
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
    this.tops = this.lowerTops(treeCopy(tree, text), text, byKey(this.tops))!.settle();
    return this.module();
  }

  /**
   * The tree's top-level nodes lowered, each taken from `previous` when a statement of the same key is there.
   * A statement taken at another line is moved only by `settle` (moving it in place changes the objects the
   * current module holds, so it waits until the entries are certain to be used).
   */
  private lowerTops(
    copy: StatementCopy,
    text: string,
    previous: Map<string, { line: number; top: LoweredTop }[]>,
  ): { entries: TopEntry[]; settle(): TopEntry[] } | undefined {
    const used = new Map<string, number>();
    const entries: TopEntry[] = [];
    const moves: { entry: TopEntry; lines: number }[] = [];
    const copied = copy(
      (key, line, start, end) => {
        // Statements with the same text (a repeated constant, a copied block) each keep their own copy, in order.
        const hits = previous.get(key);
        const taken = used.get(key) ?? 0;
        const hit = hits?.[taken];
        if (!hit) return undefined;
        used.set(key, taken + 1);
        const entry = { start, end, line, key, top: hit.top };
        if (hit.line !== line) moves.push({ entry, lines: line - hit.line });
        entries.push(entry);
        return hit.top;
      },
      (node, key) => {
        const top = lowerTopLevel(node, text);
        entries.push({ start: node.startIndex, end: node.endIndex, line: node.start.line, key, top });
        return top;
      },
    );
    // A copy that gave up part way (the fast parser refusing the text) leaves nothing behind: moves wait for settle.
    if (!copied) return undefined;
    return {
      entries,
      settle: () => {
        for (const { entry, lines } of moves) entry.top = this.movesInPlace ? moveLoweredInPlace(entry.top, lines) : moveLowered(entry.top, lines);
        return entries;
      },
    };
  }

  private module(): Module {
    const module: Module = { body: [], syntaxErrors: [], suppressions: new Map(), groups: this.tops.map((entry) => entry.top.stmts) };
    for (const { top } of this.tops) {
      for (const stmt of top.stmts) module.body.push(stmt);
      module.syntaxErrors.push(...top.errors);
      parseSuppressions(top.comments, module.suppressions);
    }
    return module;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.parser.delete();
    this.regionParser?.delete();
    this.regionParser = undefined;
  }
}

/** Statements by key, each key's in order: what a parse takes again where it finds one unchanged. */
function byKey(entries: TopEntry[]): Map<string, { line: number; top: LoweredTop }[]> {
  const previous = new Map<string, { line: number; top: LoweredTop }[]>();
  for (const entry of entries) {
    const list = previous.get(entry.key);
    if (list) list.push(entry);
    else previous.set(entry.key, [entry]);
  }
  return previous;
}

/** The copy of a tree-sitter tree's statements, for lowerTops (it never gives up part way). */
function treeCopy(tree: Tree, text: string): StatementCopy {
  return (reuse, lower) => {
    copyTopLevel(tree, text, reuse, lower);
    return true;
  };
}

function newParserLike(parser: Parser): Parser {
  const made = new Parser();
  if (parser.language) made.setLanguage(parser.language);
  return made;
}

/** The offset where the line holding `offset` starts. */
function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Whether text[from, to) holds only spaces, tabs and line breaks. */
function isBlankBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** The start of the first line of text[from, to) holding more than blanks or a comment (-1 if none). */
function firstStatementLine(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) continue;
    if (c === 35) {
      // A comment runs to the end of its line.
      const end = text.indexOf('\n', i);
      if (end === -1 || end >= to) return -1;
      i = end;
      continue;
    }
    return lineStartOf(text, i);
  }
  return -1;
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
