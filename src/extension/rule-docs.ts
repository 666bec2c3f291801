// Rule documentation in the editor: a diagnostic's code and the rule hover link to
// `command:seqlens.showRuleDocs?["SL101"]`, which opens the rule's page in the Markdown preview.
// The page is rendered by the language server from the rule's own RuleInfo (the single source the
// CLI's `explain` also uses), so no generated files ship beside the bundle.
import * as vscode from 'vscode';
import { SHOW_RULE_DOCS_COMMAND } from '../server/protocol';
import type { SeqLensClient } from './client';

export const RULE_DOCS_SCHEME = 'seqlens-rule';

function ruleDocumentUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${code}.md` });
}

class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: SeqLensClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return (await this.client.ruleDocs(code)).markdown ?? '';
  }
}

async function showRuleDocs(client: SeqLensClient, code?: unknown): Promise<vscode.Uri | undefined> {
  let chosen = typeof code === 'string' ? code : undefined;
  if (!chosen) {
    const { rules } = await client.ruleDocs();
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.code, description: r.name, detail: r.summary })),
      { placeHolder: 'Show the documentation of a SeqLens rule' },
    );
    chosen = pick?.label;
  }
  if (!chosen) return undefined;
  const uri = ruleDocumentUri(chosen.toUpperCase());
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // Without the built-in markdown extension, show the source instead.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'markdown'));
  }
  return uri;
}

export function registerRuleDocs(client: SeqLensClient): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider(client)),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (code?: unknown) => showRuleDocs(client, code)),
  );
}
