// The extension host entry: wires the analysis core's plain results into VS Code. Every feature lives
// in its own module; this file only creates them. Nothing here waits for the wasm parser to load.
import { bundleLoadStart } from './clock';
import * as vscode from 'vscode';
import { EvaluateModelCodeLensProvider } from './code-lens';
import { loadCore } from './core';
import { QuickFixProvider, quickFixMetadata } from './code-actions';
import { registerDiagnostics } from './diagnostics';
import { registerEvaluateModel } from './evaluate';
import { ShapeHoverProvider } from './hover';
import { ShapeInlayHintsProvider } from './inlay-hints';
import { LiveAnalysis } from './live-analysis';
import { createLog } from './log';
import { ResultStore } from './results';
import { registerRuleDocs } from './rule-docs';

/** What activate() returns: timings for the benchmark and a way for tests to wait for the parser. */
export interface SeqLensApi {
  /**
   * Milliseconds of activation as VS Code counts it: evaluating the bundle plus running activate().
   * (Time the host spends between the two, e.g. activating other extensions, is not ours.)
   */
  readonly activationMs: number;
  /** The part of activationMs spent evaluating the bundle. */
  readonly bundleLoadMs: number;
  /** Resolves when the analyzer has loaded and open documents were analysed. */
  readonly ready: Promise<void>;
  /** Milliseconds the last analysis of this document took, if it was analysed. */
  lastAnalysisMs(document: vscode.TextDocument): number | undefined;
}

const PYTHON: vscode.DocumentSelector = { language: 'python' };
// Module code runs in import order, so this line runs last: the bundle has been evaluated.
const bundleLoadMs = performance.now() - bundleLoadStart;

export function activate(context: vscode.ExtensionContext): SeqLensApi {
  const activateStart = performance.now();
  const log = createLog();
  const store = new ResultStore();
  const wasmDir = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  const analysis = new LiveAnalysis(loadCore().then((core) => core.createAnalyzer({ wasmDir })), store, log);
  const inlayHints = new ShapeInlayHintsProvider(analysis, store);
  const codeLenses = new EvaluateModelCodeLensProvider();

  context.subscriptions.push(
    log,
    store,
    analysis,
    inlayHints,
    codeLenses,
    registerDiagnostics(store),
    registerRuleDocs(),
    registerEvaluateModel(context, log),
    vscode.languages.registerHoverProvider(PYTHON, new ShapeHoverProvider(analysis)),
    vscode.languages.registerCodeActionsProvider(PYTHON, new QuickFixProvider(analysis), quickFixMetadata()),
    vscode.languages.registerInlayHintsProvider(PYTHON, inlayHints),
    vscode.languages.registerCodeLensProvider(PYTHON, codeLenses),
    vscode.commands.registerCommand('seqlens.showLog', () => log.show()),
  );

  const activationMs = bundleLoadMs + (performance.now() - activateStart);
  log.info(`activated in ${activationMs.toFixed(1)} ms, ${bundleLoadMs.toFixed(1)} ms of it loading the bundle (${vscode.env.appName} ${vscode.version})`);
  return {
    activationMs,
    bundleLoadMs,
    ready: analysis.ready,
    lastAnalysisMs: (document) => analysis.lastCost(document),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
