// The "Evaluate model" panel on the host side: one webview panel beside the editor, its HTML and
// Content-Security-Policy, the serializer that brings it back after a reload, and the handling of
// the (validated) messages its webview sends.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelRun } from '../../evaluation/report/panel';
import type { FileFormat } from '../../evaluation/types';
import { describeError, type Log } from '../log';
import { makeNonce, panelHtml } from './html';
import { lineOfDataRow } from './locate-row';
import { modelRunArgs, parsePanelMessage, runsFromState, type PanelMessage } from './messages';
import { formatReport, REPORT_EXTENSIONS } from './report-export';
import { RunRegistry, type RunMemento } from './run-registry';
import { shapeCheckFromState, type ShapeCheckView } from './shape-check';

export const PANEL_VIEW_TYPE = 'seqlens.evaluation';

/** What the panel asks of the evaluation flow (src/extension/evaluate.ts). */
export interface PanelActions {
  /** Evaluates the file again; resolves to its run, or undefined when cancelled or failed (already reported). */
  evaluate(file: vscode.Uri): Promise<PanelRun | undefined>;
  /** Runs `seqlens eval` with these arguments again (a model on its dataset). */
  evaluateArgs(args: string[], name: string): Promise<PanelRun | undefined>;
  /** Lets the user pick a second file and evaluates it. */
  pickAndEvaluate(title: string): Promise<PanelRun | undefined>;
}

