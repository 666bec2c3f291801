// The language client: starts the SeqLens language server (dist/server.js, a separate Node process) on
// the first Python document or notebook, and adds only what is VS Code's own: diagnostics shown while
// a tab shows their document, the model lenses' arguments as URIs, and the workspace's trust.
// vscode-languageclient is a bundle of its own (language-client.ts), loaded when the server starts, so
// activation neither parses nor evaluates it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from './language-client';
import {
  ANALYSED_NOTIFICATION,
  EVALUATE_MODEL_COMMAND,
  MODELS_REQUEST,
  RULE_DOCS_REQUEST,
  SET_TRUSTED_NOTIFICATION,
  SHOW_RULE_DOCS_COMMAND,
  VERIFY_SHAPES_COMMAND,
  type AnalysedParams,
  type ModelsResult,
  type ModelSummary,
  type RuleDocsResult,
  type SeqLensInitializationOptions,
  type StoppedDocument,
} from '../server/protocol';
import { describeError, type Log } from './log';

/** Schemes of documents a user edits; others (git originals, output, diff sides) are left alone. */
const EDITABLE_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs'];

function isPythonDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && EDITABLE_SCHEMES.includes(document.uri.scheme);
}

function isPythonNotebook(notebook: vscode.NotebookDocument): boolean {
  return notebook.getCells().some((cell) => cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python');
}

/** The URIs a tab shows: a text file, both sides of a diff, or a notebook. */
function tabUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  if (input instanceof vscode.TabInputNotebook) return [input.uri];
  if (input instanceof vscode.TabInputNotebookDiff) return [input.original, input.modified];
  return [];
}

/**
 * Whether a tab shows this document: the file itself, or the notebook a cell belongs to. VS Code keeps
 * a closed editor's document alive for a while and only then tells the server it closed, so without
 * this a closed file's problems would stay in the Problems panel.
 */
function isShownInATab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  const isCell = uri.scheme === 'vscode-notebook-cell';
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tabUris(tab).some((shown) => shown.toString() === key || (isCell && shown.path === uri.path))),
  );
}

export class SeqLensClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  /** The diagnostics the server published last, per URI, including those not shown because no tab shows them. */
  private readonly published = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  private readonly costs = new Map<string, number>();
  /** Documents whose analysis the server stopped: a restarted server is told, so that it does not run them again. */
  private readonly stopped = new Map<string, StoppedDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log) {
    const wanted = () => vscode.workspace.textDocuments.some(isPythonDocument) || vscode.workspace.notebookDocuments.some(isPythonNotebook);
    if (wanted()) void this.start();
    else {
      const startOnPython = () => {
        if (!wanted()) return;
        for (const subscription of waiting) subscription.dispose();
        void this.start();
      };
      const waiting = [vscode.workspace.onDidOpenTextDocument(startOnPython), vscode.workspace.onDidOpenNotebookDocument(startOnPython)];
      this.subscriptions.push(...waiting);
    }
    this.subscriptions.push(
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        if (event.opened.length > 0 || event.closed.length > 0) this.showDiagnostics();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.client?.sendNotification(SET_TRUSTED_NOTIFICATION, { trusted: true })),
    );
  }

  /** The running client, starting the server if it is not yet running. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.create().then(
      async (client) => {
        await client.start();
        this.log.info('language server started');
        return client;
      },
      (error: unknown) => {
        this.log.error(`the language server could not be started: ${describeError(error)}`);
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  private async create(): Promise<LanguageClient> {
    // Not inside activate(): the library is loaded on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    // A path computed at run time, so that esbuild leaves the require to Node (dist/language-client.js beside this bundle).
    const library = path.join(__dirname, 'language-client.js');
    const { LanguageClient, TransportKind } = require(library) as typeof import('./language-client');
    const module = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'server.js').fsPath;
    // The server keeps its V8 code cache in the extension's storage (src/server/code-cache.ts).
    const options = { env: { ...process.env, SEQLENS_CODE_CACHE_DIR: vscode.Uri.joinPath(this.context.globalStorageUri, 'code-cache').fsPath } };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio, options },
      debug: { module, transport: TransportKind.stdio, options },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...EDITABLE_SCHEMES.map((scheme) => ({ scheme, language: 'python' })), { notebook: '*', language: 'python' }],
      synchronize: { configurationSection: 'seqlens' },
      // A function: evaluated again when the client restarts a server that stopped.
      initializationOptions: (): SeqLensInitializationOptions => ({
        ruleDocs: 'command',
        modelCommands: true,
        trusted: vscode.workspace.isTrusted,
        stopped: [...this.stopped.values()],
      }),
      outputChannel: this.log,
      diagnosticCollectionName: 'seqlens',
      markdown: { isTrusted: { enabledCommands: [SHOW_RULE_DOCS_COMMAND] } },
      middleware: {
        handleDiagnostics: (uri, diagnostics, next) => {
          this.published.set(uri.toString(), { uri, diagnostics });
          next(uri, isShownInATab(uri) ? diagnostics : []);
        },
        provideCodeLenses: async (document, token, next) => {
          // Evaluation needs a trusted workspace; in Restricted Mode the lenses are not offered at all.
          if (!vscode.workspace.isTrusted) return [];
          const lenses = (await next(document, token)) ?? [];
          for (const lens of lenses) {
            const command = lens.command;
            if ((command?.command === EVALUATE_MODEL_COMMAND || command?.command === VERIFY_SHAPES_COMMAND) && typeof command.arguments?.[0] === 'string') {
              command.arguments[0] = vscode.Uri.parse(command.arguments[0]);
            }
          }
          return lenses;
        },
      },
    };
    const client = new LanguageClient('seqlens', 'SeqLens', serverOptions, clientOptions);
    client.onNotification(ANALYSED_NOTIFICATION, (params: AnalysedParams) => {
      if (params.stopped) this.stopped.set(params.uri, params.stopped);
      else {
        this.stopped.delete(params.uri);
        this.costs.set(params.uri, params.analysisMs);
      }
    });
    this.client = client;
    return client;
  }

  private showDiagnostics(): void {
    const collection = this.client?.diagnostics;
    if (!collection) return;
    for (const { uri, diagnostics } of this.published.values()) collection.set(uri, isShownInATab(uri) ? diagnostics : []);
  }

  /** Milliseconds the server's last analysis of this document (or its notebook) took. */
  lastAnalysisMs(document: vscode.TextDocument): number | undefined {
    const notebook = document.uri.scheme === 'vscode-notebook-cell'
      ? vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((cell) => cell.document === document))
      : undefined;
    return this.costs.get((notebook?.uri ?? document.uri).toString());
  }

  /** The PyTorch model classes of a file, as the server's analysis describes them. */
  async models(file: vscode.Uri): Promise<ModelSummary[]> {
    const client = await this.start();
    return (await client.sendRequest<ModelsResult>(MODELS_REQUEST, { uri: file.toString() })).models;
  }

  /** A rule's documentation page (or, without a code, only the list of rules). */
  async ruleDocs(code?: string): Promise<RuleDocsResult> {
    const client = await this.start();
    return client.sendRequest<RuleDocsResult>(RULE_DOCS_REQUEST, { code });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    void this.client?.stop();
  }
}
