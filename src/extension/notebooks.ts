// Notebooks: the Python code cells are analysed as one program in cell order, so a model defined in one
// cell is checked where another cell uses it. Results and diagnostics go on each cell's own URI.
import * as vscode from 'vscode';
import type { Analyzer } from '../analysis';
import type { RelatedResolver } from './convert';
import { describeError, type Log } from './log';
import type { ResultStore } from './results';
import type { AnalysisScheduler } from './scheduling';

export function isPythonCodeCell(cell: vscode.NotebookCell): boolean {
  return cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python';
}

function pythonCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter(isPythonCodeCell);
}

/** `cell:N` in a related location is the N-th analysed cell; no path means the finding's own cell. */
function cellRelatedResolver(cells: readonly vscode.NotebookCell[], own: vscode.Uri): RelatedResolver {
  return (location) => {
    if (location.path === undefined) return own;
    const match = /^cell:(\d+)$/.exec(location.path);
    return match ? cells[Number(match[1])]?.document.uri : undefined;
  };
}

interface NotebookState {
  /** Cell URIs that hold a result now, to remove them when cells go away. */
  cellUris: string[];
  /** Cell document versions the results describe. */
  versions: Map<string, number>;
}

export class PythonNotebooks implements vscode.Disposable {
  private readonly tracked = new Map<string, NotebookState>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly store: ResultStore,
    private readonly scheduler: AnalysisScheduler,
    private readonly log: Log,
  ) {}

  open(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    if (this.tracked.has(key)) return;
    this.tracked.set(key, { cellUris: [], versions: new Map() });
    this.scheduler.runNow(key, () => this.analyse(notebook));
  }

  /** A cell was edited, added, removed or changed language. */
  changed(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    if (!this.tracked.has(key)) return this.open(notebook);
    this.scheduler.schedule(key, () => this.analyse(notebook));
  }

  close(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    const state = this.tracked.get(key);
    if (!state) return;
    this.scheduler.forget(key);
    for (const uri of state.cellUris) this.store.delete(vscode.Uri.parse(uri));
    this.tracked.delete(key);
  }

  /** The notebook a cell document belongs to, when SeqLens tracks it. */
  notebookOf(cellDocument: vscode.TextDocument): vscode.NotebookDocument | undefined {
    if (cellDocument.uri.scheme !== 'vscode-notebook-cell') return undefined;
    return vscode.workspace.notebookDocuments.find(
      (notebook) => this.tracked.has(notebook.uri.toString()) && notebook.getCells().some((cell) => cell.document === cellDocument),
    );
  }

  flush(cellDocument: vscode.TextDocument): void {
    const notebook = this.notebookOf(cellDocument);
    if (!notebook) return;
    const key = notebook.uri.toString();
    const state = this.tracked.get(key);
    const stale = !state || pythonCells(notebook).some((cell) => state.versions.get(cell.document.uri.toString()) !== cell.document.version);
    if (stale || this.scheduler.isPending(key)) this.scheduler.runNow(key, () => this.analyse(notebook));
  }

  private analyse(notebook: vscode.NotebookDocument): void {
    const state = this.tracked.get(notebook.uri.toString());
    if (!state) return;
    const cells = pythonCells(notebook);
    let results;
    try {
      results = this.analyzer.analyzeNotebook(cells.map((cell) => cell.document.getText()), notebook.uri.fsPath);
    } catch (error) {
      this.log.error(`analysis of notebook ${notebook.uri.toString(true)} failed: ${describeError(error)}`);
      return;
    }
    const now = new Set(cells.map((cell) => cell.document.uri.toString()));
    for (const uri of state.cellUris) if (!now.has(uri)) this.store.delete(vscode.Uri.parse(uri));
    state.cellUris = [...now];
    state.versions.clear();
    cells.forEach((cell, index) => {
      const uri = cell.document.uri;
      state.versions.set(uri.toString(), cell.document.version);
      const result = results[index] ?? { findings: [], layers: [], tensors: [] };
      this.store.set({ uri, version: cell.document.version, result, resolveRelated: cellRelatedResolver(cells, uri) });
    });
  }

  reanalyseAll(): void {
    for (const notebook of vscode.workspace.notebookDocuments) {
      const key = notebook.uri.toString();
      if (this.tracked.has(key)) this.scheduler.runNow(key, () => this.analyse(notebook));
    }
  }

  dispose(): void {
    for (const key of this.tracked.keys()) this.scheduler.forget(key);
    this.tracked.clear();
  }
}
