// Which workspace files import a given file: read from their import lines without parsing them, so a
// scan of a few hundred files costs little. Only the files found are parsed (and then only once).
import { basename, dirname } from 'node:path';
import type { Workspace } from './provider';
import { WORKSPACE_LIMITS } from './provider';
import { resolveModule } from './resolver';

const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)/gm;
const PLAIN_IMPORT = /^[ \t]*import[ \t]+([^\n#;]*)/gm;

/** The module names a text's import lines may load: `a.b` for `import a.b`, `x` and `x.y` for `from x import y`. */
export function importedModuleNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(FROM_IMPORT)) {
    const module = m[1];
    names.add(module);
    for (const part of m[2].replace(/[()\\]/g, ' ').split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && name !== '*' && /^\w+$/.test(name)) names.add(module.endsWith('.') ? module + name : `${module}.${name}`);
    }
    if (names.size > 256) break;
  }
  for (const m of text.matchAll(PLAIN_IMPORT)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && /^[\w.]+$/.test(name)) names.add(name);
    }
    if (names.size > 256) break;
  }
  return [...names];
}

/** What a file must mention to import `path`: its module name (`model` for model.py, `pkg` for pkg/__init__.py). */
function stemOf(path: string): string {
  const name = basename(path);
  return name === '__init__.py' ? basename(dirname(path)) : name.replace(/\.py$/, '');
}

/** Import lines per file text, kept between analyses (a scan re-reads a file's lines only when its text changed). */
export class ImporterIndex {
  private readonly lines = new Map<string, { text: string; names: string[] }>();

  private namesOf(path: string, text: string): string[] {
    const hit = this.lines.get(path);
    if (hit && hit.text === text) return hit.names;
    const names = importedModuleNames(text);
    this.lines.set(path, { text, names });
    if (this.lines.size > 4 * WORKSPACE_LIMITS.maxScanned) this.lines.delete(this.lines.keys().next().value!);
    return names;
  }

  /**
   * Files that import `target`, then files that import those (a package's `__init__.py` re-exports a class
   * that main.py builds): nearest first, at most `limit`.
   */
  importersOf(target: string, workspace: Workspace, limit = WORKSPACE_LIMITS.maxImporters, levels = 2): string[] {
    const found: string[] = [];
    let frontier = [target];
    for (let level = 0; level < levels && frontier.length && found.length < limit; level++) {
      const next: string[] = [];
      for (const file of frontier) {
        for (const importer of this.directImportersOf(file, workspace, limit - found.length)) {
          if (importer === target || found.includes(importer)) continue;
          found.push(importer);
          next.push(importer);
          if (found.length >= limit) break;
        }
        if (found.length >= limit) break;
      }
      frontier = next;
    }
    return found;
  }

  /** Workspace files (at most `limit`) whose imports resolve to `target`, in the provider's order. */
  private directImportersOf(target: string, workspace: Workspace, limit: number): string[] {
    const files = workspace.provider.pythonFiles?.() ?? [];
    const stem = stemOf(target);
    const found: string[] = [];
    for (const path of files.slice(0, WORKSPACE_LIMITS.maxScanned)) {
      if (found.length >= limit) break;
      if (path === target || !path.endsWith('.py')) continue;
      const text = workspace.provider.read(path);
      if (text === undefined || text.length > WORKSPACE_LIMITS.maxBytes || !text.includes(stem)) continue;
      const names = this.namesOf(path, text).filter((n) => n.split('.').includes(stem) || /^\.+$/.test(n) || n.endsWith(`.${stem}`));
      if (names.some((name) => resolveModule(name, path, workspace.root, workspace.provider) === target)) found.push(path);
    }
    return found;
  }
}
