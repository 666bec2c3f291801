// Keeps every open Python document and notebook analysed while the user types. The analyzer loads its
// wasm parser asynchronously, so nothing here waits for it at activation: documents opened before it is
// ready are picked up as soon as it is.
import * as vscode from 'vscode';
import type { Analyzer } from '../analysis';
import { isPythonTextDocument, PythonDocuments } from './documents';
import { describeError, type Log } from './log';
import { PythonNotebooks } from './notebooks';
import type { AnalysedDocument, ResultStore } from './results';
import { AnalysisScheduler } from './scheduling';
import { readSettings, SETTINGS_SECTION } from './settings';

export class LiveAnalysis implements vscode.Disposable {
  private readonly scheduler = new AnalysisScheduler(() => readSettings().analysisDelay);
  private analyzer: Analyzer | undefined;
  private documents: PythonDocuments | undefined;
  private notebooks: PythonNotebooks | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Resolves once the analyzer is loaded (or failed to load, which is logged). */
  readonly ready: Promise<void>;

  constructor(analyzer: Promise<Analyzer>, private readonly store: ResultStore, private readonly log: Log) {
    this.ready = analyzer.then(
      (loaded) => this.start(loaded),
      (error: unknown) => this.log.error(`the analyzer could not be loaded: ${describeError(error)}`),
    );
  }

  private start(analyzer: Analyzer): void {
    this.analyzer = analyzer;
    this.createTrackers(analyzer);
    const workspace = vscode.workspace;
    this.subscriptions.push(
      workspace.onDidOpenTextDocument((document) => this.opened(document)),
      workspace.onDidChangeTextDocument((event) => this.changed(event)),
      workspace.onDidCloseTextDocument((document) => this.documents?.close(document)),
      workspace.onDidOpenNotebookDocument((notebook) => this.enabled() && this.notebooks?.open(notebook)),
      workspace.onDidChangeNotebookDocument((event) => {
        const structural = event.contentChanges.length > 0 || event.cellChanges.some((change) => change.document !== undefined);
        if (structural && this.enabled()) this.notebooks?.changed(event.notebook);
      }),
      workspace.onDidCloseNotebookDocument((notebook) => this.notebooks?.close(notebook)),
      workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.enable`)) this.restart();
      }),
    );
    this.analyseOpenDocuments();
    this.log.info('analyzer ready');
  }

  private createTrackers(analyzer: Analyzer): void {
    this.documents = new PythonDocuments(analyzer, this.store, this.scheduler, this.log);
    this.notebooks = new PythonNotebooks(analyzer, this.store, this.scheduler, this.log);
  }

  private enabled(): boolean {
    return readSettings().enable;
  }

  private opened(document: vscode.TextDocument): void {
    if (!this.enabled()) return;
    if (isPythonTextDocument(document)) this.documents?.open(document);
    else if (document.uri.scheme === 'vscode-notebook-cell') {
      // A cell that was just created or switched to Python changes the program the notebook forms.
      const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((cell) => cell.document === document));
      if (notebook) this.notebooks?.changed(notebook);
    } else if (this.documents?.isTracked(document)) {
      this.documents.close(document);
    }
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    if (this.documents?.isTracked(event.document)) return this.documents.change(event);
    const notebook = this.notebooks?.notebookOf(event.document);
    if (notebook && event.contentChanges.length > 0) this.notebooks?.changed(notebook);
  }

  private analyseOpenDocuments(): void {
    if (!this.enabled()) return;
    for (const document of vscode.workspace.textDocuments) if (isPythonTextDocument(document)) this.documents?.open(document);
    for (const notebook of vscode.workspace.notebookDocuments) this.notebooks?.open(notebook);
  }

  private restart(): void {
    this.documents?.dispose();
    this.notebooks?.dispose();
    this.store.clear();
    this.log.info(`SeqLens ${this.enabled() ? 'enabled' : 'disabled'}`);
    if (!this.analyzer) return;
    // Fresh trackers: the old ones' DocumentAnalysis objects were disposed with them.
    this.createTrackers(this.analyzer);
    this.analyseOpenDocuments();
  }

  /**
   * The analysis of a document as it is now, for a provider.
   * - `now` (hover, a quick fix the user asked for): edits still waiting for their timer are analysed at once.
   * - `settled` (inlay hints, the automatic light bulb: requested after every keystroke): waits for the
   *   scheduled analysis instead, so that typing keeps being coalesced.
   */
  async resultFor(document: vscode.TextDocument, mode: 'now' | 'settled', token?: vscode.CancellationToken): Promise<AnalysedDocument | undefined> {
    await this.ready;
    if (!this.enabled()) return undefined;
    const tracked = this.documents?.isTracked(document) ?? false;
    if (!tracked && !this.notebooks?.notebookOf(document)) return undefined;
    if (mode === 'now') {
      if (tracked) this.documents?.flush(document);
      else this.notebooks?.flush(document);
    }
    return this.current(document) ?? (mode === 'settled' ? this.nextResult(document, token) : undefined);
  }

  private current(document: vscode.TextDocument): AnalysedDocument | undefined {
    const entry = this.store.get(document.uri);
    return entry && entry.version === document.version ? entry : undefined;
  }

  private nextResult(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<AnalysedDocument | undefined> {
    return new Promise((resolve) => {
      const key = document.uri.toString();
      const finish = (entry: AnalysedDocument | undefined) => {
        clearTimeout(timer);
        listener.dispose();
        cancellation?.dispose();
        resolve(entry);
      };
      // A request is answered even if its analysis never comes (the document closed meanwhile).
      const timer = setTimeout(() => finish(undefined), 10_000);
      const listener = this.store.onDidChange((uri) => {
        if (uri.toString() !== key) return;
        const entry = this.current(document);
        if (entry) finish(entry);
      });
      const cancellation = token?.onCancellationRequested(() => finish(undefined));
    });
  }

  /** Milliseconds the last analysis of this document (or its notebook) took. */
  lastCost(document: vscode.TextDocument): number | undefined {
    const notebook = this.notebooks?.notebookOf(document);
    return this.scheduler.lastCost((notebook?.uri ?? document.uri).toString());
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.documents?.dispose();
    this.notebooks?.dispose();
    this.scheduler.dispose();
  }
}
