// Which top-level statements of a module can see each other's values. The module's top-level statements
// (one group per top-level node) are split into components that share no value: a component can then be
// interpreted on its own, and its result kept until one of its statements changes.
//
// Two groups share a value when they touch the same version of a module-level name. A name gets a new
// version at each binding that certainly runs at module level (`x = …`, `def x`, `class x`, `import x` at the
// top or under `if __name__ == '__main__':`); a binding that may not run (a branch, a loop, a try) joins the
// version it may leave in place. A group touches:
// - at the module level, the version current when it runs, for every name it reads before it binds it, and
//   for every name it binds or only may bind (a later read sees its object, mutated or joined);
// - in code that runs later (function bodies, defaults, class bodies), the version current when any group of
//   its component runs (a call comes from a group that reaches the function), and every version current from
//   its group on (what nothing called runs after the top level, reading the join of those).
// A read also stands for a mutation (`model.train()`, `vocab.append(w)`): every group touching a version is in
// one component, in file order. Names only ever bound by imports hold module paths, which nothing mutates:
// they join nothing, and the import statements run in every component.
import type * as A from '../parse/ast';
import type { Range } from '../findings';

/** One top-level group: its statements, in file order. */
export type Group = A.Stmt[];

/**
 * `join`: after a module-level loop, the name holds what the loop's last `back` bindings made or what it held
 * before (the loop may not run): a version joining both, which brings them together only when something touches it.
 */
type Event = { kind: 'read' | 'bind' | 'maybe'; name: string } | { kind: 'join'; name: string; back: number };

/** What a group does with module-level names, worked out once per lowered group. */
export interface GroupNames {
  /** Module-level reads and bindings in the order they run. */
  events: Event[];
  /** Module-level names read by code that runs at another time (function bodies, defaults, class bodies). */
  later: Set<string>;
  /** Only import statements. */
  importsOnly: boolean;
  /**
   * What the split needs of `events`, worked out once: the events without the reads that touch a version the group
   * already touched (a read after the group's own read, binding or may-binding of that name, with no binding or
   * loop join of it in between), the names it binds or may bind, and those it reads or may bind.
   */
  touches?: Event[];
  binds?: string[];
  reads?: string[];
}

const namesByGroup = new WeakMap<Group, GroupNames>();

const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$/;

/** The names of one group; `text` reads the source of a range (the `__main__` guard is told by its text). */
export function groupNames(group: Group, text: (range: Range) => string): GroupNames {
  let names = namesByGroup.get(group);
  if (!names) {
    names = { events: [], later: new Set(), importsOnly: group.length > 0 && group.every((s) => s.kind === 'import') };
    new ModuleWalker(names, text).block(group, false);
    namesByGroup.set(group, names);
  }
  return names;
}

/** The group's `touches`, `binds` and `reads` (see GroupNames), made at the first split that needs them. */
function condensed(names: GroupNames): Required<GroupNames> {
  if (!names.touches) {
    const touches: Event[] = [];
    const binds = new Set<string>();
    const reads = new Set<string>();
    // The kind of the last event kept for each name: after a read, binding or may-binding, the name's current version
    // is one the group touched, and stays so until the group binds the name again or a loop joins it.
    const last = new Map<string, Event['kind']>();
    for (const e of names.events) {
      if (e.kind !== 'read') binds.add(e.name);
      if (e.kind === 'read' || e.kind === 'maybe') reads.add(e.name);
      if (e.kind === 'read') {
        const before = last.get(e.name);
        if (before !== undefined && before !== 'join') continue;
      }
      last.set(e.name, e.kind);
      touches.push(e);
    }
    names.touches = touches;
    names.binds = [...binds];
    names.reads = [...reads];
  }
  return names as Required<GroupNames>;
}

/**
 * Every name read in an expression; names bound by a comprehension's own targets are not reads. A lambda's body runs
 * whenever the lambda is called: its free names go to `later` (reads of any version), or to `out` without it.
 */
