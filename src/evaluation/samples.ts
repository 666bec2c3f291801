// The rows behind the numbers: which samples fell in each confusion-matrix cell, and a sample of
// regression residuals. Both are bounded whatever the file's size, so that a 10-million-row file
// gives a result small enough to send to an editor panel.
import type { CellSamples, ResidualSample } from './types';

export interface CellSampleLimits {
  /** Rows kept per cell (its first rows in file order). */
  perCell: number;
  /** Rows kept over all cells; with many non-empty cells, each keeps fewer. */
  total: number;
}

export const DEFAULT_CELL_SAMPLE_LIMITS: CellSampleLimits = { perCell: 100, total: 5000 };
export const DEFAULT_RESIDUAL_SAMPLES = 2000;
/** Residuals kept besides the even sample: the largest in magnitude, so outliers always show. */
const LARGEST_RESIDUALS = 20;

/** Named scores kept for each sampled row, read from the score columns before they are consumed. */
export interface SampleScores {
  columns: string[];
  /** The scores of row `row`, in `columns` order. */
  of(row: number, truth: number, predicted: number): number[];
}

/**
 * The first rows of each cell, from `combined[i] = truth * k + predicted`. One pass over the rows;
 * a cell's count stops at the per-cell cap, so the work after the cap is one byte compare per row.
 */
export function collectCellSamples(
  combined: Int32Array,
  k: number,
  matrix: number[][],
  scores: SampleScores | null,
  limits: CellSampleLimits = DEFAULT_CELL_SAMPLE_LIMITS,
): CellSamples {
  let nonEmpty = 0;
  for (const row of matrix) for (const count of row) if (count > 0) nonEmpty++;
  const perCell = Math.max(1, Math.min(limits.perCell, Math.floor(limits.total / Math.max(1, nonEmpty)), 255));
  const kept = new Uint8Array(k * k);
  const rowsByCell = new Map<number, number[]>();
  let total = 0;
  for (let i = 0; i < combined.length && total < limits.total; i++) {
    const cell = combined[i];
    if (kept[cell] >= perCell) continue;
    kept[cell]++;
    total++;
    let rows = rowsByCell.get(cell);
    if (!rows) rowsByCell.set(cell, (rows = []));
    rows.push(i);
  }
  const cells = [...rowsByCell.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cell, rows]) => {
      const truth = Math.floor(cell / k);
      const predicted = cell % k;
      return {
        truth,
        predicted,
        rows,
        scores: scores ? rows.map((row) => scores.of(row, truth, predicted)) : null,
        fields: null,
      };
    });
  return { perCell, limit: limits.total, scoreColumns: scores ? scores.columns : [], fieldColumns: [], cells };
}

/**
 * At most `max` (truth, prediction) pairs: every row when they fit, else rows at an even stride
 * through the file plus the largest residuals, in row order.
 */
export function sampleResiduals(truth: Float64Array, predicted: Float64Array, max = DEFAULT_RESIDUAL_SAMPLES): ResidualSample {
  const n = truth.length;
  let rows: number[];
  if (n <= max) {
    rows = Array.from({ length: n }, (_, i) => i);
  } else {
    const chosen = new Set<number>();
    const even = Math.max(1, max - LARGEST_RESIDUALS);
    for (let j = 0; j < even; j++) chosen.add(Math.floor((j * n) / even));
    for (const row of largestResiduals(truth, predicted, Math.min(LARGEST_RESIDUALS, max))) chosen.add(row);
    rows = [...chosen].sort((a, b) => a - b);
  }
  return {
    total: n,
    sampled: rows.length < n,
    rows,
    truth: rows.map((i) => truth[i]),
    predicted: rows.map((i) => predicted[i]),
  };
}

/** Rows of the `count` largest |truth - predicted|, by a bounded min-heap. */
function largestResiduals(truth: Float64Array, predicted: Float64Array, count: number): number[] {
  if (count <= 0) return [];
  const heapRows: number[] = [];
  const heapValues: number[] = [];
  const swap = (a: number, b: number) => {
    [heapRows[a], heapRows[b]] = [heapRows[b], heapRows[a]];
    [heapValues[a], heapValues[b]] = [heapValues[b], heapValues[a]];
  };
  for (let i = 0; i < truth.length; i++) {
    const value = Math.abs(truth[i] - predicted[i]);
    if (heapValues.length === count && value <= heapValues[0]) continue;
    if (heapValues.length === count) {
      heapValues[0] = value;
      heapRows[0] = i;
      for (let at = 0; ;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let smallest = at;
        if (left < count && heapValues[left] < heapValues[smallest]) smallest = left;
        if (right < count && heapValues[right] < heapValues[smallest]) smallest = right;
        if (smallest === at) break;
        swap(at, smallest);
        at = smallest;
      }
    } else {
      heapValues.push(value);
      heapRows.push(i);
      for (let at = heapValues.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (heapValues[parent] <= heapValues[at]) break;
        swap(at, parent);
        at = parent;
      }
    }
  }
  return heapRows;
}
