#!/usr/bin/env node
// Why functions run inside a forward are given unknowns: for each call that binds a parameter to a value of unknown
// kind or a tensor of unknown rank, the caller's argument expression and where its value came from (the binding of
// the name in the caller: a loop over a data loader, `next(iter(...))`, unpacking a helper's return, an attribute set
// on self elsewhere, ...), ranked over the corpus. Runs the compiled analysis in out/ (`npx tsc -p .` first).
//
// Usage: node test/realcode/unknown-args.mjs [--family torch|attention] [--examples N] [FILE...]
// Prints the causes, most frequent first, each with its count and up to N example lines (default 3).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { compiled, root, tracingArgs } from './measured-files.mjs';

const { createAnalyzer } = compiled('analysis/index.js');
const { siteTrace, knowledgeOf } = compiled('analysis/coverage.js');
const { Interpreter } = compiled('analysis/interpret/interpreter.js');
const { Workspaces, projectRootOf } = compiled('workspace/disk-provider.js');
const { foreignFileOf } = compiled('analysis/workspace/modules.js');

const { family, examples, files, repoOf } = tracingArgs();

// The calls being made now, innermost last, each with the function the call is written in.
const calls = [];
let interpreter;
const callValue = Interpreter.prototype.callValue;
Interpreter.prototype.callValue = function (callee, a, kw, expr, partial) {
  interpreter = this;
  calls.push({ expr, caller: this.frames[this.frames.length - 1]?.def });
  try {
    return callValue.call(this, callee, a, kw, expr, partial);
  } finally {
    calls.pop();
  }
};

// Calls of user functions inside a forward that the interpreter refused to run (so their result is unknown), by why.
const refused = { 'run budget': 0, recursion: 0, depth: 0 };
const refusedSites = { 'run budget': new Set(), recursion: new Set(), depth: new Set() };
let currentFile = '';
let memoHits = 0;
const callFunction = Interpreter.prototype.callFunction;
Interpreter.prototype.callFunction = function (def, ...rest) {
  const before = this.runs.get(def) ?? 0;
  const inForward = this.frames[this.frames.length - 1]?.inForward === true;
  const recursive = this.frames.some((f) => f.def === def);
  const hitsBefore = this.memo.hits;
  const result = callFunction.call(this, def, ...rest);
  // A call given a kept run's result (interpret/run-memo) is not refused.
  if (this.memo.hits > hitsBefore) memoHits++;
  else if (inForward && (this.runs.get(def) ?? 0) === before) {
    const why = recursive ? 'recursion' : before > 0 ? 'run budget' : 'depth';
    refused[why]++;
    const at = calls[calls.length - 1]?.expr.range.start;
    if (at) refusedSites[why].add(`${currentFile}:${at.line}:${at.column}`);
  }
  return result;
};

const word = (name) => new RegExp(`(^|[^\\w.])${name.replace(/[$]/g, '\\$&')}([^\\w]|$)`);

