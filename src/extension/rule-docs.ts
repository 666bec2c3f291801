// Rule documentation, rendered from the rule's own RuleInfo (the single source the CLI's `explain` also uses).
//
// A diagnostic's code links here with a `command:` URI: VS Code 1.100 opens diagnostic code targets,
// from both the hover and the Problems panel, with command URIs allowed. A command lets the page be
// rendered from RuleInfo at run time, so no generated markdown files have to ship beside the bundle,
// and it opens in the markdown preview instead of as raw source.
import * as vscode from 'vscode';
import type { RuleInfo } from '../analysis';
import { loadCore } from './core';

export const SHOW_RULE_DOCS_COMMAND = 'seqlens.showRuleDocs';
export const RULE_DOCS_SCHEME = 'seqlens-rule';

export function ruleDocsUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: SHOW_RULE_DOCS_COMMAND, query: JSON.stringify([code]) });
}

function ruleDocumentUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${code}.md` });
}

const FRAMEWORK_NAMES: Record<RuleInfo['framework'], string> = { torch: 'PyTorch', keras: 'Keras' };

function pythonBlock(code: string): string {
  return '```python\n' + code.trimEnd() + '\n```';
}

export function renderRulePage(rule: RuleInfo): string {
  const parts = [
    `# ${rule.code} · ${rule.name}`,
    rule.summary,
    `Severity: **${rule.severity}** · Framework: ${FRAMEWORK_NAMES[rule.framework]}`,
    '## What it does',
    rule.docs.whatItDoes,
    '## Why is this bad?',
    rule.docs.whyIsThisBad,
    '## Example',
    pythonBlock(rule.docs.example),
    '## Use instead',
    pythonBlock(rule.docs.useInstead),
  ];
  if (rule.fixTitles.length > 0) parts.push('## Quick fixes', rule.fixTitles.map((t) => `- ${t}`).join('\n'));
  if (rule.docs.references.length > 0) parts.push('## References', rule.docs.references.map((r) => `- ${r}`).join('\n'));
  parts.push(`Silence it on one line with \`# seqlens: ignore[${rule.code}]\`.`);
  return parts.join('\n\n') + '\n';
}

/** The part of a rule's page that a hover over its diagnostic shows, with this finding's own fixes. */
export function renderRuleHover(rule: RuleInfo, fixTitles: readonly string[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: [SHOW_RULE_DOCS_COMMAND] };
  markdown.appendMarkdown(`**${rule.code} ${rule.name}**: ${rule.summary}\n\n`);
  markdown.appendMarkdown(`${rule.docs.whatItDoes}\n\n`);
  markdown.appendMarkdown(`*Why is this bad?* ${rule.docs.whyIsThisBad}\n\n`);
  if (fixTitles.length > 0) {
    markdown.appendMarkdown(`*Fix:* ${fixTitles.join('; ')} (Quick Fix, Ctrl+.)\n\n`);
  } else {
    markdown.appendMarkdown('*Use instead:*\n\n');
    markdown.appendCodeblock(rule.docs.useInstead.trimEnd(), 'python');
  }
  markdown.appendMarkdown(`[Rule documentation](${ruleDocsUri(rule.code).toString()})`);
  return markdown;
}

class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { allRules, ruleByCode } = await loadCore();
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const rule = ruleByCode(code);
    if (rule) return renderRulePage(rule);
    const known = allRules().map((r) => `- ${r.code} ${r.name}`).join('\n');
    return `# ${code}\n\nSeqLens has no rule ${code}. Known rules:\n\n${known}\n`;
  }
}

async function showRuleDocs(code?: unknown): Promise<vscode.Uri | undefined> {
  let chosen = typeof code === 'string' ? code : undefined;
  if (!chosen) {
    const { allRules } = await loadCore();
    const pick = await vscode.window.showQuickPick(
      allRules().map((r) => ({ label: r.code, description: r.name, detail: r.summary })),
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

export function registerRuleDocs(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider()),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, showRuleDocs),
  );
}
