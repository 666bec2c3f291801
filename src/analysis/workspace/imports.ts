// Follows the imports of one analysis into its workspace: `import config`, `from model import Encoder`,
// `from .utils import pad`, `import pkg.sub`. Each module runs once per analysis, in a module scope of its
// own, so its constants, argparse and dataclass defaults, functions and classes arrive with their values.
// The files that import the analysed one are then run as scripts: a class defined here and built in
// train.py is analysed with train.py's sizes. Bounded by WORKSPACE_LIMITS; past a bound, unknown.
import type * as A from '../parse/ast';
import { walkExpressions } from '../parse/walk';
import type { ImportFollower, Interpreter } from '../interpret/interpreter';
import { Scope } from '../interpret/scope';
import { UNKNOWN, type Value } from '../values/value';
import { foreignFileOf, type ParsedModules } from './modules';
import type { ImporterIndex } from './importers';
import { WORKSPACE_LIMITS, type Workspace } from './provider';
import { resolveModule } from './resolver';

/** Steps an imported module's top level may take, and a file that imports the analysed one. */
const MODULE_STEPS = 50_000;
const IMPORTER_STEPS = 150_000;

/** Functions of one importer run for the analysed file's classes they build, and the steps each may take. */
const MAX_BUILDERS = 4;
const BUILDER_STEPS = 50_000;

/** Whether the function's own code calls a class of one of these names (`Encoder(...)`, `model.Encoder(...)`). */
function buildsOneOf(def: A.FunctionDef, classes: Set<string>): boolean {
  let builds = false;
  walkExpressions(def.body, (e) => {
    if (builds || e.kind !== 'call') return;
    const f = e.func;
    builds = (f.kind === 'name' && classes.has(f.id)) || (f.kind === 'attribute' && classes.has(f.attr));
  });
  return builds;
}

function namespace(scope: Scope): Value {
  // The module's own variables, live: names defined after a circular import are seen once defined.
  return { kind: 'dict', entries: scope.vars, namespace: true };
}

