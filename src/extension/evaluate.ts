// `SeqLens: Evaluate Model`: picks a predictions file and runs `seqlens eval` on it.
//
// The evaluation runs the bundled CLI (dist/cli.js) in a child Node process rather than importing the
// evaluation engine: TensorFlow.js is large and slow to load, and it must never enter the extension
// host at activation (or at all, while the user only edits). The results panel is a later feature;
// until then the text report goes to the SeqLens log, announced by a notification.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from './log';

export const EVALUATE_MODEL_COMMAND = 'seqlens.evaluateModel';

export interface EvalOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function runEvalCli(cliPath: string, predictionsFile: string, cwd: string | undefined, token?: vscode.CancellationToken): Promise<EvalOutcome> {
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, [cliPath, 'eval', predictionsFile], {
      cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const cancel = token?.onCancellationRequested(() => child.kill());
    child.on('error', (error) => {
      cancel?.dispose();
      reject(error);
    });
    child.on('close', (exitCode) => {
      cancel?.dispose();
      resolve({ exitCode, stdout, stderr });
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

export function registerEvaluateModel(context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  const cliPath = path.join(context.extensionPath, 'dist', 'cli.js');

  /** Arguments: the model's document and class name (from the CodeLens), and optionally the predictions file, skipping the picker. */
  return vscode.commands.registerCommand(EVALUATE_MODEL_COMMAND, async (uri?: vscode.Uri, className?: string, predictions?: vscode.Uri) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('SeqLens evaluates models only in a trusted workspace.');
      return undefined;
    }
    const model = className ?? 'the model';
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : vscode.workspace.workspaceFolders?.[0];
    const file =
      predictions ??
      (
        await vscode.window.showOpenDialog({
          title: `SeqLens: predictions file for ${model}`,
          openLabel: 'Evaluate',
          canSelectMany: false,
          defaultUri: folder?.uri,
          filters: { 'Predictions': ['csv', 'tsv', 'json', 'jsonl', 'npy', 'npz'], 'All files': ['*'] },
        })
      )?.[0];
    if (!file) return undefined;
    const name = path.basename(file.fsPath);
    log.info(`evaluate ${model}${uri ? ` (${uri.toString(true)})` : ''} with predictions file ${file.fsPath}`);

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SeqLens: evaluating ${name}`, cancellable: true },
      (_progress, token) => runEvalCli(cliPath, file.fsPath, folder?.uri.fsPath, token),
    );
    if (outcome.stdout.trim()) log.info(`seqlens eval report:\n${outcome.stdout.trimEnd()}`);
    if (outcome.stderr.trim()) log.warn(`seqlens eval messages:\n${outcome.stderr.trimEnd()}`);

    const showReport = 'Show Report';
    const shown =
      outcome.exitCode === 0
        ? vscode.window.showInformationMessage(`SeqLens evaluated ${model} on ${name}. The report is in the SeqLens log.`, showReport)
        : vscode.window.showErrorMessage(`SeqLens could not evaluate ${name}: ${firstLine(outcome.stderr) || `exit code ${outcome.exitCode}`}`, showReport);
    void shown.then((choice) => choice === showReport && log.show(true));
    return outcome;
  });
}
