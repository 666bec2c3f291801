// A class extending nn.Sequential: `super().__init__(*layers)` gives it its children, and calling an instance (when the
// class defines no forward) applies them in order, as nn.Sequential.forward does over self._modules.
import type * as A from '../parse/ast';
import { walkExpressions } from '../parse/walk';

/** Methods of nn.Sequential and nn.Module that add, replace or remove a child module of `self`. */
export const CHILD_CHANGING_METHODS: ReadonlySet<string> = new Set(['add_module', 'register_module', 'append', 'extend', 'insert', 'pop', '__setattr__', '__delattr__', '__setitem__', '__delitem__', '__iadd__']);

/**
 * Whether the children a Sequential subclass gets from `super().__init__(…)` are all it ever holds: no method of the
 * class assigns an attribute or an item of its instance (`self.head = nn.Linear(…)` registers one more child, which
 * Sequential.forward then runs), nor calls one of the methods that add or remove children, nor passes the instance to
 * `setattr`/`delattr`. Anything else leaves the children unknown.
 */
export function sequentialChildrenFixedAtInit(cls: A.ClassDef): boolean {
  for (const stmt of cls.body) {
    if (stmt.kind !== 'def') continue;
    const self = stmt.params[0]?.name;
    if (!self || stmt.params[0].variadic) continue;
    if (methodChangesChildren(stmt, self)) return false;
  }
  return true;
}

function isSelf(expr: A.Expr, self: string): boolean {
  return expr.kind === 'name' && expr.id === self;
}

function methodChangesChildren(def: A.FunctionDef, self: string): boolean {
  let changes = false;
  const visitTarget = (target: A.Expr): void => {
    if ((target.kind === 'attribute' && isSelf(target.object, self)) || (target.kind === 'subscript' && isSelf(target.value, self))) changes = true;
    else if (target.kind === 'tuple' || target.kind === 'list') for (const t of target.items) visitTarget(t);
    else if (target.kind === 'starred') visitTarget(target.value);
  };
  const visitStatements = (stmts: A.Stmt[]): void => {
    for (const s of stmts) {
      if (changes) return;
      if (s.kind === 'assign') for (const t of s.targets) visitTarget(t);
      // `del self[0]`, `del self.head` (read as any statement that names an attribute or item of the instance
      // directly); a statement too deep to read may do anything.
      if (s.kind === 'other' && (s.tooDeep || s.exprs.some((e) => (e.kind === 'attribute' && isSelf(e.object, self)) || (e.kind === 'subscript' && isSelf(e.value, self))))) changes = true;
      if (s.kind === 'if' || s.kind === 'for') { visitStatements(s.body); visitStatements(s.orelse); }
      else if (s.kind === 'while' || s.kind === 'with') visitStatements(s.body);
      else if (s.kind === 'try') { visitStatements(s.body); for (const h of s.handlers) visitStatements(h); visitStatements(s.orelse); visitStatements(s.final); }
      // A nested function may well run on the instance (a hook, a helper that builds layers): read it too.
      else if (s.kind === 'def') visitStatements(s.body);
      if (s.kind === 'for') visitTarget(s.target);
      if (s.kind === 'with') for (const item of s.items) if (item.target) visitTarget(item.target);
    }
  };
  visitStatements(def.body);
  if (changes) return true;
  walkExpressions(def.body, (e) => {
    if (e.kind !== 'call') return;
    const f = e.func;
    if (f.kind === 'attribute' && isSelf(f.object, self) && CHILD_CHANGING_METHODS.has(f.attr)) changes = true;
    else if (f.kind === 'name' && (f.id === 'setattr' || f.id === 'delattr') && e.args[0] && isSelf(e.args[0], self)) changes = true;
  }, true);
  return changes;
}
