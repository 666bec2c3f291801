// The CLI's workspace: files read from disk under a root folder, each read once per run.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { ModuleProvider, Workspace } from '../analysis';

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'build', '.mypy_cache']);
/** Bounds on the listing of a workspace's Python files. */
const MAX_LISTED = 2000;
const MAX_DIRS = 2000;
const MAX_BYTES = 512 * 1024;
/** Files that mark the top of a Python project. */
const PROJECT_MARKERS = ['.git', 'pyproject.toml', 'setup.py', 'setup.cfg'];

/** Reads from disk, never outside `root`'s tree as the resolver builds paths, and remembers what it read. */
export class DiskProvider implements ModuleProvider {
  private readonly texts = new Map<string, string | undefined>();
  private listed: string[] | undefined;

  constructor(readonly root: string) {}

  read(path: string): string | undefined {
    if (this.texts.has(path)) return this.texts.get(path);
    let text: string | undefined;
    try {
      const stat = statSync(path);
      if (stat.isFile() && stat.size <= MAX_BYTES) text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    this.texts.set(path, text);
    return text;
  }

  pythonFiles(): readonly string[] {
    if (this.listed) return this.listed;
    const out: string[] = [];
    const pending = [this.root];
    let dirs = 0;
    while (pending.length && out.length < MAX_LISTED && dirs++ < MAX_DIRS) {
      const dir = pending.shift()!;
      let entries: string[];
      try {
        entries = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
        const child = join(dir, entry);
        if (entry.endsWith('.py')) out.push(child);
        else if (!entry.includes('.')) {
          try {
            if (statSync(child).isDirectory()) pending.push(child);
          } catch {
            // An entry we may not inspect is not part of the workspace.
          }
        }
      }
    }
    this.listed = out;
    return out;
  }
}

/** The project a file belongs to: the nearest folder above it with a project marker, else its own folder. */
export function projectRootOf(file: string): string {
  const own = dirname(normalize(file));
  let dir = own;
  for (let i = 0; i < 16; i++) {
    if (PROJECT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return own;
}

/** One provider per root for the whole run, so each file is read (and listed) once. */
export class Workspaces {
  private readonly byRoot = new Map<string, Workspace>();

  for(root: string): Workspace {
    const key = normalize(root);
    let workspace = this.byRoot.get(key);
    if (!workspace) {
      workspace = { root: key, provider: new DiskProvider(key) };
      this.byRoot.set(key, workspace);
    }
    return workspace;
  }
}
