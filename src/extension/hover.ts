// Hovers: over a SeqLens diagnostic the rule's explanation and fix, over a layer constructor its
// arguments and shapes, over a tensor variable its inferred shape. Nothing at all when none applies.
import * as vscode from 'vscode';
import { toRange } from './convert';
import { loadCore } from './core';
import type { LiveAnalysis } from './live-analysis';
import { renderRuleHover } from './rule-docs';

export class ShapeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analysis: LiveAnalysis) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const entry = await this.analysis.resultFor(document, 'now');
    if (!entry) return undefined;
    const { ruleByCode } = await loadCore();
    const contents: vscode.MarkdownString[] = [];
    let range: vscode.Range | undefined;
    const use = (site: vscode.Range) => {
      // The hover sticks to the innermost thing under the cursor.
      if (!range || range.contains(site)) range = site;
    };

    const seenRules = new Set<string>();
    for (const finding of entry.result.findings) {
      const at = toRange(finding.range);
      if (!at.contains(position) || seenRules.has(finding.code)) continue;
      const rule = ruleByCode(finding.code);
      if (!rule) continue;
      seenRules.add(finding.code);
      contents.push(renderRuleHover(rule, finding.fixes.map((fix) => fix.title)));
      use(at);
    }
    for (const layer of entry.result.layers) {
      const at = toRange(layer.range);
      if (!at.contains(position) || layer.markdown.trim() === '') continue;
      contents.push(new vscode.MarkdownString(layer.markdown));
      use(at);
    }
    for (const tensor of entry.result.tensors) {
      const at = toRange(tensor.range);
      if (!at.contains(position)) continue;
      const text = tensor.markdown.trim() !== '' ? tensor.markdown : `\`${tensor.name}\`: ${tensor.shape}`;
      contents.push(new vscode.MarkdownString(text));
      use(at);
    }
    return contents.length > 0 ? new vscode.Hover(contents, range) : undefined;
  }
}
