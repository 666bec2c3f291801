// Inlay hints: the inferred shape after each statement that binds a tensor, e.g. `e = self.emb(x)  ⟨(B, T, 100)⟩`.
import * as vscode from 'vscode';
import type { TensorSite } from '../analysis/findings';
import { toPosition } from './convert';
import type { LiveAnalysis } from './live-analysis';
import type { ResultStore } from './results';
import { readSettings, SETTINGS_SECTION } from './settings';

/**
 * The line on which the statement starting at `line` ends: brackets left open (a call spread over
 * several lines) and trailing backslashes carry it on. Strings and comments are skipped when counting.
 */
export function statementEndLine(document: vscode.TextDocument, line: number): number {
  let depth = 0;
  for (let current = line; current < document.lineCount; current++) {
    const text = document.lineAt(current).text;
    let quote: string | undefined;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '#') break;
      else if (ch === '"' || ch === "'") quote = ch;
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
    if (depth === 0 && !text.trimEnd().endsWith('\\')) return current;
  }
  return document.lineCount - 1;
}

/** Where a hint goes on a line: after its code, before a trailing comment. */
function endOfCode(document: vscode.TextDocument, line: number): vscode.Position {
  const text = document.lineAt(line).text;
  let quote: string | undefined;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') {
      end = i;
      break;
    }
  }
  return new vscode.Position(line, text.slice(0, end).trimEnd().length);
}

export function shapeLabel(sites: readonly TensorSite[]): string {
  if (sites.length === 1) return `⟨${sites[0].shape}⟩`;
  return `⟨${sites.map((site) => `${site.name}: ${site.shape}`).join(', ')}⟩`;
}

export class ShapeInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: LiveAnalysis, store: ResultStore) {
    this.subscriptions = [
      this.changed,
      store.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.inlayHints`)) this.changed.fire();
      }),
    ];
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    if (!readSettings(document.uri).inlayHints) return [];
    const entry = await this.analysis.resultFor(document, 'settled', token);
    if (!entry) return [];
    // One hint per statement, naming every tensor it binds.
    const byStatement = new Map<number, TensorSite[]>();
    const seen = new Set<string>();
    for (const site of entry.result.tensors) {
      // `_` is Python's "not needed": its shape is noise in a hint (the hover still has it).
      if (site.name === '_') continue;
      const start = toPosition(site.range.start);
      if (start.line >= document.lineCount || !range.contains(start)) continue;
      const end = statementEndLine(document, start.line);
      const key = `${end}:${site.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byStatement.get(end) ?? [];
      list.push(site);
      byStatement.set(end, list);
    }
    const hints: vscode.InlayHint[] = [];
    for (const [line, sites] of byStatement) {
      const hint = new vscode.InlayHint(endOfCode(document, line), shapeLabel(sites), vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      const tooltip = new vscode.MarkdownString(sites.map((site) => site.markdown).join('\n\n---\n\n'));
      hint.tooltip = tooltip;
      hints.push(hint);
    }
    return hints;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