/** The last line at or before `line` (within [from, line]) that binds `name`, with what binds it. */
function bindingOf(lines, name, from, line) {
  const has = word(name);
  for (let i = line; i >= from; i--) {
    const text = lines[i] ?? '';
    let m = /^\s*(?:async\s+)?for\s+(.+?)\s+in\s+(.+?):?\s*(#.*)?$/.exec(text);
    if (m && has.test(m[1])) return { how: 'for', rhs: m[2], lhs: m[1], text, line: i };
    m = /^\s*(?:with\s+.*\s+as\s+)(.+):/.exec(text);
    if (m && has.test(m[1])) return { how: 'with', rhs: text, lhs: m[1], text, line: i };
    m = /^\s*def\s+\w+\s*\((.*)/.exec(text);
    if (m && has.test(m[1])) return { how: 'param', rhs: '', lhs: m[1], text, line: i };
    m = /^\s*([^=#]+?)\s*(?:[-+*/]?=)(?!=)\s*(.+)$/.exec(text);
    if (m && !/^\s*(if|elif|while|assert|return)\b/.test(text) && has.test(m[1]) && !/[([]\s*$/.test(m[1])) {
      const lhs = m[1].trim();
      if (lhs.startsWith('self.') && lhs !== name) continue;
      return { how: /,/.test(lhs.replace(/\[[^\]]*\]/g, '')) ? 'unpack' : 'assign', rhs: m[2], lhs, text, line: i };
    }
  }
  return undefined;
}

function kindOfIterable(rhs) {
  if (/next\(\s*iter\(/.test(rhs)) return 'next(iter(...))';
  if (/loader|DataLoader|data_iter|dataiter|train_iter|val_iter|test_iter|iterator|BucketIterator|batches|batch_iter|get_batch|\bdl\b|_dl\b/i.test(rhs)) return 'a data loader or iterator';
  if (/\brange\(/.test(rhs)) return 'range';
  if (/\bzip\(/.test(rhs)) return 'zip(...)';
  if (/^enumerate\(/.test(rhs)) return `enumerate(${kindOfIterable(rhs.slice(10))})`;
  if (/\bself\./.test(rhs)) return 'an attribute of self';
  if (/dataset|data\b|\bX\b|train|test|valid/i.test(rhs)) return 'a dataset or data variable';
  return 'other';
}

function kindOfRhs(rhs) {
  const r = rhs.trim();
  if (/^next\(\s*iter\(/.test(r) || /^next\(/.test(r)) return 'next(...)';
  if (/^(torch\.autograd\.)?Variable\(/.test(r)) return `Variable(${kindOfRhs(r.replace(/^(torch\.autograd\.)?Variable\(/, ''))})`;
  if (/^(torch|F|nn)\./.test(r)) return 'a torch call';
  if (/^np\.|^numpy\./.test(r)) return 'a numpy call';
  if (/^\w+\.(to|cuda|float|long|cpu|detach|contiguous)\(/.test(r)) return 'a device/dtype move of a name';
  if (/^self\.\w+\(/.test(r)) return 'a call of self.<attr> (method or module)';
  if (/^self\.\w+(\.\w+)*\s*$/.test(r)) return 'an attribute of self';
  if (/^self\./.test(r)) return 'an expression on self';
  if (/^batch(\.|\[)/.test(r)) return 'a field of a batch';
  if (/^\w+\.\w+\s*$/.test(r)) return 'an attribute of a name';
  if (/^\w+\[/.test(r)) return 'a subscript of a name';
  if (/^[A-Za-z_][\w.]*\(/.test(r)) return 'a call of a user function or class';
  if (/^\(|^\[/.test(r)) return 'a tuple/list expression';
  return 'other';
}

/** Where an argument expression's value came from. */
function causeOf(argText, lines, callerStart, callLine, callerParams, depth = 0) {
  const t = argText.trim();
  if (/^self\.\w+$/.test(t)) return 'self.<attr> argument (set on self elsewhere)';
  if (/^self\./.test(t)) return 'expression on self';
  if (/^[A-Za-z_]\w*$/.test(t)) {
    const b = bindingOf(lines, t, callerStart, callLine);
    if (!b) return callerParams.has(t) ? "caller's own parameter" : 'name bound outside the caller (global or not found)';
    if (b.how === 'for') return `loop variable over ${kindOfIterable(b.rhs)}`;
    if (b.how === 'param') return callerStart === b.line ? "caller's own parameter" : 'parameter of an enclosing def';
    if (b.how === 'with') return 'with ... as';
    // `a, b = inputs`, `x = y`: where that name came from.
    if (/^[A-Za-z_]\w*\s*$/.test(b.rhs) && depth < 3 && b.line < callLine + 1) {
      const further = causeOf(b.rhs, lines, callerStart, b.line - 1, callerParams, depth + 1);
      return `${b.how === 'unpack' ? 'unpacked' : 'assigned'} from a name that is: ${further.replace(/^(unpacked|assigned) from a name that is: /, '')}`;
    }
    if (b.how === 'unpack') return `unpacked from ${kindOfRhs(b.rhs)}`;
    return `assigned from ${kindOfRhs(b.rhs)}`;
  }
  if (/^[A-Za-z_]\w*\.\w+$/.test(t)) return /^batch\./.test(t) ? 'batch.<field> (torchtext-style)' : 'attribute of a name';
  if (/^[A-Za-z_]\w*\[/.test(t)) return 'subscript of a name';
  return `inline ${kindOfRhs(t)}`;
}

const causes = new Map();
// Per function, per parameter: why it was unknown when the function was run (or that nothing called it).
let paramCauses = new Map();
const perKind = { unknown: 0, 'tensor?': 0 };
// Parameters of unknown kind at a caller's run whose rank the function's body proves (ops/rank-from-use), which
// refineRanksByUse applies only to tensors of unknown rank; and (function, parameter) pairs unknown at one run and
// known at another (the sites count the best run).
let provenForUnknown = 0;
const knownAtSomeRun = new Set();
const unknownAtSomeRun = new Set();
const analyzer = await createAnalyzer();
const workspaces = new Workspaces();
for (const file of files) {
  const path = resolve(file);
  currentFile = path;
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  // Once per (function, parameter, call expression): a loop runs a call more than once.
  const seen = new Set();
  paramCauses = new Map();
  const noteCause = (def, name, cause) => {
    if (!paramCauses.has(def)) paramCauses.set(def, new Map());
    paramCauses.get(def).set(name, cause);
  };
  siteTrace.param = (def, name, value, symbolic) => {
    const pair = `${path}:${def.range.start.line}:${def.range.start.column}:${name}`;
    if (!symbolic) (knowledgeOf(value) === 'unknown' ? unknownAtSomeRun : knownAtSomeRun).add(pair);
    if (knowledgeOf(value) !== 'unknown') return;
    if (symbolic) {
      noteCause(def, name, symbolic === 'tensors' ? 'a parameter of a function nothing calls (a tensor of unknown rank)' : 'a parameter of a model built symbolically');
      return;
    }
    const what = value.kind === 'tensor' ? 'tensor?' : value.kind;
    if (what !== 'unknown' && what !== 'tensor?') return;
    const call = calls[calls.length - 1];
    if (!call) return;
    // A call written in an imported file is counted when that file is analysed, as --stats counts its names.
    if (foreignFileOf(call.expr.range)) return;
    const callLines = lines;
    const where = relative(root, path);
    const key = `${def.range.start.line}:${name}:${call.expr.range.start.line}:${call.expr.range.start.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (what === 'unknown' && interpreter) {
      const frame = interpreter.frames[interpreter.frames.length - 1];
      if (frame?.def === def && interpreter.provenRanks(def, frame.self).params.has(name)) provenForUnknown++;
    }
    const params = def.params.filter((p) => !p.variadic).map((p) => p.name);
    const method = params[0] === 'self' || params[0] === 'cls';
    const index = params.indexOf(name) - (method ? 1 : 0);
    const keyword = call.expr.keywords.find((k) => k.name === name);
    const argExpr = keyword?.value ?? call.expr.args[index];
    const sliceOf = (r) => (r.start.line === r.end.line ? (callLines[r.start.line] ?? '').slice(r.start.column, r.end.column) : (callLines[r.start.line] ?? '').slice(r.start.column) + '…');
    const argText = argExpr ? sliceOf(argExpr.range) : '(default or *args)';
    const callLine = call.expr.range.start.line;
    const callerStart = call.caller ? call.caller.range.start.line : 0;
    let cause = argExpr ? causeOf(argText, callLines, callerStart, callLine, new Set(call.caller?.params.map((p) => p.name) ?? [])) : 'no visible argument (default, *args)';
    // Passed on from the caller's own parameter: the cause is why that one was unknown.
    if (cause === "caller's own parameter") {
      const upstream = call.caller && paramCauses.get(call.caller)?.get(argText.trim());
      cause = `via the caller's parameter: ${upstream ? upstream.replace(/^via the caller's parameter: /, '') : '(not traced: the caller runs outside a forward, or was called from another file)'}`;
    }
    noteCause(def, name, cause);
    const k = `${what}\t${cause}`;
    perKind[what]++;
    const entry = causes.get(k) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < examples) entry.examples.push(`${where}:${callLine + 1}: ${name}=${argText} in ${(callLines[callLine] ?? '').trim().slice(0, 100)}`);
    causes.set(k, entry);
  };
  try {
    analyzer.analyze(text, path, workspaces.for(repoOf.get(path) ?? projectRootOf(path)));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
  }
  siteTrace.param = undefined;
}
console.log(`parameters bound to unknown: ${perKind.unknown} (${provenForUnknown} of them with a rank the body proves); to a tensor of unknown rank: ${perKind['tensor?']}`);
console.log(`calls given a kept run's result (interpret/run-memo): ${memoHits}`);
console.log(`calls of user functions inside a forward refused (each time / at distinct call sites): ${Object.keys(refused).map((k) => `${k} ${refused[k]} / ${refusedSites[k].size}`).join(', ')}`);
console.log(`(function, parameter) pairs unknown at some caller's run: ${unknownAtSomeRun.size}, known at another: ${[...unknownAtSomeRun].filter((p) => knownAtSomeRun.has(p)).length}`);
for (const [k, e] of [...causes].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`${e.count}\t${k}`);
  for (const ex of e.examples) console.log(`\t\t${ex}`);
}