function readsOf(expr: unknown, out: (name: string) => void, shadow?: Set<string>, later?: (name: string) => void): void {
  if (typeof expr !== 'object' || expr === null) return;
  if (Array.isArray(expr)) {
    for (const item of expr) readsOf(item, out, shadow, later);
    return;
  }
  const node = expr as { kind?: string; [key: string]: unknown };
  if (node.kind === 'name') {
    const id = (node as unknown as A.Name).id;
    if (!shadow?.has(id)) out(id);
    return;
  }
  if (node.kind === 'comprehension') {
    const comp = node as unknown as A.Comprehension;
    readsOf(comp.generators[0]?.iter, out, shadow, later);
    const inner = new Set(shadow);
    for (const g of comp.generators) readsOf(g.target, (id) => inner.add(id));
    comp.generators.forEach((g, i) => {
      if (i > 0) readsOf(g.iter, out, inner, later);
      readsOf(g.ifs, out, inner, later);
    });
    readsOf(comp.key, out, inner, later);
    readsOf(comp.element, out, inner, later);
    return;
  }
  if (node.kind === 'lambda') {
    const def = (node as unknown as A.Lambda).def;
    for (const param of def.params) readsOf(param.default, out, shadow, later);
    const inner = new Set(shadow);
    for (const param of def.params) inner.add(param.name);
    const body = later ?? out;
    readsOf(def.body, body, inner, body);
    return;
  }
  for (const key in node) {
    if (key === 'range' || key === 'attrRange' || key === 'nameRange' || key === 'argsRange') continue;
    readsOf(node[key], out, shadow, later);
  }
}

/**
 * Walks statements as the interpreter runs them at module level, or (with `local`) inside a function, where a
 * name is the function's own only once it is certainly bound there: before that, the interpreter reads the
 * module's (a branch that did not run leaves the name unbound).
 */
class ModuleWalker {
  constructor(
    private readonly names: GroupNames,
    private readonly text: (range: Range) => string,
    private readonly local?: Set<string>,
  ) {}

  private read(name: string): void {
    if (this.local) {
      if (!this.local.has(name)) this.names.later.add(name);
    } else this.names.events.push({ kind: 'read', name });
  }

  private bind(name: string, maybe: boolean): void {
    if (this.local) {
      if (!maybe) this.local.add(name);
    } else this.names.events.push({ kind: maybe ? 'maybe' : 'bind', name });
  }

  private reads(expr: unknown): void {
    readsOf(expr, (name) => this.read(name), undefined, (name) => this.names.later.add(name));
  }

  /** Code that runs at another time: every free name is a read of any version. */
  private later(expr: unknown): void {
    readsOf(expr, (name) => this.names.later.add(name));
  }

  private target(target: A.Expr, maybe: boolean): void {
    switch (target.kind) {
      case 'name':
        return this.bind(target.id, maybe);
      case 'tuple':
      case 'list':
        for (const item of target.items) this.target(item, maybe);
        return;
      case 'starred':
        return this.target(target.value, maybe);
      default:
        // `obj.attr = v`, `d[k] = v`: reads (and mutates) what they assign into.
        return this.reads(target);
    }
  }

  private func(def: A.FunctionDef): void {
    for (const param of def.params) if (param.default) this.later(param.default);
    // A function's body reads the module's names when it is called; nested functions too (no closures).
    const local = new Set(def.params.map((p) => p.name));
    new ModuleWalker(this.names, this.text, local).block(def.body, false);
  }

  private mayLeave(stmts: A.Stmt[]): boolean {
    return stmts.some((s) => {
      switch (s.kind) {
        case 'return':
          return true;
        case 'other':
          return this.text(s.range).startsWith('raise');
        case 'if':
          return this.mayLeave(s.body) || this.mayLeave(s.orelse);
        case 'for':
          return this.mayLeave(s.body) || this.mayLeave(s.orelse);
        case 'while':
        case 'with':
          return this.mayLeave(s.body);
        case 'try':
          return this.mayLeave(s.body) || s.handlers.some((h) => this.mayLeave(h)) || this.mayLeave(s.orelse) || this.mayLeave(s.final);
        default:
          return false;
      }
    });
  }

  block(stmts: A.Stmt[], maybe: boolean): void {
    for (const stmt of stmts) this.stmt(stmt, maybe);
  }

