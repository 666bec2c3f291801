// The server's side of the analysis thread: one job at a time, each watched. A job that runs past the
// time limit, or while the process grows past the memory limit, has its thread terminated: the job
// fails with AnalysisStopped, the server goes on, and the next job starts a fresh thread. The thread's
// heap is also capped by V8 (resourceLimits), a second guard: the process's RSS passes the memory limit
// before the thread's heap does, and the sampler stops it first (a runaway allocation was stopped after
// 3 s at 512 MB and 6.6 s at 1,024 MB, where V8's cap came after 11 s and 23 s). That cap alone does not
// always end only the thread: with a young generation of a few hundred MB, V8 can abort the whole process
// when the thread's heap reaches it (nodejs/node#47224; seen at 1,024 MB).
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { SourceEdit } from '../analysis/findings';
import type { AnalysisJob, AnalysisReply, HoverTexts, WorkerReady } from './analysis-worker';
import type { AnalysisLimits } from './protocol';
import { trace } from './trace';

/** Marks the data a worker is started with, so the entry script knows to run the analysis thread. */
export const WORKER_ROLE = 'seqlens-analysis';

export type StopKind = 'time' | 'memory' | 'error' | 'crash';

export class AnalysisStopped extends Error {
  constructor(readonly kind: StopKind, readonly reason: string) {
    super(reason);
  }
}

type JobBody = AnalysisJob extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: AnalysisJob;
  resolve: (reply: { value: unknown; analysisMs: number }) => void;
  reject: (error: Error) => void;
}

interface RunningWorker {
  worker: Worker;
  generation: number;
  ready: Promise<void>;
  /** Documents whose previous text this thread holds, so that edits can be applied incrementally. */
  known: Set<string>;
  exited: boolean;
  /** Whether its stdout and stderr are read (and copied to the server's stderr) yet. */
  piped: boolean;
  /** Whether it said it writes its code cache after a reply (until it answers again). */
  cacheWriting: boolean;
}

const MEMORY_SAMPLE_MS = 20;

/**
 * The analysis thread's semi-space, in MB: V8's young generation is two semi-spaces and as much again for young large
 * objects (3 × this), and V8 rounds a semi-space up to a power of two. A cold analysis allocates about 4.4 MB per 1,000
 * lines, 1.7 MB of them the syntax tree it keeps. With node's default (16 MB semi-spaces) the tree and values of a
 * 10,000-line file outgrow the young generation: every scavenge copies them, then promotes them, and the analysis took
 * 1.9–2.1× tree-sitter's bare parse of the file against 1.1–1.3× at 1,000 lines. With 256 MB a scavenge comes once in
 * several 10,000-line analyses and copies only what is live then: 1.1–1.3×, linear (128 MB: 1.2× or 2.1× from one
 * run to the next, as the scavenges fall). V8 grows the semi-spaces only as far as survivors ask and gives them back
 * once the thread idles, so the idle thread is as small as before; fifteen cold 10,000-line analyses in a row peak about
 * a fifth higher in RSS (test/bench: analysis.bench.mjs, analysis-memory.mjs).
 */
export const SEMI_SPACE_MB = 256;

/**
 * The heap limits of an analysis thread under `limits`: the memory limit caps the old generation, and the young one
 * takes at most 3/8 of it (each semi-space an eighth), for the young generation counts in the RSS that the memory
 * limit samples too; never less than node's default (16 MB semi-spaces).
 */
export function analysisThreadResourceLimits(limits: AnalysisLimits): ResourceLimits {
  let semiSpaceMb = SEMI_SPACE_MB;
  while (semiSpaceMb > 16 && semiSpaceMb * 8 > limits.memoryMb) semiSpaceMb /= 2;
  return { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 3 * semiSpaceMb };
}

/** Starts the analysis thread number `generation` from `script` with the heap limits of `limits`. */
export function startAnalysisThread(script: string, limits: AnalysisLimits, generation: number): Worker {
  // stdout/stderr are piped, never inherited: the server's stdout is the protocol stream.
  return new Worker(script, {
    workerData: { role: WORKER_ROLE, thread: generation },
    resourceLimits: analysisThreadResourceLimits(limits),
    stdout: true,
    stderr: true,
  });
}

/** Where the server's entry leaves the first analysis thread it started before loading the server (see entry.ts). */
const EARLY_THREAD = Symbol.for('seqlens.earlyAnalysisThread');

interface EarlyThread {
  worker: Worker;
  script: string;
  memoryMb: number;
}

/**
 * Starts the first analysis thread at once, before the server's own code is loaded, so that the thread's
 * start overlaps that load; the AnalysisHost started next takes it (its own first thread, unreferenced
 * until then like the one prestart(false) starts). Its messages wait: none can arrive before the host,
 * made in the same turn of the event loop, listens.
 */
