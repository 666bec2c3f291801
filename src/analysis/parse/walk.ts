// Walking a function's statements as Python runs them: a statement, then the blocks nested in it (an if's branches,
// a loop's body and else, a with's body, a try's clauses), never the bodies of the functions and classes it defines.
import type { Stmt } from './ast';

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
