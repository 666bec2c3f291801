// The TensorFlow.js backend that counts. Chosen at run time: tfjs-node when its native
// binding loads, else the WebAssembly backend, else the plain JavaScript cpu backend.
// A forced backend that cannot start is an error, never a silent fallback, and the name a
// result reports is the backend that the counting actually ran on.
//
// Only integer counting runs on tensors: TensorFlow.js computes in float32, and the metrics
// must agree with scikit-learn's float64 to 1e-9, so ratios, sums of logs, sorting and
// cumulative sums stay in float64 JavaScript.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendName } from './types';
import { installWasmKernels } from './wasm-kernels';

type Tf = typeof import('@tensorflow/tfjs');

export interface CountingBackend {
  readonly name: BackendName;
  /** counts[v] = number of i with indices[i] === v, for 0 <= v < size. Every index must be in range. */
  bincount(indices: Int32Array, size: number): Promise<Float64Array>;
}

export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, reason: string) {
    super(`the ${backend} backend is not available here: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

export const BACKEND_NAMES: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

const TF_BACKEND: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let tfModule: Tf | null = null;
const started = new Map<BackendName, Promise<string | null>>();

function loadTf(): Tf {
  if (tfModule === null) {
    tfModule = require('@tensorflow/tfjs') as Tf;
    // PROD silences the "install tfjs-node" banner, which would otherwise land in our output.
    tfModule.env().set('PROD', true);
  }
  return tfModule;
}

/** Starts one backend; resolves to null when ready, else to the reason it cannot run. */
function start(name: BackendName): Promise<string | null> {
  let pending = started.get(name);
  if (!pending) {
    pending = startUncached(name);
    started.set(name, pending);
  }
  return pending;
}

async function startUncached(name: BackendName): Promise<string | null> {
  let tf: Tf;
  try {
    tf = loadTf();
  } catch (error) {
    return `@tensorflow/tfjs did not load (${errorText(error)})`;
  }
  try {
    if (name === 'tfjs-node') {
      // Optional dependency with a native binding: absent or unloadable is the normal case.
      const load = require;
      load('@tensorflow/tfjs-node');
      if (!tf.findBackend('tensorflow')) return '@tensorflow/tfjs-node loaded but registered no backend';
    } else if (name === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      const folder = wasmFolder();
      if (folder === null) return 'its .wasm files were not found next to the program or in node_modules';
      wasm.setWasmPaths(folder);
      installWasmKernels(tf);
    }
    const ok = await tf.setBackend(TF_BACKEND[name]);
    if (!ok || tf.getBackend() !== TF_BACKEND[name]) return `tf.setBackend('${TF_BACKEND[name]}') failed`;
    return null;
  } catch (error) {
    return errorText(error);
  }
}

/** The folder holding tfjs-backend-wasm.wasm: beside a bundle first, else inside the npm package. */
function wasmFolder(): string | null {
  const beside = join(__dirname, 'tfjs-backend-wasm.wasm');
  if (existsSync(beside)) return `${__dirname}/`;
  try {
    const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const dist = join(packageDir, 'dist');
    if (existsSync(join(dist, 'tfjs-backend-wasm.wasm'))) return `${dist}/`;
  } catch {
    // fall through
  }
  return null;
}

/**
 * The forced backend, or the first that starts of tfjs-node, wasm, cpu.
 * Throws BackendUnavailableError when a forced one cannot start.
 */
export async function chooseBackend(forced?: BackendName): Promise<CountingBackend> {
  if (forced) {
    const reason = await start(forced);
    if (reason !== null) throw new BackendUnavailableError(forced, reason);
    return tfjsCounter(forced);
  }
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    const reason = await start(name);
    if (reason === null) return tfjsCounter(name);
    reasons.push(`${name}: ${reason}`);
  }
  throw new BackendUnavailableError('cpu', reasons.join('; '));
}

/** Rows per upload, so that counting 10 million labels never copies them all at once. */
const COUNT_CHUNK = 1 << 22;

function tfjsCounter(name: BackendName): CountingBackend {
  const tf = loadTf();
  return {
    name,
    async bincount(indices: Int32Array, size: number): Promise<Float64Array> {
      // setBackend is global: another caller may have switched it since this counter was made.
      if (tf.getBackend() !== TF_BACKEND[name]) await tf.setBackend(TF_BACKEND[name]);
      const total = new Float64Array(size);
      const noWeights = tf.tensor1d([], 'int32');
      try {
        for (let offset = 0; offset < indices.length; offset += COUNT_CHUNK) {
          const chunk = indices.subarray(offset, Math.min(indices.length, offset + COUNT_CHUNK));
          const x = tf.tensor1d(chunk, 'int32');
          const counts = tf.denseBincount(x, noWeights, size);
          const values = (await counts.data()) as Int32Array;
          tf.dispose([x, counts]);
          for (let v = 0; v < size; v++) total[v] += values[v];
        }
      } finally {
        noWeights.dispose();
      }
      return total;
    },
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
