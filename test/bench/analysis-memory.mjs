// The memory a cold analysis of the realistic 10,000-line file takes, in a fresh Node process:
//   node test/bench/analysis-memory.mjs '{"resourceLimits": {...}}'   in a Worker started with these limits
//   node test/bench/analysis-memory.mjs '{}'                           in the process's own thread (node's defaults)
// Prints one JSON line: the analysing thread's heap (V8's committed heap, its largest after each analysis, and its
// used heap then), the process's peak RSS (the kernel's high-water mark) after the first analysis and after all, the largest RSS a 20 ms sampler saw while a
// Worker analysed (what the server's memory check samples), the RSS after the analyses with the last document kept open
// (as the server keeps it), and the same after `idleMs` of idleness.
// The analyser opens the file `opens` times, each a cold analysis, the first being a fresh process's first.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { realisticPython } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ROLE = 'seqlens-bench-memory';
const MB = 2 ** 20;

async function analyse({ lines, opens }) {
  const { createAnalyzer } = require(join(here, '..', '..', 'dist', 'api.js'));
  const analyzer = await createAnalyzer();
  const source = realisticPython(lines);
  let kept;
  let heapMb = 0;
  let usedMb = 0;
  let firstPeakRssMb = 0;
  for (let i = 0; i < opens; i++) {
    kept?.dispose();
    kept = analyzer.open(source, `model_${lines}.py`);
    const heap = getHeapStatistics();
    heapMb = Math.max(heapMb, heap.total_heap_size / MB);
    usedMb = Math.max(usedMb, heap.used_heap_size / MB);
    if (i === 0) firstPeakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  // The analyzer and its open document stay referenced while the process idles.
  globalThis.keptDocument = kept;
  return { heapMb, usedMb, firstPeakRssMb, heapLimitMb: getHeapStatistics().heap_size_limit / MB };
}

const rssMb = () => process.memoryUsage.rss() / MB;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (!isMainThread && workerData?.role === ROLE) {
  analyse(workerData.options).then((figures) => parentPort.postMessage(figures));
} else if (isMainThread) {
  const config = JSON.parse(process.argv[2] ?? '{}');
  const options = { lines: config.lines ?? 10000, opens: config.opens ?? 3 };
  const idleMs = config.idleMs ?? 3000;
  let figures;
  let sampledMb = 0;
  let worker;
  if (config.resourceLimits) {
    worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: ROLE, options }, resourceLimits: config.resourceLimits });
    const sampler = setInterval(() => (sampledMb = Math.max(sampledMb, rssMb())), 20);
    figures = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    clearInterval(sampler);
  } else {
    figures = await analyse(options);
  }
  const afterMb = rssMb();
  await sleep(idleMs);
  const idleRssMb = rssMb();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...figures, peakRssMb, sampledRssMb: worker ? sampledMb : null, afterRssMb: afterMb, idleRssMb }) + '\n');
  await worker?.terminate();
}
