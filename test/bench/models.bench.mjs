// Inference throughput of PyTorch classifiers run by SeqLens' general executor (the model's own
// __init__ and forward interpreted over TensorFlow.js ops, as `seqlens eval` runs any .py model),
// on each backend that starts here, beside real PyTorch on CPU (Debian's /usr/bin/python3) running
// the same model (same source, same weights) on the same batch with the same thread count:
//   GRU / LSTM:  Embedding(5000, 64) → nn.GRU or nn.LSTM(128), batch_first → out[:, -1, :] → Linear(4)
//   LSTMCell loop: Embedding(5000, 64) → a Python `for t in range(x.size(1))` stepping nn.LSTMCell(128),
//                  each step's h appended to a list → torch.stack(…).mean(1) → Linear(4)
// The ratio is SeqLens ÷ PyTorch throughput: above 1 means SeqLens was faster. Target: wasm at
// least 0.5× (within 2×). Each row names the backend that ran it, read back from TensorFlow.js.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'model inference throughput vs PyTorch (CPU)';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

/** The model runner bundled on the fly, so the benchmark needs only `npm run build`'s tools. */
async function loadRunner() {
  const esbuild = require('esbuild');
  // Inside the repository, so that the bundle's external packages resolve from node_modules.
  const outfile = join(root, 'test-artifacts', 'models-bench-runner.cjs');
  await esbuild.build({
    stdin: {
      contents: `
        export { loadModel } from './src/evaluation/models/index';
        export { createAnalyzer } from './src/analysis/index';
        export { useBackend, activeBackend, tfjs } from './src/evaluation/models/tf';
        export { chooseBackend, BACKEND_NAMES } from './src/evaluation/backend';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    external: ['@tensorflow/*', 'web-tree-sitter', 'tree-sitter-python', 'h5wasm'],
  });
  return require(outfile);
}

function pytorch(cell, batch, steps, threads, repeats, dir) {
  const child = spawnSync('/usr/bin/python3', [join(root, 'test', 'oracle', 'torch_models.py'), '--bench', cell, String(batch), String(steps), String(threads), String(repeats), dir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`PyTorch reference failed: ${(child.stderr || '').trim().split('\n').pop()}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

export async function run({ quick }) {
  const batch = quick ? 64 : 256;
  const steps = 50;
  const repeats = quick ? 3 : 7;
  const threads = 1; // the wasm backend runs one thread in Node (no SharedArrayBuffer workers); the cpu backend is plain JavaScript
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-models-bench-'));
  const rows = [];
  try {
    const runner = await loadRunner();
    const analyzer = await runner.createAnalyzer();
    const available = [];
    for (const name of runner.BACKEND_NAMES) {
      try {
        await runner.chooseBackend(name);
        available.push(name);
      } catch (error) {
        process.stdout.write(`  ${name}: not available here (${error instanceof Error ? error.message : String(error)})\n`);
      }
    }
    // The machine is shared: PyTorch and SeqLens take turns, and each keeps its best time.
    const rounds = quick ? 1 : 2;
    for (const cell of ['GRU', 'LSTM', 'LSTMCell']) {
      let reference = null;
      const best = new Map();
      for (let round = 0; round < rounds; round++) {
        const measured = pytorch(cell, batch, steps, threads, repeats, dir);
        if (!reference || measured.sequencesPerSecond > reference.sequencesPerSecond) reference = measured;
        for (const backend of available) {
          // The cpu backend is two orders of magnitude slower: one timed run keeps the benchmark short.
          if (backend === 'cpu' && round > 0) continue;
          await runner.useBackend(backend);
          if (runner.activeBackend() !== backend) throw new Error(`asked for the ${backend} backend, TensorFlow.js runs ${runner.activeBackend()}`);
          const tf = runner.tfjs();
          const model = await runner.loadModel(join(dir, `bench_${cell}.py`), { weightsPath: join(dir, `bench_${cell}.safetensors`), analyzer });
          const x = tf.randomUniform([batch, steps], 0, 5000, 'int32', 1);
          const once = async () => {
            const started = performance.now();
            const p = model.predictProbabilities(x);
            await p.data();
            p.dispose();
            return (performance.now() - started) / 1000;
          };
          await once();
          const times = backend === 'cpu' ? 1 : repeats;
          for (let i = 0; i < times; i++) {
            const seconds = await once();
            best.set(backend, Math.min(best.get(backend) ?? Infinity, seconds));
          }
          x.dispose();
          model.dispose();
        }
      }
      for (const backend of available) {
        rows.push({
          metric: `${cell.endsWith('Cell') ? `${cell} loop` : cell}(128) classifier, batch ${batch} × ${steps} steps, ${backend} backend`,
          value: batch / best.get(backend),
          unit: 'seq/s',
          reference: { name: `PyTorch ${reference.threads} thread`, value: reference.sequencesPerSecond },
          target: backend === 'wasm' ? 'ratio ≥ 0.5 (within 2× of PyTorch)' : '',
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// Run alone: node test/bench/models.bench.mjs [--quick]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const r of rows) process.stdout.write(`${r.metric}: ${r.value.toFixed(0)} ${r.unit} vs ${r.reference.value.toFixed(0)} (${r.reference.name}) → ${(r.value / r.reference.value).toFixed(2)}×\n`);
}
