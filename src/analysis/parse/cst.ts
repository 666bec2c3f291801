// One walk over tree-sitter's tree with a cursor copies it into plain objects.
// Crossing into wasm per property access is what costs; this does it once per node.
import type { Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Position } from '../findings';

export interface CstNode {
  type: string;
  named: boolean;
  field: string | null;
  startIndex: number;
  endIndex: number;
  start: Position;
  end: Position;
  children: CstNode[];
  /** Set on ERROR nodes and on MISSING tokens. */
  isError: boolean;
}

/** Node type names, namedness and field names by id, read once per language instead of per node. */
interface Tables {
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

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }
}

// Each cursor property crosses into wasm and copies the cursor: read only ids and offsets,
// and look everything else up in JS.
function readCurrent(cursor: TreeCursor, tables: Tables, lines: LineIndex, withField = true): CstNode {
  const typeId = cursor.nodeTypeId;
  const type = tables.types[typeId] ?? 'ERROR';
  const startIndex = cursor.startIndex;
  const endIndex = cursor.endIndex;
  const fieldId = withField ? cursor.currentFieldId : 0;
  const isError = type === 'ERROR' || (startIndex === endIndex && cursor.nodeIsMissing);
  return {
    type,
    named: tables.named[typeId] ?? true,
    field: fieldId ? tables.fields[fieldId] ?? null : null,
    startIndex,
    endIndex,
    start: lines.position(startIndex),
    end: lines.position(endIndex),
    children: [],
    isError,
  };
}

/** Parents whose unnamed tokens the lowering reads: operators and a slice's colons. */
const KEEPS_TOKENS = new Set(['slice', 'binary_operator', 'augmented_assignment', 'unary_operator']);

/** Parents whose children are read by position only, never by field name. */
const NO_FIELDS = new Set(['module', 'block', 'argument_list', 'expression_statement', 'list', 'tuple', 'expression_list', 'pattern_list', 'tuple_pattern', 'list_pattern', 'parameters', 'string', 'concatenated_string', 'parenthesized_expression', 'slice', 'dictionary', 'set', 'comparison_operator', 'interpolation', 'decorator']);

/** Named node types that never have children: no need to ask wasm. */
const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'ellipsis', 'type_conversion']);

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
    if (node) parent.children.push(node);
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

/**
 * Copies the module's top-level statements. `reuse` may return an already lowered copy of a
 * statement (keyed by its text and position) so an edit re-copies only what changed.
 */
export function copyTopLevel<T>(
  tree: Tree,
  source: string,
  reuse: (key: string) => T | undefined,
  lower: (node: CstNode, key: string) => T,
): T[] {
  const cursor = tree.walk();
  const tables = tablesFor(tree);
  const lines = new LineIndex(source);
  const out: T[] = [];
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      const startIndex = cursor.startIndex;
      const start = lines.position(startIndex);
      const key = `${start.line}:${start.column}:${source.slice(startIndex, cursor.endIndex)}`;
      const cached = reuse(key);
      out.push(cached ?? lower(copySubtree(cursor, tables, lines), key));
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
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

export function namedChildren(node: CstNode): CstNode[] {
  return node.children.filter((child) => child.named && child.type !== 'comment');
}

export type { TsNode };