export function startEarlyThread(script: string, limits: AnalysisLimits): void {
  const worker = startAnalysisThread(script, limits, 1);
  worker.unref();
  (globalThis as Record<symbol, unknown>)[EARLY_THREAD] = { worker, script, memoryMb: limits.memoryMb } satisfies EarlyThread;
}

/** The thread startEarlyThread started, once, when it was started from `script` with this memory limit. */
function takeEarlyThread(script: string, limits: AnalysisLimits): Worker | undefined {
  const early = (globalThis as Record<symbol, unknown>)[EARLY_THREAD] as EarlyThread | undefined;
  if (!early) return undefined;
  delete (globalThis as Record<symbol, unknown>)[EARLY_THREAD];
  if (early.script === script && early.memoryMb === limits.memoryMb) return early.worker;
  void early.worker.terminate();
  return undefined;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text;
}

export class AnalysisHost {
  private current: RunningWorker | undefined;
  private generation = 0;
  private readonly queue: Pending[] = [];
  private running: { pending: Pending; worker: RunningWorker; timer?: NodeJS.Timeout; sampler?: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly workerScript: string,
    private limits: AnalysisLimits,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * The limits the client asked for (known at `initialize`, after the thread may have been started
   * with the defaults). A thread's heap cap is fixed when it starts: an idle thread started with
   * another memory limit is replaced by one with this one.
   */
  setLimits(limits: AnalysisLimits): void {
    const heapChanged = limits.memoryMb !== this.limits.memoryMb;
    this.limits = limits;
    const current = this.current;
    if (!heapChanged || !current || current.exited || this.running || this.disposed) return;
    current.exited = true;
    this.current = undefined;
    void current.worker.terminate();
    this.current = this.startWorker();
  }

  /** How many threads were started (a new one after each stop). */
  get threadsStarted(): number {
    return this.generation;
  }

  /** `root`: the workspace folder whose files the analysis may follow imports into. */
  analyseDocument(key: string, fileName: string, text: string, edits: SourceEdit[] | null, root?: string): Promise<{ value: unknown; analysisMs: number }> {
    return this.submit({ op: 'document', key, fileName, text, edits, ...(root !== undefined ? { root } : {}) });
  }

  /** Files changed on disk: the analysis thread reads them again. */
  filesChanged(paths: string[]): void {
    if (this.current) void this.submit({ op: 'files-changed', paths }).catch(() => undefined);
  }

  closeDocument(key: string): void {
    if (this.current?.known.has(key)) void this.submit({ op: 'close', key }).catch(() => undefined);
  }

  analyseNotebook(fileName: string, cells: string[]): Promise<{ value: unknown; analysisMs: number }> {
    return this.submit({ op: 'notebook', fileName, cells });
  }

  describeModels(fileName: string, text: string): Promise<{ value: unknown; analysisMs: number }> {
    return this.submit({ op: 'models', fileName, text });
  }

  /**
   * The hover texts of a posted result's sites, built on the analysis thread now. Null when that
   * result is no longer kept there (a newer one replaced it, or the thread was restarted).
   */
  async hoverTexts(resultId: string, layers: number[], tensors: number[]): Promise<HoverTexts> {
    // A result lives only in the thread that made it: never start a thread to be told so.
    if (resultId === '' || !this.current || this.current.exited || this.disposed) return null;
    try {
      return (await this.submit({ op: 'hover-texts', resultId, layers, tensors })).value as HoverTexts;
    } catch {
      return null;
    }
  }

  private submit(body: JobBody): Promise<{ value: unknown; analysisMs: number }> {
    if (this.disposed) return Promise.reject(new Error('the server is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...body, id: this.nextId++ } as AnalysisJob, resolve, reject });
      this.pump();
    });
  }

  private startWorker(holdsProcess = true): RunningWorker {
    const generation = ++this.generation;
    const worker = (generation === 1 && takeEarlyThread(this.workerScript, this.limits)) || startAnalysisThread(this.workerScript, this.limits, generation);
    const running: RunningWorker = { worker, generation, known: new Set(), exited: false, ready: Promise.resolve(), piped: false, cacheWriting: false };
    running.ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: WorkerReady | AnalysisReply) => {
        if (!('ready' in message)) return;
        worker.off('message', onReady);
        trace('analysis thread ready');
        if (message.ready) resolve();
        else reject(new AnalysisStopped('error', `the parser could not be loaded: ${firstLine(message.error)}`));
      };
      worker.on('message', onReady);
      worker.once('exit', (code) => reject(new AnalysisStopped('crash', `the analysis thread exited while starting (code ${code})`)));
    });
    running.ready.catch(() => undefined);
    worker.on('message', (message: WorkerReady | AnalysisReply) => {
      if ('id' in message) this.replied(running, message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const stop = error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new AnalysisStopped('memory', `its analysis needed more than the ${this.limits.memoryMb} MB of memory allowed`)
        : new AnalysisStopped('crash', `the analysis thread failed: ${firstLine(error.message)}`);
      this.lost(running, stop);
    });
    worker.on('exit', (code) => this.lost(running, new AnalysisStopped('crash', `the analysis thread exited (code ${code})`)));
    if (holdsProcess) this.hold(running);
    else worker.unref();
    this.log(`analysis thread ${generation} started`);
    return running;
  }

  /**
   * Starts the analysis thread ahead of the first job, so that loading the parser overlaps the
   * client's start-up instead of delaying the first document's diagnostics.
   * With `holdsProcess` false the thread does not keep the process running by itself, until a later prestart.
   */
  prestart(holdsProcess = true): void {
    if (!this.disposed && (!this.current || this.current.exited)) this.current = this.startWorker(holdsProcess);
    if (holdsProcess && this.current) this.hold(this.current);
  }

  /**
   * Lets the thread keep the process running. Reading a worker's piped stdout or stderr does too, so
   * a thread that must not (started before any client spoke: a client that goes away before its
   * initialize must still see the process end) is unreferenced and its output read only from here on.
   */
  private hold(running: RunningWorker): void {
    running.worker.ref();
    if (running.piped) return;
    running.piped = true;
    running.worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    running.worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  }

  private pump(): void {
    if (this.running || this.queue.length === 0 || this.disposed) return;
    const pending = this.queue.shift()!;
    const worker = this.current && !this.current.exited ? this.current : (this.current = this.startWorker());
    const job = pending.job;
    // A thread that does not hold the document's previous text cannot apply edits to it.
    if (job.op === 'document' && job.edits !== null && !worker.known.has(job.key)) job.edits = null;
    if (job.op === 'close' && !worker.known.has(job.key)) {
      pending.resolve({ value: null, analysisMs: 0 });
      return this.pump();
    }
    this.running = { pending, worker };
    worker.ready.then(
      () => {
        if (this.running?.pending !== pending) return;
        // The limits count from the job's start, not from the thread's (loading the parser is not the document's fault).
        this.running.timer = setTimeout(() => this.stop(worker, new AnalysisStopped('time', `its analysis took longer than ${seconds(this.limits.timeMs)} s`)), this.limits.timeMs);
        this.running.sampler = setInterval(() => {
          const rss = process.memoryUsage.rss() / 1024 / 1024;
          if (rss > this.limits.memoryMb) this.stop(worker, new AnalysisStopped('memory', `its analysis needed more than the ${this.limits.memoryMb} MB of memory allowed`));
        }, MEMORY_SAMPLE_MS);
        worker.worker.postMessage(job);
      },
      (error: Error) => this.finish(worker, (p) => p.reject(error)),
    );
  }

  private replied(worker: RunningWorker, reply: AnalysisReply): void {
    worker.cacheWriting = reply.ok && reply.cache === true;
    if (this.running?.worker !== worker || this.running.pending.job.id !== reply.id) return;
    const job = this.running.pending.job;
    if (job.op === 'document') {
      if (reply.ok) worker.known.add(job.key);
      else worker.known.delete(job.key);
    } else if (job.op === 'close') worker.known.delete(job.key);
    this.finish(worker, (p) => (reply.ok ? p.resolve({ value: reply.value, analysisMs: reply.analysisMs }) : p.reject(new AnalysisStopped('error', `the analyzer failed: ${firstLine(reply.error)}`))));
  }

  private finish(worker: RunningWorker, settle: (pending: Pending) => void): void {
    const running = this.running;
    if (!running || running.worker !== worker) return;
    clearTimeout(running.timer);
    clearInterval(running.sampler);
    this.running = undefined;
    settle(running.pending);
    this.pump();
  }

  /** Ends a thread that overran: its job fails with `stop`, the jobs after it go to a new thread. */
  private stop(worker: RunningWorker, stop: AnalysisStopped): void {
    if (worker.exited) return;
    this.log(`stopping analysis thread ${worker.generation}: ${stop.reason}`);
    this.lost(worker, stop);
    void worker.worker.terminate();
  }

  private lost(worker: RunningWorker, stop: AnalysisStopped): void {
    if (worker.exited) return;
    worker.exited = true;
    if (this.current === worker) this.current = undefined;
    this.finish(worker, (p) => p.reject(stop));
  }

  /**
   * Before the server ends: lets an idle thread that is writing its code cache finish it (for at most
   * `timeoutMs`), so that a server shut down right after its first analysis still leaves its cache.
   */
  async settle(timeoutMs: number): Promise<void> {
    const current = this.current;
    if (!current || current.exited || !current.cacheWriting || this.running || this.queue.length > 0 || this.disposed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.submit({ op: 'settle' }).catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the server is shutting down'));
    if (this.running) this.finish(this.running.worker, (p) => p.reject(new Error('the server is shutting down')));
    if (this.current) {
      this.current.exited = true;
      void this.current.worker.terminate();
    }
  }
}
