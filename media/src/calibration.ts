// Calibration: the reliability diagram (the uniform bins, each bin's fraction positive against its
// mean score, the diagonal of perfect calibration, and the count per bin), ECE, MCE and Brier per
// class, the top-label ECE, what temperature scaling fitted on this same data would give, and the
// overconfidence warning (SLE311).
import { h, themeColor } from './dom';
import { count, fixed } from './format';
import type { PanelWarning } from './protocol';
import { s, unitFrame, unitGrid } from './svg';
import { card as metricCard, inlineWarnings } from './widgets';

/** A reliability curve as the JSON report writes it: the non-empty bins only. */
export interface ReliabilityData {
  probTrue: number[];
  probPred: number[];
  counts: number[];
  binIndex: number[];
  ece: number | null;
  mce: number | null;
}

export interface CalibrationData {
  bins: number;
  perClass: (ReliabilityData & { label: string | number; brier: number | null })[];
  topLabel: (ReliabilityData & { meanConfidence: number | null; accuracy: number | null }) | null;
  temperature: { temperature: number | null; nllBefore: number | null; nllAfter: number | null; eceAfter: number | null; fittedOnThisData: true } | null;
}

export const CALIBRATION_WARNING_CODES = ['SLE311'];

/** Which curve is drawn: -1 for the top label, otherwise an index into perClass. */
export function defaultCurve(data: CalibrationData): number {
  return data.topLabel ? -1 : 0;
}

function curveOf(data: CalibrationData, which: number): ReliabilityData | null {
  if (which < 0) return data.topLabel ?? data.perClass[0] ?? null;
  return data.perClass[Math.min(which, data.perClass.length - 1)] ?? null;
}

