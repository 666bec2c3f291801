// The latest analysis of every document SeqLens watches, keyed by URI (files and notebook cells alike).
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/findings';
import type { RelatedResolver } from './convert';

export interface AnalysedDocument {
  readonly uri: vscode.Uri;
  /** The document version this result describes; providers use it to tell stale results apart. */
  readonly version: number;
  readonly result: AnalysisResult;
  readonly resolveRelated: RelatedResolver;
}

export class ResultStore implements vscode.Disposable {
  private readonly byUri = new Map<string, AnalysedDocument>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the URI whose result was set or removed. */
  readonly onDidChange = this.changed.event;

  get(uri: vscode.Uri): AnalysedDocument | undefined {
    return this.byUri.get(uri.toString());
  }

  set(entry: AnalysedDocument): void {
    this.byUri.set(entry.uri.toString(), entry);
    this.changed.fire(entry.uri);
  }

  delete(uri: vscode.Uri): void {
    if (this.byUri.delete(uri.toString())) this.changed.fire(uri);
  }

  all(): AnalysedDocument[] {
    return [...this.byUri.values()];
  }

  clear(): void {
    const uris = this.all().map((entry) => entry.uri);
    this.byUri.clear();
    for (const uri of uris) this.changed.fire(uri);
  }

  dispose(): void {
    this.byUri.clear();
    this.changed.dispose();
  }
}
