// "SeqLens: Verify Shapes" in the panel: the JSON that `seqlens eval --model M.py --verify-shapes
// --format json` prints, checked and turned into the rows the panel lists (each step's statically
// inferred shape beside the real one). The child's output is input like any other: anything that is
// not a shape check is refused. No vscode import, so the unit tests can call it.

/** One step of forward: the layer (or operation) and its inferred and real output shapes. */
export interface ShapeCheckRow {
  /** 1-based line in the model's file. */
  line: number;
  /** The expression in forward, prefixed by the name it is bound to: `out = self.gru(embedded)`. */
  layer: string;
  /** The layer kind (GRU, Linear, …) or the operation (index, mean, …). */
  kind: string;
  /** The statically inferred shape, e.g. `(B, T, 24)`. */
  inferred: string;
  /** Where the inferred shape comes from: the analyser's hover, or SeqLens' layer arithmetic. */
  inferredFrom: 'analysis' | 'layer sizes';
  /** The shape TensorFlow.js produced for the dummy batch, e.g. `(3, 13, 24)`. */
  real: string;
  match: boolean;
}

export interface ShapeCheckView {
  version: 1;
  /** The analysed file. */
  path: string;
  className: string;
  batch: number;
  length: number;
  inputShape: number[];
  rows: ShapeCheckRow[];
  mismatches: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isCount);
}

/** The panel's view of a shape check printed by the CLI, or undefined if `raw` is not one. */
export function toShapeCheckView(raw: unknown, path: string): ShapeCheckView | undefined {
  if (!isRecord(raw) || typeof raw.className !== 'string' || !isCount(raw.batch) || !isCount(raw.length) || !isShape(raw.inputShape) || !Array.isArray(raw.rows)) return undefined;
  const rows: ShapeCheckRow[] = [];
  for (const row of raw.rows) {
    if (!isRecord(row) || !isCount(row.line) || typeof row.expression !== 'string' || typeof row.kind !== 'string' ||
      typeof row.expectedShape !== 'string' || !isShape(row.realShape) || typeof row.agrees !== 'boolean') return undefined;
    if (row.name !== null && row.name !== undefined && typeof row.name !== 'string') return undefined;
    if (row.analysedShape !== null && row.analysedShape !== undefined && typeof row.analysedShape !== 'string') return undefined;
    const analysed = typeof row.analysedShape === 'string' ? row.analysedShape : null;
    rows.push({
      line: row.line,
      layer: typeof row.name === 'string' && row.name !== '' ? `${row.name} = ${row.expression}` : row.expression,
      kind: row.kind,
      inferred: analysed ?? row.expectedShape,
      inferredFrom: analysed !== null ? 'analysis' : 'layer sizes',
      real: `(${row.realShape.join(', ')})`,
      match: row.agrees,
    });
  }
  return {
    version: 1,
    path,
    className: raw.className,
    batch: raw.batch,
    length: raw.length,
    inputShape: raw.inputShape,
    rows,
    mismatches: rows.filter((r) => !r.match).length,
  };
}

/** A shape check restored from the webview's saved state, if it is one this version draws. */
export function shapeCheckFromState(state: unknown): ShapeCheckView | undefined {
  if (!isRecord(state) || !isRecord(state.shapeCheck)) return undefined;
  const check = state.shapeCheck;
  if (check.version !== 1 || typeof check.path !== 'string' || typeof check.className !== 'string' || !Array.isArray(check.rows)) return undefined;
  const rowsOk = check.rows.every((r) => isRecord(r) && isCount(r.line) && typeof r.layer === 'string' && typeof r.inferred === 'string' && typeof r.real === 'string' && typeof r.match === 'boolean');
  return rowsOk ? (check as unknown as ShapeCheckView) : undefined;
}

/** The shape check as plain text, for the log: one line per step, mismatches marked. */
export function formatShapeCheckLog(check: ShapeCheckView): string {
  const header = ['line', 'layer', 'kind', 'inferred', 'real', ''];
  const rows = check.rows.map((r) => [String(r.line), r.layer, r.kind, r.inferred, r.real, r.match ? 'ok' : 'MISMATCH']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    `${check.className} (${check.path}): dummy batch of ${check.batch} sequences of length ${check.length}, input (${check.inputShape.join(', ')}); B = ${check.batch}, T = ${check.length}`,
    line(header),
    ...rows.map(line),
    check.mismatches === 0 ? 'Every inferred shape matches the real one.' : `${check.mismatches} inferred shape(s) differ from the real ones.`,
  ].join('\n');
}
