// The language server over stdio, as an editor drives it (dist/server.js, the bundle the extension
// starts), each figure beside the same work done in-process by the analysis core in the same run:
// opening a file with the server not yet started, until its first diagnostics are published; and a
// keystroke in a 1,000-line file until its diagnostics are published (the debounce set to 0). Opening is
// measured with the server's code cache written (as after its first start) and without it.
// Needs `npm run build` and `npx tsc -p .` (the tests' JSON-RPC client).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realisticPython } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const { LspClient } = require(join(root, 'out', 'test', 'unit', 'server', 'lsp-client.js'));
const SERVER = join(root, 'dist', 'server.js');
const API = join(root, 'dist', 'api.js');

export const title = 'Language server over stdio (dist/server.js)';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Spawn → initialize → didOpen → the first publishDiagnostics. */
async function openToFirstDiagnostics(source, uri) {
  const start = performance.now();
  const client = new LspClient([SERVER, '--stdio'], root);
  try {
    await client.initialize();
    client.open(uri, source);
    await client.diagnostics(uri, () => true, 0, 60_000);
    return performance.now() - start;
  } finally {
    await client.shutdown();
  }
}

/** The same work in-process: a fresh Node loads the analyzer and analyses the file once. */
function inProcessCold(file) {
  const script = `require(${JSON.stringify(API)}).createAnalyzer().then((a) => a.analyze(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'), 'model.py'))`;
  const start = performance.now();
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return performance.now() - start;
}

export async function run({ quick }) {
  const rows = [];
  const source = realisticPython(1000);
  const temp = mkdtempSync(join(tmpdir(), 'seqlens-server-bench-'));
  const file = join(temp, 'model.py');
  writeFileSync(file, source);
  const uri = pathToFileURL(file).toString();

  // The server keeps a V8 code cache of its bundle (src/server/code-cache.ts), written by its first start:
  // here in a folder of this run's. The main figure is a start with the cache written (every start after
  // the first one of a build), the second a start without one (the first start after an install or update).
  const cacheDir = join(temp, 'code-cache');
  const savedCacheDir = process.env.SEQLENS_CODE_CACHE_DIR;
  const opens = [];
  const firsts = [];
  const colds = [];
  try {
    process.env.SEQLENS_CODE_CACHE_DIR = cacheDir;
    await openToFirstDiagnostics(source, uri);
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      process.env.SEQLENS_CODE_CACHE_DIR = cacheDir;
      opens.push(await openToFirstDiagnostics(source, uri));
      process.env.SEQLENS_CODE_CACHE_DIR = join(temp, `no-cache-${i}`);
      firsts.push(await openToFirstDiagnostics(source, uri));
      colds.push(inProcessCold(file));
    }
  } finally {
    if (savedCacheDir === undefined) delete process.env.SEQLENS_CODE_CACHE_DIR;
    else process.env.SEQLENS_CODE_CACHE_DIR = savedCacheDir;
  }
  const reference = { name: 'fresh Node: load analyzer + analyse, in-process', value: median(colds) };
  rows.push({ metric: 'open → first diagnostics, server not started, 1,000 lines', value: median(opens), unit: 'ms', reference, target: '≤ 500 ms' });
  rows.push({ metric: '… the same, the server\'s code cache not yet written', value: median(firsts), unit: 'ms', reference });

  // Retype one character inside a forward body (`hidden` ↔ `bidden`), as the analysis benchmark does.
  const at = source.indexOf('hidden', source.indexOf('def forward'));
  const runs = quick ? 20 : 100;
  const client = new LspClient([SERVER, '--stdio'], root);
  const overStdio = [];
  try {
    client.settings = { analysisDelay: 0 };
    await client.initialize();
    client.open(uri, source);
    await client.diagnostics(uri, () => true, 0, 60_000);
    const position = positionAt(source, at);
    const range = { start: position, end: { line: position.line, character: position.character + 1 } };
    for (let i = 0; i < runs + 5; i++) {
      const version = i + 2;
      const from = client.notifications.length;
      const start = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: i % 2 ? 'h' : 'b' }] });
      await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.version === version, 30_000, from);
      if (i >= 5) overStdio.push(performance.now() - start);
    }
  } finally {
    await client.shutdown();
  }
  const { createAnalyzer } = require(API);
  const analyzer = await createAnalyzer();
  const doc = analyzer.open(source, 'model.py');
  const inProcess = [];
  let text = source;
  for (let i = 0; i < runs + 5; i++) {
    const ch = i % 2 ? 'h' : 'b';
    const next = text.slice(0, at) + ch + text.slice(at + 1);
    const start = performance.now();
    doc.update([{ rangeOffset: at, rangeLength: 1, text: ch }], next);
    if (i >= 5) inProcess.push(performance.now() - start);
    text = next;
  }
  doc.dispose();
  rows.push({
    metric: 'keystroke → diagnostics published over stdio, 1,000 lines (no debounce)',
    value: median(overStdio),
    unit: 'ms',
    reference: { name: 'the same re-analysis in-process', value: median(inProcess) },
    target: '≤ 10 ms',
  });
  return rows;
}
