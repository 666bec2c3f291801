#!/usr/bin/env node
// Measures the PyTorch model runner on real public model files: for each file of runner-files.json that
// PyTorch 1.13 built and ran (test/realcode/runner_oracle.py wrote its weights, inputs and outputs into
// .realcode/runner-oracle/), runs
//   node dist/cli.js eval --model FILE --weights model.pt --verify-shapes --inputs input.npy --outputs-out seqlens.npy --root REPOSITORY
// and sets the output beside PyTorch's first output: max absolute error ≤ 1e-4 (and, for a classifier's
// (batch, classes) output, the same argmax per row) is a match. Files are counted as
//   ran and matched / ran but differs / refused (exit 2: grouped by the CLI's reason, names and numbers elided).
// A file whose class the manifest pins gets --class; the others rely on the runner's own choice.
//
// With --per-token, the files whose model takes token ids (N, T) and returns one output per token
// ((N, T, C), (T, N, C) or flattened) are evaluated per token instead: PyTorch's argmax of each token's
// output is written as an (N, T) labels .npy beside the input, and
//   node dist/cli.js eval --model FILE --weights model.pt --data input.npy --labels labels.npy --predictions-out tags.jsonl
// runs the tagger evaluation; a file matches when every token's predicted class equals PyTorch's argmax
// (token accuracy 1 against those labels, read token by token from tags.jsonl).
//
// Usage: npm run build && node test/realcode/runner.mjs [--only SUBSTRING] [--json OUT.json] [--weights pt|safetensors] [--per-token] [--verbose]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const brought = join(root, '.realcode', 'runner');
const oracle = join(root, '.realcode', 'runner-oracle');
const cli = join(root, 'dist', 'cli.js');
const TOLERANCE = 1e-4;

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const only = option('--only', null);
const jsonOut = option('--json', null);
const weightsKind = option('--weights', 'pt');
const verbose = process.argv.includes('--verbose');
const perToken = process.argv.includes('--per-token');

/** Reads a little-endian numeric .npy (what np.save writes for float32/float64/int64/bool). */
export function readNpy(path) {
  const bytes = readFileSync(path);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const offset = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, offset);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const width = Number(descr.slice(2));
  const read = { f4: (at) => bytes.readFloatLE(at), f8: (at) => bytes.readDoubleLE(at), i8: (at) => Number(bytes.readBigInt64LE(at)), i4: (at) => bytes.readInt32LE(at), b1: (at) => bytes[at], u1: (at) => bytes[at] }[descr.slice(1)];
  if (!read) throw new Error(`${path}: dtype ${descr} not read here`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(offset + i * width);
  return { shape, data };
}

