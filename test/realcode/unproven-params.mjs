#!/usr/bin/env node
// Why the functions run inside a forward keep parameters of unknown rank: for every (function, parameter) bound to a
// value of unknown kind or a tensor of unknown rank at every run, and whose rank ops/rank-from-use does not prove from
// the body, the first of these that holds:
//   - proven, but the argument is of unknown kind (refineRanksByUse gives a rank to a tensor of unknown rank only);
//   - the facts contradict (no rank is left);
//   - the parameter is not used in the body, or never given to an op (only returned, stored, put in a container);
//   - the body proves it once every statement is read (loop and try bodies, both branches, after a return): the
//     pinning statement is not on every path;
//   - it reaches a user function whose body is not read (why: depth, recursion, no body);
//   - its provenance stops at an op not in rank-from-use's tables (which op: ranked below);
//   - some ranks are ruled out but not all but one (e.g. Linear's "at least 1");
//   - otherwise only ops of any rank read it, and nothing downstream pins a rank.
// Each cause is ranked by the parameters it holds and by the names it would unlock: the names assigned in the
// function's own body, unknown at every run, whose value is computed from the parameter. For forwards nothing in their
// own file calls (run with symbolic tensors): how many are instantiated in another file of their repository, and what
// the argument holds when that file's analysis runs the forward. Runs the compiled analysis in out/ (`npx tsc -p .`).
//
// Usage: node test/realcode/unproven-params.mjs [--family torch|attention] [--examples N] [--no-callers] [FILE...]
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compiled, root, tracingArgs } from './measured-files.mjs';

const { createAnalyzer } = compiled('analysis/index.js');
const { siteTrace, knowledgeOf } = compiled('analysis/coverage.js');
const { Interpreter } = compiled('analysis/interpret/interpreter.js');
const { Workspaces, projectRootOf } = compiled('workspace/disk-provider.js');
const { foreignFileOf } = compiled('analysis/workspace/modules.js');
const { rankTrace, ranksProvenByUse } = compiled('analysis/ops/rank-from-use.js');
const { walkStatements } = compiled('analysis/parse/walk.js');

const { family, examples, has, files, repoOf } = tracingArgs();
const callers = !has('--no-callers');

// The interpreter running now (siteTrace.param is called inside its run).
let interpreter;
const callFunction = Interpreter.prototype.callFunction;
Interpreter.prototype.callFunction = function (...rest) {
  const outer = interpreter;
  interpreter = this;
  try {
    return callFunction.apply(this, rest);
  } finally {
    interpreter = outer;
  }
};

const unknownRank = (v) => v.kind === 'unknown' || (v.kind === 'tensor' && !v.shape.rankKnown);

/** The names an expression reads (a generic walk over the node). */
function namesIn(node, out = new Set(), depth = 0) {
  if (!node || typeof node !== 'object' || depth > 60) return out;
  if (Array.isArray(node)) {
    for (const n of node) namesIn(n, out, depth + 1);
    return out;
  }
  if (node.kind === 'name' && typeof node.id === 'string') out.add(node.id);
  for (const [k, v] of Object.entries(node)) if (k !== 'range' && k !== 'attrRange' && k !== 'nameRange' && v && typeof v === 'object') namesIn(v, out, depth + 1);
  return out;
}

/** Whether `name` is read by a call (as its receiver or an argument), an arithmetic op or a subscript in the body. */
function givenToAnOp(body, name) {
  let found = false;
  const visit = (node, depth = 0) => {
    if (found || !node || typeof node !== 'object' || depth > 60) return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1));
    if (node.kind === 'call' || node.kind === 'binop' || node.kind === 'subscript' || node.kind === 'unary' || (node.kind === 'attribute' && node.object?.kind === 'name' && node.object.id === name)) {
      const inputs = node.kind === 'call' ? [node.func.kind === 'attribute' ? node.func.object : undefined, ...node.args, ...node.keywords.map((k) => k.value)] : node.kind === 'binop' ? [node.left, node.right] : node.kind === 'subscript' ? [node.value] : node.kind === 'unary' ? [node.operand] : [node.object];
      if (inputs.some((e) => e && e.kind === 'name' && e.id === name)) found = true;
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'range' && v && typeof v === 'object') visit(v, depth + 1);
  };
  visit(body);
  return found;
}

