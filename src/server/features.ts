// The analysis result of one document in protocol terms: diagnostics, hovers, inlay hints, code
// actions and lenses. Plain functions over the text the result describes (a snapshot, so that
// positions stay right while newer edits wait for their analysis).
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  InlayHint,
  InlayHintKind,
  MarkupKind,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleByCode } from '../analysis';
import type { Finding, RelatedLocation, Severity } from '../analysis/findings';
import type { HoverTexts, PostedResult } from './analysis-worker';
import { findModelClasses } from './model-classes';
import { lineText, type PositionCodec } from './positions';
import { EVALUATE_MODEL_COMMAND, VERIFY_SHAPES_COMMAND } from './protocol';
import { renderRuleHover, type RuleDocsLinks } from './rule-docs';
import { effectiveSeverity, type SeqLensSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'SeqLens';
/** The code of the diagnostic that says a document's analysis was stopped (it is not a rule). */
export const STOPPED_CODE = 'analysis-stopped';

/** A document's text as analysed, and where its related locations live. */
export interface AnalysedText {
  uri: string;
  /** The text the result describes. */
  document: TextDocument;
  result: PostedResult;
  /** Resolves a related location to its document (URI and text, when it is open), or undefined to drop it. */
  resolveRelated(location: RelatedLocation): { uri: string; document?: TextDocument } | undefined;
}

type Analysed = { line: number; column: number };

function toRange(range: { start: Analysed; end: Analysed }): Range {
  return { start: { line: range.start.line, character: range.start.column }, end: { line: range.end.line, character: range.end.column } };
}

function contains(range: Range, position: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, position) && before(position, range.end);
}

function containsRange(outer: Range, inner: Range): boolean {
  return contains(outer, inner.start) && contains(outer, inner.end);
}

function intersects(a: Range, b: Range): boolean {
  return contains(a, b.start) || contains(a, b.end) || contains(b, a.start);
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostics(analysed: AnalysedText, settings: SeqLensSettings, codec: PositionCodec, links: RuleDocsLinks): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of analysed.result.findings) {
    const severity = effectiveSeverity(settings, finding.code, finding.severity);
    if (!severity) continue;
    const diagnostic: Diagnostic = {
      range: codec.toClientRange(analysed.document, toRange(finding.range)),
      severity: SEVERITIES[severity],
      source: DIAGNOSTIC_SOURCE,
      code: finding.code,
      codeDescription: { href: links.href(finding.code) },
      message: finding.message,
    };
    const related = [];
    for (const location of finding.related) {
      const target = analysed.resolveRelated(location);
      if (!target) continue;
      const range = toRange(location.range);
      related.push({ location: { uri: target.uri, range: target.document ? codec.toClientRange(target.document, range) : range }, message: location.message });
    }
    if (related.length > 0) diagnostic.relatedInformation = related;
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** The diagnostic a document gets instead of its findings when its analysis was stopped. */
export function stoppedDiagnostic(document: TextDocument, reason: string, codec: PositionCodec): Diagnostic {
  const first = lineText(document, 0);
  return {
    range: codec.toClientRange(document, { start: { line: 0, character: 0 }, end: { line: 0, character: first.length } }),
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: STOPPED_CODE,
    message: `SeqLens stopped analysing this file: ${reason}. Its other checks are off until the file changes; other files are still checked.`,
  };
}

/** Fetches the hover texts of a result's sites from the analysis thread (null when it no longer has them). */
export type HoverTextSource = (resultId: string, layers: number[], tensors: number[]) => Promise<HoverTexts>;

/** Over a finding: the rule's explanation and fix; over a layer: its arguments and shapes; over a tensor: its shape. */
export async function hoverAt(analysed: AnalysedText, position: Position, codec: PositionCodec, links: RuleDocsLinks, texts: HoverTextSource): Promise<Hover | null> {
  const { document, result } = analysed;
  const at = codec.fromClient(document, position);
  const parts: string[] = [];
  let range: Range | undefined;
  const use = (site: Range) => {
    // The hover sticks to the innermost thing under the cursor.
    if (!range || containsRange(range, site)) range = site;
  };
  const seenRules = new Set<string>();
  for (const finding of result.findings) {
    const site = toRange(finding.range);
    if (!contains(site, at) || seenRules.has(finding.code)) continue;
    const rule = ruleByCode(finding.code);
    if (!rule) continue;
    seenRules.add(finding.code);
    parts.push(renderRuleHover(rule, finding.fixes.map((fix) => fix.title), links));
    use(site);
  }
  const layers: number[] = [];
  const tensors: number[] = [];
  result.layers.forEach((layer, i) => {
    if (contains(toRange(layer.range), at)) layers.push(i);
  });
  result.tensors.forEach((tensor, i) => {
    if (contains(toRange(tensor.range), at)) tensors.push(i);
  });
  // Only the sites under the cursor have their texts built, on the analysis thread.
  const built = layers.length + tensors.length > 0 ? await texts(result.resultId, layers, tensors) : null;
  layers.forEach((index, i) => {
    const markdown = built?.layers[i] ?? '';
    if (markdown.trim() === '') return;
    parts.push(markdown);
    use(toRange(result.layers[index].range));
  });
  tensors.forEach((index, i) => {
    const tensor = result.tensors[index];
    const markdown = built?.tensors[i] ?? '';
    parts.push(markdown.trim() !== '' ? markdown : `\`${tensor.name}\`: ${tensor.shape}`);
    use(toRange(tensor.range));
  });
  if (parts.length === 0 || !range) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: codec.toClientRange(document, range) };
}

