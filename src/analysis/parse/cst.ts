// Copies tree-sitter's tree into flat arrays (FlatTree), once per top-level statement that changed, for
// the lowering to read at once. Two readers give the same copy: one reads tree-sitter's memory directly
// (wasm-tree.ts), the other walks web-tree-sitter's cursor, one wasm call per property. A self-check at
// start-up picks the first when it gives the same tree as the second on a built-in sample.
import type { Language, Parser, Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Position } from '../findings';
import { WasmHeap, WasmTreeReader } from './wasm-tree';

/** A copied node as a plain object: how the two readers' copies are compared. */
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
  /** By type id: a node type that never has children (LEAVES). */
  leaf: boolean[];
  /** By type id: a parent whose unnamed tokens are kept (KEEPS_TOKENS). */
  keepsTokens: boolean[];
  /** By type id: a parent whose children are read by position only (NO_FIELDS). */
  noFields: boolean[];
}

const tablesByLanguage = new WeakMap<object, Tables>();

function tablesFor(tree: Tree): Tables {
  return tablesForLanguage(tree.language);
}

/** The tables of a language, read once. */
export function tablesForLanguage(language: Language): Tables {
  let tables = tablesByLanguage.get(language);
  if (!tables) {
    const types = language.types.map(internalized);
    tables = {
      types,
      named: types.map((_, id) => language.nodeTypeIsNamed(id)),
      fields: language.fields.map(internalized),
      leaf: types.map((type) => LEAVES.has(type)),
      keepsTokens: types.map((type) => KEEPS_TOKENS.has(type)),
      noFields: types.map((type) => NO_FIELDS.has(type)),
    };
    tablesByLanguage.set(language, tables);
  }
  return tables;
}

/**
 * The same name as an internalized string. Names read from wasm memory are fresh strings, so comparing one
 * with a literal (`type === 'call'`, each case of the lowering's switches) compares their characters; two
 * internalized strings compare by identity. A property key is always internalized.
 */
