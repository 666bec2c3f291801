// Reads the Python code cells of an .ipynb file.
export interface NotebookCell {
  /** Index among all cells (markdown included), for messages. */
  index: number;
  source: string;
}

export function readNotebookCells(text: string, path: string): NotebookCell[] {
  let json: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not a valid notebook: ${(error as Error).message}`);
  }
  if (!Array.isArray(json.cells)) throw new Error(`${path} is not a valid notebook: it has no "cells" list`);
  const cells: NotebookCell[] = [];
  json.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source ?? '';
    cells.push({ index, source });
  });
  return cells;
}
