// Plain analysis data → VS Code types. Nothing else in the extension builds ranges or diagnostics by hand.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, Fix, Position, Range, RelatedLocation, Severity } from '../analysis/findings';
import { ruleDocsUri } from './rule-docs';

export const DIAGNOSTIC_SOURCE = 'SeqLens';

export function toPosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.column);
}

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(toPosition(range.start), toPosition(range.end));
}

export function toDiagnosticSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

/**
 * Where a related location lives. The core leaves `path` out for the analysed file itself,
 * writes `cell:N` for another cell of the same notebook, and otherwise gives a file path.
 */
export type RelatedResolver = (location: RelatedLocation) => vscode.Uri | undefined;

export function fileRelatedResolver(documentUri: vscode.Uri): RelatedResolver {
  return (location) => {
    if (location.path === undefined) return documentUri;
    if (location.path.startsWith('cell:')) return undefined;
    if (path.isAbsolute(location.path)) return vscode.Uri.file(location.path);
    return vscode.Uri.joinPath(documentUri, '..', location.path);
  };
}

export function toDiagnostic(finding: Finding, severity: Severity, resolveRelated: RelatedResolver): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toDiagnosticSeverity(severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: ruleDocsUri(finding.code) };
  const related: vscode.DiagnosticRelatedInformation[] = [];
  for (const location of finding.related) {
    const uri = resolveRelated(location);
    if (uri) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(location.range)), location.message));
  }
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

export function toWorkspaceEdit(fix: Fix, uri: vscode.Uri): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.set(uri, fix.edits.map((e) => new vscode.TextEdit(toRange(e.range), e.newText)));
  return edit;
}

/** A VS Code content change, in the core's terms (they are the same fields by design). */
export function toSourceEdit(change: vscode.TextDocumentContentChangeEvent): { rangeOffset: number; rangeLength: number; text: string } {
  return { rangeOffset: change.rangeOffset, rangeLength: change.rangeLength, text: change.text };
}

export function containsPosition(range: Range, position: vscode.Position): boolean {
  return toRange(range).contains(position);
}