function internalized<T extends string | null>(name: T): T {
  return typeof name === 'string' ? (Object.keys({ [name]: 0 })[0] as T) : name;
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

/** No node: the end of a child list, or the parent of the copied statement. */
export const NONE = -1;

/**
 * One copied top-level statement, its nodes held in flat arrays and named by index (the statement is
 * node 0), children linked first-child / next-sibling in document order. The arrays are kept from one
 * statement to the next: copying a statement allocates no object per node. Positions are worked out
 * when first read, then kept, so the ranges made from one node share them.
 *
 * A copy is valid until the next one is made into the same tree: the lowering reads it at once.
 */
export class FlatTree {
  count = 0;
  typeIds = new Uint16Array(256);
  fieldIds = new Uint16Array(256);
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  missing = new Uint8Array(256);
  firstChild = new Int32Array(256);
  nextSibling = new Int32Array(256);
  /** By node: its last child (the fast parser moves children between nodes, see wrap). */
  lastChild = new Int32Array(256);
  /**
   * Positions worked out so far, by node. A node's slots are emptied when it is added, so the arrays only grow
   * (in order, never holey) and are never read past their end: emptied per statement, they were regrown each time.
   */
  private startPositions: (Position | undefined)[] = [];
  private endPositions: (Position | undefined)[] = [];

  constructor(readonly tables: Tables, private lines: LineIndex) {}

  /** The same arrays, emptied, for the statements of another text (see copyTopLevel). */
  reuse(lines: LineIndex): this {
    this.lines = lines;
    this.count = 0;
    // The positions' arrays are made again: kept, they would be old objects pointing at each text's new positions,
    // which the garbage collector then tracks one by one.
    this.startPositions = [];
    this.endPositions = [];
    return this;
  }

  /** Empties the tree for the next statement. */
  clear(): this {
    this.count = 0;
    return this;
  }

  /** Appends a node as the last child of `parent` (NONE for the statement itself); returns its index. */
  add(parent: number, typeId: number, fieldId: number, startIndex: number, endIndex: number, missing: boolean): number {
    const id = this.count++;
    if (id === this.typeIds.length) this.grow();
    this.typeIds[id] = typeId;
    this.fieldIds[id] = fieldId;
    this.starts[id] = startIndex;
    this.ends[id] = endIndex;
    this.missing[id] = missing ? 1 : 0;
    this.firstChild[id] = NONE;
    this.nextSibling[id] = NONE;
    this.lastChild[id] = NONE;
    this.startPositions[id] = undefined;
    this.endPositions[id] = undefined;
    if (parent !== NONE) {
      const last = this.lastChild[parent];
      if (last === NONE) this.firstChild[parent] = id;
      else this.nextSibling[last] = id;
      this.lastChild[parent] = id;
    }
    return id;
  }

  /**
   * Puts a new node in the place of `node` (same parent, same slot, same field) and makes `node`'s content its only
   * child, with field `innerField`: how a parser reading left to right makes `a + b` once it meets the `+`.
   * Returns the index the old content moved to; the new node keeps `node`'s index.
   */
  wrap(node: number, typeId: number, innerField: number): number {
    const id = this.count++;
    if (id === this.typeIds.length) this.grow();
    this.typeIds[id] = this.typeIds[node];
    this.fieldIds[id] = innerField;
    this.starts[id] = this.starts[node];
    this.ends[id] = this.ends[node];
    this.missing[id] = this.missing[node];
    this.firstChild[id] = this.firstChild[node];
    this.lastChild[id] = this.lastChild[node];
    this.nextSibling[id] = NONE;
    this.startPositions[id] = undefined;
    this.endPositions[id] = undefined;
    this.typeIds[node] = typeId;
    this.missing[node] = 0;
    this.firstChild[node] = id;
    this.lastChild[node] = id;
    return id;
  }

  private grow(): void {
    const size = this.typeIds.length * 2;
    const grown = <T extends Uint8Array | Uint16Array | Int32Array>(old: T, make: new (n: number) => T): T => {
      const next = new make(size);
      next.set(old);
      return next;
    };
    this.typeIds = grown(this.typeIds, Uint16Array);
    this.fieldIds = grown(this.fieldIds, Uint16Array);
    this.starts = grown(this.starts, Int32Array);
    this.ends = grown(this.ends, Int32Array);
    this.missing = grown(this.missing, Uint8Array);
    this.firstChild = grown(this.firstChild, Int32Array);
    this.nextSibling = grown(this.nextSibling, Int32Array);
    this.lastChild = grown(this.lastChild, Int32Array);
  }

  type(node: number): string {
    return this.tables.types[this.typeIds[node]] ?? 'ERROR';
  }

  named(node: number): boolean {
    return this.tables.named[this.typeIds[node]] ?? true;
  }

  field(node: number): string | null {
    const id = this.fieldIds[node];
    return id ? this.tables.fields[id] ?? null : null;
  }

  /** Set on ERROR nodes and on MISSING tokens. */
  isError(node: number): boolean {
    return this.type(node) === 'ERROR' || (this.starts[node] === this.ends[node] && this.missing[node] === 1);
  }

  /**
   * A node that starts where its first child starts shares that child's position object (`self.fc(x)`, its
   * attribute and `self` hold one), and likewise for ends and last children: positions are plain data, read
   * by value, and moving a statement moves each position object once.
   */
  startOf(node: number): Position {
    return this.startPositions[node] ?? this.sharedPosition(node, this.starts, this.firstChild, this.startPositions);
  }

  endOf(node: number): Position {
    return this.endPositions[node] ?? this.sharedPosition(node, this.ends, this.lastChild, this.endPositions);
  }

  /** Walks down the chain of children at the same offset (iteratively: a chain can be as long as a line). */
  private sharedPosition(node: number, offsets: Int32Array, child: Int32Array, cache: (Position | undefined)[]): Position {
    const offset = offsets[node];
    let bottom = node;
    let position: Position | undefined;
    for (;;) {
      const next = child[bottom];
      if (next === NONE || offsets[next] !== offset) break;
      bottom = next;
      position = cache[bottom];
      if (position !== undefined) break;
    }
    position ??= this.lines.position(offset);
    for (let n = node; ; n = child[n]) {
      cache[n] = position;
      if (n === bottom) break;
    }
    return position;
  }

  /** The statement's own offsets and start. */
  get startIndex(): number {
    return this.starts[0];
  }

  get endIndex(): number {
    return this.ends[0];
  }

  get start(): Position {
    return this.startOf(0);
  }

  /** The statement as plain nodes (the self-check and the tests compare the two readers' copies). */
  toCstNode(): CstNode {
    const make = (n: number): CstNode => ({
      type: this.type(n), named: this.named(n), field: this.field(n), startIndex: this.starts[n], endIndex: this.ends[n],
      start: this.startOf(n), end: this.endOf(n), children: [], isError: this.isError(n),
    });
    const root = make(0);
    const stack: [number, CstNode][] = [[0, root]];
    while (stack.length) {
      const [n, node] = stack.pop()!;
      for (let c = this.firstChild[n]; c !== NONE; c = this.nextSibling[c]) {
        const child = make(c);
        node.children.push(child);
        stack.push([c, child]);
      }
    }
    return root;
  }
}

/** Parents whose unnamed tokens the lowering reads: operators and a slice's colons. */
export const KEEPS_TOKENS = new Set(['slice', 'binary_operator', 'augmented_assignment', 'unary_operator']);

/** Parents whose children are read by position only, never by field name. */
export const NO_FIELDS = new Set(['module', 'block', 'argument_list', 'expression_statement', 'list', 'tuple', 'expression_list', 'pattern_list', 'tuple_pattern', 'list_pattern', 'parameters', 'string', 'concatenated_string', 'parenthesized_expression', 'slice', 'dictionary', 'set', 'comparison_operator', 'interpolation', 'decorator']);

/** Named node types that never have children: no need to ask wasm. */
export const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'ellipsis', 'type_conversion']);

