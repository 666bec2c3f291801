// Runs a model evaluation (or Verify Shapes) in a child process (worker.ts, forked), so that a model
// or dataset that exhausts memory, or makes V8 abort, ends that process and not the caller: a
// worker thread would take the whole process down with it. Its real memory (VmRSS, read from
// /proc/<pid>/status, or reported by the child where /proc is missing) is watched and the child
// is killed past its cap, the larger of 1.5 GB and 4x the input files. Cancelling kills it at once,
// during loading too. Its own output is kept up to a cap, for the message when it ends abnormally.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { BackendUnavailableError } from '../backend';
import { InputError, ValuesNeeded } from '../errors';
import type { BackendName } from '../types';
import type { ModelEvaluation, ModelEvaluationOptions } from './index';
import { CancelledError } from './run';
import type { ShapeCheck } from './verify-shapes';
import type { SerialisedError, VerifyRequest, WorkerRequest } from './worker';

export interface WorkerRunOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** The worker script; by default `model-worker.js` beside a bundle, else the compiled worker.js. */
  workerPath?: string;
  /** Resident memory the child may reach before it is killed; by default the larger of 1.5 GB and 4x the input files. */
  memoryCapBytes?: number;
}

export const MIN_MEMORY_CAP = 1.5 * 1024 ** 3;
/** Bytes of the child's own stdout and stderr kept for an error message. */
export const MAX_CAPTURED_OUTPUT = 64 * 1024;
const WATCH_INTERVAL_MS = 100;

function workerScript(): string {
  const beside = join(__dirname, 'model-worker.js');
  return existsSync(beside) ? beside : join(__dirname, 'worker.js');
}

function rebuild(error: SerialisedError, progress: { done: number; total: number }): Error {
  if (error.name === 'ValuesNeeded' && error.file !== undefined && Array.isArray(error.names)) return new ValuesNeeded(error.file, error.line ?? null, error.cause ?? error.message, error.names);
  if (error.name === 'InputError' && error.file !== undefined) return new InputError(error.file, error.line ?? null, error.cause ?? error.message);
  if (error.name === 'CancelledError') return new CancelledError(progress.done, progress.total);
  if (error.name === 'BackendUnavailableError') {
    const match = /^the (\S+) backend is not available here: (.*)$/s.exec(error.message);
    if (match) return new BackendUnavailableError(match[1] as BackendName, match[2]);
  }
  const out = new Error(error.message);
  out.name = error.name;
  return out;
}

function sizeOf(path: string | undefined): number {
  if (!path) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The bytes of every file a run reads: model, weights (a TF.js model's shards beside it), data, labels, vocabulary. */
export function inputBytes(paths: { model?: string; weights?: string; data?: string; labels?: string; vocab?: string }): number {
  let total = sizeOf(paths.model) + sizeOf(paths.weights) + sizeOf(paths.data) + sizeOf(paths.labels) + sizeOf(paths.vocab);
  if (paths.model && extname(paths.model).toLowerCase() === '.json') {
    try {
      for (const name of readdirSync(dirname(paths.model)).slice(0, 10_000)) if (name.endsWith('.bin')) total += sizeOf(join(dirname(paths.model), name));
    } catch {
      // an unreadable folder adds nothing; the loader reports it
    }
  }
  return total;
}

export function memoryCapFor(bytes: number): number {
  return Math.max(MIN_MEMORY_CAP, 4 * bytes);
}

/** VmRSS of a process in bytes, from /proc; null where /proc is not there. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2).toLocaleString('en-US')} MB`;
}

function runInChild<T>(request: WorkerRequest, where: string, capBytes: number, run: WorkerRunOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const progress = { done: 0, total: 0 };
    if (run.signal?.aborted) {
      reject(new CancelledError(0, 0));
      return;
    }
    let child: ChildProcess;
    try {
      child = fork(run.workerPath ?? workerScript(), [], {
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // In desktop VS Code, process.execPath is Electron: this makes it a plain Node.
        env: { ...process.env, SEQLENS_MODEL_WORKER: '1', ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch (error) {
      reject(error);
      return;
    }
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < MAX_CAPTURED_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_CAPTURED_OUTPUT - output.length);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let settled = false;
    let peak = 0;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      run.signal?.removeEventListener('abort', cancel);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      action();
    };
    const overCap = (rss: number) => {
      peak = Math.max(peak, rss);
      if (rss <= capBytes) return;
      finish(() => reject(new InputError(where, null, `the model run used ${megabytes(rss)} of memory, past its cap of ${megabytes(capBytes)} (the larger of 1.5 GB and 4 times the input files), and was stopped; try a smaller --batch-size or --max-length`)));
    };
    const watchdog = setInterval(() => {
      if (child.pid === undefined) return;
      const rss = residentBytes(child.pid);
      if (rss !== null) overCap(rss);
    }, WATCH_INTERVAL_MS);
    const cancel = () => finish(() => reject(new CancelledError(progress.done, progress.total)));
    run.signal?.addEventListener('abort', cancel);
    child.on('message', (message: { kind: 'progress'; done: number; total: number } | { kind: 'memory'; rss: number } | { kind: 'done'; result: T } | { kind: 'error'; error: SerialisedError }) => {
      if (message.kind === 'progress') {
        progress.done = message.done;
        progress.total = message.total;
        run.onProgress?.(message.done, message.total);
      } else if (message.kind === 'memory') overCap(message.rss);
      else if (message.kind === 'done') finish(() => resolve(message.result));
      else finish(() => reject(rebuild(message.error, progress)));
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('close', (code, signal) => {
      const said = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const last = said.find((l) => /heap out of memory|Fatal|FATAL|RangeError|Invalid/.test(l)) ?? said[said.length - 1];
      finish(() => reject(new InputError(where, null, `the model process ended abnormally (${signal ?? `exit code ${code}`}) before it finished${last ? `: ${last.slice(0, 300)}` : ''}`)));
    });
    child.send(request);
  });
}

/** `evaluateModel` in a child process. Callbacks cannot cross processes, so `options.run` and `options.load` carry data only. */
export function evaluateModelInWorker(options: ModelEvaluationOptions, run: WorkerRunOptions = {}): Promise<ModelEvaluation> {
  const { onProgress: _onProgress, signal: _signal, ...plainRun } = options.run ?? {};
  const { analyzer: _analyzer, ...plainLoad } = options.load ?? {};
  const plain: ModelEvaluationOptions = { ...options, run: plainRun, load: plainLoad };
  const cap = run.memoryCapBytes ?? memoryCapFor(inputBytes({ model: options.modelPath, weights: plainLoad.weightsPath, data: options.dataPath, labels: options.dataset?.labelsPath, vocab: options.dataset?.vocabPath }));
  return runInChild<ModelEvaluation>({ kind: 'evaluate', options: plain }, options.modelPath, cap, run);
}

/** Verify Shapes in a child process: the PyTorch model with random weights, one dummy batch. */
export function verifyShapesInWorker(request: VerifyRequest, run: WorkerRunOptions = {}): Promise<ShapeCheck> {
  const cap = run.memoryCapBytes ?? memoryCapFor(inputBytes({ model: request.path }));
  return runInChild<ShapeCheck>({ kind: 'verify', options: request }, request.path, cap, run);
}
