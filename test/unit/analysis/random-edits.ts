// Random edits of the kind an editor sends, from a seeded generator, for the editing tests.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceEdit } from '../../../src/analysis/findings';

export const TEST_ROOT = join(__dirname, '..', '..', '..', '..', 'test');

export function pythonFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFiles(path);
    return name.endsWith('.py') ? [path] : [];
  });
}

/** A small deterministic generator (mulberry32), so a failing edit can be replayed. */
export function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** An edit an editor could send: typing, deleting, a new or removed line, a pasted line. */
export function randomEdit(text: string, pick: (n: number) => number): SourceEdit {
  const at = pick(text.length + 1);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
  switch (pick(6)) {
    case 0: return { rangeOffset: at, rangeLength: 0, text: 'xyz_1(),:[ '[pick(11)] };
    case 1: return { rangeOffset: at, rangeLength: Math.min(1 + pick(3), text.length - at), text: '' };
    case 2: return { rangeOffset: lineStart, rangeLength: 0, text: '\n' };
    case 3: return { rangeOffset: lineStart, rangeLength: Math.min(lineEnd + 1, text.length) - lineStart, text: '' };
    case 4: return { rangeOffset: lineStart, rangeLength: 0, text: text.slice(lineStart, lineEnd + 1) };
    default: return { rangeOffset: at, rangeLength: 0, text: pick(2) ? '2' : '0' };
  }
}
