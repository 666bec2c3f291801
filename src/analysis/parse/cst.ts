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

function position(p: { row: number; column: number }): Position {
  return { line: p.row, column: p.column };
}

function readCurrent(cursor: TreeCursor): CstNode {
  const type = cursor.nodeType;
  return {
    type,
    named: cursor.nodeIsNamed,
    field: cursor.currentFieldName,
    startIndex: cursor.startIndex,
    endIndex: cursor.endIndex,
    start: position(cursor.startPosition),
    end: position(cursor.endPosition),
    children: [],
    isError: type === 'ERROR' || cursor.nodeIsMissing,
  };
}

/** Copies the subtree under the cursor's current node. */
function copySubtree(cursor: TreeCursor): CstNode {
  const root = readCurrent(cursor);
  if (!cursor.gotoFirstChild()) return root;
  const stack: CstNode[] = [root];
  for (;;) {
    const node = readCurrent(cursor);
    stack[stack.length - 1].children.push(node);
    if (cursor.gotoFirstChild()) {
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
  const out: T[] = [];
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      const start = cursor.startPosition;
      const key = `${start.row}:${start.column}:${cursor.nodeType}:${source.slice(cursor.startIndex, cursor.endIndex)}`;
      const cached = reuse(key);
      out.push(cached ?? lower(copySubtree(cursor), key));
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
