// The analysis bench's measurements (analysis.bench.mjs), run either in the bench's own thread (node's default
// heap: the in-process CLI) or as the entry of a Worker started with the server's resourceLimits (the language
// server's analysis thread). Each figure is measured beside tree-sitter's bare parse in the same thread.
//
// Times are the process's CPU time (medians), not wall time: on a shared machine the wall clock mostly measures
// the other processes. In a Worker the bench's main thread only waits, so the process's CPU time is the thread's
// and its garbage collector's, as in-process.
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
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { realisticPython } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Marks the data of a Worker started to run measure() (see analysis.bench.mjs). */
export const MEASURE_ROLE = 'seqlens-bench-analysis';

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
 * The fast parser alone (src/analysis/parse/fast-parser.ts, bundled by analysis.bench.mjs into `bundle`: dist/api.js
 * does not export it), each top-level statement filled in and not lowered: what a cold analysis parses with in place of
 * tree-sitter.
 */
async function fastParser(bundle) {
  const core = require(bundle);
  const tables = core.tablesForLanguage(await core.loadPython(join(here, '..', '..', 'dist')));
  return (source) => {
    if (!core.fastCopyTopLevel(tables, source, () => undefined, (flat) => flat.count)) throw new Error('the fast parser refuses the file');
  };
}

/** tree-sitter alone: a fresh parse of the text, the tree freed. */
async function bareParser() {
  const { Parser, Language } = require('web-tree-sitter');
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

/**
 * Every figure of the analysis bench, measured in this thread: for 1,000 and 10,000 lines the bare parse, the cold
 * analysis, the fast parser's parse and an edit's re-analysis (ms of CPU).
 */
export async function measure({ quick, fastParserBundle }) {
  const notes = [];
  const { createAnalyzer } = require(join(here, '..', '..', 'dist', 'api.js'));
  const analyzer = await createAnalyzer({ log: (m) => notes.push(m) });
  const parse = await bareParser();
  const fastParse = await fastParser(fastParserBundle);
  const figures = { notes, lines: {} };
  for (const lines of [1000, 10000]) {
    const source = realisticPython(lines);
    const file = `model_${lines}.py`;
    const runs = quick ? 5 : lines > 5000 ? 11 : 31;
    const warmRuns = quick ? 10 : lines > 5000 ? 8 : 60;
    // The 10,000-line file runs the code the 1,000-line analyses have compiled (see the head of this file).
    warm(() => analyzer.open(source, file).dispose(), quick || lines > 5000 ? warmRuns : 400, quick ? 300 : 2000);
    warm(() => parse(source), warmRuns, quick ? 100 : 500);
    const at = { bare: time(() => parse(source), runs), cold: time(() => analyzer.open(source, file).dispose(), runs) };
    warm(() => fastParse(source), warmRuns, quick ? 100 : 500);
    at.fastParse = time(() => fastParse(source), runs);
    const doc = analyzer.open(source, file);
    if (lines === 1000) {
      // Retype one character inside a forward body: `hidden` ↔ `bidden`.
      const offset = source.indexOf('hidden', source.indexOf('def forward'));
      const put = (ch) => (text) => ({ edit: { rangeOffset: offset, rangeLength: 1, text: ch }, next: text.slice(0, offset) + ch + text.slice(offset + 1) });
      at.edit = editTime(doc, source, put('b'), put('h'), quick ? 20 : 200);
    } else {
      const insert = (text) => ({ edit: { rangeOffset: 0, rangeLength: 0, text: '\n' }, next: '\n' + text });
      const remove = (text) => ({ edit: { rangeOffset: 0, rangeLength: 1, text: '' }, next: text.slice(1) });
      at.edit = editTime(doc, source, insert, remove, quick ? 6 : 20);
    }
    doc.dispose();
    figures.lines[lines] = at;
  }
  figures.heapLimitMb = getHeapStatistics().heap_size_limit / 2 ** 20;
  return figures;
}

if (!isMainThread && workerData?.role === MEASURE_ROLE) {
  measure(workerData.options).then((figures) => parentPort.postMessage(figures));
}