/** The reason of a refusal with the file's names, numbers and quoted text elided, so that like groups with like. */
export function reasonOf(message) {
  let text = message.replace(/^seqlens eval:\s*/, '').trim().split('\n')[0];
  text = text.replace(/^[^\s:]+\.py(:\d+)?:\s*/, '').replace(/\/\S+\.(pt|pth|npy|safetensors|py)\b/g, 'FILE');
  return text
    .replace(/; \w+'s [\w, ]+ (has|have) no default and the weights do not determine (it|them): give (it|them) with --init .*$/, '')
    .replace(/^[A-Z]\w*: (?=\S)/, '')
    .replace(/\bthe attribute \.\w+ of\b/g, 'the attribute .<attr> of')
    .replace(/\bthe name \w+, which\b/g, 'the name <name>, which')
    .replace(/\bthe constructor argument \w+ is\b/g, 'the constructor argument <arg> is')
    .replace(/^the weights disagree on .*/, 'the weights disagree on a constructor argument (two layers give it different values)')
    .replace(/\b[A-Z]\w*'s\b/g, "<Class>'s")
    .replace(/'[^']*'/g, "'…'")
    .replace(/`[^`]*`/g, '`…`')
    .replace(/<Class>'s [\w, ]+ (has|have) no default/g, "<Class>'s <params> have no default")
    .replace(/^[A-Z]\w*\.(?=self\.)/, '')
    .replace(/^[A-Z]\w*\.(?=[\w'])/, '<Class>.')
    .replace(/ \(e\.g\. [^)]*\)/g, '')
    .replace(/\b[A-Z]\w*(?=('s| has| takes| defines| is) )/g, '<Class>')
    .replace(/\bself\.\w+(\.\w+)*/g, 'self.<attr>')
    .replace(/\b(its argument|argument) \w+/g, '$1 <arg>')
    .replace(/\(the file defines: [^)]*\)/, '(…)')
    .replace(/\(its layers: [^)]*\)/, '(its layers: …)')
    .replace(/\(([A-Za-z_]\w*(, [A-Za-z_]\w*)+)\)/g, '(…)')
    .replace(/--init [\w=N,]+/g, '--init …')
    .replace(/\[[\d, ]+\]/g, '[…]')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 200);
}

function argmaxRows(array) {
  const [rows, cols] = array.shape;
  const out = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (array.data[r * cols + c] > array.data[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}

/** Compares SeqLens' output with PyTorch's; a time-major model's per-step output may come back batch-major. */
export function compare(ours, theirs, timeMajor) {
  const same = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);
  let candidate = ours;
  // predictRaw gives a rank-1 output as (n, 1).
  if (theirs.shape.length === 1 && ours.shape.length === 2 && ours.shape[1] === 1 && ours.shape[0] === theirs.shape[0]) candidate = { shape: theirs.shape, data: ours.data };
  if (!same(candidate.shape, theirs.shape) && timeMajor && ours.shape.length >= 2 && same([ours.shape[1], ours.shape[0], ...ours.shape.slice(2)], theirs.shape)) {
    const [a, b] = ours.shape;
    const inner = ours.shape.slice(2).reduce((x, y) => x * y, 1);
    const data = new Float64Array(ours.data.length);
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < inner; k++) data[(j * a + i) * inner + k] = ours.data[(i * b + j) * inner + k];
    candidate = { shape: theirs.shape, data };
  }
  if (!same(candidate.shape, theirs.shape)) return { match: false, why: `shape (${ours.shape.join(', ')}) against PyTorch's (${theirs.shape.join(', ')})` };
  let max = 0;
  for (let i = 0; i < theirs.data.length; i++) {
    const d = Math.abs(candidate.data[i] - theirs.data[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  if (max > TOLERANCE) return { match: false, why: `max abs error ${max.toExponential(2)}`, maxError: max };
  if (theirs.shape.length === 2 && theirs.shape[1] > 1) {
    const a = argmaxRows(candidate);
    const b = argmaxRows(theirs);
    if (a.some((v, i) => v !== b[i])) return { match: false, why: 'another argmax', maxError: max };
  }
  return { match: true, maxError: max };
}

/** Writes an int32 .npy. */
function writeInt32Npy(path, shape, values) {
  let header = `{'descr': '<i4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => data.writeInt32LE(v, i * 4));
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), data]));
}

/**
 * PyTorch's per-token argmax as an (N, T) array, when the output is one distribution per token of the
 * (N, T) ids: (N, T, C), (T, N, C) (a time-major model's), or (N·T, C) / (T·N, C) flattened; else null.
 */
export function perTokenArgmax(input, output, timeMajor) {
  if (input.shape.length !== 2) return null;
  const [n, t] = input.shape;
  const s = output.shape;
  let at = null;
  if (s.length === 3 && s[0] === n && s[1] === t && !(timeMajor && n !== t)) at = (b, i) => (b * t + i) * s[2];
  else if (s.length === 3 && s[0] === t && s[1] === n) at = (b, i) => (i * n + b) * s[2];
  else if (s.length === 2 && s[0] === n * t && n !== t) at = timeMajor ? (b, i) => (i * n + b) * s[1] : (b, i) => (b * t + i) * s[1];
  if (!at || n === t) return null;
  const classes = s[s.length - 1];
  if (classes < 2) return null;
  const labels = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < t; i++) {
      const base = at(b, i);
      let best = 0;
      for (let c = 1; c < classes; c++) if (output.data[base + c] > output.data[base + best]) best = c;
      labels.push(best);
    }
  }
  return { shape: [n, t], labels, classes };
}

/** Runs the tagger evaluation on PyTorch's argmax labels; the verdict compares every scored token's prediction with them. */
function perTokenRun(entry, dir, model) {
  const input = readNpy(join(dir, 'input.npy'));
  const output = readNpy(join(dir, 'output_0.npy'));
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const argmax = perTokenArgmax(input, output, meta.input?.layout === 'time-major');
  if (!argmax) return null;
  const labelsPath = join(dir, 'per-token-labels.npy');
  writeInt32Npy(labelsPath, argmax.shape, argmax.labels);
  const tagsPath = join(dir, 'seqlens-tags.jsonl');
  const args = [cli, 'eval', '--model', model, '--weights', join(dir, weightsKind === 'safetensors' ? 'model.safetensors' : 'model.pt'), '--data', join(dir, 'input.npy'), '--labels', labelsPath, '--predictions-out', tagsPath, '--format', 'json', '--root', join(brought, entry.repo.replace('/', '__'))];
  if (entry.class) args.push('--class', entry.class);
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (run.status !== 0) {
    const message = (run.stderr || run.stdout || `exit ${run.status} ${run.signal ?? ''}`).trim();
    return { verdict: run.status === 2 ? 'refused' : 'crashed', message: message.split('\n')[0], reason: run.status === 2 ? reasonOf(message) : `exit ${run.status ?? run.signal}` };
  }
  const report = JSON.parse(run.stdout);
  let tokens = 0;
  let differ = 0;
  for (const line of readFileSync(tagsPath, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { seq_id: b, positions, predictions } = JSON.parse(line);
    positions.forEach((i, k) => {
      tokens++;
      if (Number(predictions[k]) !== argmax.labels[b * argmax.shape[1] + i]) differ++;
    });
  }
  const note = (report.model?.notes ?? []).find((n) => n.startsWith('a tagger')) ?? '';
  if (differ > 0 || tokens === 0) return { verdict: 'differs', why: `${differ} of ${tokens} tokens with another argmax than PyTorch's`, tokens, note };
  return { verdict: 'matched', tokens, of: argmax.shape[0] * argmax.shape[1], classes: argmax.classes, accuracy: report.tokenAccuracy, note };
}

function entries(manifest) {
  const out = [];
  for (const repo of manifest.repos) {
    for (const path of repo.files) out.push({ repo: repo.repo, path, ...(repo.models?.[path] ?? {}) });
  }
  return out;
}

function main() {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
  const manifest = JSON.parse(readFileSync(join(here, 'runner-files.json'), 'utf8'));
  const results = [];
  let oracleMissing = 0;
  for (const entry of entries(manifest)) {
    const id = `${entry.repo}/${entry.path}`;
    if (only && !id.includes(only)) continue;
    const dir = join(oracle, entry.repo.replace('/', '__'), entry.path);
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath)) { oracleMissing++; continue; }
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.status !== 'ok') { results.push({ id, verdict: 'pytorch-failed', why: meta.error }); continue; }
    const model = join(brought, entry.repo.replace('/', '__'), entry.path);
    if (perToken) {
      const result = perTokenRun(entry, dir, model);
      if (result) results.push({ id, ...result });
      continue;
    }
    const outPath = join(dir, 'seqlens.npy');
    const args = [cli, 'eval', '--model', model, '--weights', join(dir, weightsKind === 'safetensors' ? 'model.safetensors' : 'model.pt'), '--verify-shapes', '--inputs', join(dir, 'input.npy'), '--outputs-out', outPath, '--format', 'json'];
    if (entry.class) args.push('--class', entry.class);
    // A second sequence input (a decoder's trg) gets what PyTorch got: the same input.npy.
    for (const [name] of (meta.input?.args ?? []).filter(([, how]) => how === 'input').slice(1)) args.push('--input', `${name}=${join(dir, 'input.npy')}`);
    // The repository is the project: what the file imports from its other modules is read there.
    args.push('--root', join(brought, entry.repo.replace('/', '__')));
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    if (run.status !== 0) {
      const message = (run.stderr || run.stdout || `exit ${run.status} ${run.signal ?? ''}`).trim();
      results.push({ id, verdict: run.status === 2 ? 'refused' : 'crashed', message: message.split('\n')[0], reason: run.status === 2 ? reasonOf(message) : `exit ${run.status ?? run.signal}` });
      continue;
    }
    const ours = readNpy(outPath);
    const theirs = readNpy(join(dir, 'output_0.npy'));
    const verdict = compare(ours, theirs, meta.input?.layout === 'time-major');
    results.push({ id, verdict: verdict.match ? 'matched' : 'differs', why: verdict.why, maxError: verdict.maxError });
  }
  const counted = results.filter((r) => r.verdict !== 'pytorch-failed');
  const by = (v) => counted.filter((r) => r.verdict === v);
  const refusals = new Map();
  for (const r of [...by('refused'), ...by('crashed')]) refusals.set(r.reason, [...(refusals.get(r.reason) ?? []), r]);
  const lines = [];
  if (perToken) {
    lines.push(`${counted.length} real model files take token ids and return one output per token in PyTorch 1.13; evaluated per token against PyTorch's argmax as the gold labels (--per-token):`);
    lines.push(`  every scored token's prediction equals PyTorch's argmax: ${by('matched').length}`);
    for (const r of by('matched')) lines.push(`    ${r.id}: ${r.tokens} of ${r.of} tokens scored, ${r.classes} classes`);
  } else lines.push(`${counted.length} real model files run by PyTorch 1.13 (${results.length - counted.length} it could not build are left out${oracleMissing ? `; ${oracleMissing} have no oracle output yet` : ''})`);
  if (!perToken) lines.push(`  ran and matched PyTorch (max abs error ≤ ${TOLERANCE}, same argmax): ${by('matched').length}`);
  lines.push(`  ran but differs: ${by('differs').length}`);
  for (const r of by('differs')) lines.push(`    ${r.id}: ${r.why}`);
  lines.push(`  refused: ${by('refused').length}${by('crashed').length ? `, crashed: ${by('crashed').length}` : ''}`);
  for (const [reason, list] of [...refusals.entries()].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`    ${String(list.length).padStart(3)}  ${reason}`);
    if (verbose) for (const r of list) lines.push(`           ${r.id}: ${r.message}`);
  }
  if (verbose) for (const r of results.filter((x) => x.verdict === 'pytorch-failed')) lines.push(`  PyTorch could not build ${r.id}: ${r.why}`);
  console.log(lines.join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
