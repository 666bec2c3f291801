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
  const cells = k * k >= DIRECT_COUNT_CELLS && k * k > combined.length ? countDirectly(combined, k * k) : await backend.bincount(combined, k * k);
  const matrix: number[][] = [];
  for (let t = 0; t < k; t++) {
    const row: number[] = new Array<number>(k);
    for (let p = 0, at = t * k; p < k; p++, at++) row[p] = cells[at];
    matrix.push(row);
  }
  return matrix;
}

/**
 * From this many cells on, a matrix with more cells than rows (thousands of classes, few rows) is
 * counted by one pass over the rows: a dense bincount would spend its time building, copying and
 * summing k² bins that hold almost nothing (16 M bins for 2 rows of 4,000 classes).
 */
const DIRECT_COUNT_CELLS = 1 << 16;

function countDirectly(combined: Int32Array, size: number): Float64Array {
  const cells = new Float64Array(size);
  for (let i = 0; i < combined.length; i++) cells[combined[i]]++;
  return cells;
}