  private stmt(stmt: A.Stmt, maybe: boolean): void {
    switch (stmt.kind) {
      case 'import':
        for (const { module, name, alias } of stmt.names) {
          if (name === '*') continue;
          this.bind(alias ?? name ?? module.split('.')[0], maybe);
        }
        return;
      case 'def':
        this.func(stmt);
        return this.bind(stmt.name, maybe);
      case 'class':
        this.reads(stmt.bases);
        for (const s of stmt.body) {
          if (s.kind === 'def') this.func(s);
          else this.later(s);
        }
        return this.bind(stmt.name, maybe);
      case 'assign':
        this.reads(stmt.value);
        if (stmt.op) this.reads(stmt.targets);
        for (const target of stmt.targets) this.target(target, maybe);
        return;
      case 'expr':
      case 'return':
        return this.reads(stmt.value);
      case 'if':
        this.reads(stmt.test);
        if (!this.local && MAIN_GUARD.test(this.text(stmt.test.range).trim())) {
          // The analysed file runs as a script: its `__main__` block certainly runs, its else never does.
          this.block(stmt.body, maybe);
          return this.block(stmt.orelse, true);
        }
        this.block(stmt.body, true);
        return this.block(stmt.orelse, true);
      case 'for': {
        // In a function, a loop's body is followed once whatever its iterable holds, and the names it binds stay
        // bound after it: they are the function's own from there on. A body that may leave (return, raise) leaves
        // the loop alone: what it binds after that may not be bound.
        this.reads(stmt.iter);
        if (!this.local && !maybe) {
          // At module level, within an iteration the body's bindings are seen by what follows them in the body; after
          // the loop each name the loop bound holds its last binding or what it held before (the loop may not run).
          const start = this.names.events.length;
          this.target(stmt.target, false);
          this.block(stmt.body, false);
          const made = new Map<string, number>();
          for (let i = start; i < this.names.events.length; i++) {
            const e = this.names.events[i];
            if (e.kind === 'bind') made.set(e.name, (made.get(e.name) ?? 0) + 1);
          }
          for (const [name, back] of made) this.names.events.push({ kind: 'join', name, back });
          return this.block(stmt.orelse, true);
        }
        const loopMaybe = this.local && !this.mayLeave(stmt.body) ? maybe : true;
        this.target(stmt.target, loopMaybe);
        this.block(stmt.body, loopMaybe);
        return this.block(stmt.orelse, true);
      }
      case 'while':
        this.reads(stmt.test);
        return this.block(stmt.body, true);
      case 'with':
        for (const item of stmt.items) {
          this.reads(item.value);
          if (item.target) this.target(item.target, maybe);
        }
        return this.block(stmt.body, maybe);
      case 'try':
        this.block(stmt.body, true);
        for (const handler of stmt.handlers) this.block(handler, true);
        this.block(stmt.orelse, true);
        return this.block(stmt.final, true);
      case 'other':
        return this.reads(stmt.exprs);
      case 'pass':
        return;
    }
  }
}

/**
 * The names bound outside import-only groups: the split follows only those (the others only ever hold module
 * paths), so it depends on a group's `later` names only through them.
 */
export function followedNames(all: GroupNames[]): Set<string> {
  const followed = new Set<string>();
  for (const names of all) {
    if (names.importsOnly) continue;
    for (const name of condensed(names).binds) followed.add(name);
  }
  return followed;
}

/**
 * Splits a module's groups into components that share no module-level value. Each component lists its
 * groups' indices in file order; groups of imports only are in every component (they run first wherever
 * they stand, and cost nothing).
 */
export function components(groups: Group[], text: (range: Range) => string): number[][] {
  return split(groups, text).components;
}

/**
 * The components of the groups (see `components`), with the names the split followed (see followedNames), and the
 * `optimistic` components: those the split makes when no code runs after the top level. Code that nothing called
 * is run after the top level (Interpreter.exerciseUnreached), where it reads the join of the versions of each name
 * current from its definition on; a
 * component whose run ran no such code needs none of those versions it did not touch while its groups ran. Each
 * optimistic component lies within one component.
 */