/** Copies the subtree under the cursor's current node into `out` (cleared first). */
function copySubtree(cursor: TreeCursor, out: FlatTree): FlatTree {
  out.clear();
  const tables = out.tables;
  // Each cursor property crosses into wasm and copies the cursor: read only ids and offsets, and look everything else up in JS.
  const add = (parent: number, withField: boolean): number => {
    const startIndex = cursor.startIndex;
    const endIndex = cursor.endIndex;
    // nodeIsMissing crosses into wasm too: ask only for empty nodes, the only ones it can be true of.
    const missing = startIndex === endIndex && cursor.nodeIsMissing;
    return out.add(parent, cursor.nodeTypeId, withField ? cursor.currentFieldId : 0, startIndex, endIndex, missing);
  };
  add(NONE, true);
  if (!cursor.gotoFirstChild()) return out;
  const stack: number[] = [0];
  for (;;) {
    const parent = stack[stack.length - 1];
    const parentType = out.typeIds[parent];
    // Punctuation and keywords are dropped, except operators (they carry a field) and a slice's colons.
    const typeId = cursor.nodeTypeId;
    const keep = tables.named[typeId] !== false || tables.keepsTokens[parentType] === true;
    const node = keep ? add(parent, tables.noFields[parentType] !== true) : NONE;
    if (node !== NONE && tables.leaf[typeId] !== true && cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      stack.pop();
      if (stack.length === 0) return out;
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

/** The visible top-level nodes, each with its offsets and a way to copy it into the flat tree. */
interface TopNode {
  startIndex: number;
  endIndex: number;
  copy(): FlatTree;
}

function topLevelNodes(tree: Tree, flat: FlatTree, kind: TreeReaderKind, reader = memoryReader): { nodes: TopNode[]; done(): void } {
  if (kind === 'memory' && reader) return { nodes: reader.topLevel(tree, flat), done: () => undefined };
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
          return copySubtree(cursor, flat);
        },
      });
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    cursor.gotoFirstChild();
  }
  return { nodes, done: () => cursor.delete() };
}

/** Copies every top-level statement with the given reader, as plain nodes (the self-check and its tests compare the two). */
export function copyTree(tree: Tree, source: string, kind: TreeReaderKind, reader?: WasmTreeReader): CstNode[] {
  const { nodes, done } = topLevelNodes(tree, new FlatTree(tablesFor(tree), new LineIndex(source)), kind, reader);
  try {
    return nodes.map((n) => n.copy().toCstNode());
  } finally {
    done();
  }
}

/**
 * Copies the module's top-level statements. `reuse` may return an already lowered copy of a statement
 * with the same text and start column (`key`), moved to `line`, so an edit re-copies only what changed:
 * a statement that only moved (a line inserted above it) is not copied again. `lower` reads the copy at
 * once: the next statement is copied into the same flat tree.
 */
export function copyTopLevel<T>(
  tree: Tree,
  source: string,
  reuse: (key: string, line: number, start: number, end: number) => T | undefined,
  lower: (node: FlatTree, key: string) => T,
): T[] {
  const lines = new LineIndex(source);
  const tables = tablesFor(tree);
  const flat = takeFlatTree(tables, lines);
  const { nodes, done } = topLevelNodes(tree, flat, readerKind);
  const out: T[] = [];
  try {
    for (const node of nodes) out.push(reuseOrLower(source, lines, node.startIndex, node.endIndex, reuse, (key) => lower(node.copy(), key)));
  } finally {
    done();
    giveBackFlatTree(flat);
  }
  return out;
}

/**
 * A top-level statement at [startIndex, endIndex): what `reuse` gives for its key (its start column and text, the same
 * whichever parser copied it), or else `lower(key)`.
 */
export function reuseOrLower<T>(
  source: string,
  lines: LineIndex,
  startIndex: number,
  endIndex: number,
  reuse: (key: string, line: number, start: number, end: number) => T | undefined,
  lower: (key: string) => T,
): T {
  const start = lines.position(startIndex);
  const key = `${start.column}:${source.slice(startIndex, endIndex)}`;
  return reuse(key, start.line, startIndex, endIndex) ?? lower(key);
}

/**
 * A flat tree for the statements of a text: the arrays of the last copy of the same language when it is over (a copy
 * is read at once, and copies do not nest: a nested one makes its own), rather than made and grown again for each text.
 */
export function takeFlatTree(tables: Tables, lines: LineIndex): FlatTree {
  const spare = spareTrees.get(tables);
  if (spare) spareTrees.delete(tables);
  return spare ? spare.reuse(lines) : new FlatTree(tables, lines);
}

/** Keeps a flat tree no longer read for the next copy (see takeFlatTree). */
export function giveBackFlatTree(flat: FlatTree): void {
  spareTrees.set(flat.tables, flat.reuse(NO_LINES));
}

/** Each language's flat tree not in use (see copyTopLevel). */
const spareTrees = new WeakMap<Tables, FlatTree>();

/** What a spare flat tree holds instead of a text's lines, so that it keeps no text alive. */
const NO_LINES = new LineIndex('');

export type { TsNode };
