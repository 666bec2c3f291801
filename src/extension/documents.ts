// Python text documents: one incremental DocumentAnalysis per open document, fed with the editor's own edits.
import * as vscode from 'vscode';
import type { Analyzer, DocumentAnalysis } from '../analysis';
import type { SourceEdit } from '../analysis/findings';
import { fileRelatedResolver, toSourceEdit } from './convert';
import { describeError, type Log } from './log';
import type { ResultStore } from './results';
import type { AnalysisScheduler } from './scheduling';

/** Schemes of documents a user edits; others (git originals, output, diff sides) are left alone. */
const EDITABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function isPythonTextDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && EDITABLE_SCHEMES.has(document.uri.scheme);
}

interface TrackedDocument {
  readonly document: vscode.TextDocument;
  readonly analysis: DocumentAnalysis;
  /** Edits since the last analysis, in the order the editor reported them. */
  pending: SourceEdit[];
  analysedVersion: number;
}

export class PythonDocuments implements vscode.Disposable {
  private readonly tracked = new Map<string, TrackedDocument>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly store: ResultStore,
    private readonly scheduler: AnalysisScheduler,
    private readonly log: Log,
  ) {}

  open(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (this.tracked.has(key)) return;
    const fileName = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
    // Opened empty, then given the text, so that the first analysis is also the one whose result is kept.
    const entry: TrackedDocument = { document, analysis: this.analyzer.open('', fileName), pending: [], analysedVersion: -1 };
    this.tracked.set(key, entry);
    this.scheduler.runNow(key, () => this.analyse(entry, true));
  }

  change(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const entry = this.tracked.get(key);
    if (!entry || event.contentChanges.length === 0) return;
    entry.pending.push(...event.contentChanges.map(toSourceEdit));
    this.scheduler.schedule(key, () => this.analyse(entry, false));
  }

  close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.tracked.get(key);
    if (!entry) return;
    this.scheduler.forget(key);
    entry.analysis.dispose();
    this.tracked.delete(key);
    this.store.delete(document.uri);
  }

  isTracked(document: vscode.TextDocument): boolean {
    return this.tracked.has(document.uri.toString());
  }

  /** Brings the document's result up to date now, when edits are still waiting for their timer. */
  flush(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.tracked.get(key);
    if (entry && entry.analysedVersion !== document.version) this.scheduler.runNow(key, () => this.analyse(entry, false));
  }

  private analyse(entry: TrackedDocument, fromScratch: boolean): void {
    const { document } = entry;
    const text = document.getText();
    const edits = entry.pending;
    entry.pending = [];
    let result;
    try {
      result = fromScratch || edits.length === 0 ? entry.analysis.replace(text) : entry.analysis.update(edits, text);
    } catch (error) {
      this.log.error(`analysis of ${document.uri.toString(true)} failed: ${describeError(error)}`);
      try {
        // An incremental update that went wrong must not leave the document stuck: start over from its text.
        result = entry.analysis.replace(text);
      } catch {
        return;
      }
    }
    entry.analysedVersion = document.version;
    this.store.set({ uri: document.uri, version: document.version, result, resolveRelated: fileRelatedResolver(document.uri) });
  }

  reanalyseAll(): void {
    for (const [key, entry] of this.tracked) this.scheduler.runNow(key, () => this.analyse(entry, true));
  }

  dispose(): void {
    for (const entry of this.tracked.values()) {
      this.scheduler.forget(entry.document.uri.toString());
      entry.analysis.dispose();
    }
    this.tracked.clear();
  }
}
