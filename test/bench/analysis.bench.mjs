// Analyzer speed: cold analysis of 1,000 and 10,000 lines and re-analysis after a one-character edit,
// beside Pyright's own check time for the same files (`pyright --stats`, offline, from npm).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realisticPython } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createAnalyzer } = require(join(here, '..', '..', 'dist', 'api.js'));

export const title = 'Shape analysis (PyTorch)';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn, runs) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

/** Pyright's "Check" time in ms from --stats, or undefined if it cannot run. */
function pyrightCheckMs(file) {
  try {
    const bin = join(dirname(require.resolve('pyright/package.json')), 'index.js');
    const out = execFileSync(process.execPath, [bin, '--stats', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return parseCheck(out);
  } catch (error) {
    // Pyright exits 1 when it reports errors (unresolved torch imports here); its stats are still printed.
    return error.stdout ? parseCheck(String(error.stdout)) : undefined;
  }
}

function parseCheck(out) {
  const m = /Check:\s+([\d.]+)sec/.exec(out);
  return m ? Number(m[1]) * 1000 : undefined;
}

export async function run({ quick }) {
  const analyzer = await createAnalyzer();
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-bench-'));
  const rows = [];
  for (const lines of [1000, 10000]) {
    const source = realisticPython(lines);
    const file = join(dir, `model_${lines}.py`);
    writeFileSync(file, source);
    for (let i = 0; i < 5; i++) analyzer.open(source, file).dispose();
    const cold = time(() => analyzer.open(source, file).dispose(), quick ? 5 : lines > 5000 ? 9 : 31);
    const reference = pyrightCheckMs(file);
    rows.push({ metric: `cold analysis, ${lines} lines`, value: cold, unit: 'ms', reference: reference === undefined ? undefined : { name: 'pyright --stats check', value: reference }, target: lines > 5000 ? '≤ 150 ms' : '≤ 15 ms' });
    if (lines === 1000) {
      const doc = analyzer.open(source, file);
      const at = source.indexOf('hidden');
      let text = source;
      const edits = [];
      for (let i = 0; i < (quick ? 20 : 200); i++) {
        const ch = i % 2 ? 'a' : 'b';
        const next = text.slice(0, at) + ch + text.slice(at + 1);
        const t = performance.now();
        doc.update([{ rangeOffset: at, rangeLength: 1, text: ch }], next);
        edits.push(performance.now() - t);
        text = next;
      }
      doc.dispose();
      rows.push({ metric: 're-analysis after a 1-char edit, 1000 lines', value: median(edits), unit: 'ms', reference: { name: 'cold analysis', value: cold }, target: '≤ 3 ms' });
    }
  }
  return rows;
}
