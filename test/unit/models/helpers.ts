import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Analyzer } from '../../../src/analysis';
import { createAnalyzer } from '../../../src/analysis';

/** The repository root, from out/test/unit/models once compiled. */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const MODEL_FIXTURES = join(REPO, 'test', 'fixtures', 'models');
export const TORCH_FIXTURES = join(MODEL_FIXTURES, 'torch');

let analyzer: Promise<Analyzer> | undefined;
export function sharedAnalyzer(): Promise<Analyzer> {
  analyzer ??= createAnalyzer();
  return analyzer;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'seqlens-models-'));
}

export function tempFile(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
