// The extension host entry: a thin client. The analysis runs in the SeqLens language server, a separate
// Node process started on the first Python document; this side keeps what is VS Code's own: the
// evaluation panel, the commands that run models, the rule documentation view and the log.
import { bundleLoadStart } from './clock';
import * as vscode from 'vscode';
import { SeqLensClient } from './client';
import { registerEvaluateModel } from './evaluate';
import { createLog } from './log';
import { registerRuleDocs } from './rule-docs';

/** What activate() returns: timings for the benchmark and a way for tests to wait for the server. */
export interface SeqLensApi {
  /**
   * Milliseconds of activation as VS Code counts it: evaluating the bundle plus running activate().
   * (Time the host spends between the two, e.g. activating other extensions, is not ours.)
   */
  readonly activationMs: number;
  /** The part of activationMs spent evaluating the bundle. */
  readonly bundleLoadMs: number;
  /**
   * Resolves when the language server is running. The server starts with the first Python document or
   * notebook; reading `ready` before that starts it.
   */
  readonly ready: Promise<void>;
  /** Milliseconds the server's last analysis of this document took, if it was analysed. */
  lastAnalysisMs(document: vscode.TextDocument): number | undefined;
}

// Module code runs in import order, so this line runs last: the bundle has been evaluated.
const bundleLoadMs = performance.now() - bundleLoadStart;

export function activate(context: vscode.ExtensionContext): SeqLensApi {
  const activateStart = performance.now();
  const log = createLog();
  const client = new SeqLensClient(context, log);

  context.subscriptions.push(
    log,
    client,
    registerRuleDocs(client),
    registerEvaluateModel(context, log, (file) => client.models(file)),
    vscode.commands.registerCommand('seqlens.showLog', () => log.show()),
  );

  const activationMs = bundleLoadMs + (performance.now() - activateStart);
  log.info(`activated in ${activationMs.toFixed(1)} ms, ${bundleLoadMs.toFixed(1)} ms of it loading the bundle (${vscode.env.appName} ${vscode.version})`);
  return {
    activationMs,
    bundleLoadMs,
    get ready() {
      return client.start().then(() => undefined);
    },
    lastAnalysisMs: (document) => client.lastAnalysisMs(document),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the client stops the server).
}
