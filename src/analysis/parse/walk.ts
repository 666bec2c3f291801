// Walking a function's statements as Python runs them: a statement, then the blocks nested in it (an if's branches,
// a loop's body and else, a with's body, a try's clauses), never the bodies of the functions and classes it defines.
import type { Expr, Stmt } from './ast';

/** Calls `visit` on each statement of `stmts` and of the blocks nested in them, in source order (each before its blocks). */
export function walkStatements(stmts: Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    switch (s.kind) {
      case 'if':
        walkStatements(s.body, visit);
        walkStatements(s.orelse, visit);
        break;
      case 'for':
        walkStatements(s.body, visit);
        walkStatements(s.orelse, visit);
        break;
      case 'while':
      case 'with':
        walkStatements(s.body, visit);
        break;
      case 'try':
        walkStatements(s.body, visit);
        for (const h of s.handlers) walkStatements(h, visit);
        walkStatements(s.orelse, visit);
        walkStatements(s.final, visit);
        break;
      default:
        break;
    }
  }
}

/** Keys of a node that hold ranges, never nodes. */
const RANGE_KEYS = new Set(['range', 'attrRange', 'nameRange', 'argsRange']);

/**
 * Calls `visit` on every expression inside `node` (a statement, a list of them or an expression), each before the
 * expressions inside it, in the blocks nested in statements too, but not inside the functions, classes and lambdas
 * defined there, whose bodies run at another time, unless `nested` asks for them too (every name a function's code
 * mentions, its closures' included). Depth is bounded by the lowering's nesting limit.
 */
export function walkExpressions(node: Stmt | Expr | readonly (Stmt | Expr)[], visit: (e: Expr) => void, nested = false): void {
  walkNode(node, visit, nested);
}

function walkNode(node: unknown, visit: (e: Expr) => void, nested: boolean): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) walkNode(item, visit, nested);
    return;
  }
  const kind = (node as { kind?: unknown }).kind;
  if (kind === 'import' || (!nested && (kind === 'def' || kind === 'class' || kind === 'lambda'))) return;
  // 'other' names both a statement (with `exprs`) and an expression (with `calls`).
  if (typeof kind === 'string' && !(STATEMENT_KINDS.has(kind) && (kind !== 'other' || 'exprs' in node))) visit(node as Expr);
  const fields = node as Record<string, unknown>;
  for (const key in fields) if (!RANGE_KEYS.has(key)) walkNode(fields[key], visit, nested);
}

const STATEMENT_KINDS = new Set<string>(['assign', 'expr', 'return', 'if', 'for', 'while', 'with', 'try', 'pass', 'other', 'def', 'class']);

/** The docstring of a module, class or function body: its first statement, when that is a string literal. */
export function docstringOf(body: readonly Stmt[]): string | undefined {
  const first = body[0];
  return first?.kind === 'expr' && first.value.kind === 'str' ? first.value.value : undefined;
}
