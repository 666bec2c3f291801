// A throw-away copy of the suite's fixtures, so tests may edit and save files freely.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** test/vscode/fixtures in the source tree (tsc does not copy them to out/). */
export function fixturesDir(): string {
  return path.join(repoRoot(), 'test', 'vscode', 'fixtures');
}

export function repoRoot(): string {
  // Compiled to out/test/vscode/harness; the source sits at test/vscode/harness.
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function makeTempRoot(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function copyFixtures(into: string, only?: string[]): string {
  const workspace = path.join(into, 'workspace');
  cpSync(fixturesDir(), workspace, {
    recursive: true,
    filter: (source) => !only || source === fixturesDir() || only.includes(path.basename(source)),
  });
  return workspace;
}

export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A leftover temp folder is harmless.
  }
}
