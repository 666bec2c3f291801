// Errors by sequence length: one group of bars per length bucket (accuracy and macro F1 for a
// classifier, MSE and MAE for a regression), the count under each, a table with the same numbers,
// and the long-sequence (SLE321) and truncation (SLE322) warnings beside the chart.
import { h, themeColor } from './dom';
import { count, fixed } from './format';
import type { PanelWarning } from './protocol';
import { s, unitFrame, unitGrid } from './svg';
import { inlineWarnings } from './widgets';

/** One bucket as `seqlens eval --format json` writes it (NaN arrives as null). */
export interface LengthBucketData {
  above: number | null;
  upTo: number | null;
  count: number;
  accuracy?: number | null;
  macroF1?: number | null;
  mse?: number | null;
  mae?: number | null;
  perplexity?: number | null;
  crossEntropy?: number | null;
  /** Language model: the scored tokens of the bucket's sequences (count is the sequences). */
  tokens?: number;
}

export interface LengthBucketsData {
  source: { column: string; kind: 'length' | 'token-ids' | 'text' | 'sequence-id'; padId: number | null };
  edges: number[];
  edgesGiven: boolean;
  buckets: LengthBucketData[];
  unknown: number;
  maxLength: number;
  atMax: number;
}

interface Measure { key: keyof LengthBucketData; label: string; color: string }

export const LENGTH_WARNING_CODES = ['SLE321', 'SLE322'];

export function bucketName(bucket: Pick<LengthBucketData, 'above' | 'upTo'>): string {
  if (bucket.above === null && bucket.upTo === null) return 'all lengths';
  if (bucket.above === null) return `≤ ${bucket.upTo}`;
  if (bucket.upTo === null) return `> ${bucket.above}`;
  return `${bucket.above + 1}–${bucket.upTo}`;
}

