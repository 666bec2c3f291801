#!/usr/bin/env node
// The differential check of the fast parser (src/analysis/parse/fast-parser.ts): for every Python file and notebook
// cell given (directories are walked), the top-level nodes the fast parser makes must equal tree-sitter's copy
// node for node (type, namedness, field, offsets, positions), or the fast parser must refuse the text.
// Prints the files accepted, those refused by reason, and every difference (there must be none).
//
// Usage: node test/realcode/fastparse-diff.mjs [--show N] [--dump CODE] PATH...
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const outfile = join(root, '.tmp', 'fastparse-diff.js');
mkdirSync(dirname(outfile), { recursive: true });
await esbuild.build({
  stdin: {
    contents: `export { loadPython } from './src/analysis/parse/parser';
export { copyTree, firstDifference, tablesForLanguage } from './src/analysis/parse/cst';
export { fastCopyTree, Refused } from './src/analysis/parse/fast-parser';
export { Parser } from 'web-tree-sitter';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
  plugins: [{ name: 'web-tree-sitter-cjs', setup: (b) => b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') })) }],
});
const core = require(outfile);

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const show = Number(option('--show') ?? 20);
const dump = option('--dump');
const paths = args.filter((a, i) => !a.startsWith('--') && !['--show', '--dump', '--file'].includes(args[i - 1]));

const language = await core.loadPython(join(root, 'dist'));
const parser = new core.Parser();
parser.setLanguage(language);
const tables = core.tablesForLanguage(language);

function print(nodes, indent = '') {
  for (const n of nodes) {
    console.log(`${indent}${n.field ? n.field + ': ' : ''}${n.named ? n.type : JSON.stringify(n.type)} [${n.startIndex}, ${n.endIndex}]`);
    print(n.children, indent + '  ');
  }
}

const onlyFile = option('--file');
if (onlyFile !== undefined) {
  // The first top-level node that differs, both ways, with its text.
  const source = readFileSync(onlyFile, 'utf8');
  const tree = parser.parse(source);
  const expected = core.copyTree(tree, source, 'memory');
  const fast = core.fastCopyTree(tables, source);
  if (fast instanceof core.Refused) {
    console.log('refused: ' + fast.message, JSON.stringify(source.slice(fast.at - 80, fast.at + 40)));
    process.exit(0);
  }
  for (let i = 0; i < Math.max(expected.length, fast.length); i++) {
    if (expected[i] && fast[i] && core.firstDifference([expected[i]], [fast[i]]) === undefined) continue;
    const at = expected[i] ?? fast[i];
    console.log(source.slice(at.startIndex, Math.min(at.endIndex, at.startIndex + 1500)));
    console.log('tree-sitter:');
    print(expected.slice(i, i + 2));
    console.log('fast:');
    print(fast.slice(i, i + 2));
    break;
  }
  process.exit(0);
}

if (dump !== undefined) {
  const source = dump.replace(/\\n/g, '\n');
  const tree = parser.parse(source);
  console.log('tree-sitter:');
  print(core.copyTree(tree, source, 'memory'));
  const fast = core.fastCopyTree(tables, source);
  console.log('fast:');
  if (fast instanceof core.Refused) console.log('refused: ' + fast.message);
  else print(fast);
  process.exit(0);
}

function* files(path) {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.') && entry !== 'node_modules') yield* files(join(path, entry));
  } else if (path.endsWith('.py')) yield { name: path, source: readFileSync(path, 'utf8') };
  else if (path.endsWith('.ipynb')) {
    let cells = [];
    try {
      cells = JSON.parse(readFileSync(path, 'utf8')).cells ?? [];
    } catch {}
    cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
      yield_cells.push({ name: `${path}#${i}`, source });
    });
  }
}
let yield_cells = [];

let accepted = 0;
let total = 0;
const refused = new Map();
const differences = [];
const check = ({ name, source }) => {
  total++;
  const tree = parser.parse(source);
  const expected = tree.rootNode.hasError ? undefined : core.copyTree(tree, source, 'memory');
  tree.delete();
  const fast = core.fastCopyTree(tables, source);
  if (fast instanceof core.Refused) {
    const reason = expected === undefined ? 'syntax error (tree-sitter too)' : fast.reason;
    const list = refused.get(reason) ?? [];
    list.push(`${name}:${fast.at}`);
    refused.set(reason, list);
    return;
  }
  accepted++;
  if (expected === undefined) {
    differences.push(`${name}: tree-sitter finds a syntax error, the fast parser accepts`);
    return;
  }
  const difference = core.firstDifference(expected, fast);
  if (difference !== undefined) differences.push(`${name}: ${difference}`);
};
for (const path of paths) {
  for (const file of files(path)) check(file);
  for (const cell of yield_cells) check(cell);
  yield_cells = [];
}
console.log(`${total} texts: ${accepted} accepted (${((100 * accepted) / total).toFixed(1)}%), ${total - accepted} refused, ${differences.length} differences`);
for (const [reason, list] of [...refused].sort((a, b) => b[1].length - a[1].length)) console.log(`  refused, ${reason}: ${list.length}  e.g. ${list.slice(0, 2).join(' ')}`);
for (const d of differences.slice(0, show)) console.log('  DIFF ' + d);
// The files that differ, to run again alone (node test/realcode/fastparse-diff.mjs $(cat .tmp/fastparse-differences.txt)).
writeFileSync(join(root, '.tmp', 'fastparse-differences.txt'), [...new Set(differences.map((d) => d.slice(0, d.indexOf(':')).replace(/#\d+$/, '')))].join('\n') + '\n');
process.exit(differences.length ? 1 : 0);
