// Copies tree-sitter's tree into plain objects, once per top-level statement that changed.
// Two readers give the same copy: one reads tree-sitter's memory directly (wasm-tree.ts), the other
// walks web-tree-sitter's cursor, one wasm call per property. A self-check at start-up picks the first
// when it gives the same tree as the second on a built-in sample.
import type { Language, Parser, Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Position } from '../findings';
import { WasmHeap, WasmTreeReader } from './wasm-tree';

export interface CstNode {
  readonly type: string;
  readonly named: boolean;
  readonly field: string | null;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly start: Position;
  readonly end: Position;
  children: CstNode[];
  /** Set on ERROR nodes and on MISSING tokens. */
  readonly isError: boolean;
}

/** Node type names, namedness and field names by id, read once per language instead of per node. */
export interface Tables {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}

const tablesByLanguage = new WeakMap<object, Tables>();

function tablesFor(tree: Tree): Tables {
  const language = tree.language;
  let tables = tablesByLanguage.get(language);
  if (!tables) {
    const types = language.types;
    tables = { types, named: types.map((_, id) => language.nodeTypeIsNamed(id)), fields: language.fields };
    tablesByLanguage.set(language, tables);
  }
  return tables;
}

/** Line-start offsets, to turn offsets into positions without asking wasm. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** The line of the last offset asked for: the readers ask in document order, mostly on that line or the next. */
  private last = 0;

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    const starts = this.starts;
    const last = this.last;
    if (starts[last] <= offset) {
      if (last + 1 === starts.length || starts[last + 1] > offset) return { line: last, column: offset - starts[last] };
      if (last + 2 === starts.length || starts[last + 2] > offset) {
        this.last = last + 1;
        return { line: last + 1, column: offset - starts[last + 1] };
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return { line: lo, column: offset - starts[lo] };
  }
}

// Each cursor property crosses into wasm and copies the cursor: read only ids and offsets,
// and look everything else up in JS.
function readCurrent(cursor: TreeCursor, tables: Tables, lines: LineIndex, withField = true): CstNode {
  const startIndex = cursor.startIndex;
  const endIndex = cursor.endIndex;
  // nodeIsMissing crosses into wasm too: ask only for empty nodes, the only ones it can be true of.
  const missing = startIndex === endIndex && cursor.nodeIsMissing;
  return cstNode(tables, lines, cursor.nodeTypeId, withField ? cursor.currentFieldId : 0, startIndex, endIndex, missing);
}

/**
 * One node of the copied tree. Its positions are worked out when first read (and then kept, so a range
 * made from them keeps its identity): many nodes, such as blocks, argument lists and tokens, never
 * become a range.
 */
class CopiedNode implements CstNode {
  children: CstNode[] = NO_CHILDREN;
  private startPosition: Position | undefined = undefined;
  private endPosition: Position | undefined = undefined;

  constructor(
    private readonly lines: LineIndex,
    readonly type: string,
    readonly named: boolean,
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly isError: boolean,
  ) {}

  get start(): Position {
    return (this.startPosition ??= this.lines.position(this.startIndex));
  }

  get end(): Position {
    return (this.endPosition ??= this.lines.position(this.endIndex));
  }
}

/** One node of the copied tree, from what either reader (cursor or wasm memory) found for it. */
export function cstNode(tables: Tables, lines: LineIndex, typeId: number, fieldId: number, startIndex: number, endIndex: number, missing: boolean): CstNode {
  const type = tables.types[typeId] ?? 'ERROR';
  return new CopiedNode(
    lines,
    type,
    tables.named[typeId] ?? true,
    fieldId ? tables.fields[fieldId] ?? null : null,
    startIndex,
    endIndex,
    type === 'ERROR' || (startIndex === endIndex && missing),
  );
}

/**
 * The children of a node that has none, shared: most nodes are leaves. A reader that appends a child
 * first gives the node its own array (see `appendChild`).
 */
const NO_CHILDREN = Object.freeze([]) as unknown as CstNode[];

export function appendChild(parent: CstNode, child: CstNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else parent.children.push(child);
}

