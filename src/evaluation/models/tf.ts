// TensorFlow.js, loaded on first use so that `seqlens check` never pays for it, and the
// backend a model runs on, chosen by the evaluation engine's rule (tfjs-node → wasm → cpu).
import { chooseBackend } from '../backend';
import type { BackendName } from '../types';

export type Tf = typeof import('@tensorflow/tfjs');
export type Tensor = import('@tensorflow/tfjs').Tensor;

let tfModule: Tf | null = null;

export function tfjs(): Tf {
  if (tfModule === null) {
    tfModule = require('@tensorflow/tfjs') as Tf;
    tfModule.env().set('PROD', true);
  }
  return tfModule;
}

const TF_NAME: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/** Makes `name` (or the first backend that starts) the active one and returns its name. */
export async function useBackend(name?: BackendName): Promise<BackendName> {
  const backend = await chooseBackend(name);
  const tf = tfjs();
  if (tf.getBackend() !== TF_NAME[backend.name]) await tf.setBackend(TF_NAME[backend.name]);
  return backend.name;
}

/** The active backend, in the engine's names. */
export function activeBackend(): BackendName {
  const current = tfjs().getBackend();
  return current === 'tensorflow' ? 'tfjs-node' : current === 'wasm' ? 'wasm' : 'cpu';
}
