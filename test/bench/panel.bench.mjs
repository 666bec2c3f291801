// The evaluation panel: time from "SeqLens: Evaluate Model" to the panel's first paint of the result,
// inside a real VS Code (code-server 4.100.3, the integration suite's "Panel benchmark" test), for
// 10k and 1M predictions. That covers the child process (read, count, curves, sweep, cell samples
// and their text read back), the JSON it prints, the message to the webview and its render.
// Beside it: `seqlens eval --format json` alone on the same file, for the share the panel adds.
// Needs code-server (test/vscode/install-code-server.sh) and the compiled suite (`npx tsc -p .`).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'Evaluation panel (VS Code 1.100.3 via code-server)';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A binary classifier's predictions with an id column (read back for the cell samples) and scores. */
async function generate(path, rows) {
  const out = createWriteStream(path);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  out.write('id,y_true,y_pred,score\n');
  let batch = [];
  for (let i = 0; i < rows; i++) {
    const y = random() < 0.1 ? 1 : 0;
    const z = (random() + random() + random() - 1.5) * 2 + (y ? 1.0 : -1.6);
    const score = 1 / (1 + Math.exp(-z));
    batch.push(`doc-${i},${y},${score >= 0.5 ? 1 : 0},${score}\n`);
    if (batch.length === 50_000) {
      if (!out.write(batch.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise((resolve) => out.end(resolve));
}

function cliMilliseconds(file) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'eval', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run() {
  const runner = join(root, 'out', 'test', 'vscode', 'run-suite.js');
  if (!existsSync(runner)) throw new Error('out/test/vscode/run-suite.js is missing: run `npx tsc -p .` first');
  const temp = mkdtempSync(join(tmpdir(), 'seqlens-panel-bench-'));
  try {
    const sizes = [['10k', 10_000], ['1M', 1_000_000]];
    const files = [];
    for (const [name, rows] of sizes) {
      const file = join(temp, `predictions_${name}.csv`);
      await generate(file, rows);
      files.push(file);
    }
    const metricsFile = join(temp, 'metrics.json');
    const suite = spawnSync(process.execPath, [runner], {
      cwd: root,
      env: { ...process.env, SEQLENS_TEST_GREP: 'Panel benchmark', SEQLENS_METRICS_FILE: metricsFile, SEQLENS_PANEL_BENCH_FILES: files.join(delimiter) },
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (suite.status !== 0 || !existsSync(metricsFile)) throw new Error(`the Panel benchmark test failed:\n${suite.stdout}\n${suite.stderr}`);
    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
    const rows = [];
    for (const [i, [name, count]] of sizes.entries()) {
      const base = `predictions_${name}.csv`;
      const rendered = metrics[`panel: command to rendered, ${base}`];
      const cli = cliMilliseconds(files[i]);
      rows.push({
        metric: `command → rendered panel (median of 3, panel closed before each), ${count.toLocaleString('en-US')} predictions`,
        value: rendered.value,
        unit: 'ms',
        reference: { name: 'seqlens eval --format json alone', value: cli },
        target: count <= 10_000 ? '≤ 1 s' : '≤ 5 s',
      });
      const child = metrics[`panel: child process, ${base}`];
      if (child) rows.push({ metric: `  of which the evaluation's child process (--format panel)`, value: child.value, unit: 'ms' });
      const sent = metrics[`panel: data sent to the webview, ${base}`];
      if (sent) rows.push({ metric: `  data sent to the webview, ${count.toLocaleString('en-US')} predictions`, value: sent.value, unit: 'KB' });
    }
    return rows;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
