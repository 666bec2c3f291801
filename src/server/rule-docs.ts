// Rule documentation for editors, rendered from the rule's own RuleInfo (the single source the CLI's
// `explain` also uses): the page a diagnostic's code links to, and the part of it a hover shows.
//
// Where the link points depends on the client: VS Code registers `seqlens.showRuleDocs`, which opens
// the page in its Markdown preview; any other editor gets a `file:` URI of the page, written once per
// server start into a folder of its own, in the background.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules, ruleByCode, type RuleInfo } from '../analysis';
import { SHOW_RULE_DOCS_COMMAND } from './protocol';

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

/** The page for `code`, or a page listing the known rules when there is no such rule. */
export function rulePageFor(code: string): string {
  const rule = ruleByCode(code);
  if (rule) return renderRulePage(rule);
  const known = allRules().map((r) => `- ${r.code} ${r.name}`).join('\n');
  return `# ${code}\n\nSeqLens has no rule ${code}. Known rules:\n\n${known}\n`;
}

export interface RuleDocsLinks {
  /** The URI a diagnostic's code description and the hover link to. */
  href(code: string): string;
  /** Makes what the links point at ready ahead of the first link (the file pages are written in the background). */
  prepare?(): Promise<void>;
}

export function commandLinks(): RuleDocsLinks {
  return { href: (code) => `command:${SHOW_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}` };
}

/**
 * Links to Markdown pages in `folder`. The pages are written once, off the thread's critical path:
 * when `prepare` is called (the server does at `initialize`) or else with the first link. A link
 * never waits for them: writing every rule's page had cost the first diagnostics 15-150 ms.
 */
export function fileLinks(folder = path.join(tmpdir(), `seqlens-rules-${process.getuid?.() ?? 'user'}`)): RuleDocsLinks {
  let writing: Promise<void> | undefined;
  const prepare = () =>
    (writing ??= (async () => {
      try {
        await mkdir(folder, { recursive: true });
        await Promise.all(allRules().map((rule) => writeFile(path.join(folder, `${rule.code}.md`), renderRulePage(rule))));
      } catch {
        // Without the pages the links still name the rule; `seqlens explain CODE` prints the same text.
      }
    })());
  return {
    href(code) {
      void prepare();
      return pathToFileURL(path.join(folder, `${code}.md`)).toString();
    },
    prepare,
  };
}

/** The part of a rule's page that a hover over its diagnostic shows, with this finding's own fixes. */
export function renderRuleHover(rule: RuleInfo, fixTitles: readonly string[], links: RuleDocsLinks): string {
  let markdown = `**${rule.code} ${rule.name}**: ${rule.summary}\n\n`;
  markdown += `${rule.docs.whatItDoes}\n\n`;
  markdown += `*Why is this bad?* ${rule.docs.whyIsThisBad}\n\n`;
  if (fixTitles.length > 0) markdown += `*Fix:* ${fixTitles.join('; ')} (Quick Fix)\n\n`;
  else markdown += `*Use instead:*\n\n${pythonBlock(rule.docs.useInstead)}\n\n`;
  markdown += `[Rule documentation](${links.href(rule.code)})`;
  return markdown;
}