/**
 * The line on which the statement starting at `line` ends: brackets left open (a call spread over
 * several lines) and trailing backslashes carry it on. Strings and comments are skipped when counting.
 */
export function statementEndLine(document: TextDocument, line: number): number {
  let depth = 0;
  for (let current = line; current < document.lineCount; current++) {
    const text = lineText(document, current);
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
function endOfCode(document: TextDocument, line: number): Position {
  const text = lineText(document, line);
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
  return { line, character: text.slice(0, end).trimEnd().length };
}

type SiteOf = PostedResult['tensors'][number];

export function shapeLabel(sites: readonly SiteOf[]): string {
  if (sites.length === 1) return `⟨${sites[0].shape}⟩`;
  return `⟨${sites.map((site) => `${site.name}: ${site.shape}`).join(', ')}⟩`;
}

/** What an inlay hint carries to its resolve request: the result and its tensor sites, whose texts become the tooltip. */
export interface InlayHintData {
  resultId: string;
  tensors: number[];
}

/** The inferred shape after each statement that binds a tensor, e.g. `e = self.emb(x)  ⟨(B, T, 100)⟩`. */
export function inlayHintsIn(analysed: AnalysedText, clientRange: Range, codec: PositionCodec): InlayHint[] {
  const { document } = analysed;
  const range = codec.fromClientRange(document, clientRange);
  // One hint per statement, naming every tensor it binds.
  const byStatement = new Map<number, number[]>();
  const seen = new Set<string>();
  const sites = analysed.result.tensors;
  sites.forEach((site, index) => {
    // `_` is Python's "not needed": its shape is noise in a hint (the hover still has it).
    if (site.name === '_') return;
    const start = { line: site.range.start.line, character: site.range.start.column };
    if (start.line >= document.lineCount || !contains(range, start)) return;
    const end = statementEndLine(document, start.line);
    const key = `${end}:${site.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const list = byStatement.get(end) ?? [];
    list.push(index);
    byStatement.set(end, list);
  });
  const hints: InlayHint[] = [];
  for (const [line, indices] of byStatement) {
    // The tooltip (each tensor's hover text) is filled in by inlayHint/resolve, when the client shows it.
    const data: InlayHintData = { resultId: analysed.result.resultId, tensors: indices };
    hints.push({
      position: codec.toClient(document, endOfCode(document, line)),
      label: shapeLabel(indices.map((i) => sites[i])),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      data,
    });
  }
  return hints;
}

/** Gives a hint its tooltip: the hover texts of the tensors it names, when the analysis thread still has them. */
export async function resolveInlayHint(hint: InlayHint, texts: HoverTextSource): Promise<InlayHint> {
  const data = hint.data as Partial<InlayHintData> | undefined;
  if (!data || typeof data.resultId !== 'string' || !Array.isArray(data.tensors) || hint.tooltip !== undefined) return hint;
  const built = await texts(data.resultId, [], data.tensors.filter((i) => Number.isInteger(i))).catch(() => null);
  const markdown = (built?.tensors ?? []).filter((m) => m.trim() !== '');
  if (markdown.length > 0) hint.tooltip = { kind: MarkupKind.Markdown, value: markdown.join('\n\n---\n\n') };
  return hint;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The diagnostic the client shows for a finding, so that the action is attached to it. */
function diagnosticOf(finding: Finding, clientRange: Range, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && String(d.code) === finding.code && sameRange(d.range, clientRange));
}

/** `# seqlens: ignore[CODE]` on the line, extending an existing list rather than adding a second comment. */
export function suppressionEdit(document: TextDocument, line: number, code: string, codec: PositionCodec): TextEdit {
  const text = lineText(document, line);
  const existing = /#\s*seqlens:\s*ignore\[([^\]]*)\]/i.exec(text);
  if (existing) {
    const at = { line, character: existing.index + existing[0].indexOf('[') + 1 + existing[1].length };
    const position = codec.toClient(document, at);
    return { range: { start: position, end: position }, newText: existing[1].trim() === '' ? code : `, ${code}` };
  }
  const end = codec.toClient(document, { line, character: text.trimEnd().length });
  const lineEnd = codec.toClient(document, { line, character: text.length });
  return { range: { start: end, end: lineEnd }, newText: `  # seqlens: ignore[${code}]` };
}

/** Each finding's fixes as quick fixes (the preferred first), then "Ignore SLxxx on this line". */
export function codeActionsFor(analysed: AnalysedText, clientRange: Range, diagnostics: readonly Diagnostic[], codec: PositionCodec): CodeAction[] {
  const { document, uri } = analysed;
  const range = codec.fromClientRange(document, clientRange);
  const fixes: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const suppressed = new Set<string>();
  for (const finding of analysed.result.findings) {
    const at = toRange(finding.range);
    if (!intersects(at, range)) continue;
    const diagnostic = diagnosticOf(finding, codec.toClientRange(document, at), diagnostics);
    for (const fix of finding.fixes) {
      const edits = fix.edits.map((e) => ({ range: codec.toClientRange(document, toRange(e.range)), newText: e.newText }));
      const action = CodeAction.create(fix.title, { changes: { [uri]: edits } }, CodeActionKind.QuickFix);
      action.isPreferred = fix.isPreferred;
      if (diagnostic) action.diagnostics = [diagnostic];
      fixes.push(action);
    }
    const key = `${at.start.line}:${finding.code}`;
    if (suppressed.has(key)) continue;
    suppressed.add(key);
    const edit = suppressionEdit(document, at.start.line, finding.code, codec);
    const suppress = CodeAction.create(`Ignore ${finding.code} on this line`, { changes: { [uri]: [edit] } }, CodeActionKind.QuickFix);
    if (diagnostic) suppress.diagnostics = [diagnostic];
    suppressions.push(suppress);
  }
  // Real fixes first, the preferred one leading, so that the light bulb's first entry is the one to take.
  fixes.sort((a, b) => Number(b.isPreferred === true) - Number(a.isPreferred === true));
  return [...fixes, ...suppressions];
}

/** "Evaluate model" (and for a PyTorch module "Verify shapes") above each model class. */
export function modelLenses(uri: string, document: TextDocument, codec: PositionCodec): CodeLens[] {
  return findModelClasses(document.getText()).flatMap(({ name, line, torch }) => {
    const range = codec.toClientRange(document, { start: { line, character: 0 }, end: { line, character: lineText(document, line).length } });
    const lenses = [CodeLens.create(range)];
    lenses[0].command = { title: 'Evaluate model', command: EVALUATE_MODEL_COMMAND, arguments: [uri, name] };
    if (torch) {
      const verify = CodeLens.create(range);
      verify.command = { title: 'Verify shapes', command: VERIFY_SHAPES_COMMAND, arguments: [uri, name] };
      lenses.push(verify);
    }
    return lenses;
  });
}
