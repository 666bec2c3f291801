#!/usr/bin/env node
// Lists every site `seqlens check --stats` counts (each name assigned in a forward and what it calls) with what it
// holds, to find where the unknown names come from. Runs the compiled analysis in out/ (`npx tsc -p .` first).
//
// Usage: node test/realcode/sites.mjs [--family torch|attention] [--dir DIR] [--unknown] [--params] [FILE...]
// Without files, the measured files of the family's manifest brought into .realcode/<family> (or DIR). Prints one line a site:
//   path:line:col <TAB> knowledge <TAB> what <TAB> the source line
// where knowledge is full | rank | value | unknown and what is the value's kind ('tensor?' for a tensor of unknown rank).
// --params adds two columns: the innermost function run inside a forward that holds the site, with how it was run
// ('caller' when code called it, 'uncalled' when nothing did and its parameters were taken for tensors), and its
// parameters with the best knowledge each held over its runs (`x=rank`, `lengths=unknown:tensor?`): whether a name is
// unknown because of what reached the function or because of what its body does.
import { readFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { compiled, measuredFiles, root } from './measured-files.mjs';

const { createAnalyzer } = compiled('analysis/index.js');
const { siteTrace, knowledgeOf } = compiled('analysis/coverage.js');
const { Workspaces, projectRootOf } = compiled('workspace/disk-provider.js');

const args = process.argv.slice(2);
const family = args.includes('--family') ? args[args.indexOf('--family') + 1] : 'torch';
const onlyUnknown = args.includes('--unknown');
const withParams = args.includes('--params');
const named = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--family' && args[i - 1] !== '--dir');
const { files, repoOf } = measuredFiles(family, named, args.includes('--dir') ? resolve(args[args.indexOf('--dir') + 1]) : undefined);

const ORDER = { unknown: 0, value: 1, rank: 2, full: 3 };
const analyzer = await createAnalyzer();
const workspaces = new Workspaces();
for (const file of files) {
  const path = resolve(file);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const sites = new Map();
  const runs = new Map();
  siteTrace.sink = (range, value) => {
    const key = `${range.start.line}:${range.start.column}`;
    const k = knowledgeOf(value);
    const what = value.kind === 'tensor' && !value.shape.rankKnown ? 'tensor?' : value.kind;
    const before = sites.get(key);
    if (!before || ORDER[k] > ORDER[before.k]) sites.set(key, { k, what, line: range.start.line, column: range.start.column });
  };
  if (withParams) {
    siteTrace.param = (def, name, value, symbolic) => {
      let run = runs.get(def);
      if (!run) runs.set(def, (run = { def, how: new Set(), params: new Map() }));
      run.how.add(symbolic === 'tensors' ? 'uncalled' : 'caller');
      const k = knowledgeOf(value);
      const what = value.kind === 'tensor' && !value.shape.rankKnown ? 'tensor?' : value.kind;
      const before = run.params.get(name);
      if (!before || ORDER[k] > ORDER[before.k]) run.params.set(name, { k, what });
    };
  }
  try {
    analyzer.analyze(text, path, workspaces.for(repoOf.get(path) ?? projectRootOf(path)));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
  }
  siteTrace.sink = undefined;
  siteTrace.param = undefined;
  const holder = (line) => {
    let best;
    for (const run of runs.values()) {
      const r = run.def.range;
      if (r.start.line <= line && line <= r.end.line && (!best || r.start.line > best.def.range.start.line)) best = run;
    }
    if (!best) return '-\t-';
    const params = [...best.params].map(([n, p]) => `${n}=${p.k}${p.k === 'unknown' ? `:${p.what}` : ''}`).join(',');
    return `${best.def.name}:${[...best.how].join('+')}\t${params}`;
  };
  for (const s of [...sites.values()].sort((a, b) => a.line - b.line || a.column - b.column)) {
    if (onlyUnknown && s.k !== 'unknown') continue;
    const where = withParams ? `\t${holder(s.line)}` : '';
    console.log(`${relative(root, path)}:${s.line + 1}:${s.column + 1}\t${s.k}\t${s.what}${where}\t${(lines[s.line] ?? '').trim()}`);
  }
}
