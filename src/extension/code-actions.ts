// Quick fixes: each Finding.fix becomes a QuickFix code action (the preferred one marked), plus a
// suppression comment for the line as a last resort.
import * as vscode from 'vscode';
import type { Finding } from '../analysis/findings';
import { DIAGNOSTIC_SOURCE, toRange, toWorkspaceEdit } from './convert';
import type { LiveAnalysis } from './live-analysis';

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The diagnostic VS Code shows for a finding, so that the action is attached to it. */
function diagnosticOf(finding: Finding, diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic | undefined {
  const range = toRange(finding.range);
  return diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === finding.code && d.range.isEqual(range));
}

export function suppressionEdit(document: vscode.TextDocument, line: number, code: string): vscode.WorkspaceEdit {
  const text = document.lineAt(line).text;
  const existing = /#\s*seqlens:\s*ignore\[([^\]]*)\]/i.exec(text);
  const edit = new vscode.WorkspaceEdit();
  if (existing) {
    // Extend an existing `ignore[...]` list rather than adding a second comment.
    const start = existing.index + existing[0].indexOf('[') + 1;
    const at = new vscode.Position(line, start + existing[1].length);
    edit.insert(document.uri, at, existing[1].trim() === '' ? code : `, ${code}`);
  } else {
    const end = new vscode.Position(line, text.trimEnd().length);
    edit.replace(document.uri, new vscode.Range(end, new vscode.Position(line, text.length)), `  # seqlens: ignore[${code}]`);
  }
  return edit;
}

export function quickFixMetadata(): vscode.CodeActionProviderMetadata {
  return { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  constructor(private readonly analysis: LiveAnalysis) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    // The light bulb asks after every cursor move and keystroke: let typing stay coalesced then.
    const mode = context.triggerKind === vscode.CodeActionTriggerKind.Invoke ? 'now' : 'settled';
    const entry = await this.analysis.resultFor(document, mode, token);
    if (!entry) return [];
    const fixes: vscode.CodeAction[] = [];
    const suppressions: vscode.CodeAction[] = [];
    const suppressed = new Set<string>();
    for (const finding of entry.result.findings) {
      const at = toRange(finding.range);
      if (!at.intersection(range)) continue;
      const diagnostic = diagnosticOf(finding, context.diagnostics);
      for (const fix of finding.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(fix, document.uri);
        action.isPreferred = fix.isPreferred;
        if (diagnostic) action.diagnostics = [diagnostic];
        fixes.push(action);
      }
      const key = `${at.start.line}:${finding.code}`;
      if (suppressed.has(key)) continue;
      suppressed.add(key);
      const suppress = new vscode.CodeAction(`Ignore ${finding.code} on this line`, vscode.CodeActionKind.QuickFix);
      suppress.edit = suppressionEdit(document, at.start.line, finding.code);
      if (diagnostic) suppress.diagnostics = [diagnostic];
      suppressions.push(suppress);
    }
    // Real fixes first, the preferred one leading, so that the light bulb's first entry is the one to take.
    fixes.sort((a, b) => Number(b.isPreferred === true) - Number(a.isPreferred === true));
    return [...fixes, ...suppressions];
  }
}
