// The panel's report exports, Markdown, CSV and JSON, built by the host from the run it holds (the
// webview only names the format). JSON is exactly `seqlens eval --format json`. No vscode import.
import type { PanelRun } from '../../evaluation/report/panel';
import type { ReportFormat } from './messages';

type Row = (string | number | null)[];

function num(value: unknown, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

interface ClassificationKeys {
  labels: (string | number)[];
  confusionMatrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  mcc: number;
  kappa: number;
  perClass: { label: string | number; precision: number; recall: number; f1: number; support: number }[];
  macro: { precision: number; recall: number; f1: number };
  micro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  rocAuc?: number;
  averagePrecision?: number;
  logLoss?: number;
}

/** The headline metrics of a run as (name, value) pairs, in report order. */
function headline(run: PanelRun): [string, unknown][] {
  const r = run.report as Record<string, unknown>;
  if (run.task === 'regression') return [['MSE', r.mse], ['RMSE', r.rmse], ['MAE', r.mae], ['R²', r.r2]];
  if (run.task === 'language-model') return [['perplexity (corpus)', r.perplexity], ['cross-entropy (nats/token)', r.crossEntropy]];
  if (run.task === 'sequence-labelling') {
    const entities = r.entities as { micro: { f1: number }; macro: { f1: number }; weighted: { f1: number } };
    return [['token accuracy', r.tokenAccuracy], ['entity micro F1', entities.micro.f1], ['entity macro F1', entities.macro.f1], ['entity weighted F1', entities.weighted.f1]];
  }
  const c = r as unknown as ClassificationKeys;
  const rows: [string, unknown][] = [['accuracy', c.accuracy], ['balanced accuracy', c.balancedAccuracy], ['MCC', c.mcc], ["Cohen's kappa", c.kappa]];
  if ('rocAuc' in c) rows.push(['ROC AUC', c.rocAuc], ['average precision', c.averagePrecision], ['log loss', c.logLoss]);
  return rows;
}

/** Text from the data (labels, paths, warnings) as Markdown that renders as that text: no raw HTML, no table breaks. */
export function markdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/[\r\n]+/g, ' ');
}

function markdownCell(text: string): string {
  return markdownText(text);
}

export function reportMarkdown(run: PanelRun): string {
  const out: string[] = [];
  const unit = run.task === 'language-model' || run.task === 'sequence-labelling' ? 'tokens' : 'rows';
  out.push(`# SeqLens evaluation of ${markdownText(run.source.path)}`, '');
  out.push(`${run.n} ${unit} · ${run.source.format} · task ${run.task}${run.backend ? ` · backend ${run.backend}` : ''} · ${(run.source.elapsedMs / 1000).toFixed(2)} s`, '');
  out.push('| metric | value |', '|---|---:|', ...headline(run).map(([name, value]) => `| ${name} | ${num(value)} |`), '');
  if (run.task === 'classification') {
    const c = run.report as unknown as ClassificationKeys;
    out.push('## Per class', '', '| class | precision | recall | F1 | support |', '|---|---:|---:|---:|---:|');
    for (const row of c.perClass) out.push(`| ${markdownCell(String(row.label))} | ${num(row.precision, 3)} | ${num(row.recall, 3)} | ${num(row.f1, 3)} | ${row.support} |`);
    for (const [name, m] of [['micro avg', c.micro], ['macro avg', c.macro], ['weighted avg', c.weighted]] as const) {
      out.push(`| *${name}* | ${num(m.precision, 3)} | ${num(m.recall, 3)} | ${num(m.f1, 3)} | |`);
    }
    out.push('', '## Confusion matrix', '', 'Rows are true classes, columns predicted.', '');
    out.push(`| true ╲ predicted | ${c.labels.map((l) => markdownCell(String(l))).join(' | ')} |`);
    out.push(`|---|${c.labels.map(() => '---:').join('|')}|`);
    c.confusionMatrix.forEach((row, t) => out.push(`| **${markdownCell(String(c.labels[t]))}** | ${row.join(' | ')} |`));
    out.push('');
  }
  out.push('## Warnings', '');
  if (run.warnings.length === 0) out.push('None.');
  for (const w of run.warnings) {
    out.push(`- **${markdownText(w.code)} ${markdownText(w.name)}**: ${markdownText(w.message)}`);
    if (w.why) out.push(`  - Why it matters: ${markdownText(w.why)}`);
    if (w.tryThis) out.push(`  - What to try: ${markdownText(w.tryThis)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or
 * a carriage return) gets a leading apostrophe, as OWASP's CSV-injection guidance says; numbers
 * are written as numbers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One table: the headline metrics, then (classification) per-class rows and the matrix cells. */
export function reportCsv(run: PanelRun): string {
  const rows: Row[] = [['section', 'name', 'class', 'predicted', 'value']];
  for (const [name, value] of headline(run)) rows.push(['metric', name, null, null, typeof value === 'number' ? value : null]);
  if (run.task === 'classification') {
    const c = run.report as unknown as ClassificationKeys;
    for (const row of c.perClass) {
      for (const key of ['precision', 'recall', 'f1', 'support'] as const) rows.push(['per-class', key, row.label, null, row[key]]);
    }
    for (const [name, m] of [['micro', c.micro], ['macro', c.macro], ['weighted', c.weighted]] as const) {
      for (const key of ['precision', 'recall', 'f1'] as const) rows.push(['average', `${name} ${key}`, null, null, m[key]]);
    }
    c.confusionMatrix.forEach((row, t) => row.forEach((value, p) => rows.push(['confusion', 'count', c.labels[t], c.labels[p], value])));
  }
  for (const w of run.warnings) rows.push(['warning', w.code, null, null, w.message]);
  return `${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

export function reportJson(run: PanelRun): string {
  return `${JSON.stringify(run.report, null, 2)}\n`;
}

export const REPORT_EXTENSIONS: Record<ReportFormat, string> = { markdown: 'md', csv: 'csv', json: 'json' };

export function formatReport(run: PanelRun, format: ReportFormat): string {
  return format === 'markdown' ? reportMarkdown(run) : format === 'csv' ? reportCsv(run) : reportJson(run);
}
