// Loads a CommonJS bundle through a V8 code cache, so that a fresh process (or thread) does not parse
// and compile again the functions a previous run already compiled.
//
// The cache is written once, after the bundle has done its first real work (the analysis thread's first
// analysis, the server's first published diagnostics), so that it holds the functions V8 compiled lazily
// then, not only the top level. It is keyed on the runtime (Node's, V8's and Electron's versions, the
// architecture) and on a hash of the bundle's text: another runtime or another build never reads it.
// Each file carries a SHA-256 of its payload, checked before V8 sees it; V8 checks the rest (its own
// version, flags and source) and rejects what does not fit (`cachedDataRejected`). A cache that is
// missing, unreadable, corrupt or rejected is ignored and written again: it never makes a load fail.
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How the loaded bundle reaches its loader's save() (they are separate bundles): see saveCodeCache. */
const HOOK = Symbol.for('seqlens.codeCache');

const MAGIC = Buffer.from('SLCC1\n');
const DIGEST_BYTES = 32;

/** What became of the cache when a bundle was loaded. */
export type CacheState = 'accepted' | 'missing' | 'corrupt' | 'rejected' | 'off';

export interface CachedLoad {
  state: CacheState;
  /** The cache file of this bundle and runtime, or undefined when caching is off. */
  file: string | undefined;
  /**
   * Writes the cache from what has been compiled so far, once, and only when the cache read was not
   * accepted. Never throws; returns whether a file was written.
   */
  save(): boolean;
}

/** The runtime part of the key: a cache is only valid for the V8 that wrote it. */
export function runtimeKey(): string {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string };
  return `node-${process.version}-v8-${v.v8}${v.electron ? `-electron-${v.electron}` : ''}-${process.arch}`;
}

function digest(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * The directory caches go to: `dir` when given (the client may pass one), else one per user under the
 * system's temporary directory. Each runtime has its own sub-directory.
 */
export function cacheDirectory(dir: string | undefined): string {
  const base = dir && dir.trim() !== '' ? dir : join(tmpdir(), `seqlens-code-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
  return join(base, runtimeKey().replace(/[^A-Za-z0-9._-]/g, '_'));
}

/**
 * Whether `dir` may be read from and written to: created if missing (readable by its owner only), and on
 * POSIX owned by this user and not writable by others (what is read from it is code V8 will run).
 */
function usableDirectory(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return false;
    // The per-user base under the temporary directory must be this user's alone too.
    const base = dirname(dir);
    const baseStat = lstatSync(base);
    if (typeof process.getuid === 'function' && (!baseStat.isDirectory() || baseStat.uid !== process.getuid() || (baseStat.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

/** The cache's payload if `file` holds an intact one, 'missing' or 'corrupt' otherwise. */
export function readCache(file: string): Buffer | 'missing' | 'corrupt' {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return 'missing';
  }
  if (data.length <= MAGIC.length + DIGEST_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) return 'corrupt';
  const expected = data.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
  const payload = data.subarray(MAGIC.length + DIGEST_BYTES);
  return digest(payload).equals(expected) ? payload : 'corrupt';
}

/**
 * Writes `payload` to `file` whole or not at all (a temporary file renamed over it). Not synced: a file
 * cut short by a crash fails its digest and is written again.
 */
export function writeCache(file: string, payload: Buffer): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, MAGIC);
    writeSync(fd, digest(payload));
    writeSync(fd, payload);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/** Removes the caches of other builds of the same bundle and role (`prefix`), and stale temporary files. */
function removeOthers(dir: string, prefix: string, keep: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && join(dir, name) !== keep) {
        try {
          unlinkSync(join(dir, name));
        } catch {
          // another process may have removed or replaced it
        }
      }
    }
  } catch {
    // a directory that cannot be listed keeps its files
  }
}

/** How long the caches of another runtime (an earlier Node, VS Code or Electron) are kept unused. */
const OTHER_RUNTIME_DAYS = 30;

/**
 * Removes the cache directories of other runtimes beside `dir` (the ones cacheDirectory names) that were not
 * written for OTHER_RUNTIME_DAYS: after an update the old runtime's caches are never read again.
 */
export function removeStaleRuntimes(dir: string, now = Date.now()): void {
  const base = dirname(dir);
  try {
    for (const name of readdirSync(base)) {
      const other = join(base, name);
      if (other === dir || !name.startsWith('node-')) continue;
      try {
        const stat = lstatSync(other);
        if (stat.isDirectory() && now - stat.mtimeMs > OTHER_RUNTIME_DAYS * 86_400_000) rmSync(other, { recursive: true, force: true });
      } catch {
        // in use by another process, or already gone
      }
    }
  } catch {
    // a base that cannot be listed keeps its directories
  }
}

export interface LoadOptions {
  /** The bundle to load (a CommonJS file). */
  bundle: string;
  /** Names this cache beside other users of the same bundle (each thread compiles different functions). */
  role: string;
  /** The cache directory's base (see cacheDirectory); caching is off when null. */
  dir: string | undefined | null;
  /** The module the bundle runs as: its exports become the bundle's, and require.main === module holds. */
  module: NodeModule;
  require: NodeJS.Require;
  /** `__filename` and `__dirname` as the bundle sees them. */
  filename: string;
}

/** Loads `bundle` as `module` (compiling it with the cache when there is a valid one) and runs it. */
export function loadWithCodeCache(options: LoadOptions): CachedLoad {
  const source = readFileSync(options.bundle, 'utf8');
  let state: CacheState = 'off';
  let file: string | undefined;
  let cachedData: Buffer | undefined;
  if (options.dir !== null) {
    const dir = cacheDirectory(options.dir);
    if (usableDirectory(dir)) {
      const prefix = `${options.role}-`;
      file = join(dir, `${prefix}${digest(source).toString('hex').slice(0, 32)}.bin`);
      const read = readCache(file);
      if (typeof read === 'string') state = read;
      else {
        cachedData = read;
        state = 'accepted';
      }
    }
  }
  // The same wrapper Node puts around a CommonJS module, on one line so that line numbers stay the bundle's.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: options.bundle, ...(cachedData ? { cachedData } : {}) });
  if (cachedData && script.cachedDataRejected) state = 'rejected';
  let saved = false;
  const result: CachedLoad = {
    state,
    file,
    save() {
      if (saved || !file || state === 'accepted') return false;
      saved = true;
      try {
        writeCache(file, script.createCachedData());
        removeOthers(dirname(file), `${options.role}-`, file);
        removeStaleRuntimes(dirname(file));
        return true;
      } catch {
        return false;
      }
    },
  };
  (globalThis as Record<symbol, unknown>)[HOOK] = { save: () => result.save(), wanted: () => !saved && !!file && state !== 'accepted' } satisfies Hook;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => void;
  run.call(options.module.exports, options.module.exports, options.require, options.module, options.filename, dirname(options.filename));
  return result;
}


interface Hook {
  save(): boolean;
  wanted(): boolean;
}

function hook(): Hook | undefined {
  const value = (globalThis as Record<symbol, unknown>)[HOOK];
  return typeof value === 'object' && value !== null ? (value as Hook) : undefined;
}

/**
 * Called by the bundle once it has done its first real work: writes this thread's code cache (when it
 * was loaded through one and the cache was not accepted). A no-op otherwise.
 */
export function saveCodeCache(): boolean {
  return hook()?.save() ?? false;
}

/** Whether saveCodeCache would write a cache (this thread was loaded through one that was not accepted). */
export function codeCacheWanted(): boolean {
  return hook()?.wanted() ?? false;
}