export class EvaluationPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private runs: PanelRun[] = [];
  /** Whether the extension recorded each run itself; a run known only from restored webview state opens and runs nothing. */
  private trusted: boolean[] = [];
  private readonly registry: RunRegistry;
  /** The last "Verify Shapes" result, shown above the runs until the next evaluation. */
  private shapeCheck: ShapeCheckView | undefined;
  private delivered = true;
  private readonly disposables: vscode.Disposable[] = [];
  private renderedWaiters: ((ms: number | undefined) => void)[] = [];
  /** The last busy or error status, sent again when a webview that was still loading says it is ready. */
  private pendingStatus: { type: 'busy'; text: string } | { type: 'error'; message: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly actions: PanelActions,
    memento: RunMemento,
  ) {
    this.registry = new RunRegistry(memento);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          // Paths come from the extension's own records, matched by run id, never from the state.
          const restored = this.registry.restore(runsFromState(state));
          this.runs = restored.runs;
          this.trusted = restored.trusted;
          this.shapeCheck = shapeCheckFromState(state);
          this.delivered = true; // the webview draws them from its own state
          this.attach(panel);
        },
      }),
    );
  }

  private get mediaRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media');
  }

  /** Shows these runs (one, or two to compare), opening the panel beside the active editor if needed. */
  async show(runs: PanelRun[]): Promise<number | undefined> {
    const shown = runs.slice(0, 2);
    // A run kept from before (the first of a comparison) stays as trusted as it was; only runs the
    // extension produced are recorded.
    const trusted = shown.map((run) => {
      const at = this.runs.indexOf(run);
      return at < 0 || this.trusted[at] !== false;
    });
    this.runs = await Promise.all(shown.map((run, i) => (trusted[i] ? this.registry.register(run) : run)));
    this.trusted = trusted;
    this.shapeCheck = undefined;
    return this.present();
  }

  /** Shows a shape check ("SeqLens: Verify Shapes") above whatever runs the panel holds. */
  showShapeCheck(check: ShapeCheckView): Promise<number | undefined> {
    this.shapeCheck = check;
    return this.present();
  }

  private present(): Promise<number | undefined> {
    this.delivered = false;
    this.pendingStatus = undefined;
    const rendered = new Promise<number | undefined>((resolve) => this.renderedWaiters.push(resolve));
    if (this.panel) {
      this.panel.title = this.title();
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      this.deliver();
    } else {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.attach(panel);
    }
    return rendered;
  }

  /**
   * Opens the panel (empty, or with what it showed) while an evaluation runs, so that the webview
   * loads in parallel with the child process rather than after it.
   */
  open(): void {
    if (this.panel) return;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /** Tells the panel that an evaluation is running, or failed. */
  status(message: { type: 'busy'; text: string } | { type: 'error'; message: string }): void {
    this.pendingStatus = message;
    void this.panel?.webview.postMessage(message);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.mediaRoot], retainContextWhenHidden: false, enableFindWidget: true };
  }

  private title(): string {
    const names = this.runs.map((run) => path.basename(run.source.path));
    if (names.length === 0 && this.shapeCheck) return `Shapes: ${this.shapeCheck.className}`;
    return names.length === 0 ? 'SeqLens evaluation' : `Evaluation: ${names.join(' vs ')}`;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    panel.title = this.title();
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, 'evaluation-icon.svg');
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(this.mediaRoot, 'dist');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.css')).toString(),
    });
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePanelMessage(raw, this.runs);
        if (!message) {
          this.log.warn(`evaluation panel: ignored a message that is not valid: ${JSON.stringify(raw)?.slice(0, 200)}`);
          return;
        }
        this.handle(message).catch((error: unknown) => {
          this.log.error(`evaluation panel: ${describeError(error)}`);
          void vscode.window.showErrorMessage(`SeqLens: ${error instanceof Error ? error.message : String(error)}`);
        });
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
        for (const s of subscriptions) s.dispose();
        this.resolveRendered(undefined);
      }),
    ];
  }

  private deliver(): void {
    if (!this.panel || this.delivered) return;
    this.delivered = true;
    void this.panel.webview.postMessage({ type: 'show', runs: this.runs, shapeCheck: this.shapeCheck ?? null });
  }

  private resolveRendered(ms: number | undefined): void {
    const waiters = this.renderedWaiters;
    this.renderedWaiters = [];
    for (const resolve of waiters) resolve(ms);
  }

  private async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A result posted while the webview was still loading (the panel opens as the evaluation
        // starts, and a first webview on a cold machine loads slower than a fast evaluation) can
        // arrive before its script listens; the script then says ready and waits. So a result that
        // has not been drawn yet is sent again here, rather than only one never sent.
        if (!this.delivered || this.renderedWaiters.length > 0) {
          this.delivered = false;
          this.deliver();
        } else if (this.pendingStatus) void this.panel?.webview.postMessage(this.pendingStatus);
        return;
      case 'rendered':
        if (message.error !== undefined) {
          this.log.error(`evaluation panel could not draw ${message.runs} run(s): ${message.error}`);
          this.resolveRendered(undefined);
          return;
        }
        this.log.info(`evaluation panel rendered ${message.runs} run(s) in ${message.ms.toFixed(0)} ms${message.painted ? '' : ' (hidden: drawn when shown)'}`);
        this.resolveRendered(message.ms);
        return;
      case 'openRow':
        if (!this.isTrusted(message.run)) return;
        await this.openRow(this.runs[message.run], message.row);
        return;
      case 'openLine':
        if (!this.isTrusted(message.run)) return;
        await this.openLine(this.runs[message.run], message.line);
        return;
      case 'evaluateAgain': {
        if (!this.isTrusted(message.run)) return;
        const previous = this.runs[message.run];
        const rerun = modelRunArgs(previous.rerun);
        const again = rerun
          ? await this.actions.evaluateArgs(rerun, path.basename(previous.source.path))
          : await this.actions.evaluate(vscode.Uri.file(previous.source.path));
        if (!again) return;
        const runs = [...this.runs];
        runs[message.run] = again;
        await this.show(runs);
        return;
      }
      case 'compare': {
        const second = await this.actions.pickAndEvaluate(`Compare ${path.basename(this.runs[0]?.source.path ?? '')} with…`);
        if (second && this.runs[0]) await this.show([this.runs[0], second]);
        return;
      }
      case 'closeCompare':
        if (this.runs.length > 1) await this.show([this.runs[0]]);
        return;
      case 'exportReport': {
        const run = this.runs[message.run];
        const stem = path.basename(run.source.path).replace(/\.[^.]+$/, '');
        await this.save(`${stem}-evaluation.${REPORT_EXTENSIONS[message.format]}`, Buffer.from(formatReport(run, message.format), 'utf8'), this.trusted[message.run] === false ? undefined : run);
        return;
      }
      case 'exportImage':
        await this.save(message.name, message.data, this.trusted[0] === false ? undefined : this.runs[0]);
        return;
    }
  }

  /** A run restored from webview state without the extension's record of it: say so, and act on nothing. */
  private isTrusted(run: number): boolean {
    if (this.trusted[run] !== false) return true;
    this.log.warn(`evaluation panel: run ${run} was restored without a record of its file; its path is not used`);
    void vscode.window.showInformationMessage('SeqLens: this evaluation was restored from a previous session without a record of its file. Evaluate the file again to open its rows or re-run it.');
    return false;
  }

  private async save(name: string, data: Uint8Array, run: PanelRun | undefined): Promise<void> {
    const folder = run ? vscode.Uri.file(path.dirname(run.source.path)) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const extension = path.extname(name).slice(1);
    const target = await vscode.window.showSaveDialog({
      title: `SeqLens: save ${name}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [extension.toUpperCase()]: [extension] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, data);
    this.log.info(`saved ${target.fsPath} (${data.byteLength} bytes)`);
    const reveal = 'Open';
    void vscode.window.showInformationMessage(`SeqLens saved ${path.basename(target.fsPath)}.`, reveal).then((choice) => {
      if (choice === reveal) void vscode.commands.executeCommand('vscode.open', target);
    });
  }

  private async openRow(run: PanelRun, row: number): Promise<void> {
    const file = vscode.Uri.file(run.source.path);
    const format = run.source.format as FileFormat;
    if (format === 'npy' || format === 'npz') {
      void vscode.window.showInformationMessage(`Row ${row + 1} of ${path.basename(file.fsPath)}: NumPy files have no text lines to open.`);
      return;
    }
    const line = await lineOfDataRow(file.fsPath, format, row);
    const document = await vscode.workspace.openTextDocument(file);
    const at = Math.min(line ?? 0, Math.max(0, document.lineCount - 1));
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, 0, at, 0), preview: true });
    editor.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.InCenter);
    if (line === null) void vscode.window.showInformationMessage(`${path.basename(file.fsPath)} is one JSON document: data row ${row + 1} is its record number ${row + 1}.`);
  }

  /** A tagged file (CoNLL or JSONL) at the line where a listed sentence begins. */
  private async openLine(run: PanelRun, line: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(run.source.path));
    const at = Math.min(line - 1, Math.max(0, document.lineCount - 1));
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, 0, at, 0), preview: true });
    editor.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.InCenter);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
    this.resolveRendered(undefined);
  }
}
