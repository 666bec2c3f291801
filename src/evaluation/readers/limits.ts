// Bounds every reader checks as soon as it knows the header, before any row is stored.

/** Columns in one file (the names alone; skipped columns cost nothing more). */
export const MAX_COLUMNS = 65_536;
/** Classes a confusion matrix holds (k² counts), and so per-class score columns a file may have. */
export const MAX_MATRIX_CLASSES = 4096;
