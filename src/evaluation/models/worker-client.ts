// Runs a model evaluation in a worker thread, so that a large dataset never blocks the caller:
// progress arrives as the batches finish, and an aborted signal cancels between batches.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors';
import type { ModelEvaluation, ModelEvaluationOptions } from './index';
import { CancelledError } from './run';
import type { SerialisedError } from './worker';

export interface WorkerRunOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** The worker script; by default `model-worker.js` beside a bundle, else the compiled worker.js. */
  workerPath?: string;
}

function workerScript(): string {
  const beside = join(__dirname, 'model-worker.js');
  return existsSync(beside) ? beside : join(__dirname, 'worker.js');
}

function rebuild(error: SerialisedError): Error {
  if (error.name === 'InputError' && error.file !== undefined) return new InputError(error.file, error.line ?? null, error.cause ?? error.message);
  if (error.name === 'CancelledError') {
    const match = /after (\d+) of (\d+)/.exec(error.message);
    return new CancelledError(Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  }
  const out = new Error(error.message);
  out.name = error.name;
  return out;
}

/** `evaluateModel` in a worker thread. Callbacks cannot cross threads, so `options.run` carries data only. */
export function evaluateModelInWorker(options: ModelEvaluationOptions, run: WorkerRunOptions = {}): Promise<ModelEvaluation> {
  const { onProgress: _onProgress, signal: _signal, ...plainRun } = options.run ?? {};
  const { analyzer: _analyzer, ...plainLoad } = options.load ?? {};
  const plain: ModelEvaluationOptions = { ...options, run: plainRun, load: plainLoad };
  return new Promise((resolve, reject) => {
    const worker = new Worker(run.workerPath ?? workerScript());
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', cancel);
      void worker.terminate();
      action();
    };
    const cancel = () => worker.postMessage({ kind: 'cancel' });
    if (run.signal?.aborted) {
      finish(() => reject(new CancelledError(0, 0)));
      return;
    }
    run.signal?.addEventListener('abort', cancel);
    worker.on('message', (message: { kind: 'progress'; done: number; total: number } | { kind: 'done'; evaluation: ModelEvaluation } | { kind: 'error'; error: SerialisedError }) => {
      if (message.kind === 'progress') run.onProgress?.(message.done, message.total);
      else if (message.kind === 'done') finish(() => resolve(message.evaluation));
      else finish(() => reject(rebuild(message.error)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the model worker stopped (exit code ${code}) before it finished`))));
    worker.postMessage({ kind: 'run', options: plain });
  });
}
