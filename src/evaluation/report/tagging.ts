// Reports of a sequence-labelling evaluation: seqeval's classification_report layout for the
// entity scores, then token accuracy, the entity-type confusion and the warnings; JSON; HTML.
import type { TaggingResult } from '../sequence/tagging/types';
import { WARNING_CATALOGUE } from '../warnings';

const DIGITS = 3;
/** Past this many tags the tag confusion matrix is left to JSON and HTML. */
const MAX_TEXT_TAGS = 20;

function num(value: number): string {
  return Number.isNaN(value) ? 'nan' : value.toFixed(DIGITS);
}

function modeLine(r: TaggingResult): string {
  if (r.mode === 'strict') return `mode: strict, scheme ${r.scheme}${r.schemeDetected ? ' (detected from the gold tags, as seqeval does)' : ''}`;
  return 'mode: default (seqeval\'s default, conlleval-compatible: B/I/E/S/O prefixes; I- without B- starts an entity)';
}

export function formatTaggingText(r: TaggingResult): string {
  const lines: string[] = [];
  lines.push(`SeqLens evaluation of ${r.source.path} (${r.source.format}, ${r.n} tokens in ${r.sentences} sentences)`);
  lines.push(`task: sequence-labelling   ${modeLine(r)}${r.source.elapsedMs > 0 ? `   time: ${(r.source.elapsedMs / 1000).toFixed(2)} s` : ''}`);
  lines.push('');
  const e = r.entities;
  const width = Math.max(12, ...e.perType.map((t) => t.type.length));
  const row = (name: string, cells: string[]) => `${name.padStart(width)} ${cells.map((c) => c.padStart(10)).join('')}`;
  lines.push('Entities');
  lines.push(row('', ['precision', 'recall', 'f1-score', 'support']), '');
  for (const t of e.perType) lines.push(row(t.type, [num(t.precision), num(t.recall), num(t.f1), String(t.support)]));
  if (e.perType.length === 0) lines.push(`${''.padStart(width)}  (no entity in the gold or predicted tags)`);
  lines.push('');
  lines.push(row('micro avg', [num(e.micro.precision), num(e.micro.recall), num(e.micro.f1), String(e.micro.support)]));
  lines.push(row('macro avg', [num(e.macro.precision), num(e.macro.recall), num(e.macro.f1), String(e.macro.support)]));
  lines.push(row('weighted avg', [num(e.weighted.precision), num(e.weighted.recall), num(e.weighted.f1), String(e.weighted.support)]));
  lines.push('', `token accuracy ${num(r.tokenAccuracy)}`, '');
  lines.push(...tagScoreLines(r), '');
  lines.push(...entityConfusionLines(r), '');
  lines.push(...tagMatrixLines(r), '');
  if (r.warnings.length === 0) lines.push('No warnings.');
  else {
    lines.push('Warnings:');
    for (const w of r.warnings) lines.push(`  ${w.code} ${WARNING_CATALOGUE[w.code]?.name ?? ''}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** scikit-learn's classification_report over the flat tags, token by token. */
function tagScoreLines(r: TaggingResult): string[] {
  const t = r.tags;
  const width = Math.max(12, ...t.perTag.map((s) => s.tag.length));
  const row = (name: string, cells: string[]) => `${name.padStart(width)} ${cells.map((c) => c.padStart(10)).join('')}`;
  return [
    'Tags, token by token',
    row('', ['precision', 'recall', 'f1-score', 'support']),
    '',
    ...t.perTag.map((s) => row(s.tag, [num(s.precision), num(s.recall), num(s.f1), String(s.support)])),
    '',
    row('macro avg', [num(t.macro.precision), num(t.macro.recall), num(t.macro.f1), String(t.macro.support)]),
    row('weighted avg', [num(t.weighted.precision), num(t.weighted.recall), num(t.weighted.f1), String(t.weighted.support)]),
  ];
}

function entityConfusionLines(r: TaggingResult): string[] {
  const c = r.entities.confusion;
  const names = [...c.types, '(none)'];
  const cell = Math.max(8, ...names.map((n) => n.length), ...c.matrix.flat().map((v) => String(v).length)) + 2;
  const head = Math.max('gold \\ predicted'.length, ...names.map((n) => n.length));
  const lines = ['Entity types, exact spans (rows gold, columns predicted; (none): no entity on exactly those tokens)'];
  lines.push(`${'gold \\ predicted'.padStart(head)}${names.map((n) => n.padStart(cell)).join('')}`);
  c.matrix.forEach((values, g) => lines.push(`${names[g].padStart(head)}${values.map((v) => String(v).padStart(cell)).join('')}`));
  const missed = c.matrix.slice(0, -1).reduce((s, values) => s + values[values.length - 1], 0);
  if (missed > 0) lines.push(`${missed} gold entities have no predicted entity on exactly their tokens; ${c.boundaryErrors} of them overlap one (a boundary error).`);
  return lines;
}

function tagMatrixLines(r: TaggingResult): string[] {
  const { labels, confusion } = r.tags;
  if (labels.length > MAX_TEXT_TAGS) return [`Tag confusion matrix: ${labels.length} tags, too wide for text; use --format json or html.`];
  const cell = Math.max(...labels.map((l) => l.length), ...confusion.flat().map((v) => String(v).length)) + 2;
  const head = Math.max('gold \\ predicted'.length, ...labels.map((l) => l.length));
  const lines = ['Tag confusion matrix (rows gold, columns predicted)'];
  lines.push(`${'gold \\ predicted'.padStart(head)}${labels.map((l) => l.padStart(cell)).join('')}`);
  confusion.forEach((values, g) => lines.push(`${labels[g].padStart(head)}${values.map((v) => String(v).padStart(cell)).join('')}`));
  return lines;
}

export function taggingJsonObject(r: TaggingResult): Record<string, unknown> {
  return {
    task: r.task,
    n: r.n,
    sentences: r.sentences,
    mode: r.mode,
    scheme: r.scheme,
    schemeDetected: r.schemeDetected,
    tokenAccuracy: r.tokenAccuracy,
    entities: r.entities,
    tags: r.tags,
    warnings: r.warnings.map(({ code, message }) => ({ code, message })),
  };
}

export function formatTaggingJson(r: TaggingResult): string {
  return `${JSON.stringify(taggingJsonObject(r), null, 2)}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function table(head: string[], rows: string[][]): string {
  return `<table><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

function heatTable(caption: string, names: string[], colNames: string[], matrix: number[][]): string {
  const head = `<tr><th>${escapeHtml(caption)}</th>${colNames.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const rows = matrix.map((values, g) => {
    const total = values.reduce((a, b) => a + b, 0);
    const cells = values.map((v) => {
      const share = total === 0 ? 0 : v / total;
      return `<td style="background:rgba(31,119,180,${share.toFixed(3)});color:${share > 0.5 ? '#fff' : '#222'}">${v}</td>`;
    });
    return `<tr><th>${escapeHtml(names[g])}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix">${head}${rows.join('')}</table>`;
}

export function formatTaggingHtml(r: TaggingResult): string {
  const parts: string[] = [];
  parts.push(`<h1>SeqLens evaluation</h1><p><code>${escapeHtml(r.source.path)}</code> · ${r.source.format} · ${r.n} tokens in ${r.sentences} sentences · task sequence-labelling · ${escapeHtml(modeLine(r))}</p>`);
  if (r.warnings.length > 0) {
    parts.push('<section class="warnings"><h2>Warnings</h2><ul>');
    for (const w of r.warnings) {
      const rule = WARNING_CATALOGUE[w.code];
      parts.push(`<li><b>${w.code} ${escapeHtml(rule?.name ?? '')}</b>: ${escapeHtml(w.message)}${rule ? `<br><small>${escapeHtml(rule.why)} ${escapeHtml(rule.tryThis)}</small>` : ''}</li>`);
    }
    parts.push('</ul></section>');
  }
  const e = r.entities;
  parts.push('<h2>Entities</h2>');
  parts.push(table(['type', 'precision', 'recall', 'F1', 'support', 'predicted', 'correct'], [
    ...e.perType.map((t) => [t.type, num(t.precision), num(t.recall), num(t.f1), String(t.support), String(t.predicted), String(t.correct)]),
    ...(['micro', 'macro', 'weighted'] as const).map((a) => [`${a} avg`, num(e[a].precision), num(e[a].recall), num(e[a].f1), String(e[a].support), '', '']),
  ]));
  parts.push(table(['token accuracy'], [[num(r.tokenAccuracy)]]));
  parts.push('<h2>Entity types</h2><p>Gold entities (rows) against predicted ones on exactly the same tokens (columns); (none) is no entity there.</p>');
  const typeNames = [...e.confusion.types, '(none)'];
  parts.push(heatTable('gold \\ predicted', typeNames, typeNames, e.confusion.matrix));
  parts.push('<h2>Tags</h2>');
  parts.push(table(['tag', 'precision', 'recall', 'F1', 'support'], [
    ...r.tags.perTag.map((t) => [t.tag, num(t.precision), num(t.recall), num(t.f1), String(t.support)]),
    ...(['macro', 'weighted'] as const).map((a) => [`${a} avg`, num(r.tags[a].precision), num(r.tags[a].recall), num(r.tags[a].f1), String(r.tags[a].support)]),
  ]));
  parts.push(heatTable('gold \\ predicted', r.tags.labels, r.tags.labels, r.tags.confusion));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SeqLens evaluation</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f4f4f4}.warnings{background:#fff6e0;border:1px solid #e0b44c;padding:.5em 1em}
.matrix td{min-width:3em}
</style></head><body>
${parts.join('\n')}
</body></html>
`;
}
