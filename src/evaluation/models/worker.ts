// The model runner's child process: runs `evaluateModel` (or Verify Shapes) in a Node process of its
// own, forked by worker-client.ts, so that whatever a model or its data does to this process (a V8
// fatal error, a heap limit, gigabytes of typed arrays) ends this process and not the editor's or
// the CLI's. It posts progress after every batch and reports its memory; the parent watches its
// real memory from outside and kills it past its cap, or when the user cancels.
// Messages in:  { kind: 'evaluate', options } | { kind: 'verify', options } | { kind: 'cancel' }
// Messages out: { kind: 'progress', done, total } | { kind: 'memory', rss } | { kind: 'done', result } | { kind: 'error', error }
import { InputError, ValuesNeeded } from '../errors';
import type { ModelEvaluationOptions } from './index';
import { CancelledError } from './run';

export interface SerialisedError {
  name: string;
  message: string;
  /** InputError's parts, so that the parent can rebuild it. */
  file?: string;
  line?: number | null;
  cause?: string;
  /** ValuesNeeded's names. */
  names?: string[];
}

export interface VerifyRequest {
  path: string;
  className?: string;
  /** A state dict: its weights, and the constructor sizes it implies, instead of random weights. */
  weightsPath?: string;
  stateDictKey?: string;
  init?: import('./torch/constructor-sizes').InitValues;
  /** The project folder: what the model's file imports from the project's other files is read there. */
  root?: string;
  backend?: import('../types').BackendName;
  /** A .npy batch to run instead of a random one (ids (B, T) or features (B, T, F)). */
  inputsPath?: string;
  /** Forward parameters given by name (--input NAME=FILE.npy). */
  namedInputs?: Record<string, string>;
  /** The pad id given explicitly (--pad-id). */
  padId?: number;
  /** Where to write the raw outputs for that batch, as .npy. */
  outputsPath?: string;
}

export type WorkerRequest =
  | { kind: 'evaluate'; options: ModelEvaluationOptions }
  | { kind: 'verify'; options: VerifyRequest }
  | { kind: 'cancel' };

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof ValuesNeeded) return { name: 'ValuesNeeded', message: error.message, file: error.file, line: error.line, cause: error.cause, names: [...error.names] };
  if (error instanceof InputError) return { name: 'InputError', message: error.message, file: error.file, line: error.line, cause: error.cause };
  if (error instanceof CancelledError) return { name: 'CancelledError', message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

async function verify(request: VerifyRequest): Promise<unknown> {
  const { readFileSync } = await import('node:fs');
  const { createAnalyzer } = await import('../../analysis');
  const { useBackend } = await import('./tf');
  const { verifyShapes } = await import('./verify-shapes');
  await useBackend(request.backend);
  let source: string;
  try {
    source = readFileSync(request.path, 'utf8');
  } catch (error) {
    throw new InputError(request.path, null, `cannot read the model (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const { readStateDict } = await import('./weights');
  const weights = request.weightsPath ? await readStateDict(request.weightsPath, { stateDictKey: request.stateDictKey }) : undefined;
  const { readNpyFile } = await import('../datasets/npy');
  const inputs = request.inputsPath ? { path: request.inputsPath, array: readNpyFile(request.inputsPath) } : undefined;
  const workspace = request.root !== undefined ? new (await import('../../workspace/disk-provider')).Workspaces().for(request.root) : undefined;
  const named = Object.entries(request.namedInputs ?? {}).map(([name, path]) => ({ name, path, array: readNpyFile(path) }));
  return verifyShapes({ path: request.path, source, analyzer: await createAnalyzer(), className: request.className, weights, init: request.init, inputs, named, padId: request.padId, outputsPath: request.outputsPath, workspace });
}

/** Started only as the forked child (the parent sets SEQLENS_MODEL_WORKER), never when imported. */
if (process.env.SEQLENS_MODEL_WORKER === '1' && typeof process.send === 'function') {
  const send = (message: unknown) => process.send!(message);
  const controller = new AbortController();
  // Reported for platforms without /proc, where the parent cannot read it from outside.
  setInterval(() => send({ kind: 'memory', rss: process.memoryUsage.rss() }), 250).unref();
  let started = false;
  process.on('message', (message: WorkerRequest) => {
    if (message.kind === 'cancel') {
      controller.abort();
      return;
    }
    if (started) return;
    started = true;
    const work = message.kind === 'verify'
      ? verify(message.options)
      : import('./index').then(({ evaluateModel }) => evaluateModel({
        ...message.options,
        run: { ...message.options.run, signal: controller.signal, onProgress: (done, total) => send({ kind: 'progress', done, total }) },
      }));
    work.then(
      (result) => send({ kind: 'done', result }),
      (error: unknown) => send({ kind: 'error', error: serialiseError(error) }),
    );
  });
  // The parent went away (or is done with this process): nothing is left to report to.
  process.on('disconnect', () => process.exit(0));
}