/** Every statement read as if it ran, in order: both branches, loop and try bodies, what follows a return. */
function flattened(stmts) {
  const asExpr = (value, range) => ({ kind: 'expr', value, range });
  return stmts.flatMap((s) => {
    switch (s.kind) {
      case 'if':
        return [asExpr(s.test, s.range), ...flattened(s.body), ...flattened(s.orelse)];
      case 'for':
        return [asExpr(s.iter, s.range), ...flattened(s.body), ...flattened(s.orelse)];
      case 'while':
        return [asExpr(s.test, s.range), ...flattened(s.body)];
      case 'try':
        return [...flattened(s.body), ...s.handlers.flatMap(flattened), ...flattened(s.orelse), ...flattened(s.final)];
      case 'with':
        return [{ ...s, body: flattened(s.body) }];
      case 'return':
        return s.value ? [asExpr(s.value, s.range)] : [];
      case 'other':
        return s.exprs.map((e) => asExpr(e, s.range));
      default:
        return [s];
    }
  });
}

/** The keys (line:column) of the names an assignment computed from `param` binds, through the body's data flow. */
function taintedSites(def, param) {
  const tainted = new Set([param]);
  const sites = new Set();
  const bind = (t) => {
    if (!t) return;
    if (t.kind === 'name') {
      tainted.add(t.id);
      sites.add(`${t.range.start.line}:${t.range.start.column}`);
    } else if (t.kind === 'tuple' || t.kind === 'list') {
      sites.add(`${t.range.start.line}:${t.range.start.column}`);
      t.items.forEach(bind);
    } else if (t.kind === 'starred') bind(t.value);
    else sites.add(`${t.range.start.line}:${t.range.start.column}`);
  };
  // Twice: a loop may carry a value to an earlier statement.
  for (let pass = 0; pass < 2; pass++) {
    walkStatements(def.body, (s) => {
      const reads = (e) => [...namesIn(e)].some((n) => tainted.has(n));
      if (s.kind === 'assign' && reads(s.value)) s.targets.forEach(bind);
      else if (s.kind === 'for' && reads(s.iter)) bind(s.target);
    });
  }
  return sites;
}

/** Why the body proves no rank for `name` (see the top of this file), with the ops its provenance stopped at. */
function explain(def, name, self) {
  const own = def.params.filter((p) => !p.variadic);
  const selfName = self && own.length ? own[0].name : undefined;
  const params = (selfName !== undefined ? own.slice(1) : own).map((p) => p.name);
  const context = interpreter.staticContext(selfName, self, interpreter.globalsOf.get(def) ?? interpreter.module);
  const stops = [];
  const unfollowed = [];
  let ranks;
  rankTrace.stopped = (op, roots) => {
    if (roots.includes(name)) stops.push(op);
  };
  rankTrace.unfollowed = (why, roots) => {
    if (roots.includes(name)) unfollowed.push(why);
  };
  rankTrace.finished = (d, r) => {
    if (d === def) ranks = r.get(name);
  };
  let everyStatement;
  try {
    ranksProvenByUse(def, params, context, selfName);
    rankTrace.stopped = rankTrace.unfollowed = rankTrace.finished = undefined;
    everyStatement = ranksProvenByUse({ ...def, body: flattened(def.body) }, params, context, selfName).params.has(name);
  } finally {
    rankTrace.stopped = rankTrace.unfollowed = rankTrace.finished = undefined;
  }
  const left = ranks ? ranks.filter(Boolean).length : undefined;
  if (left === 0) return { cause: 'the facts contradict (no rank left)' };
  if (!namesIn(def.body).has(name)) return { cause: 'not used in the body' };
  if (!givenToAnOp(def.body, name)) return { cause: 'never given to an op (returned, stored or put in a container only)' };
  if (everyStatement) return { cause: 'the pinning statement is not on every path' };
  if (unfollowed.length) return { cause: `reaches a user function whose body is not read (${unfollowed[0]})` };
  if (stops.length) return { cause: 'its provenance stops at an op not in the tables', stops: [...new Set(stops)] };
  if (left !== undefined && left < ranks.length) return { cause: 'some ranks ruled out, not all but one' };
  return { cause: 'only ops of any rank read it, nothing downstream pins a rank' };
}

