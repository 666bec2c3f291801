#!/usr/bin/env node
// Where a cold analysis spends its time, phase by phase: `node test/bench/phases.mjs [LINES|FILE.py] [RUNS]`
// (default: the bench's realistic 1,000-line file, 60 runs; `npm run build` first, for the wasm files in dist/).
// The phases are internals that dist/api.js does not export, so the sources are bundled here, into .tmp/.
// Each phase runs once per round, rounds after one another, and each figure is the median CPU time of the
// process over the rounds (as in analysis.bench.mjs): a shared machine slows all phases of a round alike.
//
// Differences of the rows give the phases (read = "parse + read" − "bare parse"; lower, rules, result likewise), each
// the median over rounds of the difference within a round. A cold open parses with the fast parser (its row), which
// refuses what it does not read exactly as tree-sitter does: the reference stays tree-sitter's bare parse, and the
// tree-sitter read is shown indented, as what a refused file costs on top of it.
// "rest" is what a cold open costs beyond its parts measured alone: chiefly the garbage collector copying the
// young syntax tree and values (measured alone, the tree being interpreted is an old one), which a cold open pays.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realisticPython } from './corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const wasmDir = join(root, 'dist');
if (!existsSync(join(wasmDir, 'tree-sitter-python.wasm'))) throw new Error('run `npm run build` first (the wasm files are read from dist/)');

const ENTRY = `
export { DocumentParser, loadPython } from './src/analysis/parse/parser';
export { copyTopLevel, tablesForLanguage } from './src/analysis/parse/cst';
export { fastCopyTopLevel } from './src/analysis/parse/fast-parser';
export { lowerTopLevel } from './src/analysis/parse/lower';
export { AnalysisContext } from './src/analysis/interpret/context';
export { Interpreter } from './src/analysis/interpret/interpreter';
export { analyzeModule } from './src/analysis/interpret/analyze-module';
export { allRules } from './src/analysis/rules/registry';
export { Parser } from 'web-tree-sitter';
`;

const outfile = join(root, '.tmp', 'bench-phases.js');
mkdirSync(dirname(outfile), { recursive: true });
await esbuild.build({
  stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'warning',
  // As in esbuild.mjs: web-tree-sitter's CJS build, not its ESM entry.
  plugins: [{ name: 'web-tree-sitter-cjs', setup: (b) => b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') })) }],
});
const core = require(outfile);

const [what = '1000', runsArg] = process.argv.slice(2);
const source = /^\d+$/.test(what) ? realisticPython(Number(what)) : readFileSync(what, 'utf8');
const runs = Number(runsArg ?? 60);
const language = await core.loadPython(wasmDir);
const parser = new core.Parser();
parser.setLanguage(language);
const module = core.DocumentParser.forLanguage(language).reset(source);
const tables = core.tablesForLanguage(language);

function cpu(fn) {
  const start = process.cpuUsage();
  fn();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

const interpret = (rules, result) => {
  const ctx = new core.AnalysisContext(source, rules, module.suppressions);
  new core.Interpreter(ctx).run(module.body);
  if (result) ctx.result();
};

const phases = {
  // What Analyzer.open does for a document with no workspace.
  'cold open': () => {
    const doc = core.DocumentParser.forLanguage(language);
    const parsed = doc.reset(source);
    core.analyzeModule(parsed, source);
    doc.dispose();
  },
  'bare parse': () => parser.parse(source).delete(),
  'parse + read': () => {
    const tree = parser.parse(source);
    core.copyTopLevel(tree, source, () => undefined, (flat) => flat.count);
    tree.delete();
  },
  // The cold parse DocumentParser makes: the fast parser (fast-parser.ts), tree-sitter only for what it refuses.
  'fast parse': () => {
    if (!core.fastCopyTopLevel(tables, source, () => undefined, (flat) => flat.count)) throw new Error('the fast parser refuses the file');
  },
  'fast parse + lower': () => core.fastCopyTopLevel(tables, source, () => undefined, (flat) => core.lowerTopLevel(flat, source)),
  'parse + read + lower': () => {
    const tree = parser.parse(source);
    core.copyTopLevel(tree, source, () => undefined, (flat) => core.lowerTopLevel(flat, source));
    tree.delete();
  },
  // The above with a parser and a document state of its own, and the module assembled, as open does.
  'document parse': () => {
    const doc = core.DocumentParser.forLanguage(language);
    doc.reset(source);
    doc.dispose();
  },
  'interpret, no rules': () => interpret([], false),
  'interpret + rules': () => interpret(core.allRules(), false),
  'interpret + rules + result': () => interpret(core.allRules(), true),
};

// Until V8 has compiled what each phase runs (see analysis.bench.mjs).
for (const phase of Object.values(phases)) for (let i = 0; i < 30; i++) phase();
const times = Object.fromEntries(Object.keys(phases).map((name) => [name, []]));
for (let r = 0; r < runs; r++) for (const [name, phase] of Object.entries(phases)) times[name].push(cpu(phase));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, median(xs)]));
/** The median over rounds of `plus` minus `minus` in the same round: the phases of one round share the machine's load. */
const diff = (plus, minus) => median(times[plus[0]].map((_, r) => plus.reduce((s, p) => s + times[p][r], 0) - minus.reduce((s, p) => s + times[p][r], 0)));

const bare = m['bare parse'];
const rows = [
  ['parse (tree-sitter, the reference)', bare],
  ['  read the tree from wasm memory', diff(['parse + read'], ['bare parse'])],
  ['parse (fast parser, used cold)', m['fast parse']],
  ['lower to the AST', diff(['fast parse + lower'], ['fast parse'])],
  ['interpret (no rules)', m['interpret, no rules']],
  // With no rule, no call is found to raise: the interpretation differs a little, and this is only an estimate.
  ['rules', diff(['interpret + rules'], ['interpret, no rules'])],
  ['result (sites, findings, coverage)', diff(['interpret + rules + result'], ['interpret + rules'])],
  ['rest (chiefly GC of young data)', diff(['cold open'], ['document parse', 'interpret + rules + result'])],
];
const lines = source.split('\n').length - 1;
process.stdout.write(`cold analysis of ${/^\d+$/.test(what) ? `the realistic ${lines}-line file` : what} (${lines} lines), CPU medians of ${runs} rounds\n`);
for (const [name, ms] of rows) process.stdout.write(`  ${name.padEnd(36)} ${ms.toFixed(2).padStart(8)} ms  ${((100 * ms) / m['cold open']).toFixed(0).padStart(3)}%  ${(ms / bare).toFixed(2)}× parse\n`);
process.stdout.write(`  ${'cold open'.padEnd(36)} ${m['cold open'].toFixed(2).padStart(8)} ms        ${(m['cold open'] / bare).toFixed(2)}× parse\n`);
