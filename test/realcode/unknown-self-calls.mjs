#!/usr/bin/env node
// Why calls of `self.<attr>(...)` inside a forward give nothing of known rank: for each such call whose result is
// unknown, what it was (a torch layer, a user module, a method, an attribute the analysis does not know) and the first
// of these that holds: a run it made was refused (run budget, recursion, depth); no argument held a tensor of known
// rank (the unknown was passed on from upstream); a call inside it was counted by --stats as losing a rank (that op);
// a layer given a known rank gave unknown (a call that raises, or arguments it does not take); otherwise unknown
// without a counted loss. Ranked by distinct call sites, with calls (each run) beside them. Runs the compiled analysis
// in out/ (`npx tsc -p .` first).
//
// Usage: node test/realcode/unknown-self-calls.mjs [--family torch|attention] [--examples N] [FILE...]
import { readFileSync } from 'node:fs';
import { compiled, tracingArgs } from './measured-files.mjs';

const { createAnalyzer } = compiled('analysis/index.js');
const { siteTrace, knowledgeOf } = compiled('analysis/coverage.js');
const { Interpreter } = compiled('analysis/interpret/interpreter.js');
const { Workspaces, projectRootOf } = compiled('workspace/disk-provider.js');

const { family, examples, files, repoOf } = tracingArgs();

/** cause → { calls, sites, examples } */
const causes = new Map();
function note(cause, site, example) {
  const entry = causes.get(cause) ?? { calls: 0, sites: new Set(), examples: [] };
  entry.calls++;
  entry.sites.add(site);
  if (entry.examples.length < examples && !entry.examples.includes(example)) entry.examples.push(example);
  causes.set(cause, entry);
}

// The self calls being made now (innermost last): each collects the losses counted and the runs refused inside it.
const open = [];
siteTrace.lost = (name) => {
  for (const call of open) call.lost.push(name);
};
const callFunction = Interpreter.prototype.callFunction;
Interpreter.prototype.callFunction = function (def, ...rest) {
  const before = this.runs.get(def) ?? 0;
  const hits = this.memo.hits;
  const recursive = this.frames.some((f) => f.def === def);
  const result = callFunction.call(this, def, ...rest);
  if ((this.runs.get(def) ?? 0) === before && this.memo.hits === hits) {
    for (const call of open) call.refused.push(recursive ? 'recursion' : before > 0 ? 'run budget' : 'depth');
  }
  return result;
};

const holdsTensor = (v, depth = 0) => v.kind === 'tensor' || v.kind === 'packed' || ((v.kind === 'tuple' || v.kind === 'list') && depth < 3 && v.items.some((i) => holdsTensor(i, depth + 1)));
const ranked = (v) => holdsTensor(v) && (knowledgeOf(v) === 'rank' || knowledgeOf(v) === 'full');

let file = '';
const callValue = Interpreter.prototype.callValue;
Interpreter.prototype.callValue = function (callee, a, kw, expr, partial) {
  const inForward = this.frames[this.frames.length - 1]?.inForward === true;
  const func = expr.func;
  if (!inForward || func.kind !== 'attribute' || func.object.kind !== 'name' || func.object.id !== 'self') return callValue.call(this, callee, a, kw, expr, partial);
  const call = { lost: [], refused: [] };
  open.push(call);
  let result;
  try {
    result = callValue.call(this, callee, a, kw, expr, partial);
  } finally {
    open.pop();
  }
  if (knowledgeOf(result) !== 'unknown') return result;
  const given = [...a, ...kw.values()];
  const what = callee.kind === 'layer' ? 'layer' : callee.kind === 'instance' ? 'user module' : callee.kind === 'function' ? 'method' : callee.kind;
  let cause;
  if (callee.kind === 'unknown') cause = 'self.<attr> itself unknown';
  else if (call.refused.length) cause = `${what}: a run inside refused (${call.refused[0]})`;
  else if (!given.some(ranked) && given.some((v) => holdsTensor(v) || v.kind === 'unknown')) cause = `${what}: no argument of known rank (unknown passed on)`;
  else if (call.lost.length) cause = `${what}: rank lost inside (${call.lost[0]})`;
  else if (callee.kind === 'layer') cause = `layer ${callee.layer.kind}: gives unknown for a known rank`;
  else cause = `${what}: unknown without a counted loss (${given.some(ranked) ? 'argument of known rank' : 'no tensor argument'})`;
  const line = expr.range.start.line + 1;
  note(cause, `${file}:${line}:${expr.range.start.column}`, `${file}:${line}: ${this.ctx.text(expr.range).split('\n')[0].slice(0, 100)}`);
  return result;
};

const analyzer = await createAnalyzer();
const workspaces = new Workspaces();
for (const path of files) {
  file = path.replace(/.*\.realcode\//, '');
  try {
    analyzer.analyze(readFileSync(path, 'utf8'), path, workspaces.for(repoOf.get(path) ?? projectRootOf(path)));
  } catch (error) {
    console.error(`${path}: ${error.message}`);
  }
}

// Grouped: the layer kind and the op that lost the rank left out; then each cause in full.
const groups = new Map();
const allSites = new Set();
for (const [cause, entry] of causes) {
  const group = cause.replace(/^layer \w+:/, 'layer:').replace(/rank lost inside \(.*\)$/, 'rank lost inside (an op)');
  const g = groups.get(group) ?? { calls: 0, sites: new Set() };
  g.calls += entry.calls;
  for (const s of entry.sites) (g.sites.add(s), allSites.add(s));
  groups.set(group, g);
}
const bySites = (a, b) => b[1].sites.size - a[1].sites.size || b[1].calls - a[1].calls;
console.log(`self.<attr>(...) calls in a forward giving unknown: ${allSites.size} sites (${[...causes.values()].reduce((n, e) => n + e.calls, 0)} calls)`);
for (const [group, g] of [...groups].sort(bySites)) console.log(`${g.sites.size}\t${g.calls}\t${group}`);
console.log('\nsites\tcalls\tcause');
for (const [cause, entry] of [...causes].sort(bySites)) {
  console.log(`${entry.sites.size}\t${entry.calls}\t${cause}`);
  for (const example of entry.examples) console.log(`\t\t${example}`);
}