/** Best knowledge of each name site of the file being analysed: line:column → knowledge. */
let sites = new Map();
const ORDER = { unknown: 0, value: 1, rank: 2, full: 3 };
siteTrace.sink = (range, value) => {
  const key = `${range.start.line}:${range.start.column}`;
  const k = knowledgeOf(value);
  if (!sites.has(key) || ORDER[k] > ORDER[sites.get(key)]) sites.set(key, k);
};

const causes = new Map();
const ops = new Map();
const totals = { pairs: 0, knownElsewhere: 0, unlocked: 0 };
/** Forwards nothing in their file calls: path → [{ cls, line, params: [names] }]. */
const uncalled = new Map();
const tally = (map, key, names, example) => {
  const entry = map.get(key) ?? { params: 0, names: 0, examples: [] };
  entry.params++;
  entry.names += names;
  if (entry.examples.length < examples) entry.examples.push(example);
  map.set(key, entry);
};

const analyzer = await createAnalyzer();
const workspaces = new Workspaces();
for (const file of files) {
  const path = resolve(file);
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  sites = new Map();
  /** (def, parameter) → what was found; known: bound to a known rank at some run. */
  const pairs = new Map();
  siteTrace.param = (def, name, value, symbolic) => {
    if (foreignFileOf(def.range) || !interpreter) return;
    const key = `${def.range.start.line}:${def.range.start.column}:${name}`;
    const pair = pairs.get(key) ?? { def, name, known: false };
    pairs.set(key, pair);
    if (!unknownRank(value)) {
      pair.known = true;
      return;
    }
    if (pair.why) return;
    const frame = interpreter.frames[interpreter.frames.length - 1];
    const self = frame?.def === def ? frame.self : undefined;
    const proven = interpreter.provenRanks(def, self).params.has(name);
    pair.symbolic = symbolic;
    pair.cls = frame?.cls?.name;
    if (proven) pair.why = { cause: value.kind === 'tensor' ? 'proven (a tensor of unknown rank refined)' : 'proven, but the argument is of unknown kind (only a tensor is refined)' };
    else pair.why = explain(def, name, self);
  };
  try {
    analyzer.analyze(text, path, workspaces.for(repoOf.get(path) ?? projectRootOf(path)));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
  }
  siteTrace.param = undefined;
  for (const pair of pairs.values()) {
    if (!pair.why) continue;
    if (pair.known) {
      totals.knownElsewhere++;
      continue;
    }
    totals.pairs++;
    const names = [...taintedSites(pair.def, pair.name)].filter((k) => sites.get(k) === 'unknown').length;
    totals.unlocked += names;
    const line = pair.def.range.start.line;
    const example = `${relative(root, path)}:${line + 1}: ${pair.name} in ${(lines[line] ?? '').trim().slice(0, 90)} (${names} names)`;
    tally(causes, pair.why.cause, names, example);
    for (const op of pair.why.stops ?? []) tally(ops, op, names, example);
    if (pair.symbolic === 'tensors' && pair.def.name === 'forward' && pair.cls) {
      const list = uncalled.get(path) ?? [];
      let entry = list.find((e) => e.line === line);
      if (!entry) list.push((entry = { cls: pair.cls, line, params: [], names: 0 }));
      entry.params.push(pair.name);
      entry.names += names;
      uncalled.set(path, list);
    }
  }
}

const sorted = (map) => [...map].sort((a, b) => b[1].names - a[1].names || b[1].params - a[1].params);
console.log(`(function, parameter) pairs of unknown rank at every run: ${totals.pairs} (${totals.unlocked} names computed from them, unknown); unknown at one run and known at another: ${totals.knownElsewhere}`);
console.log('\nparams\tnames\tcause');
for (const [cause, e] of sorted(causes)) {
  console.log(`${e.params}\t${e.names}\t${cause}`);
  for (const ex of e.examples) console.log(`\t\t${ex}`);
}
console.log('\nparams\tnames\top its provenance stopped at (a parameter counts under each op it stopped at)');
for (const [op, e] of sorted(ops).slice(0, 60)) {
  console.log(`${e.params}\t${e.names}\t${op}`);
  for (const ex of e.examples.slice(0, 2)) console.log(`\t\t${ex}`);
}