export function split(groups: Group[], text: (range: Range) => string): { components: number[][]; optimistic: number[][]; followed: Set<string> } {
  const all = groups.map((g) => condensed(groupNames(g, text)));
  const followed = followedNames(all);
  // An import of a name that is also assigned is followed like any binding.
  const importsOnly = all.map((names) => names.importsOnly && names.events.every((e) => !followed.has(e.name)));
  // Union-find over groups, then one node per name version.
  const parent: number[] = groups.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const node = () => parent.push(parent.length) - 1;
  // A join version brings the versions it joins into its component only once something touches it.
  const joins = new Map<number, number[]>();
  const touch = (a: number, version: number) => {
    union(a, version);
    const parts = joins.get(version);
    if (!parts) return;
    joins.delete(version);
    for (const part of parts) touch(version, part);
  };
  // The versions of each followed name in file order, with the group that made each (-1: before any binding).
  const versions = new Map<string, { group: number; node: number }[]>();
  const versionList = (name: string) => {
    let list = versions.get(name);
    if (!list) versions.set(name, (list = [{ group: -1, node: node() }]));
    return list;
  };
  all.forEach((names, g) => {
    if (importsOnly[g]) return;
    for (const e of names.touches) {
      if (!followed.has(e.name)) continue;
      const list = versionList(e.name);
      if (e.kind === 'join') {
        // The versions before the loop and after its last binding, joined lazily; the loop's group made it.
        const joined = node();
        joins.set(joined, [list[list.length - 1 - e.back].node, list[list.length - 1].node]);
        list.push({ group: g, node: joined });
        continue;
      }
      if (e.kind === 'bind') list.push({ group: g, node: node() });
      touch(g, list[list.length - 1].node);
    }
  });
  // Code that runs later (a function body) runs while some group of its component that reads a name runs (a
  // group that only binds calls nothing), or after the top level (what nothing called): it reads the version
  // current then. Joining those can bring in more groups: repeat.
  const mayCall = all.map((names) => names.reads.some((n) => followed.has(n)) || [...names.later].some((n) => followed.has(n)));
  // A component whose groups did not change since it was last looked at needs nothing more: what it needs depends
  // only on its groups (unions only ever add groups to a component, so the same root with as many groups is the same).
  const done = new Map<number, number>();
  // `last`: a component also needs the last version of each name its later code reads (see `optimistic`).
  const close = (last: boolean) => {
    for (let changed = true; changed; ) {
      changed = false;
      const byRoot = new Map<number, number[]>();
      all.forEach((_, g) => {
        if (importsOnly[g]) return;
        const root = find(g);
        const list = byRoot.get(root);
        if (list) list.push(g);
        else byRoot.set(root, [g]);
      });
      for (const [root, members] of byRoot) {
        if (done.get(root) === members.length) continue;
        done.set(root, members.length);
        const later = new Set<string>();
        for (const g of members) for (const name of all[g].later) if (followed.has(name)) later.add(name);
        if (later.size === 0) continue;
        // The members that may call (in file order), for each version: it is needed when such a member starts while it
        // is current, or made it.
        const calls = members.filter((g) => mayCall[g]);
        const calling = new Set(calls);
        for (const name of later) {
          const list = versionList(name);
          const needed: number[] = [];
          if (last) {
            // What nothing called runs after the top level, where it reads a name as the join of every version current
            // from its definition on (Interpreter.globalsSince): those current after the first member whose later
            // code reads the name.
            const from = members.find((g) => all[g].later.has(name)) ?? Infinity;
            for (let v = 0; v < list.length; v++) if ((v + 1 < list.length ? list[v + 1].group : Infinity) > from) needed.push(list[v].node);
          }
          for (let v = 0; v < list.length; v++) {
            const { group, node } = list[v];
            if (calling.has(group)) {
              needed.push(node);
              continue;
            }
            // Current from after its group until the next version's group (a version made later in the same group
            // replaces it before any other group starts).
            const next = v + 1 < list.length ? list[v + 1].group : Infinity;
            const c = firstAfter(calls, group);
            if (c < calls.length && calls[c] <= next) needed.push(node);
          }
          for (const n of needed) {
            if (find(n) === find(members[0]) && !joins.has(n)) continue;
            touch(members[0], n);
            changed = true;
          }
        }
      }
    }
  };
  /** The groups of each component (imports left out), in file order. */
  const membersByRoot = () => {
    const byRoot = new Map<number, number[]>();
    groups.forEach((group, g) => {
      if (importsOnly[g] || group.length === 0) return;
      const root = find(g);
      const list = byRoot.get(root);
      if (list) list.push(g);
      else byRoot.set(root, [g]);
    });
    return [...byRoot.values()];
  };
  close(false);
  const optimistic = membersByRoot();
  done.clear();
  close(true);
  const imports = groups.flatMap((_, g) => (importsOnly[g] ? [g] : []));
  return {
    components: membersByRoot().map((members) => mergeSorted(members, imports)),
    optimistic: optimistic.map((members) => mergeSorted(members, imports)),
    followed,
  };
}

/** The index of the first of the ascending numbers greater than `after` (their length when none is). */
function firstAfter(sorted: number[], after: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}
