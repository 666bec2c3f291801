// Notebook cells are analysed as one program in cell order; findings are mapped back to their cells.
import type { AnalysisResult, Range } from './findings';

export interface JoinedCells {
  source: string;
  /** First line of each cell in the joined source. */
  firstLines: number[];
  lineCounts: number[];
}

export function joinNotebookCells(cells: string[]): JoinedCells {
  const firstLines: number[] = [];
  const lineCounts: number[] = [];
  let line = 0;
  const parts: string[] = [];
  for (const cell of cells) {
    // IPython magics and shell escapes are not Python; blank them so they cannot confuse the parser.
    const text = cell.replace(/^[ \t]*[%!].*$/gm, '');
    firstLines.push(line);
    const count = text.split('\n').length;
    lineCounts.push(count);
    parts.push(text);
    line += count;
  }
  return { source: parts.join('\n'), firstLines, lineCounts };
}

function cellOf(joined: JoinedCells, line: number): number {
  for (let i = joined.firstLines.length - 1; i >= 0; i--) if (line >= joined.firstLines[i]) return i;
  return 0;
}

function shift(range: Range, by: number): Range {
  return { start: { line: range.start.line - by, column: range.start.column }, end: { line: range.end.line - by, column: range.end.column } };
}

/** Splits a joined-program result into per-cell results. Related locations in other cells carry `cell:N` as their path. */
export function splitNotebookResult(result: AnalysisResult, joined: JoinedCells): AnalysisResult[] {
  const out: AnalysisResult[] = joined.firstLines.map(() => ({ findings: [], layers: [], tensors: [] }));
  // The notebook's coverage is one program's: it travels with the first cell.
  if (result.coverage && out.length) out[0].coverage = result.coverage;
  const local = (range: Range) => {
    const cell = cellOf(joined, range.start.line);
    return { cell, range: shift(range, joined.firstLines[cell]) };
  };
  for (const finding of result.findings) {
    const { cell, range } = local(finding.range);
    out[cell].findings.push({
      ...finding,
      range,
      related: finding.related.map((r) => {
        const at = local(r.range);
        return { ...r, range: at.range, path: r.path ?? (at.cell === cell ? undefined : `cell:${at.cell}`) };
      }),
      fixes: finding.fixes
        .filter((fix) => fix.edits.every((e) => cellOf(joined, e.range.start.line) === cell))
        .map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: local(e.range).range })) })),
    });
  }
  for (const layer of result.layers) {
    const { cell, range } = local(layer.range);
    out[cell].layers.push({ ...layer, range });
  }
  for (const tensor of result.tensors) {
    const { cell, range } = local(tensor.range);
    out[cell].tensors.push({ ...tensor, range });
  }
  if (result.incomplete) {
    const cell = cellOf(joined, result.incomplete.line);
    out[cell].incomplete = { ...result.incomplete, line: result.incomplete.line - joined.firstLines[cell] };
  }
  return out;
}
