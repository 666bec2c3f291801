// One DiagnosticCollection, source "SeqLens", for the documents shown in editor tabs: set when such a
// document is analysed, re-rendered when the severity settings change, cleared when its last tab closes.
//
// Tabs rather than onDidCloseTextDocument decide: VS Code keeps a closed editor's document alive for a
// while and fires that event only when it finally drops it, so waiting for it would leave a closed
// file's problems in the Problems panel (and a settings change would bring them back).
import * as vscode from 'vscode';
import { toDiagnostic } from './convert';
import type { AnalysedDocument, ResultStore } from './results';
import { effectiveSeverity, readSettings, SETTINGS_SECTION } from './settings';

export function diagnosticsFor(entry: AnalysedDocument): vscode.Diagnostic[] {
  const settings = readSettings(entry.uri);
  const diagnostics: vscode.Diagnostic[] = [];
  for (const finding of entry.result.findings) {
    const severity = effectiveSeverity(settings, finding.code, finding.severity);
    if (severity) diagnostics.push(toDiagnostic(finding, severity, entry.resolveRelated));
  }
  return diagnostics;
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

/** Whether a tab shows this document: the file itself, or the notebook a cell belongs to. */
function isShownInATab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  const isCell = uri.scheme === 'vscode-notebook-cell';
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tabUris(tab).some((shown) => shown.toString() === key || (isCell && shown.path === uri.path))),
  );
}

export function registerDiagnostics(store: ResultStore): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('seqlens');
  const publish = (uri: vscode.Uri) => {
    const entry = store.get(uri);
    if (entry && isShownInATab(uri)) collection.set(uri, diagnosticsFor(entry));
    else collection.delete(uri);
  };
  const publishAll = () => {
    for (const entry of store.all()) publish(entry.uri);
    const orphans: vscode.Uri[] = [];
    collection.forEach((uri) => {
      if (!store.get(uri)) orphans.push(uri);
    });
    for (const uri of orphans) collection.delete(uri);
  };
  return vscode.Disposable.from(
    collection,
    store.onDidChange(publish),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.severity`)) publishAll();
    }),
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      if (event.opened.length > 0 || event.closed.length > 0) publishAll();
    }),
  );
}
