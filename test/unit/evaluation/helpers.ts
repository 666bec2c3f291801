import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, from out/test/unit/evaluation once compiled. */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'eval');

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-eval-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Differences between an expected JSON value and an actual one, numbers within `tolerance`. */
export function differences(expected: unknown, actual: unknown, path = '', tolerance = 1e-9): string[] {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number' && typeof actual === 'number') {
      return Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)) ? [] : [`${path}: expected ${expected}, got ${actual}`];
    }
    if (expected === null && typeof actual === 'number' && Number.isNaN(actual)) return [];
    return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const list = Array.from(actual as ArrayLike<unknown>);
    if (list.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${list.length}`];
    return expected.flatMap((e, i) => differences(e, list[i], `${path}[${i}]`, tolerance));
  }
  if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
  return Object.entries(expected as Record<string, unknown>).flatMap(([key, value]) =>
    differences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, tolerance),
  );
}
