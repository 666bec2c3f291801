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
// Usage: npm run build && node test/realcode/runner.mjs [--only SUBSTRING] [--json OUT.json] [--weights pt|safetensors] [--verbose]
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
  lines.push(`${counted.length} real model files run by PyTorch 1.13 (${results.length - counted.length} it could not build are left out${oracleMissing ? `; ${oracleMissing} have no oracle output yet` : ''})`);
  lines.push(`  ran and matched PyTorch (max abs error ≤ ${TOLERANCE}, same argmax): ${by('matched').length}`);
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
