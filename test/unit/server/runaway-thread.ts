// An analysis thread whose analysis allocates without end, what the memory limit must stop (analysis-host.test.ts).
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
port.postMessage({ ready: true });
port.on('message', () => {
  const kept: unknown[] = [];
  for (;;) kept.push({ items: [kept.length, kept.length + 1], name: `value ${kept.length}` });
});
