// Analyzer speed, each figure beside tree-sitter's bare parse of the same file in the same run:
// cold analysis of realistic 1,000- and 10,000-line files, re-analysis after a one-character edit,
// and after inserting a line at the top of the 10,000-line file. Times are the process's CPU time
// (medians), not wall time: on a shared machine the wall clock mostly measures the other processes.
// "Cold" means a text the analyzer has not seen (nothing cached for it), in a process that has run
// before, as a language server has: each measured operation, and the bare parse beside it, first runs
// until V8 has compiled it (a median over the first runs of a fresh process measures the JIT, not the
// analysis). The analyzer is many functions, most run a few times per analysis, and V8 optimizes each only
// once it has run enough: V8 is still optimizing them after 100 analyses of the 1,000-line file, and a cold
// analysis of a text never seen costs the same after 400 analyses of other texts as of this one, so the
// cold analysis first runs 400 times. A fresh process's first analysis is the server bench's "open a file →
// first diagnostics" row.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realisticPython } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createAnalyzer } = require(join(here, '..', '..', 'dist', 'api.js'));
const { Parser, Language } = require('web-tree-sitter');

export const title = 'Shape analysis (PyTorch)';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU time of `fn` in ms. */
function cpu(fn) {
  const start = process.cpuUsage();
  fn();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function time(fn, runs) {
  const out = [];
  for (let i = 0; i < runs; i++) out.push(cpu(fn));
  return median(out);
}

/**
 * The fast parser alone (src/analysis/parse/fast-parser.ts, bundled here: dist/api.js does not export it), each
 * top-level statement filled in and not lowered: what a cold analysis parses with in place of tree-sitter.
 */
async function fastParser() {
  const esbuild = await import('esbuild');
  const root = join(here, '..', '..');
  const outfile = join(root, '.tmp', 'bench-fast-parser.js');
  await esbuild.build({
    stdin: {
      contents: "export { loadPython } from './src/analysis/parse/parser';\nexport { tablesForLanguage } from './src/analysis/parse/cst';\nexport { fastCopyTopLevel } from './src/analysis/parse/fast-parser';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
    plugins: [{ name: 'web-tree-sitter-cjs', setup: (b) => b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') })) }],
  });
  const core = require(outfile);
  const tables = core.tablesForLanguage(await core.loadPython(join(root, 'dist')));
  return (source) => {
    if (!core.fastCopyTopLevel(tables, source, () => undefined, (flat) => flat.count)) throw new Error('the fast parser refuses the file');
  };
}

/** tree-sitter alone: a fresh parse of the text, the tree freed. */
async function bareParser() {
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  return (source) => parser.parse(source).delete();
}

/** Runs `fn` until it has run `runs` times and spent `ms` of CPU, so that V8 has compiled what it runs. */
function warm(fn, runs, ms) {
  let spent = 0;
  for (let i = 0; i < runs || spent < ms; i++) spent += cpu(fn);
}

/** Median time of `edit` applied alternately forth and back to an open document, after as many unmeasured edits. */
function editTime(doc, source, forth, back, runs) {
  let text = source;
  const out = [];
  for (let i = 0; i < 2 * runs; i++) {
    const { edit, next } = (i % 2 ? back : forth)(text);
    const spent = cpu(() => doc.update([edit], next));
    if (i >= runs) out.push(spent);
    text = next;
  }
  return median(out);
}

export async function run({ quick }) {
  const notes = [];
  const analyzer = await createAnalyzer({ log: (m) => notes.push(m) });
  process.stdout.write(`  ${notes.join('; ')}\n`);
  const parse = await bareParser();
  const fastParse = await fastParser();
  const rows = [];
  const cold = {};
  for (const lines of [1000, 10000]) {
    const source = realisticPython(lines);
    const file = `model_${lines}.py`;
    const runs = quick ? 5 : lines > 5000 ? 11 : 31;
    const warmRuns = quick ? 10 : lines > 5000 ? 8 : 60;
    // The 10,000-line file runs the code the 1,000-line analyses have compiled (see the head of this file).
    warm(() => analyzer.open(source, file).dispose(), quick || lines > 5000 ? warmRuns : 400, quick ? 300 : 2000);
    warm(() => parse(source), warmRuns, quick ? 100 : 500);
    const bare = time(() => parse(source), runs);
    cold[lines] = time(() => analyzer.open(source, file).dispose(), runs);
    const reference = { name: `bare parse, ${lines} lines`, value: bare };
    rows.push({ metric: `cold analysis, ${lines} lines`, value: cold[lines], unit: 'ms', reference, target: '≤ 1.6×' });
    warm(() => fastParse(source), warmRuns, quick ? 100 : 500);
    rows.push({ metric: `fast parser's parse (used cold), ${lines} lines`, value: time(() => fastParse(source), runs), unit: 'ms', reference });
    const doc = analyzer.open(source, file);
    if (lines === 1000) {
      // Retype one character inside a forward body: `hidden` ↔ `bidden`.
      const at = source.indexOf('hidden', source.indexOf('def forward'));
      const put = (ch) => (text) => ({ edit: { rangeOffset: at, rangeLength: 1, text: ch }, next: text.slice(0, at) + ch + text.slice(at + 1) });
      const edit = editTime(doc, source, put('b'), put('h'), quick ? 20 : 200);
      rows.push({ metric: 're-analysis after a 1-char edit, 1000 lines', value: edit, unit: 'ms', reference, target: '≤ 2 ms' });
    } else {
      const insert = (text) => ({ edit: { rangeOffset: 0, rangeLength: 0, text: '\n' }, next: '\n' + text });
      const remove = (text) => ({ edit: { rangeOffset: 0, rangeLength: 1, text: '' }, next: text.slice(1) });
      const edit = editTime(doc, source, insert, remove, quick ? 6 : 20);
      rows.push({ metric: 'insert a line at the top, 10000 lines', value: edit, unit: 'ms', reference, target: '≤ 20 ms' });
    }
    doc.dispose();
  }
  rows.push({ metric: 'cold 10000 lines ÷ 10', value: cold[10000] / 10, unit: 'ms', reference: { name: 'cold, 1000 lines', value: cold[1000] }, target: '≈ 1× (linear)' });
  return rows;
}
