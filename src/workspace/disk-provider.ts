// Workspace files read from disk under a root folder, for the CLI (each read once per run) and the language
// server (read again when their modification time changes, checked at most every `maxAgeMs`).
import { type Dirent, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { ModuleProvider, Workspace } from '../analysis';

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'build', '.mypy_cache']);
/** Bounds on the listing of a workspace's Python files. */
const MAX_LISTED = 2000;
const MAX_DIRS = 2000;
const MAX_BYTES = 512 * 1024;
/** Files that mark the top of a Python project. */
const PROJECT_MARKERS = ['.git', 'pyproject.toml', 'setup.py', 'setup.cfg'];

interface Read {
  text: string | undefined;
  /** Modification time and size when read, to tell a changed file. */
  stamp: string;
  checkedAt: number;
}

/**
 * Reads from disk and remembers what it read. With `maxAgeMs`, a file is looked at again (its modification
 * time and size) once its reading is older than that, and the folder listing is made again.
 */
export class DiskProvider implements ModuleProvider {
  private readonly texts = new Map<string, Read>();
  private listed: { files: string[]; at: number } | undefined;

  constructor(readonly root: string, private readonly maxAgeMs = Infinity, private readonly now: () => number = Date.now) {}

  read(path: string): string | undefined {
    const known = this.texts.get(path);
    const now = this.now();
    if (known && now - known.checkedAt <= this.maxAgeMs) return known.text;
    let text: string | undefined;
    let stamp = 'none';
    try {
      const stat = statSync(path);
      stamp = `${stat.mtimeMs}:${stat.size}`;
      if (known && known.stamp === stamp) {
        known.checkedAt = now;
        return known.text;
      }
      if (stat.isFile() && stat.size <= MAX_BYTES) text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    this.texts.set(path, { text, stamp, checkedAt: now });
    return text;
  }

  /** Forgets what was read of these files (the editor said they changed on disk), or of all. */
  forget(paths?: readonly string[]): void {
    if (!paths) this.texts.clear();
    else for (const path of paths) this.texts.delete(path);
    this.listed = undefined;
  }

  pythonFiles(): readonly string[] {
    if (this.listed && this.now() - this.listed.at <= this.maxAgeMs) return this.listed.files;
    const out: string[] = [];
    const pending = [this.root];
    let dirs = 0;
    while (pending.length && out.length < MAX_LISTED && dirs++ < MAX_DIRS) {
      const dir = pending.shift()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        continue;
      }
      for (const entry of entries) {
        const name = entry.name;
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        const child = join(dir, name);
        if (name.endsWith('.py')) out.push(child);
        // A folder whose name has a dot (`las.pytorch/`) is no package, but its scripts import their neighbours.
        else if (entry.isDirectory()) pending.push(child);
        else if (entry.isSymbolicLink()) {
          try {
            if (statSync(child).isDirectory()) pending.push(child);
          } catch {
            // An entry we may not inspect is not part of the workspace.
          }
        }
      }
    }
    this.listed = { files: out, at: this.now() };
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

/** One provider per root, so each file is read (and listed) once, or once per `maxAgeMs`. */
export class Workspaces {
  private readonly byRoot = new Map<string, Workspace & { provider: DiskProvider }>();

  constructor(private readonly maxAgeMs = Infinity) {}

  for(root: string): Workspace & { provider: DiskProvider } {
    const key = normalize(root);
    let workspace = this.byRoot.get(key);
    if (!workspace) {
      workspace = { root: key, provider: new DiskProvider(key, this.maxAgeMs) };
      this.byRoot.set(key, workspace);
    }
    return workspace;
  }

  forget(paths?: readonly string[]): void {
    for (const workspace of this.byRoot.values()) workspace.provider.forget(paths);
  }
}
