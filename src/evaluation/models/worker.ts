// The model runner's worker thread: runs `evaluateModel` off the editor's (or CLI's) main thread,
// posts progress after every batch, and stops between batches when the parent says cancel.
// Messages in:  { kind: 'run', options } | { kind: 'cancel' }
// Messages out: { kind: 'progress', done, total } | { kind: 'done', evaluation } | { kind: 'error', error }
import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors';
import { evaluateModel, ModelEvaluationOptions } from './index';
import { CancelledError } from './run';

export interface SerialisedError {
  name: string;
  message: string;
  /** InputError's parts, so that the parent can rebuild it. */
  file?: string;
  line?: number | null;
  cause?: string;
}

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof InputError) return { name: 'InputError', message: error.message, file: error.file, line: error.line, cause: error.cause };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

if (parentPort) {
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (message: { kind: 'run'; options: ModelEvaluationOptions } | { kind: 'cancel' }) => {
    if (message.kind === 'cancel') {
      controller.abort();
      return;
    }
    const { options } = message;
    evaluateModel({
      ...options,
      run: { ...options.run, signal: controller.signal, onProgress: (done, total) => port.postMessage({ kind: 'progress', done, total }) },
    }).then(
      (evaluation) => port.postMessage({ kind: 'done', evaluation }),
      (error: unknown) => port.postMessage({ kind: 'error', error: error instanceof CancelledError ? { name: 'CancelledError', message: error.message } : serialiseError(error) }),
    );
  });
}