/** Parents whose unnamed tokens the lowering reads: operators and a slice's colons. */
export const KEEPS_TOKENS = new Set(['slice', 'binary_operator', 'augmented_assignment', 'unary_operator']);

/** Parents whose children are read by position only, never by field name. */
export const NO_FIELDS = new Set(['module', 'block', 'argument_list', 'expression_statement', 'list', 'tuple', 'expression_list', 'pattern_list', 'tuple_pattern', 'list_pattern', 'parameters', 'string', 'concatenated_string', 'parenthesized_expression', 'slice', 'dictionary', 'set', 'comparison_operator', 'interpolation', 'decorator']);

/** Named node types that never have children: no need to ask wasm. */
export const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'ellipsis', 'type_conversion']);

/** Copies the subtree under the cursor's current node. */
function copySubtree(cursor: TreeCursor, tables: Tables, lines: LineIndex): CstNode {
  const root = readCurrent(cursor, tables, lines);
  if (!cursor.gotoFirstChild()) return root;
  const stack: CstNode[] = [root];
  for (;;) {
    const parent = stack[stack.length - 1];
    // Punctuation and keywords are dropped, except operators (they carry a field) and a slice's colons.
    const typeId = cursor.nodeTypeId;
    const keep = tables.named[typeId] !== false || KEEPS_TOKENS.has(parent.type);
    const node = keep ? readCurrent(cursor, tables, lines, !NO_FIELDS.has(parent.type)) : undefined;
    if (node) appendChild(parent, node);
    if (node && !LEAVES.has(node.type) && cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

/** How the tree is read: straight from tree-sitter's memory, or through web-tree-sitter's cursor. */
export type TreeReaderKind = 'memory' | 'cursor';

let memoryReader: WasmTreeReader | undefined;
let readerKind: TreeReaderKind = 'cursor';

export function treeReaderInUse(): TreeReaderKind {
  return readerKind;
}

/** A small program touching the constructs whose copy depends on aliases, fields and hidden nodes. */
const SELF_CHECK_SAMPLE = `import torch.nn as nn
from x import (a as b, c)
@dec(1)
class M(nn.Module, metaclass=T):
    def __init__(self, n: int = 3, *args, k=2, **kw) -> None:
        super().__init__()
        self.rnn = nn.LSTM(n, 2 * n, batch_first=True)  # comment
        x[1:2, ::3] += -y ** 2 if a and not b else {k: v for k, v in d.items()}
    async def forward(self, x):
        with open(p) as f, g() as (u, v):
            for i, (a, *b) in enumerate(x): print(f"{a!r:>3}", 'é\\n', lambda q: q)
        try: pass
        except (E, F) as e: raise
        finally: del x[0]
        return [*x, *y], x is not None, x not in y
def broken(:
    return 1
`;

/**
 * Chooses the memory reader if the module's memory is reachable and the reader copies the built-in
 * sample exactly as the cursor walk does; otherwise keeps the cursor walk. Returns the choice.
 */
export function selectTreeReader(parser: Parser, language: Language, heap: WasmHeap): TreeReaderKind {
  readerKind = 'cursor';
  memoryReader = undefined;
  try {
    const reader = new WasmTreeReader(heap);
    if (!reader.supports(language)) return readerKind;
    parser.setLanguage(language);
    const tree = parser.parse(SELF_CHECK_SAMPLE);
    if (!tree) return readerKind;
    try {
      const viaCursor = copyTree(tree, SELF_CHECK_SAMPLE, 'cursor');
      const viaMemory = copyTree(tree, SELF_CHECK_SAMPLE, 'memory', reader);
      if (firstDifference(viaCursor, viaMemory) === undefined) {
        memoryReader = reader;
        readerKind = 'memory';
      }
    } finally {
      tree.delete();
    }
  } catch {
    // Any surprise in the memory layout keeps the cursor walk.
  }
  return readerKind;
}

/** Where two copies first differ (a path of child indexes and the property), or undefined if identical. Iterative. */
export function firstDifference(a: CstNode[], b: CstNode[]): string | undefined {
  const stack: [CstNode[], CstNode[], string][] = [[a, b, '']];
  while (stack.length) {
    const [xs, ys, path] = stack.pop()!;
    if (xs.length !== ys.length) return `${path}: ${xs.length} vs ${ys.length} children`;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const y = ys[i];
      const at = `${path}/${i}`;
      for (const key of ['type', 'named', 'field', 'startIndex', 'endIndex', 'isError'] as const) {
        if (x[key] !== y[key]) return `${at}.${key}: ${String(x[key])} vs ${String(y[key])}`;
      }
      if (x.start.line !== y.start.line || x.start.column !== y.start.column || x.end.line !== y.end.line || x.end.column !== y.end.column) return `${at}: positions differ`;
      stack.push([x.children, y.children, `${at}(${x.type})`]);
    }
  }
  return undefined;
}

/** The visible top-level nodes, each with its offsets and a way to copy it. */
interface TopNode {
  startIndex: number;
  endIndex: number;
  copy(): CstNode;
}

function topLevelNodes(tree: Tree, tables: Tables, lines: LineIndex, kind: TreeReaderKind, reader = memoryReader): { nodes: TopNode[]; done(): void } {
  if (kind === 'memory' && reader) return { nodes: reader.topLevel(tree, tables, lines), done: () => undefined };
  const cursor = tree.walk();
  const nodes: TopNode[] = [];
  let current = 0;
  if (cursor.gotoFirstChild()) {
    let index = 0;
    do {
      const at = index++;
      nodes.push({
        startIndex: cursor.startIndex,
        endIndex: cursor.endIndex,
        copy: () => {
          // Copies are asked for in document order: the cursor only moves forward.
          for (; current < at; current++) cursor.gotoNextSibling();
          return copySubtree(cursor, tables, lines);
        },
      });
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    cursor.gotoFirstChild();
  }
  return { nodes, done: () => cursor.delete() };
}

/** Copies every top-level statement with the given reader (the self-check and its tests compare the two). */
export function copyTree(tree: Tree, source: string, kind: TreeReaderKind, reader?: WasmTreeReader): CstNode[] {
  const { nodes, done } = topLevelNodes(tree, tablesFor(tree), new LineIndex(source), kind, reader);
  try {
    return nodes.map((n) => n.copy());
  } finally {
    done();
  }
}

/**
 * Copies the module's top-level statements. `reuse` may return an already lowered copy of a statement
 * with the same text and start column (`key`), moved to `line`, so an edit re-copies only what changed:
 * a statement that only moved (a line inserted above it) is not copied again.
 */
export function copyTopLevel<T>(
  tree: Tree,
  source: string,
  reuse: (key: string, line: number, start: number, end: number) => T | undefined,
  lower: (node: CstNode, key: string) => T,
): T[] {
  const lines = new LineIndex(source);
  const { nodes, done } = topLevelNodes(tree, tablesFor(tree), lines, readerKind);
  const out: T[] = [];
  try {
    for (const node of nodes) {
      const start = lines.position(node.startIndex);
      const key = `${start.column}:${source.slice(node.startIndex, node.endIndex)}`;
      out.push(reuse(key, start.line, node.startIndex, node.endIndex) ?? lower(node.copy(), key));
    }
  } finally {
    done();
  }
  return out;
}

export function nodeText(node: CstNode, source: string): string {
  return source.slice(node.startIndex, node.endIndex);
}

export function field(node: CstNode, name: string): CstNode | undefined {
  for (const child of node.children) if (child.field === name) return child;
  return undefined;
}

export function fields(node: CstNode, name: string): CstNode[] {
  return node.children.filter((child) => child.field === name);
}

/**
 * Named nodes that carry no meaning for the program: comments and the backslash of an explicit line
 * join (`nn.LSTM(a, b, \` on one line, `batch_first=True)` on the next), which tree-sitter keeps as
 * an extra named node wherever it stands.
 */
export function isTrivia(node: CstNode): boolean {
  return node.type === 'comment' || node.type === 'line_continuation';
}

export function namedChildren(node: CstNode): CstNode[] {
  const out: CstNode[] = [];
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.named && !isTrivia(child)) out.push(child);
  }
  return out;
}

export type { TsNode };