function value(bucket: LengthBucketData, key: keyof LengthBucketData): number | null {
  const v = bucket[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The measures drawn for these buckets: what the engine computed for this task. */
function measuresOf(data: LengthBucketsData): Measure[] {
  const blue = themeColor('--vscode-charts-blue', '#3794ff');
  const orange = themeColor('--vscode-charts-orange', '#d18616');
  const has = (key: keyof LengthBucketData) => data.buckets.some((b) => key in b);
  if (has('accuracy')) return [{ key: 'accuracy', label: 'accuracy', color: blue }, { key: 'macroF1', label: 'macro F1', color: orange }];
  if (has('perplexity')) return [{ key: 'perplexity', label: 'perplexity', color: blue }];
  return [{ key: 'mse', label: 'MSE', color: blue }, { key: 'mae', label: 'MAE', color: orange }];
}

function sourceNote(data: LengthBucketsData): string {
  const edges = data.edges.length === 0 ? 'one bucket (the lengths are too alike to split)'
    : data.edgesGiven ? `the given edges ${data.edges.join(', ')}` : `edges ${data.edges.join(', ')} (quantiles rounded to 1, 2 or 5 × a power of ten)`;
  if (data.source.kind === 'sequence-id') {
    const unknown = data.unknown > 0 ? ` ${count(data.unknown)} tokens name no sequence and are in no bucket.` : '';
    return `A sequence is every token with the same '${data.source.column}'; its length is its number of tokens; ${edges}, right-closed as pandas.cut. Perplexity is exp of the bucket's mean NLL per token.${unknown}`;
  }
  const where = data.source.kind === 'length' ? `the '${data.source.column}' column`
    : data.source.kind === 'token-ids' ? `the non-padding ids of '${data.source.column}'${data.source.padId !== null ? ` (padding id ${data.source.padId})` : ''}`
    : `'${data.source.column}' split on whitespace`;
  const unknown = data.unknown > 0 ? ` ${count(data.unknown)} samples have no known length and are in no bucket.` : '';
  return `Lengths in tokens, from ${where}; ${edges}, right-closed as pandas.cut.${unknown}`;
}

/** The bars: one group per bucket, scaled to 0..1 for scores or to the largest value for errors. */
function bucketChart(data: LengthBucketsData, measures: Measure[], width: number): SVGSVGElement {
  const height = 240;
  const frame = unitFrame(width, height);
  const foreground = themeColor('--vscode-editor-foreground', '#ccc');
  const grid = themeColor('--vscode-editorIndentGuide-background1', '') || 'rgba(128,128,128,0.25)';
  const unit = measures[0].key === 'accuracy';
  let max = 1;
  if (!unit) {
    max = 0;
    for (const b of data.buckets) for (const m of measures) max = Math.max(max, value(b, m.key) ?? 0);
    if (!(max > 0)) max = 1;
  }
  const svg = s('svg', { class: 'bucket-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${measures.map((m) => m.label).join(' and ')} by sequence length` });
  svg.appendChild(unitGrid(frame, foreground, grid, (v) => (unit ? v.toFixed(2) : fixed(v * max, max >= 10 ? 1 : 3))));
  const slot = frame.plotWidth / Math.max(1, data.buckets.length);
  const barWidth = Math.min(40, (slot * 0.8) / measures.length);
  data.buckets.forEach((bucket, b) => {
    const group = s('g', { class: 'bucket', 'data-bucket': b });
    const groupLeft = frame.left + slot * b + (slot - barWidth * measures.length) / 2;
    measures.forEach((m, i) => {
      const v = value(bucket, m.key);
      if (v === null) return;
      const top = frame.y(v / max);
      group.appendChild(s('rect', {
        class: 'bar', 'data-measure': String(m.key), 'data-value': v,
        x: groupLeft + i * barWidth, y: top, width: Math.max(1, barWidth - 2), height: Math.max(0, frame.y(0) - top), fill: m.color,
      }, s('title', { text: `${bucketName(bucket)} tokens: ${m.label} ${fixed(v, unit ? 3 : 4)} (${count(bucket.count)} ${data.source.kind === 'sequence-id' ? 'sequences' : 'samples'})` })));
    });
    const centre = frame.left + slot * (b + 0.5);
    group.appendChild(s('text', { x: centre, y: frame.y(0) + 15, 'text-anchor': 'middle', fill: foreground, 'font-size': 11, text: bucketName(bucket) }));
    group.appendChild(s('text', { class: 'bucket-count', x: centre, y: frame.y(0) + 29, 'text-anchor': 'middle', fill: themeColor('--vscode-descriptionForeground', '#888'), 'font-size': 10, text: `n = ${count(bucket.count)}` }));
    svg.appendChild(group);
  });
  return svg;
}

export function lengthBucketsView(data: LengthBucketsData, warnings: PanelWarning[], width: number): HTMLElement {
  const measures = measuresOf(data);
  const legend = h('div', { class: 'legend' }, measures.map((m) => {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = m.color;
    return h('span', {}, swatch, ` ${m.label}`);
  }));
  const digits = measures[0].key === 'accuracy' ? 3 : 4;
  const languageModel = data.source.kind === 'sequence-id';
  const table = h('table', { class: 'metrics length-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'tokens' }),
      h('th', { scope: 'col', text: languageModel ? 'sequences' : 'samples' }),
      languageModel ? [h('th', { scope: 'col', text: 'scored tokens' }), h('th', { scope: 'col', text: 'mean NLL' })] : [],
      measures.map((m) => h('th', { scope: 'col', text: m.label })))),
    h('tbody', {}, data.buckets.map((b) => h('tr', {},
      h('th', { scope: 'row', text: bucketName(b) }),
      h('td', { text: count(b.count) }),
      languageModel ? [h('td', { 'data-measure': 'tokens', text: count(b.tokens ?? 0) }), h('td', { 'data-measure': 'crossEntropy', text: fixed(value(b, 'crossEntropy'), 4) })] : [],
      measures.map((m) => h('td', { 'data-measure': String(m.key), text: fixed(value(b, m.key), digits) }))))));
  const title = languageModel ? 'Perplexity by sequence length' : 'Errors by sequence length';
  return h('section', { class: 'lengths-section', 'aria-label': title },
    h('h2', { text: title }),
    h('p', { class: 'note', text: sourceNote(data) }),
    inlineWarnings(warnings, LENGTH_WARNING_CODES),
    h('div', { class: 'chart' }, bucketChart(data, measures, width), legend),
    table,
    h('p', { class: 'note', text: `Longest sequence ${count(data.maxLength)} tokens; ${count(data.atMax)} ${languageModel ? 'sequences' : 'samples'} have exactly that length.` }));
}