if (callers) {
  // Forwards nothing calls in their own file: is the class instantiated in another file of the repository, and what
  // does its forward get when that file is analysed?
  const forwards = [...uncalled].flatMap(([path, list]) => list.map((e) => ({ path, ...e })));
  const repoFiles = new Map();
  const pyFiles = (dir, out = [], depth = 0) => {
    if (depth > 8 || out.length > 5000) return out;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.name.startsWith('.')) continue;
      const p = join(dir, d.name);
      if (d.isDirectory()) pyFiles(p, out, depth + 1);
      else if (d.name.endsWith('.py')) out.push(p);
    }
    return out;
  };
  const callerFiles = new Map();
  let withCaller = 0;
  let namesWithCaller = 0;
  for (const f of forwards) {
    f.callers = [];
    const repo = repoOf.get(f.path) ?? /^.*\/\.realcode\/[^/]+\/[^/]+/.exec(f.path)?.[0];
    if (!repo) continue;
    if (!repoFiles.has(repo)) repoFiles.set(repo, pyFiles(repo));
    const made = new RegExp(`\\b${f.cls}\\s*\\(`);
    const found = repoFiles.get(repo).filter((p) => p !== f.path && made.test(readFileSync(p, 'utf8')));
    f.callers = found;
    if (found.length) {
      withCaller++;
      namesWithCaller += f.names;
      for (const p of found) callerFiles.set(p, repo);
    }
  }
  // What the forward's parameters hold when another file's analysis runs it.
  const heldBy = new Map();
  const targets = new Map(forwards.map((f) => [`${f.path}:${f.line}`, f]));
  const held = new Map();
  for (const [p, repo] of [...callerFiles].slice(0, 400)) {
    siteTrace.param = (def, name, value, symbolic) => {
      const foreign = foreignFileOf(def.range);
      if (!foreign || def.name !== 'forward') return;
      const f = targets.get(`${resolve(foreign.path)}:${def.range.start.line}`);
      if (!f || !f.params.includes(name)) return;
      const k = `${f.path}:${f.line}:${name}`;
      const what = symbolic ? 'run symbolically (nothing in that file calls it either)' : value.kind === 'tensor' ? (value.shape.rankKnown ? 'a tensor of known rank' : 'a tensor of unknown rank') : value.kind === 'unknown' ? 'a value of unknown kind' : `a ${value.kind}`;
      const best = held.get(k);
      const order = ['run symbolically (nothing in that file calls it either)', 'a value of unknown kind', 'a tensor of unknown rank'];
      if (!best || order.indexOf(what) === -1 || order.indexOf(what) > order.indexOf(best)) held.set(k, what);
    };
    try {
      analyzer.analyze(readFileSync(p, 'utf8'), p, workspaces.for(repo));
    } catch (error) {
      console.error(`${p}: ${error.message}`);
    }
    siteTrace.param = undefined;
  }
  for (const f of forwards.filter((x) => x.callers.length)) {
    for (const name of f.params) {
      const what = held.get(`${f.path}:${f.line}:${name}`) ?? 'not run by the analysis of the files that instantiate it';
      const e = heldBy.get(what) ?? { params: 0, examples: [] };
      e.params++;
      if (e.examples.length < examples) e.examples.push(`${relative(root, f.path)}:${f.line + 1}: ${f.cls}.forward(${name}) made in ${relative(root, f.callers[0])}`);
      heldBy.set(what, e);
    }
  }
  console.log(`\nforwards nothing in their own file calls, with a parameter of unknown rank: ${forwards.length} (${forwards.reduce((n, f) => n + f.names, 0)} names); instantiated in another file of the repository: ${withCaller} (${namesWithCaller} names; ${callerFiles.size} files${callerFiles.size > 400 ? ', the first 400 analysed' : ''})`);
  console.log('params\twhat the forward\'s parameter holds when that file is analysed');
  for (const [what, e] of [...heldBy].sort((a, b) => b[1].params - a[1].params)) {
    console.log(`${e.params}\t${what}`);
    for (const ex of e.examples) console.log(`\t\t${ex}`);
  }
}
