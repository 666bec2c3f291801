// Bounds every reader checks as soon as it knows the header, before any row is stored.
import { InputError } from '../errors';

/** Columns in one file (the names alone; skipped columns cost nothing more). */
export const MAX_COLUMNS = 65_536;
/** Classes a confusion matrix holds (k² counts), and so per-class score columns a file may have. */
export const MAX_MATRIX_CLASSES = 4096;

/** Memory the kept columns may take (8 bytes a cell): the larger of 1 GiB and 4× the file. */
export function tableByteBudget(fileSize: number): number {
  return Math.max(2 ** 30, 4 * fileSize);
}

/**
 * For formats that declare their row count up front (.npy, .npz): refuses a table whose kept
 * columns would exceed the budget, before anything is allocated. Text formats need no such
 * check: each cell takes at least two bytes of the file, so they stay within 4× its size.
 */
export function checkTableBudget(where: string, rows: number, keptColumns: number, fileSize: number): void {
  const bytes = rows * keptColumns * 8;
  const budget = tableByteBudget(fileSize);
  if (bytes > budget) {
    throw new InputError(where, null, `${rows} rows × ${keptColumns} columns would take ${(bytes / 2 ** 30).toFixed(1)} GiB in memory, more than the ${(budget / 2 ** 30).toFixed(1)} GiB allowed for this file`);
  }
}
