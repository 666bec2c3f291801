// Start-up tracing: with SEQLENS_TRACE set, the server and its analysis thread log each step of a
// start (process start → initialize → thread start → parser ready → first analysis → publish) to
// stderr, each with the wall-clock time since the process started, so that both threads' steps line up.
import { isMainThread } from 'node:worker_threads';

const enabled = typeof process !== 'undefined' && !!process.env.SEQLENS_TRACE;
/** The process's start, as an epoch time in ms (a worker's own timeOrigin is its thread's start). */
const processStart = Date.now() - process.uptime() * 1000;

export function trace(step: string): void {
  if (!enabled) return;
  const now = performance.timeOrigin + performance.now();
  process.stderr.write(`[seqlens trace] ${(now - processStart).toFixed(1)} ms ${isMainThread ? 'main' : 'thread'}: ${step}\n`);
}
