// Where a data row sits in its file, so the panel can open the file at a sample. Rows are counted
// as the readers count them: the header and blank lines are not rows, and a quoted CSV cell may
// span lines. No vscode import.
import { open } from 'node:fs/promises';
import type { FileFormat } from '../../evaluation/types';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * The zero-based line on which data row `row` (zero-based) starts, or null for formats without
 * lines (JSON documents, NumPy) or when the file has fewer rows.
 */
export async function lineOfDataRow(path: string, format: FileFormat, row: number): Promise<number | null> {
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') return null;
  const quotes = format !== 'jsonl';
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 0;
    let recordStart = -1; // the line the current record began on, -1 between records
    let recordsDone = 0;
    let inQuotes = false;
    let lineHasText = false;
    // Records: the header (for CSV/TSV) then the data rows.
    const target = quotes ? row + 1 : row;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i];
        if (c === LF) {
          if (!inQuotes) {
            if (lineHasText) {
              if (recordsDone === target) return recordStart;
              recordsDone++;
            }
            recordStart = -1;
            lineHasText = false;
          }
          line++;
          continue;
        }
        if (c === CR) continue;
        if (!lineHasText && recordStart < 0) {
          if (c === 32 || c === 9) {
            if (!quotes) continue; // JSON Lines: a line of spaces is blank
          }
          recordStart = line;
        }
        lineHasText = true;
        if (quotes && c === QUOTE) inQuotes = !inQuotes;
      }
    }
    if (lineHasText && recordsDone === target) return recordStart;
    return null;
  } finally {
    await handle.close();
  }
}
