// `seqlens eval` end to end on generated 1M- and 10M-row CSVs, beside pandas + scikit-learn
// (Debian's /usr/bin/python3) computing the same metrics on the same file; time per backend,
// peak RSS, and the counting kernel's throughput beside np.bincount.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'seqlens eval vs pandas + scikit-learn';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const require = createRequire(join(root, 'package.json'));

// The same metrics the CLI reports for a binary file with labels, predictions and scores.
const PYTHON_REFERENCE = `
import resource, sys, time
t0 = time.perf_counter()
import pandas as pd
from sklearn import metrics as M
df = pd.read_csv(sys.argv[1])
y, p, s = df.y_true.to_numpy(), df.y_pred.to_numpy(), df.score.to_numpy()
labels = sorted(set(y) | set(p))
M.confusion_matrix(y, p, labels=labels)
M.precision_recall_fscore_support(y, p, labels=labels)
for avg in ("macro", "micro", "weighted"):
    M.precision_recall_fscore_support(y, p, labels=labels, average=avg)
M.accuracy_score(y, p); M.balanced_accuracy_score(y, p); M.matthews_corrcoef(y, p); M.cohen_kappa_score(y, p)
M.roc_auc_score(y, s); M.average_precision_score(y, s); M.log_loss(y, s)
M.roc_curve(y, s); M.precision_recall_curve(y, s)
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
`;

const PYTHON_BINCOUNT = `
import sys, time, numpy as np
n = int(sys.argv[1]); k = 10
rng = np.random.default_rng(0)
idx = rng.integers(0, k, n) * k + rng.integers(0, k, n)
best = min((lambda t: (np.bincount(idx, minlength=k * k), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))
print(best)
`;

async function generate(path, rows) {
  const out = createWriteStream(path);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  out.write('y_true,y_pred,score\n');
  let batch = [];
  for (let i = 0; i < rows; i++) {
    const y = random() < 0.3 ? 1 : 0;
    // A model that separates the classes imperfectly: full-precision scores, as pandas writes them.
    const z = (random() + random() + random() - 1.5) * 2 + (y ? 1.2 : -1.2);
    const score = 1 / (1 + Math.exp(-z));
    batch.push(`${y},${score >= 0.5 ? 1 : 0},${score}\n`);
    if (batch.length === 50_000) {
      if (!out.write(batch.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

function runCli(file, backend, peakHook) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--require', peakHook, cli, 'eval', file, '--backend', backend], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    const message = (child.stderr || '').split('\n').find((line) => line.startsWith('seqlens')) ?? `exit ${child.status}`;
    return { error: message };
  }
  const peak = /PEAK_RSS_KB (\d+)/.exec(child.stderr);
  return { seconds, peakMB: peak ? Number(peak[1]) / 1024 : NaN };
}

function runPython(script, args) {
  const child = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`pandas + scikit-learn reference failed: ${(child.stderr || '').trim().split('\n').pop()}`);
  return child.stdout.trim().split(/\s+/).map(Number);
}

async function countingRows(n) {
  const tf = require('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  const k = 10;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = ((Math.random() * k) | 0) * k + ((Math.random() * k) | 0);
  const [numpySeconds] = runPython(PYTHON_BINCOUNT, [String(n)]);
  const rows = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      const x = tf.tensor1d(idx, 'int32');
      const w = tf.tensor1d([], 'int32');
      const counts = tf.denseBincount(x, w, k * k);
      await counts.data();
      tf.dispose([x, w, counts]);
      best = Math.min(best, performance.now() - t);
    }
    rows.push({ metric: `count ${n / 1e6}M labels, denseBincount (${backend})`, value: best, unit: 'ms', reference: { name: 'np.bincount', value: numpySeconds * 1000 } });
    rows.push({ metric: `counting throughput (${backend})`, value: n / best / 1000, unit: 'M labels/s' });
  }
  let loop = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    const cells = new Float64Array(k * k);
    for (let i = 0; i < n; i++) cells[idx[i]]++;
    loop = Math.min(loop, performance.now() - t);
  }
  rows.push({ metric: `count ${n / 1e6}M labels, typed-array loop`, value: loop, unit: 'ms', reference: { name: 'np.bincount', value: numpySeconds * 1000 } });
  return rows;
}

export async function run({ quick }) {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  if (!existsSync('/usr/bin/python3')) throw new Error('/usr/bin/python3 (Debian python3-pandas, python3-sklearn) is needed for the reference');
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-eval-bench-'));
  const peakHook = join(dir, 'peak.cjs');
  writeFileSync(peakHook, "process.on('exit', () => process.stderr.write(`\\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");
  const rows = [];
  try {
    for (const size of quick ? [1_000_000] : [1_000_000, 10_000_000]) {
      const label = `${size / 1e6}M rows`;
      const file = join(dir, `predictions-${size}.csv`);
      await generate(file, size);
      const [pythonSeconds, pythonPeakKB] = runPython(PYTHON_REFERENCE, [file]);
      const reference = { name: 'pandas + scikit-learn', value: pythonSeconds };
      for (const backend of ['tfjs-node', 'wasm', 'cpu']) {
        const result = runCli(file, backend, peakHook);
        if (result.error) {
          rows.push({ metric: `eval ${label}, ${backend}: not available (${result.error.replace(/^seqlens eval: /, '')})`, value: NaN, unit: 's' });
          continue;
        }
        rows.push({ metric: `eval ${label}, ${backend} backend`, value: result.seconds, unit: 's', reference, target: 'ratio ≤ 0.333 (3× faster)' });
        rows.push({ metric: `peak RSS, eval ${label}, ${backend}`, value: result.peakMB, unit: 'MB', reference: { name: 'pandas + scikit-learn', value: pythonPeakKB / 1024 }, target: '≤ 500 MB' });
      }
      rmSync(file);
    }
    rows.push(...(await countingRows(quick ? 1_000_000 : 10_000_000)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
