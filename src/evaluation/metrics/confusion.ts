// The confusion matrix, counted on the TensorFlow.js backend with denseBincount over
// true*K + predicted. The caller writes those combined indices in the pass that maps file
// labels to sorted classes, so counting needs no extra pass and no extra memory.
// Never tf.math.confusionMatrix: it builds one-hot matrices and a matmul (hundreds of times
// slower here, and it fails on wasm with int32).
import type { CountingBackend } from '../backend';

/**
 * counts[t][p] = number of rows whose combined index is t*k + p. Every index must lie in
 * [0, k*k): the caller guarantees it, since tfjs would silently drop an out-of-range one.
 */
export async function countConfusion(backend: CountingBackend, combined: Int32Array, k: number): Promise<number[][]> {
  const cells = await backend.bincount(combined, k * k);
  const matrix: number[][] = [];
  for (let t = 0; t < k; t++) matrix.push(Array.from(cells.subarray(t * k, (t + 1) * k)));
  return matrix;
}
