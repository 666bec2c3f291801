// The SeqLens language server: owns the open documents and notebooks, runs their analysis on the
// analysis thread (see analysis-host.ts), and answers in protocol terms. It never imports vscode or
// TensorFlow.js; what the VS Code client needs beyond the protocol travels as custom requests.
import { readFile } from 'node:fs/promises';
import { dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type NotebookCell,
  type TextDocumentContentChangeEvent,
  type TextDocumentItem,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules } from '../analysis';
import type { RelatedLocation, SourceEdit } from '../analysis/findings';
import type { PostedResult } from './analysis-worker';
import { AnalysisHost, AnalysisStopped } from './analysis-host';
import { codeActionsFor, hoverAt, inlayHintsIn, modelLenses, resolveInlayHint, stoppedDiagnostic, toDiagnostics, type AnalysedText } from './features';
import { negotiateEncoding, PositionCodec } from './positions';
import {
  ANALYSED_NOTIFICATION,
  DEFAULT_LIMITS,
  MODELS_REQUEST,
  RULE_DOCS_REQUEST,
  SET_TRUSTED_NOTIFICATION,
  type AnalysedParams,
  type AnalysisLimits,
  type ModelsParams,
  type ModelsResult,
  type ModelSummary,
  type RuleDocsParams,
  type RuleDocsResult,
  type SeqLensInitializationOptions,
  type SetTrustedParams,
  type StoppedDocument,
} from './protocol';
import { commandLinks, fileLinks, rulePageFor, type RuleDocsLinks } from './rule-docs';
import { DependencyMap } from './dependencies';
import { insideRoot } from '../analysis/workspace/resolver';
import { AnalysisScheduler } from './scheduling';
import { DEFAULT_SETTINGS, parseSettings, type SeqLensSettings } from './settings';
import { saveCodeCache } from './code-cache';
import { trace } from './trace';

const SECTION = 'seqlens';
const CODE_CELL = 2;
/** How long a request for a result waits for a scheduled analysis before answering without one. */
const SETTLE_TIMEOUT_MS = 10_000;

/** FNV-1a over UTF-16 code units: identifies a text that was stopped, without keeping it. */
export function textHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0') + text.length.toString(16);
}

function fileNameOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through
    }
  }
  return decodeURIComponent(uri.replace(/^[a-z][\w+.-]*:\/*/i, '/'));
}

/** One thing analysed as a whole: a Python text document, or the Python code cells of a notebook. */
interface Unit {
  readonly key: string;
  readonly kind: 'text' | 'notebook';
  /** Runs of this unit, chained so that their results arrive in order. */
  chain: Promise<void>;
  /** Resolvers waiting for the unit's next analysis. */
  waiters: (() => void)[];
  /** The text (or joined cells) whose analysis was stopped, and why. */
  stopped?: StoppedDocument;
  closed: boolean;
}

interface TextUnit extends Unit {
  kind: 'text';
  document: TextDocument;
  /** Edits since the last analysis, in the order the client sent them. */
  pending: SourceEdit[];
  analysed?: AnalysedText & { version: number };
  /** A file it depends on changed: analyse it again even though its own text did not change. */
  stale?: boolean;
}

interface Cell {
  uri: string;
  kind: number;
  document: TextDocument;
}

interface NotebookUnit extends Unit {
  kind: 'notebook';
  version: number;
  cells: Cell[];
  /** Per analysed cell URI: its result, and the cell version it describes. */
  analysed: Map<string, AnalysedText & { version: number }>;
  /** Cell URIs that were given diagnostics, to clear them when cells go away. */
  published: Set<string>;
}

export interface ServerOptions {
  /** The script the analysis thread runs (the server's own entry, which runs the worker when not the main thread). */
  workerScript: string;
  log?: (message: string) => void;
  /** The analysis threads' host, when the entry started it (and its first thread) before the server was loaded. */
  host?: AnalysisHost;
}

export class SeqLensServer {
  private readonly texts = new Map<string, TextUnit>();
  private readonly notebooks = new Map<string, NotebookUnit>();
  /** Cell URI → notebook URI. */
  private readonly cellOwners = new Map<string, string>();
  /** Whether this server asked for its code cache to be written (once, after its first diagnostics). */
  private cacheSaved = false;
  private readonly scheduler = new AnalysisScheduler((key) => this.delaySettings(key).analysisDelay);
  private host!: AnalysisHost;
  /** The hover texts of a result's sites, asked of the analysis thread that holds the result. */
  private readonly hoverTexts = (resultId: string, layers: number[], tensors: number[]) => this.host.hoverTexts(resultId, layers, tensors);
  private codec = new PositionCodec('utf-16');
  private links: RuleDocsLinks = fileLinks();
  private options: SeqLensInitializationOptions = {};
  private capabilities: ClientCapabilities = {};
  private settingsCache = new Map<string, Promise<SeqLensSettings>>();
  /** The last settings read per scope, for the synchronous places (the debounce delay). */
  private settingsSeen = new Map<string, SeqLensSettings>();
  private pushedSettings: SeqLensSettings | undefined;
  /** The settings each unit's diagnostics were last published with. */
  private readonly lastPublishedWith = new Map<string, SeqLensSettings>();
  private trusted = false;
  private readonly stoppedBefore = new Map<string, StoppedDocument>();
  private readonly log: (message: string) => void;
  /** Workspace folders (file paths): a document's imports are followed inside the one that holds it. */
  private roots: string[] = [];
  /** Which open documents used which other files: an edit re-analyses only the documents that depend on it. */
  private readonly dependencies = new DependencyMap();

  constructor(private readonly connection: Connection, private readonly serverOptions: ServerOptions) {
    this.log = serverOptions.log ?? ((message) => connection.console.log(message));
    // Held from the start, so that a server shut down before initialize still ends the thread started for it.
    if (serverOptions.host) this.host = serverOptions.host;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
      }
      if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
      }
    });
    connection.onDidChangeConfiguration((params) => this.configurationChanged(params.settings));
    connection.onDidChangeWatchedFiles(({ changes }) => this.filesChanged(changes.map((c) => fileNameOf(c.uri))));
    connection.onShutdown(async () => {
      // A cache not yet written (a server asked to end right after its first diagnostics) is written now.
      this.cacheSaved = true;
      saveCodeCache();
      await this.host?.settle(1000);
      this.dispose();
    });

    connection.onDidOpenTextDocument(({ textDocument }) => {
      trace('didOpen');
      this.openText(textDocument);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => this.changeText(textDocument.uri, textDocument.version, contentChanges));
    connection.onDidCloseTextDocument(({ textDocument }) => this.closeText(textDocument.uri));

    const sync = connection.notebooks.synchronization;
    sync.onDidOpenNotebookDocument(({ notebookDocument, cellTextDocuments }) => this.openNotebook(notebookDocument.uri, notebookDocument.version, notebookDocument.cells, cellTextDocuments));
    sync.onDidChangeNotebookDocument((params) => this.changeNotebook(params));
    sync.onDidCloseNotebookDocument(({ notebookDocument }) => this.closeNotebook(notebookDocument.uri));

    connection.onHover(async ({ textDocument, position }) => {
      const analysed = await this.resultFor(textDocument.uri, 'now');
      return analysed ? hoverAt(analysed, position, this.codec, this.links, this.hoverTexts) : null;
    });
    connection.onCodeAction(async ({ textDocument, range, context }) => {
      // The light bulb asks after every cursor move and keystroke: let typing stay coalesced then.
      const mode = context.triggerKind === 2 ? 'settled' : 'now';
      const analysed = await this.resultFor(textDocument.uri, mode);
      if (!analysed || (context.only && !context.only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === ''))) return [];
      return codeActionsFor(analysed, range, context.diagnostics, this.codec);
    });
    connection.languages.inlayHint.on(async ({ textDocument, range }) => {
      const settings = await this.settingsFor(this.scopeOf(textDocument.uri));
      if (!settings.inlayHints || !settings.enable) return [];
      const analysed = await this.resultFor(textDocument.uri, 'settled');
      return analysed ? inlayHintsIn(analysed, range, this.codec) : [];
    });
    connection.languages.inlayHint.resolve((hint) => resolveInlayHint(hint, this.hoverTexts));
    connection.onCodeLens(({ textDocument }) => {
      if (!this.options.modelCommands || !this.trusted) return [];
      const text = this.texts.get(textDocument.uri);
      return text ? modelLenses(textDocument.uri, text.document, this.codec) : [];
    });

    connection.onRequest(MODELS_REQUEST, (params: ModelsParams) => this.models(params));
    connection.onRequest(RULE_DOCS_REQUEST, (params: RuleDocsParams): RuleDocsResult => ({
      markdown: params?.code ? rulePageFor(params.code.toUpperCase()) : undefined,
      rules: allRules().map((rule) => ({ code: rule.code, name: rule.name, summary: rule.summary })),
    }));
    connection.onNotification(SET_TRUSTED_NOTIFICATION, (params: SetTrustedParams) => {
      this.trusted = params.trusted === true;
      if (this.capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest('workspace/codeLens/refresh');
    });
  }

  private initialize(params: InitializeParams): InitializeResult {
    trace('initialize');
    this.capabilities = params.capabilities;
    const options = (params.initializationOptions ?? {}) as SeqLensInitializationOptions;
    this.options = options;
    this.trusted = options.trusted === true;
    this.links = options.ruleDocs === 'command' ? commandLinks() : fileLinks();
    void this.links.prepare?.();
    if (options.settings !== undefined) this.pushedSettings = parseSettings(options.settings);
    for (const stopped of options.stopped ?? []) if (stopped && typeof stopped.uri === 'string') this.stoppedBefore.set(stopped.uri, stopped);
    const limits: AnalysisLimits = {
      timeMs: positive(options.limits?.timeMs) ?? DEFAULT_LIMITS.timeMs,
      memoryMb: positive(options.limits?.memoryMb) ?? DEFAULT_LIMITS.memoryMb,
    };
    this.host = this.serverOptions.host ?? new AnalysisHost(this.serverOptions.workerScript, limits, this.log);
    this.host.setLimits(limits);
    // The analysis thread loads its parser while the client takes the reply and opens its documents.
    this.host.prestart();
    this.codec = new PositionCodec(negotiateEncoding(params.capabilities.general?.positionEncodings));
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = folders.filter((uri) => uri.startsWith('file:')).map((uri) => normalize(fileNameOf(uri)));
    return {
      capabilities: {
        positionEncoding: this.codec.encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: { notebookSelector: [{ notebook: '*', cells: [{ language: 'python' }] }] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: { resolveProvider: true },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'seqlens', version: '0.1.0' },
    };
  }

  // ---- settings -------------------------------------------------------------------------------------

  private scopeOf(uri: string): string {
    return this.cellOwners.get(uri) ?? uri;
  }

  private settingsFor(scopeUri: string): Promise<SeqLensSettings> {
    if (!this.capabilities.workspace?.configuration) return Promise.resolve(this.pushedSettings ?? DEFAULT_SETTINGS);
    let cached = this.settingsCache.get(scopeUri);
    if (!cached) {
      cached = this.connection.workspace.getConfiguration({ scopeUri, section: SECTION }).then(
        (raw: unknown) => parseSettings(raw),
        () => this.pushedSettings ?? DEFAULT_SETTINGS,
      ).then((settings) => {
        this.settingsSeen.set(scopeUri, settings);
        return settings;
      });
      this.settingsCache.set(scopeUri, cached);
    }
    return cached;
  }

  private delaySettings(key: string): SeqLensSettings {
    return this.settingsSeen.get(key) ?? this.pushedSettings ?? DEFAULT_SETTINGS;
  }

  private configurationChanged(raw: unknown): void {
    const section = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[SECTION] : undefined;
    if (section !== undefined) {
      this.pushedSettings = parseSettings(section);
      // Until the settings are read again per document, the pushed ones hold (the debounce reads them at once).
      this.settingsSeen.clear();
    }
    const before = new Map(this.settingsSeen);
    this.settingsCache.clear();
    for (const unit of [...this.texts.values(), ...this.notebooks.values()]) {
      const previous = before.get(unit.key) ?? this.lastPublishedWith.get(unit.key);
      void this.settingsFor(unit.key).then((settings) => {
        // Only what changed is redone: analysis for enable, diagnostics for severities; a change of the
        // delay or of the hints publishes nothing (a client counting publications sees none).
        if (!previous || previous.enable !== settings.enable) this.schedule(unit, true);
        else if (JSON.stringify(previous.severityOverrides) !== JSON.stringify(settings.severityOverrides)) this.publish(unit, settings);
      });
    }
    if (this.capabilities.workspace?.inlayHint?.refreshSupport) void this.connection.sendRequest('workspace/inlayHint/refresh').catch(() => undefined);
  }

  // ---- text documents -------------------------------------------------------------------------------

  private openText(item: TextDocumentItem): void {
    if (item.languageId !== 'python' || this.texts.has(item.uri)) return;
    const unit: TextUnit = {
      key: item.uri,
      kind: 'text',
      document: TextDocument.create(item.uri, item.languageId, item.version, item.text),
      pending: [],
      chain: Promise.resolve(),
      waiters: [],
      closed: false,
      stopped: this.stoppedBefore.get(item.uri),
    };
    this.texts.set(item.uri, unit);
    this.schedule(unit, true);
  }

  private changeText(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const unit = this.texts.get(uri);
    if (!unit || changes.length === 0) return;
    for (const change of changes) {
      const document = unit.document;
      if ('range' in change) {
        const range = this.codec.fromClientRange(document, change.range);
        const start = document.offsetAt(range.start);
        unit.pending.push({ rangeOffset: start, rangeLength: document.offsetAt(range.end) - start, text: change.text });
        TextDocument.update(document, [{ range, text: change.text }], version);
      } else {
        unit.pending.push({ rangeOffset: 0, rangeLength: document.getText().length, text: change.text });
        TextDocument.update(document, [{ text: change.text }], version);
      }
    }
    this.schedule(unit, false);
  }

  private closeText(uri: string): void {
    const unit = this.texts.get(uri);
    if (!unit) return;
    unit.closed = true;
    this.texts.delete(uri);
    this.lastPublishedWith.delete(uri);
    this.scheduler.forget(uri);
    this.host?.closeDocument(uri);
    this.settingsCache.delete(uri);
    this.wake(unit);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // The documents that read its unsaved text read the disk now.
    this.dependencies.forget(uri);
    if (uri.startsWith('file:')) this.analyseDependents(fileNameOf(uri), uri);
  }

  /** The workspace folder holding a file: the innermost one, else the file's own folder. */
  private rootOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = normalize(fileNameOf(uri));
    const holding = this.roots.filter((root) => insideRoot(root, path)).sort((a, b) => b.length - a.length)[0];
    return holding ?? dirname(path);
  }

  /** Re-analyses the open documents whose last analysis used `path` (never `except`), and nothing else. */
  private analyseDependents(path: string, except: string): void {
    for (const uri of this.dependencies.dependentsOf(normalize(path))) {
      const unit = this.texts.get(uri);
      if (!unit || uri === except) continue;
      unit.stale = true;
      void this.schedule(unit, true);
    }
  }

  private filesChanged(paths: string[]): void {
    this.host?.filesChanged(paths);
    for (const path of paths) this.analyseDependents(path, '');
  }

  // ---- notebooks ------------------------------------------------------------------------------------

  private openNotebook(uri: string, version: number, cells: NotebookCell[], items: TextDocumentItem[]): void {
    const texts = new Map(items.map((item) => [item.uri, item]));
    const unit: NotebookUnit = {
      key: uri,
      kind: 'notebook',
      version,
      cells: [],
      analysed: new Map(),
      published: new Set(),
      chain: Promise.resolve(),
      waiters: [],
      closed: false,
    };
    unit.cells = cells.map((cell) => this.cell(uri, cell, texts.get(cell.document)));
    this.notebooks.set(uri, unit);
    this.schedule(unit, true);
  }

  private cell(notebookUri: string, cell: NotebookCell, item: TextDocumentItem | undefined): Cell {
    this.cellOwners.set(cell.document, notebookUri);
    return {
      uri: cell.document,
      kind: cell.kind,
      document: TextDocument.create(cell.document, item?.languageId ?? '', item?.version ?? 0, item?.text ?? ''),
    };
  }

  private changeNotebook(params: import('vscode-languageserver').DidChangeNotebookDocumentParams): void {
    const unit = this.notebooks.get(params.notebookDocument.uri);
    if (!unit) return;
    unit.version = params.notebookDocument.version;
    const cells = params.change.cells;
    if (cells?.structure) {
      const { array, didOpen = [], didClose = [] } = cells.structure;
      const opened = new Map(didOpen.map((item) => [item.uri, item]));
      const added = (array.cells ?? []).map((cell) => this.cell(unit.key, cell, opened.get(cell.document)));
      unit.cells.splice(array.start, array.deleteCount, ...added);
      for (const closed of didClose) if (!unit.cells.some((cell) => cell.uri === closed.uri)) this.cellOwners.delete(closed.uri);
    }
    for (const data of cells?.data ?? []) {
      const cell = unit.cells.find((c) => c.uri === data.document);
      if (cell) cell.kind = data.kind;
    }
    for (const content of cells?.textContent ?? []) {
      const cell = unit.cells.find((c) => c.uri === content.document.uri);
      if (!cell) continue;
      for (const change of content.changes) {
        if ('range' in change) TextDocument.update(cell.document, [{ range: this.codec.fromClientRange(cell.document, change.range), text: change.text }], content.document.version);
        else TextDocument.update(cell.document, [{ text: change.text }], content.document.version);
      }
    }
    this.schedule(unit, false);
  }

  private closeNotebook(uri: string): void {
    const unit = this.notebooks.get(uri);
    if (!unit) return;
    unit.closed = true;
    this.notebooks.delete(uri);
    this.lastPublishedWith.delete(uri);
    this.scheduler.forget(uri);
    this.settingsCache.delete(uri);
    for (const cell of unit.cells) this.cellOwners.delete(cell.uri);
    for (const cellUri of unit.published) void this.connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
    this.wake(unit);
  }

  private pythonCells(unit: NotebookUnit): Cell[] {
    return unit.cells.filter((cell) => cell.kind === CODE_CELL && cell.document.languageId === 'python');
  }

  // ---- analysis -------------------------------------------------------------------------------------

  /** Analyses `unit` at once (`now`), or after the quiet time of its debounce. */
  private schedule(unit: TextUnit | NotebookUnit, now: boolean): Promise<void> {
    if (now) {
      this.scheduler.cancel(unit.key);
      return this.run(unit);
    }
    this.scheduler.schedule(unit.key, () => void this.run(unit));
    return Promise.resolve();
  }

  private run(unit: TextUnit | NotebookUnit): Promise<void> {
    unit.chain = unit.chain.then(() => (unit.kind === 'text' ? this.analyseText(unit) : this.analyseNotebook(unit))).catch((error: unknown) => {
      this.log(`analysis of ${unit.key} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }).finally(() => this.wake(unit));
    return unit.chain;
  }

  private wake(unit: Unit): void {
    for (const resolve of unit.waiters.splice(0)) resolve();
  }

  private async analyseText(unit: TextUnit): Promise<void> {
    if (unit.closed) return;
    const settings = await this.settingsFor(unit.key);
    if (unit.closed) return;
    if (!settings.enable) {
      unit.analysed = undefined;
      unit.pending = [];
      this.publish(unit, settings);
      return;
    }
    const version = unit.document.version;
    const text = unit.document.getText();
    const edits = unit.pending;
    unit.pending = [];
    if (unit.analysed?.version === version && edits.length === 0 && !unit.stale) return this.publish(unit, settings);
    unit.stale = false;
    const textChanged = unit.analysed?.document.getText() !== text;
    const snapshot = TextDocument.create(unit.key, 'python', version, text);
    const hash = textHash(text);
    if (unit.stopped?.textHash === hash) return this.publish(unit, settings, snapshot);
    unit.stopped = undefined;
    let reply;
    try {
      reply = await this.host.analyseDocument(unit.key, fileNameOf(unit.key), text, edits.length > 0 && unit.analysed ? edits : null, this.rootOf(unit.key));
    } catch (error) {
      if (unit.closed) return;
      unit.analysed = undefined;
      this.stop(unit, hash, error, version);
      return this.publish(unit, settings, snapshot);
    }
    this.scheduler.recordCost(unit.key, reply.analysisMs);
    if (unit.closed) return;
    unit.analysed = {
      uri: unit.key,
      version,
      document: snapshot,
      result: reply.value as PostedResult,
      resolveRelated: (location) => this.relatedInFile(unit.key, snapshot, location),
    };
    this.dependencies.record(unit.key, (unit.analysed.result.dependencies ?? []).map((p) => normalize(p)));
    this.publish(unit, settings);
    this.notifyAnalysed({ uri: unit.key, version, analysisMs: reply.analysisMs });
    if (textChanged && unit.key.startsWith('file:')) this.analyseDependents(fileNameOf(unit.key), unit.key);
  }

  private async analyseNotebook(unit: NotebookUnit): Promise<void> {
    if (unit.closed) return;
    const settings = await this.settingsFor(unit.key);
    if (unit.closed) return;
    const cells = this.pythonCells(unit);
    if (!settings.enable) {
      unit.analysed.clear();
      this.publish(unit, settings);
      return;
    }
    const snapshots = cells.map((cell) => ({ uri: cell.uri, version: cell.document.version, document: TextDocument.create(cell.uri, 'python', cell.document.version, cell.document.getText()) }));
    const texts = snapshots.map((s) => s.document.getText());
    const hash = textHash(texts.join('\n\u0000'));
    if (unit.stopped?.textHash === hash) return this.publish(unit, settings);
    unit.stopped = undefined;
    let reply;
    try {
      reply = await this.host.analyseNotebook(fileNameOf(unit.key), texts);
    } catch (error) {
      if (unit.closed) return;
      unit.analysed.clear();
      this.stop(unit, hash, error, unit.version);
      return this.publish(unit, settings);
    }
    this.scheduler.recordCost(unit.key, reply.analysisMs);
    if (unit.closed) return;
    const results = reply.value as PostedResult[];
    unit.analysed.clear();
    const cellAt = (location: RelatedLocation, own: (typeof snapshots)[number]) => {
      if (location.path === undefined) return { uri: own.uri, document: own.document };
      const match = /^cell:(\d+)$/.exec(location.path);
      const cell = match ? snapshots[Number(match[1])] : undefined;
      return cell ? { uri: cell.uri, document: cell.document } : undefined;
    };
    snapshots.forEach((snapshot, index) => {
      unit.analysed.set(snapshot.uri, {
        uri: snapshot.uri,
        version: snapshot.version,
        document: snapshot.document,
        result: results[index] ?? { resultId: '', findings: [], layers: [], tensors: [] },
        resolveRelated: (location) => cellAt(location, snapshot),
      });
    });
    this.publish(unit, settings);
    this.notifyAnalysed({ uri: unit.key, version: unit.version, analysisMs: reply.analysisMs });
  }

  private stop(unit: Unit, hash: string, error: unknown, version: number): void {
    const reason = error instanceof AnalysisStopped ? error.reason : `the analyzer failed: ${error instanceof Error ? error.message : String(error)}`;
    unit.stopped = { uri: unit.key, textHash: hash, reason };
    this.log(`analysis of ${unit.key} stopped: ${reason}`);
    this.notifyAnalysed({ uri: unit.key, version, analysisMs: 0, stopped: unit.stopped });
  }

  private notifyAnalysed(params: AnalysedParams): void {
    void this.connection.sendNotification(ANALYSED_NOTIFICATION, params);
  }

  private relatedInFile(uri: string, document: TextDocument, location: RelatedLocation): { uri: string; document?: TextDocument } | undefined {
    if (location.path === undefined) return { uri, document };
    if (location.path.startsWith('cell:')) return undefined;
    const base = new URL(uri);
    const target = location.path.startsWith('/') ? new URL(`file://${location.path}`) : new URL(location.path, base);
    return { uri: target.toString(), document: this.texts.get(target.toString())?.document };
  }

  /** Sends the unit's diagnostics as its result and the current settings make them. */
  private publish(unit: TextUnit | NotebookUnit, settings: SeqLensSettings, stoppedText?: TextDocument): void {
    this.lastPublishedWith.set(unit.key, settings);
    if (unit.kind === 'text') {
      let diagnostics: Diagnostic[] = [];
      if (settings.enable && unit.stopped) diagnostics = [stoppedDiagnostic(stoppedText ?? unit.document, unit.stopped.reason, this.codec)];
      else if (settings.enable && unit.analysed) diagnostics = toDiagnostics(unit.analysed, settings, this.codec, this.links);
      void this.connection.sendDiagnostics({ uri: unit.key, version: unit.analysed?.version ?? unit.document.version, diagnostics });
      trace('diagnostics published');
      if (!this.cacheSaved) {
        // The server's functions that answered a document are compiled now: the code cache can hold them.
        this.cacheSaved = true;
        setTimeout(() => trace(`code cache ${saveCodeCache() ? 'written' : 'not written'}`), 100).unref();
      }
      return;
    }
    const now = new Set<string>();
    const cells = this.pythonCells(unit);
    cells.forEach((cell, index) => {
      let diagnostics: Diagnostic[] = [];
      const analysed = unit.analysed.get(cell.uri);
      if (settings.enable && unit.stopped) diagnostics = index === 0 ? [stoppedDiagnostic(cell.document, unit.stopped.reason, this.codec)] : [];
      else if (settings.enable && analysed) diagnostics = toDiagnostics(analysed, settings, this.codec, this.links);
      now.add(cell.uri);
      void this.connection.sendDiagnostics({ uri: cell.uri, diagnostics });
    });
    for (const uri of unit.published) if (!now.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    unit.published = now;
  }

  /**
   * The analysis of a document (or notebook cell) as it is now, for a request.
   * - `now` (hover, a quick fix the user asked for): edits still waiting for their timer are analysed at once;
   * - `settled` (inlay hints, the automatic light bulb, asked after every keystroke): waits for the scheduled analysis.
   */
  private async resultFor(uri: string, mode: 'now' | 'settled'): Promise<AnalysedText | undefined> {
    const text = this.texts.get(uri);
    const notebook = text ? undefined : this.notebooks.get(this.cellOwners.get(uri) ?? '');
    const unit = text ?? notebook;
    if (!unit) return undefined;
    const current = (): AnalysedText | undefined => {
      if (text) return text.analysed && text.analysed.version === text.document.version ? text.analysed : undefined;
      const cell = notebook!.cells.find((c) => c.uri === uri);
      const analysed = notebook!.analysed.get(uri);
      const fresh = this.pythonCells(notebook!).every((c) => notebook!.analysed.get(c.uri)?.version === c.document.version);
      return cell && analysed && fresh ? analysed : undefined;
    };
    if (current()) return current();
    if (mode === 'now' || !this.scheduler.isPending(unit.key)) {
      await this.schedule(unit, true);
      return current();
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SETTLE_TIMEOUT_MS);
      unit.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return current();
  }

  // ---- custom requests ------------------------------------------------------------------------------

  private async models({ uri }: ModelsParams): Promise<ModelsResult> {
    const open = this.texts.get(uri);
    const text = open ? open.document.getText() : await readFile(fileURLToPath(uri), 'utf8');
    const reply = await this.host.describeModels(fileNameOf(uri), text);
    const models = reply.value as (Omit<ModelSummary, 'range'> & { range: { start: { line: number; column: number }; end: { line: number; column: number } } })[];
    return {
      models: models.map((model) => ({
        ...model,
        range: { start: { line: model.range.start.line, character: model.range.start.column }, end: { line: model.range.end.line, character: model.range.end.column } },
      })),
    };
  }

  dispose(): void {
    this.scheduler.dispose();
    this.host?.dispose();
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