export class WorkspaceImports implements ImportFollower {
  private readonly scopes = new Map<string, Scope>();
  /** The importers run as scripts, and the runs of files that had already run as modules (they count as files too). */
  private readonly scripts = new Set<string>();
  private reruns = 0;
  private depth = 0;
  /** Other files whose text this analysis used: it must be redone when one of them changes. */
  readonly dependencies = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly analysedPath: string,
    private readonly parsed: ParsedModules,
    private readonly importers: ImporterIndex,
    /** False: only imports are followed (describing a model's classes needs what they import, not who builds them). */
    private readonly withImporters = true,
  ) {}

  bindImport(stmt: A.Import, entry: A.Import['names'][number], scope: Scope, interp: Interpreter): boolean {
    const from = foreignFileOf(stmt.range)?.path ?? this.analysedPath;
    const resolve = (module: string) => resolveModule(module, from, this.workspace.root, this.workspace.provider);
    const { module, name, alias } = entry;
    if (name === undefined) {
      const path = resolve(module);
      if (!path) return false;
      if (alias) {
        scope.set(alias, this.load(path, interp));
        return true;
      }
      // `import pkg.sub` binds `pkg`, with `sub` inside it.
      const parts = module.split('.');
      const head = this.load(resolve(parts[0]), interp, true);
      let parent = head;
      for (let i = 1; i < parts.length && parent.kind === 'dict'; i++) {
        const child = this.load(resolve(parts.slice(0, i + 1).join('.')), interp, true);
        if (!parent.entries.has(parts[i])) parent.entries.set(parts[i], child);
        parent = child;
      }
      scope.set(parts[0], head);
      return true;
    }
    const path = resolve(module);
    const submodule = (n: string) => resolve(module.endsWith('.') ? module + n : `${module}.${n}`);
    if (name === '*') {
      if (!path) return false;
      const loaded = this.load(path, interp);
      if (loaded.kind === 'dict') for (const [k, v] of loaded.entries) if (!k.startsWith('_')) scope.set(k, v);
      return true;
    }
    const loaded = path ? this.load(path, interp) : undefined;
    const own = loaded?.kind === 'dict' ? loaded.entries.get(name) : undefined;
    if (own) {
      scope.set(alias ?? name, own);
      return true;
    }
    const sub = submodule(name);
    if (sub) {
      scope.set(alias ?? name, this.load(sub, interp));
      return true;
    }
    if (!path) return false;
    scope.set(alias ?? name, UNKNOWN);
    return true;
  }

  /**
   * A workspace module's namespace, run on first use. The analysed file's own is its module scope. Past the
   * bounds, or when the file cannot be read, unknown (or, for a package on the way to a submodule, empty).
   */
  private load(path: string | undefined, interp: Interpreter, asPackage = false): Value {
    const empty = (): Value => (asPackage ? { kind: 'dict', entries: new Map(), namespace: true } : UNKNOWN);
    if (!path) return empty();
    if (path === this.analysedPath) return namespace(interp.module);
    const known = this.scopes.get(path);
    if (known) return namespace(known);
    const scope = this.run(path, interp, false);
    return scope ? namespace(scope) : empty();
  }

  private run(path: string, interp: Interpreter, asScript: boolean): Scope | undefined {
    if (this.scopes.size + this.reruns >= WORKSPACE_LIMITS.maxFiles || this.depth >= WORKSPACE_LIMITS.maxDepth) return undefined;
    const source = this.workspace.provider.read(path);
    if (source === undefined || source.length > WORKSPACE_LIMITS.maxBytes) return undefined;
    this.dependencies.add(path);
    const { module } = this.parsed.get(path, source);
    const scope = new Scope();
    // Registered before it runs: a circular import sees the names defined so far, as in Python. A file another
    // importer already imported runs again as the script it also is, in a scope of its own (`from train import
    // transforms` in predict.py runs train.py's top level, not its `if __name__ == '__main__':` block); what
    // imports it keeps the module it got.
    if (!this.scopes.has(path)) this.scopes.set(path, scope);
    else this.reruns++;
    if (asScript) this.scripts.add(path);
    this.depth++;
    try {
      interp.runForeign(module.body, scope, asScript, asScript ? IMPORTER_STEPS : MODULE_STEPS);
    } finally {
      this.depth--;
    }
    return scope;
  }

  runImporters(interp: Interpreter): void {
    if (!this.withImporters) return;
    // Importers show how the file's classes and functions are called: a file that defines none needs no scan.
    if (interp.classes.length === 0 && interp.functions.length === 0) return;
    const scripts: Scope[] = [];
    for (const path of this.importers.importersOf(this.analysedPath, this.workspace)) {
      if (this.scripts.has(path)) continue;
      const scope = this.run(path, interp, true);
      if (scope) scripts.push(scope);
    }
    // After every script ran: a function one of them calls runs with the arguments it gives, not with unknown ones.
    for (const scope of scripts) this.runBuilders(scope, interp);
  }

  /**
   * The functions of an importer that build one of the analysed file's classes, when its script did not call them
   * (`def main(): encoder = Encoder(nn.Embedding(V, E), ...)` run from another file): each runs once as a call
   * with no arguments (a parameter without a default is unknown), so the instance it builds holds what its constructor was given there (a layer passed as an
   * argument is that layer), and its forward runs on it.
   */
  private runBuilders(scope: Scope, interp: Interpreter): void {
    const classes = new Set(interp.classes.map((c) => c.name));
    if (classes.size === 0) return;
    let ran = 0;
    for (const value of scope.vars.values()) {
      if (ran >= MAX_BUILDERS) break;
      if (value.kind !== 'function' || value.closure || !foreignFileOf(value.def.range) || !buildsOneOf(value.def, classes)) continue;
      ran++;
      interp.runForeignFunction(value.def, BUILDER_STEPS);
    }
  }
}
