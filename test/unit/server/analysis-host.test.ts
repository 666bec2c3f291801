// The analysis thread is started by the server's entry before the client's initialize says which
// limits it wants: a different memory limit (a thread's heap cap, fixed when it starts) replaces it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AnalysisHost, AnalysisStopped, analysisThreadResourceLimits, startEarlyThread } from '../../../src/server/analysis-host';
import { DEFAULT_LIMITS } from '../../../src/server/protocol';
import { SERVER_ENTRY } from './lsp-client';

describe('Analysis thread started ahead of initialize', function () {
  this.timeout(60_000);
  const SOURCE = 'import torch\nx = torch.zeros(2, 3)\n';
  let host: AnalysisHost | undefined;
  afterEach(() => host?.dispose());

  it('is kept when the client asks for the memory limit it was started with', async () => {
    host = new AnalysisHost(SERVER_ENTRY, DEFAULT_LIMITS, () => undefined);
    host.prestart();
    host.setLimits({ ...DEFAULT_LIMITS, timeMs: 2000 });
    host.prestart();
    const reply = await host.analyseDocument('a', '/tmp/a.py', SOURCE, null);
    assert.ok(reply.value);
    assert.equal(host.threadsStarted, 1);
  });

  it('is replaced by a thread with the memory limit the client asks for', async () => {
    host = new AnalysisHost(SERVER_ENTRY, DEFAULT_LIMITS, () => undefined);
    host.prestart();
    // A larger limit than the default: the host samples the whole process's memory against it, and the test
    // runner's own process (thousands of tests in, on a loaded machine) can pass a smaller one such as 512 MB.
    host.setLimits({ ...DEFAULT_LIMITS, memoryMb: DEFAULT_LIMITS.memoryMb + 1024 });
    host.prestart();
    const reply = await host.analyseDocument('a', '/tmp/a.py', SOURCE, null);
    assert.ok(reply.value);
    assert.equal(host.threadsStarted, 2);
  });

  it('has a young generation sized for a large file\'s analysis, within the memory limit', () => {
    // V8's young generation is 3 semi-spaces' worth, each a power of two: 256 MB ones unless the limit is small.
    assert.deepEqual(analysisThreadResourceLimits(DEFAULT_LIMITS), { maxOldGenerationSizeMb: DEFAULT_LIMITS.memoryMb, maxYoungGenerationSizeMb: 768 });
    assert.deepEqual(analysisThreadResourceLimits({ ...DEFAULT_LIMITS, memoryMb: 1024 }), { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 384 });
    assert.deepEqual(analysisThreadResourceLimits({ ...DEFAULT_LIMITS, memoryMb: 700 }), { maxOldGenerationSizeMb: 700, maxYoungGenerationSizeMb: 192 });
    // Never below node's default (16 MB semi-spaces).
    assert.deepEqual(analysisThreadResourceLimits({ ...DEFAULT_LIMITS, memoryMb: 64 }), { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 48 });
  });

  it('does not keep the server running when its client goes away before initialize', async () => {
    const server = spawn(process.execPath, [SERVER_ENTRY, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.stdin.end();
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    if (code === 'still running') server.kill();
    assert.equal(code, 0);
    assert.match(stderr, /analysis thread 1 started/);
  });

  describe('started by the entry before the server is loaded', () => {
    const early = () => (globalThis as Record<symbol, { worker: Worker } | undefined>)[Symbol.for('seqlens.earlyAnalysisThread')]?.worker;

    it('is the host\'s first thread when it was started from the same script with the same memory limit', async () => {
      startEarlyThread(SERVER_ENTRY, DEFAULT_LIMITS);
      const thread = early()!;
      let exited = false;
      thread.once('exit', () => (exited = true));
      host = new AnalysisHost(SERVER_ENTRY, DEFAULT_LIMITS, () => undefined);
      host.prestart(false);
      assert.equal(early(), undefined, 'taken');
      assert.ok(thread.listenerCount('message') > 0, 'the host listens to it');
      const reply = await host.analyseDocument('a', '/tmp/a.py', SOURCE, null);
      assert.ok(reply.value);
      assert.equal(host.threadsStarted, 1);
      assert.equal(exited, false);
    });

    it('is ended, and another started, when the host wants another memory limit', async () => {
      startEarlyThread(SERVER_ENTRY, { ...DEFAULT_LIMITS, memoryMb: DEFAULT_LIMITS.memoryMb + 512 });
      const thread = early()!;
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      host = new AnalysisHost(SERVER_ENTRY, DEFAULT_LIMITS, () => undefined);
      host.prestart();
      assert.equal(early(), undefined);
      await exited;
      const reply = await host.analyseDocument('a', '/tmp/a.py', SOURCE, null);
      assert.ok(reply.value);
      assert.equal(thread.listenerCount('message'), 0, 'the host never listened to it');
    });
  });
});

describe('Analysis thread whose analysis allocates without end', function () {
  this.timeout(120_000);

  it('is stopped by the memory limit, and the process goes on', async () => {
    // The limit counts the whole process's RSS, the test runner's included: the default one, or more when the runner
    // already takes much of it. Its young generation is then the one a server's thread has by default (768 MB).
    const memoryMb = Math.max(DEFAULT_LIMITS.memoryMb, Math.ceil(process.memoryUsage.rss() / 2 ** 20) + 1024);
    const host = new AnalysisHost(path.join(__dirname, 'runaway-thread.js'), { ...DEFAULT_LIMITS, timeMs: 100_000, memoryMb }, () => undefined);
    try {
      await assert.rejects(host.analyseDocument('a', '/tmp/a.py', 'x = 1\n', null), (error: AnalysisStopped) => error.kind === 'memory');
    } finally {
      host.dispose();
    }
  });
});
