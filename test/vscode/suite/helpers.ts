// Shared steps for the integration tests: open fixtures, wait for SeqLens to publish, record timings.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SeqLensApi } from '../../../src/extension/main';

export const EXTENSION_ID = 'seqlens.seqlens';

export async function activateSeqLens(): Promise<SeqLensApi> {
  const extension = vscode.extensions.getExtension<SeqLensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/** The extension's own folder: the repository under test, with its fixtures. */
export function repoRoot(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

export function workspaceRoot(): string {
  const root = process.env.SEQLENS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) throw new Error('no test workspace is open');
  return root;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), name));
}

/** The fixture as shipped in test/vscode/fixtures (the workspace holds a throw-away copy). */
function pristineFixture(name: string): string | undefined {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const file = path.join(dir, 'test', 'vscode', 'fixtures', name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * Opens a fixture as shipped: each test starts from the same text, whatever an earlier test typed
 * (closing a dirty editor under test saves it without asking, and a loaded machine can leave the
 * extension host's copy of a reverted document behind for a while).
 */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const uri = fixtureUri(name);
  const pristine = pristineFixture(name);
  if (pristine !== undefined && readFileSync(uri.fsPath, 'utf8') !== pristine) writeFileSync(uri.fsPath, pristine);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  for (let attempt = 0; attempt < 3 && pristine !== undefined && document.getText() !== pristine; attempt++) {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  return editor;
}

/** Closes every editor, reverting unsaved edits first so that no "Save changes?" dialog can block the run. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme === 'vscode-notebook-cell') continue;
    // Reverted and closed in one step, and checked: a dirty editor left for closeAllEditors would ask to be saved.
    for (let attempt = 0; attempt < 3 && document.isDirty; attempt++) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    if (document.isDirty) throw new Error(`${document.uri.toString()} could not be reverted`);
  }
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (!notebook.isDirty) continue;
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function seqlensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SeqLens');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

function describe(diagnostics: vscode.Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => ({ code: codeOf(d), line: d.range.start.line, message: d.message })));
}

/** Resolves with SeqLens's diagnostics for `uri` once `accept` holds for them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 10_000,
): Promise<vscode.Diagnostic[]> {
  const current = seqlensDiagnostics(uri);
  if (accept(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for diagnostics on ${path.basename(uri.fsPath)}; have ${describe(seqlensDiagnostics(uri))}`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = seqlensDiagnostics(uri);
      if (!accept(diagnostics)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(diagnostics);
    });
  });
}

export function hasCode(code: string): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => codeOf(d) === code);
}

/** The zero-based line holding `text`, failing loudly when the fixture changed. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.includes(text)) return line;
  throw new Error(`no line contains ${JSON.stringify(text)}`);
}

export function positionOf(document: vscode.TextDocument, text: string, offsetInText = 0): vscode.Position {
  const line = lineOf(document, text);
  return new vscode.Position(line, document.lineAt(line).text.indexOf(text) + offsetInText);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('seqlens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Adds a timing to the metrics file the benchmark reads. */
export function recordMetric(metric: string, value: number, unit: string): void {
  const file = process.env.SEQLENS_METRICS_FILE;
  console.log(`      metric: ${metric} = ${value.toFixed(2)} ${unit}`);
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const metrics: Record<string, { value: number; unit: string }> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  metrics[metric] = { value, unit };
  writeFileSync(file, JSON.stringify(metrics, null, 2));
}
