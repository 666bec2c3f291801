// Analyzer speed, each figure beside tree-sitter's bare parse of the same file measured in the same thread:
// cold analysis of realistic 1,000- and 10,000-line files, re-analysis after a one-character edit, and after
// inserting a line at the top of the 10,000-line file (analysis-measure.mjs says how: CPU time, medians, after
// V8 has compiled the code). Each is measured twice: in the language server's analysis thread (a Worker started
// with the resourceLimits the server's code gives its analysis thread, src/server/analysis-host.ts, whose larger
// young generation keeps a 10,000-line analysis out of the garbage collector's way), and in this thread with node's
// defaults, as the in-process CLI (`seqlens check`) runs.
// Then the memory of cold analyses of the 10,000-line file in both configurations, each in a fresh process
// (analysis-memory.mjs): the analysing thread's heap, the process's peak RSS and its RSS once idle.
// Needs `npm run build` and `npx tsc -p .` (the server's limits are read from its compiled code in out/).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MEASURE_ROLE, measure } from './analysis-measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const { analysisThreadResourceLimits } = require(join(root, 'out', 'src', 'server', 'analysis-host.js'));
const { DEFAULT_LIMITS } = require(join(root, 'out', 'src', 'server', 'protocol.js'));

export const title = 'Shape analysis (PyTorch)';

/** Bundles the fast parser (src/analysis/parse/fast-parser.ts), which dist/api.js does not export, for analysis-measure.mjs. */
async function bundleFastParser() {
  const esbuild = await import('esbuild');
  const outfile = join(root, '.tmp', 'bench-fast-parser.js');
  await esbuild.build({
    stdin: {
      contents: "export { loadPython } from './src/analysis/parse/parser';\nexport { tablesForLanguage } from './src/analysis/parse/cst';\nexport { fastCopyTopLevel } from './src/analysis/parse/fast-parser';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
    plugins: [{ name: 'web-tree-sitter-cjs', setup: (b) => b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') })) }],
  });
  return outfile;
}

/** measure() in a Worker started with `resourceLimits`. */
async function measureInWorker(options, resourceLimits) {
  const worker = new Worker(join(here, 'analysis-measure.mjs'), { workerData: { role: MEASURE_ROLE, options }, resourceLimits });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the measuring thread exited (code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** analysis-memory.mjs in a fresh process; `resourceLimits` undefined: in its own thread. */
function memory(resourceLimits, quick) {
  const config = { opens: quick ? 3 : 10, idleMs: quick ? 1000 : 3000, ...(resourceLimits ? { resourceLimits } : {}) };
  const run = spawnSync(process.execPath, [join(here, 'analysis-memory.mjs'), JSON.stringify(config)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

function timeRows(figures, where) {
  const rows = [];
  for (const lines of [1000, 10000]) {
    const at = figures.lines[lines];
    const reference = { name: `bare parse, ${lines} lines, same thread`, value: at.bare };
    rows.push({ metric: `cold analysis, ${lines} lines, ${where}`, value: at.cold, unit: 'ms', reference, target: '≤ 1.6×' });
    rows.push({ metric: `  fast parser's parse (used cold), ${lines} lines`, value: at.fastParse, unit: 'ms', reference });
    if (lines === 1000) rows.push({ metric: '  re-analysis after a 1-char edit, 1000 lines', value: at.edit, unit: 'ms', reference, target: '≤ 2 ms' });
    else rows.push({ metric: '  insert a line at the top, 10000 lines', value: at.edit, unit: 'ms', reference, target: '≤ 20 ms' });
  }
  rows.push({ metric: `  cold 10000 lines ÷ 10, ${where}`, value: figures.lines[10000].cold / 10, unit: 'ms', reference: { name: 'cold, 1000 lines, same thread', value: figures.lines[1000].cold }, target: '≈ 1× (linear)' });
  return rows;
}

export async function run({ quick }) {
  const options = { quick, fastParserBundle: await bundleFastParser() };
  const limits = analysisThreadResourceLimits(DEFAULT_LIMITS);
  process.stdout.write(`  the server's analysis thread: ${JSON.stringify(limits)}\n`);
  const server = await measureInWorker(options, limits);
  process.stdout.write(`  ${server.notes.join('; ')}\n`);
  const inProcess = await measure(options);
  const rows = [...timeRows(server, 'server\'s analysis thread'), ...timeRows(inProcess, 'in-process, node defaults')];

  const threadMemory = memory(limits, quick);
  const defaultMemory = memory(undefined, quick);
  const opens = quick ? 3 : 10;
  const reference = (key) => ({ name: 'in-process, node defaults', value: defaultMemory[key] });
  // Memory targets: the young generation may cost RSS while analyses run (a quarter of the server's default memory
  // limit at most, which its RSS sampler checks), none once the thread idles.
  const peakTarget = `≤ ${DEFAULT_LIMITS.memoryMb / 4} MB`;
  rows.push({ metric: 'peak RSS, a fresh process\'s first cold analysis of 10000 lines, server\'s thread', value: threadMemory.firstPeakRssMb, unit: 'MB', reference: reference('firstPeakRssMb'), target: peakTarget });
  rows.push({ metric: `  peak RSS over ${opens} cold analyses of 10000 lines, server's thread`, value: threadMemory.peakRssMb, unit: 'MB', reference: reference('peakRssMb'), target: peakTarget });
  rows.push({ metric: `  analysing thread's largest heap over them, server's thread`, value: threadMemory.heapMb, unit: 'MB', reference: reference('heapMb') });
  rows.push({ metric: `  RSS after ${quick ? 1 : 3} s idle, the document open, server's thread`, value: threadMemory.idleRssMb, unit: 'MB', reference: reference('idleRssMb'), target: '≤ 1×' });
  return rows;
}
