// The editor side: activation time, keystroke → diagnostics latency and the extension host's longest stall measured inside a real VS Code
// (code-server 4.100.3, by the integration suite's Responsiveness tests), the cost of loading the
// bundle itself, and the size of the packaged VSIX.
// Needs code-server (test/vscode/install-code-server.sh) and the compiled suite (`npx tsc -p .`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const title = 'Editor (VS Code 1.100.3 via code-server)';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Loads dist/extension.js in a fresh Node with a stand-in `vscode` module: parse + evaluate, no activate(). */
function bundleLoadMs(bundle) {
  const script = `
    const Module = require('module');
    const load = Module._load;
    const stub = new Proxy(function () {}, { get: () => stub, apply: () => stub, construct: () => stub });
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
    const start = performance.now();
    require(${JSON.stringify(bundle)});
    process.stdout.write(String(performance.now() - start));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

export async function run({ quick }) {
  const rows = [];
  const temp = mkdtempSync(join(tmpdir(), 'seqlens-editor-bench-'));

  // The VSIX, built the way `npm run package` builds it.
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'ignore' });
  const vsix = join(temp, 'seqlens.vsix');
  execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], { cwd: root, stdio: 'ignore' });
  rows.push({ metric: 'VSIX size', value: statSync(vsix).size / 1024 / 1024, unit: 'MB', target: '≤ 15 MB' });
  const loads = Array.from({ length: quick ? 3 : 9 }, () => bundleLoadMs(join(root, 'dist', 'extension.js')));
  rows.push({ metric: 'bundle load (parse + evaluate, fresh Node)', value: median(loads), unit: 'ms' });

  // The in-editor timings: the Responsiveness tests write them to a metrics file.
  const runner = join(root, 'out', 'test', 'vscode', 'run-suite.js');
  if (!existsSync(runner)) throw new Error('out/test/vscode/run-suite.js is missing: run `npx tsc -p .` first');
  const metricsFile = join(temp, 'metrics.json');
  const suite = spawnSync(process.execPath, [runner], {
    cwd: root,
    env: { ...process.env, SEQLENS_TEST_GREP: 'Responsiveness', SEQLENS_METRICS_FILE: metricsFile },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (suite.status !== 0) throw new Error(`the Responsiveness tests failed:\n${suite.stdout}\n${suite.stderr}`);
  const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
  const row = (key, metric, target) => metrics[key] && rows.push({ metric, value: metrics[key].value, unit: metrics[key].unit, target });
  row('activation', 'activation (bundle evaluation + activate())', '≤ 50 ms');
  row('activation: bundle evaluation', '  of which bundle evaluation');
  row('keystroke to diagnostics, 1,000 lines (median, incl. debounce)', `keystroke → diagnostics, 1,000 lines (analysisDelay ${metrics['analysis delay setting']?.value ?? '?'} ms)`);
  row('analysis of 1,000 lines after one keystroke (median)', 'incremental re-analysis, 1,000 lines, in the language server');
  row('analysis of 10,000 lines after one keystroke', 'incremental re-analysis, 10,000 lines, in the language server');
  // What the analysis used to block the extension host for is its own time; the host's longest stall now is VS Code's own work.
  const stall = metrics['extension host longest stall while 10,000 lines open and are analysed'];
  const opened = metrics['analysis of 10,000 lines (open)'];
  if (stall) {
    rows.push({
      metric: 'extension host: longest stall while 10,000 lines open and are analysed',
      value: stall.value,
      unit: 'ms',
      reference: opened ? { name: 'the analysis, run in the server', value: opened.value } : undefined,
      target: '0 ms of analysis on the host',
    });
  }
  row('keystroke round trip, 10,000 lines, SeqLens on (median)', 'keystroke round trip, 10,000 lines, SeqLens on');
  row('keystroke round trip, 10,000 lines, SeqLens off (median)', 'keystroke round trip, 10,000 lines, SeqLens off');
  return rows;
}