export function reliabilityDiagram(curve: ReliabilityData, bins: number, width: number, title: string): SVGSVGElement {
  const histogram = 60;
  const height = width * 0.8 + histogram;
  const frame = unitFrame(width, height - histogram, { left: 44, right: 12, top: 26, bottom: 36 });
  const foreground = themeColor('--vscode-editor-foreground', '#ccc');
  const muted = themeColor('--vscode-descriptionForeground', '#888');
  const grid = themeColor('--vscode-editorIndentGuide-background1', '') || 'rgba(128,128,128,0.25)';
  const blue = themeColor('--vscode-charts-blue', '#3794ff');
  const red = themeColor('--vscode-charts-red', '#f14c4c');
  const x = (v: number) => frame.left + frame.plotWidth * Math.min(1, Math.max(0, v));
  const svg = s('svg', { class: 'reliability', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  svg.appendChild(unitGrid(frame, foreground, grid));
  for (let b = 0; b <= bins; b += Math.max(1, Math.round(bins / 5))) {
    svg.appendChild(s('text', { x: x(b / bins), y: frame.y(0) + 14, 'text-anchor': 'middle', fill: foreground, 'font-size': 11, text: fixed(b / bins, 2) }));
  }
  svg.appendChild(s('text', { x: frame.left + frame.plotWidth / 2, y: frame.y(0) + 30, 'text-anchor': 'middle', fill: muted, 'font-size': 11, text: 'mean score in the bin (confidence)' }));
  const bars = s('g', { class: 'bins' });
  const maxCount = Math.max(1, ...curve.counts);
  const histogramTop = frame.y(0) + 40;
  curve.binIndex.forEach((bin, i) => {
    const left = x(bin / bins);
    const barWidth = Math.max(1, x((bin + 1) / bins) - left - 1);
    const outcome = curve.probTrue[i];
    const confidence = curve.probPred[i];
    const label = `bin ${fixed(bin / bins, 2)}–${fixed((bin + 1) / bins, 2)}: ${count(curve.counts[i])} samples, mean score ${fixed(confidence)}, fraction positive ${fixed(outcome)}`;
    bars.appendChild(s('rect', {
      class: 'bin', 'data-bin': bin, 'data-count': curve.counts[i], 'data-prob-true': outcome, 'data-prob-pred': confidence,
      x: left, y: frame.y(outcome), width: barWidth, height: Math.max(0, frame.y(0) - frame.y(outcome)), fill: blue, 'fill-opacity': 0.55,
    }, s('title', { text: label })));
    // The gap between what the bin claimed and what happened.
    bars.appendChild(s('line', { class: 'gap', x1: x(confidence), x2: x(confidence), y1: frame.y(confidence), y2: frame.y(outcome), stroke: red, 'stroke-width': 2 }));
    bars.appendChild(s('circle', { cx: x(confidence), cy: frame.y(outcome), r: 3, fill: foreground }));
    const h2 = ((histogram - 12) * curve.counts[i]) / maxCount;
    bars.appendChild(s('rect', { class: 'bin-count', 'data-bin': bin, x: left, y: histogramTop + (histogram - 12) - h2, width: barWidth, height: h2, fill: muted }, s('title', { text: label })));
  });
  svg.appendChild(bars);
  svg.appendChild(s('line', { class: 'diagonal', x1: x(0), y1: frame.y(0), x2: x(1), y2: frame.y(1), stroke: muted, 'stroke-width': 1, 'stroke-dasharray': '4 4' }));
  svg.appendChild(s('text', { x: 4, y: 12, fill: muted, 'font-size': 11, text: 'fraction positive' }));
  svg.appendChild(s('text', { x: frame.left, y: histogramTop - 2, fill: muted, 'font-size': 10, text: 'samples per bin' }));
  return svg;
}

function card(label: string, value: string, title?: string): HTMLElement {
  return metricCard(label, value, title, 'data-calibration');
}

export function calibrationView(data: CalibrationData, warnings: PanelWarning[], width: number, selected: number, onSelect: (which: number) => void): HTMLElement {
  const which = selected < 0 && !data.topLabel ? 0 : Math.min(selected, data.perClass.length - 1);
  const options: { value: number; text: string }[] = [];
  if (data.topLabel) options.push({ value: -1, text: 'top label (highest probability)' });
  data.perClass.forEach((c, i) => options.push({ value: i, text: `'${String(c.label)}'${data.topLabel ? ' vs rest' : ''}` }));
  const select = h('select', { id: 'calibration-curve', 'aria-label': 'Reliability curve' },
    options.map((o) => h('option', { value: o.value, selected: o.value === which, text: o.text })));
  select.addEventListener('change', () => onSelect(Number(select.value)));
  const curve = curveOf(data, which);
  const top = data.topLabel;
  const t = data.temperature;
  const cards = h('div', { class: 'cards' });
  if (top) {
    cards.append(
      card('Top-label ECE', fixed(top.ece), 'Expected calibration error of the highest probability: Σ (bin count / n) · |mean confidence − accuracy|'),
      card('Top-label MCE', fixed(top.mce), 'Maximum calibration error: the largest gap of any non-empty bin'),
      card('Mean confidence', fixed(top.meanConfidence)),
      card('Accuracy (argmax)', fixed(top.accuracy)));
  }
  const perClass = h('table', { class: 'metrics calibration-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: data.perClass.length === 1 ? 'positive class' : 'class (one vs rest)' }), h('th', { scope: 'col', text: 'ECE' }), h('th', { scope: 'col', text: 'MCE' }), h('th', { scope: 'col', text: 'Brier' }))),
    h('tbody', {}, data.perClass.map((c) => h('tr', {},
      h('th', { scope: 'row', text: String(c.label) }),
      h('td', { 'data-col': 'ece', text: fixed(c.ece) }), h('td', { 'data-col': 'mce', text: fixed(c.mce) }), h('td', { 'data-col': 'brier', text: fixed(c.brier) })))));
  const temperature = t
    ? h('div', { class: 'temperature', 'data-temperature': t.temperature === null ? 'none' : String(t.temperature) },
      h('h3', { text: 'Temperature scaling (fitted on this data)' }),
      t.temperature === null
        ? h('p', { class: 'note', text: 'No finite temperature minimises the log loss on this file (it keeps falling as T goes to 0 or ∞).' })
        : h('div', { class: 'cards' },
          card('Temperature T', fixed(t.temperature, 3), 'Logits divided by T, T fitted by minimising the log loss on this file'),
          card('Top-label ECE before', fixed(top?.ece)),
          card('ECE after (fitted on this data)', fixed(t.eceAfter), 'Optimistic: T was fitted on the very rows it is measured on'),
          card('Log loss before → after', `${fixed(t.nllBefore)} → ${fixed(t.nllAfter)}`)),
      h('p', { class: 'note fitted-here', text: 'The temperature was fitted on the evaluated file itself, so the ECE after it is optimistic: fit T on a validation set and measure it on a test set to know what it really gives.' }))
    : null;
  return h('section', { class: 'calibration-section', 'aria-label': 'Calibration' },
    h('h2', { text: 'Calibration' }),
    h('p', { class: 'note', text: `${data.bins} uniform bins, right-closed (a score on an edge goes to the lower bin), as scikit-learn's calibration_curve; empty bins are not drawn. ECE = Σ (bin count / n) · |mean score − fraction positive|.` }),
    inlineWarnings(warnings, CALIBRATION_WARNING_CODES),
    cards,
    options.length > 1 ? h('div', {}, h('label', { for: 'calibration-curve', text: 'Reliability of ' }), select) : null,
    curve ? h('div', { class: 'chart' }, reliabilityDiagram(curve, data.bins, width, `Reliability diagram, ${options.find((o) => o.value === which)?.text ?? ''}`)) : null,
    perClass,
    temperature);
}
