// The confusion matrix as a heat map. Up to TABLE_LIMIT classes it is an HTML table: every number
// visible, readable by screen readers, each cell focusable. Past that it is one canvas (drawing 10,000
// or more DOM cells is what makes other tools slow): numbers appear once zoomed in far enough, and
// a tooltip gives any cell's values. The same drawing code writes the PNG export; the SVG export is
// built as text.
import { h, themeColor } from './dom';
import { count, percent } from './format';
import type { Normalisation } from './protocol';

export const TABLE_LIMIT = 30;
/** Canvas cells narrower than this show no number (the tooltip does). */
const NUMBERS_FROM_PX = 30;
const LABELS_FROM_PX = 10;
const MAX_CANVAS_PX = 16_000;

export interface MatrixModel {
  labels: string[];
  /** Rows are true classes, columns predicted. */
  counts: number[][];
}

export interface MatrixCell {
  truth: number;
  predicted: number;
}

/** Row-normalised (recall) or column-normalised (precision) values; a row or column with no samples gives zeros, as scikit-learn does. */
export function normalise(counts: number[][], mode: Normalisation): number[][] {
  if (mode === 'counts') return counts;
  if (mode === 'row') {
    return counts.map((row) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (total === 0 ? 0 : v / total));
    });
  }
  const totals = counts[0]?.map((_, c) => counts.reduce((sum, row) => sum + row[c], 0)) ?? [];
  return counts.map((row) => row.map((v, c) => (totals[c] === 0 ? 0 : v / totals[c])));
}

export function cellText(value: number, mode: Normalisation): string {
  return mode === 'counts' ? count(value) : percent(value, 1);
}

type Rgb = [number, number, number];

let probe: CanvasRenderingContext2D | null = null;
/** Any CSS colour as RGB, by letting a canvas normalise it. */
export function parseColor(css: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return [128, 128, 128];
  probe.fillStyle = '#808080';
  probe.fillStyle = css;
  const value = String(probe.fillStyle);
  if (value.startsWith('#')) return [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16)) as Rgb;
  const parts = value.match(/[\d.]+/g)?.map(Number) ?? [128, 128, 128];
  return [parts[0], parts[1], parts[2]];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const css = ([r, g, b]: Rgb) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

/** The theme's colours for the heat map: from the editor background to the charts' blue. */
export interface Palette {
  background: Rgb;
  foreground: Rgb;
  accent: Rgb;
  border: string;
  highContrast: boolean;
}

export function themePalette(): Palette {
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    background: parseColor(themeColor('--vscode-editor-background', '#1e1e1e')),
    foreground: parseColor(themeColor('--vscode-editor-foreground', '#cccccc')),
    accent: parseColor(themeColor('--vscode-charts-blue', '#3794ff')),
    border: themeColor('--vscode-contrastBorder', '') || themeColor('--vscode-panel-border', 'rgba(128,128,128,0.35)'),
    highContrast,
  };
}

/**
 * Where a value sits on the colour scale, 0..1. Counts use a log scale (a 9,776 diagonal would
 * otherwise wash out a 24 off the diagonal); shares are linear.
 */
export function scalePosition(value: number, max: number, mode: Normalisation): number {
  if (max <= 0 || value <= 0) return 0;
  return mode === 'counts' ? Math.log1p(value) / Math.log1p(max) : value / max;
}

export function cellColors(palette: Palette, t: number): { fill: string; text: string } {
  const mix = palette.background.map((b, i) => b + (palette.accent[i] - b) * Math.min(1, Math.max(0, t))) as Rgb;
  const onBackground = contrast(palette.foreground, mix);
  const onAccent = contrast(palette.background, mix);
  return { fill: css(mix), text: css(onBackground >= onAccent ? palette.foreground : palette.background) };
}

function maxOf(values: number[][]): number {
  let max = 0;
  for (const row of values) for (const v of row) if (v > max) max = v;
  return max;
}

function tooltipText(model: MatrixModel, cell: MatrixCell): string {
  const { truth, predicted } = cell;
  const value = model.counts[truth][predicted];
  const rowTotal = model.counts[truth].reduce((a, b) => a + b, 0);
  const columnTotal = model.counts.reduce((a, row) => a + row[predicted], 0);
  return `true ${model.labels[truth]} → predicted ${model.labels[predicted]}: ${count(value)} ` +
    `(${percent(rowTotal ? value / rowTotal : 0)} of true ${model.labels[truth]}, ${percent(columnTotal ? value / columnTotal : 0)} of predicted ${model.labels[predicted]})`;
}

export interface MatrixViewOptions {
  mode: Normalisation;
  zoom: number;
  selected: MatrixCell | null;
  onSelect(cell: MatrixCell): void;
  onZoom(zoom: number): void;
  /** A caption under the title, e.g. where the predictions came from. */
  caption: string;
}

/** The matrix with its legend, as a table or a canvas depending on the number of classes. */
export function renderMatrix(model: MatrixModel, options: MatrixViewOptions): HTMLElement {
  const palette = themePalette();
  const values = normalise(model.counts, options.mode);
  const max = options.mode === 'counts' ? maxOf(values) : 1;
  const body = model.labels.length <= TABLE_LIMIT ? matrixTable(model, values, max, palette, options) : matrixCanvas(model, values, max, palette, options);
  return h('div', { class: 'matrix-view' }, h('p', { class: 'caption', text: options.caption }), body, legend(max, palette, options.mode));
}

function legend(max: number, palette: Palette, mode: Normalisation): HTMLElement {
  const bar = h('div', { class: 'legend-bar', role: 'img', 'aria-label': `Colour scale from 0 to ${mode === 'counts' ? count(max) : '100%'}` });
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => cellColors(palette, t).fill);
  bar.style.backgroundImage = `linear-gradient(to right, ${stops.join(', ')})`;
  return h('div', { class: 'legend' },
    h('span', { text: '0' }), bar,
    h('span', { text: mode === 'counts' ? `${count(max)} (log scale)` : '100%' }));
}

function matrixTable(model: MatrixModel, values: number[][], max: number, palette: Palette, options: MatrixViewOptions): HTMLElement {
  const k = model.labels.length;
  const focus = options.selected ?? { truth: 0, predicted: 0 };
  const table = h('table', {
    class: 'matrix',
    role: 'grid',
    'aria-label': `Confusion matrix, ${options.mode === 'counts' ? 'counts' : options.mode === 'row' ? 'normalised by true class (recall)' : 'normalised by predicted class (precision)'}. Rows: true class; columns: predicted class. Arrow keys move, Enter lists the samples.`,
  });
  const head = h('tr', {}, h('th', { class: 'corner', scope: 'col', text: 'true ╲ predicted' }), model.labels.map((label) => h('th', { scope: 'col', class: 'col-label', title: label, text: label })));
  table.appendChild(h('thead', {}, head));
  const tbody = h('tbody');
  for (let t = 0; t < k; t++) {
    const row = h('tr', {}, h('th', { scope: 'row', class: 'row-label', title: model.labels[t], text: model.labels[t] }));
    for (let p = 0; p < k; p++) {
      const value = values[t][p];
      const colors = cellColors(palette, scalePosition(value, max, options.mode));
      const selected = options.selected?.truth === t && options.selected?.predicted === p;
      const cell = h('td', {
        class: `cell${t === p ? ' diagonal' : ''}${selected ? ' selected' : ''}`,
        role: 'gridcell',
        tabindex: focus.truth === t && focus.predicted === p ? 0 : -1,
        'data-truth': t,
        'data-predicted': p,
        title: tooltipText(model, { truth: t, predicted: p }),
        'aria-selected': selected ? 'true' : 'false',
      },
      h('span', { class: 'value', text: cellText(value, options.mode) }),
      options.mode === 'counts' ? null : h('span', { class: 'count', text: count(model.counts[t][p]) }));
      cell.style.backgroundColor = colors.fill;
      cell.style.color = colors.text;
      row.appendChild(cell);
    }
    tbody.appendChild(row);
  }
  table.appendChild(tbody);
  const cellAt = (t: number, p: number) => table.querySelector<HTMLTableCellElement>(`td[data-truth="${t}"][data-predicted="${p}"]`);
  table.addEventListener('click', (event) => {
    const cell = (event.target as Element).closest('td.cell') as HTMLElement | null;
    if (cell) options.onSelect({ truth: Number(cell.dataset.truth), predicted: Number(cell.dataset.predicted) });
  });
  table.addEventListener('keydown', (event) => {
    const cell = (event.target as Element).closest('td.cell') as HTMLElement | null;
    if (!cell) return;
    let t = Number(cell.dataset.truth);
    let p = Number(cell.dataset.predicted);
    switch (event.key) {
      case 'ArrowUp': t = Math.max(0, t - 1); break;
      case 'ArrowDown': t = Math.min(k - 1, t + 1); break;
      case 'ArrowLeft': p = Math.max(0, p - 1); break;
      case 'ArrowRight': p = Math.min(k - 1, p + 1); break;
      case 'Home': p = 0; break;
      case 'End': p = k - 1; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        options.onSelect({ truth: t, predicted: p });
        return;
      default:
        return;
    }
    event.preventDefault();
    const next = cellAt(t, p);
    if (!next) return;
    cell.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  return h('div', { class: 'matrix-scroll' }, table);
}

interface CanvasLayout {
  cell: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

function canvasLayout(k: number, zoom: number, labelWidth: number): CanvasLayout {
  const fit = Math.max(2, Math.floor(640 / k));
  const cell = Math.max(1, Math.min(Math.floor(fit * zoom), Math.floor(MAX_CANVAS_PX / k)));
  const withLabels = cell >= LABELS_FROM_PX;
  const left = withLabels ? labelWidth : 0;
  const top = withLabels ? Math.min(120, labelWidth * 0.75) : 0;
  return { cell, left, top, width: left + cell * k, height: top + cell * k };
}

/** Draws the matrix (with labels when the cells are big enough) onto a 2D context. */
export function drawMatrix(
  ctx: CanvasRenderingContext2D,
  model: MatrixModel,
  mode: Normalisation,
  layout: CanvasLayout,
  palette: Palette,
  focused: MatrixCell | null,
): void {
  const values = normalise(model.counts, mode);
  const max = mode === 'counts' ? maxOf(values) : 1;
  const k = model.labels.length;
  const { cell, left, top } = layout;
  ctx.fillStyle = css(palette.background);
  ctx.fillRect(0, 0, layout.width, layout.height);
  const font = Math.max(9, Math.min(13, Math.floor(cell / 3.2)));
  ctx.font = `${font}px ${themeFont()}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const colors = cellColors(palette, scalePosition(values[t][p], max, mode));
      ctx.fillStyle = colors.fill;
      ctx.fillRect(left + p * cell, top + t * cell, cell, cell);
      if (cell >= NUMBERS_FROM_PX) {
        ctx.fillStyle = colors.text;
        ctx.fillText(cellText(values[t][p], mode), left + (p + 0.5) * cell, top + (t + 0.5) * cell, cell - 2);
      }
    }
  }
  if (palette.highContrast && cell >= 6) {
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = 1;
    for (let i = 0; i <= k; i++) {
      ctx.beginPath();
      ctx.moveTo(left + i * cell + 0.5, top);
      ctx.lineTo(left + i * cell + 0.5, top + k * cell);
      ctx.moveTo(left, top + i * cell + 0.5);
      ctx.lineTo(left + k * cell, top + i * cell + 0.5);
      ctx.stroke();
    }
  }
  if (left > 0) {
    ctx.fillStyle = css(palette.foreground);
    ctx.font = `${Math.min(12, cell - 1)}px ${themeFont()}`;
    ctx.textAlign = 'right';
    for (let t = 0; t < k; t++) ctx.fillText(model.labels[t], left - 4, top + (t + 0.5) * cell, left - 6);
    ctx.textAlign = 'left';
    for (let p = 0; p < k; p++) {
      ctx.save();
      ctx.translate(left + (p + 0.5) * cell, top - 4);
      ctx.rotate(-Math.PI / 3);
      ctx.fillText(model.labels[p], 0, 0, top * 1.1);
      ctx.restore();
    }
  }
  if (focused) {
    ctx.strokeStyle = themeColor('--vscode-focusBorder', '#007fd4');
    ctx.lineWidth = 2;
    ctx.strokeRect(left + focused.predicted * cell + 1, top + focused.truth * cell + 1, Math.max(1, cell - 2), Math.max(1, cell - 2));
  }
}

function themeFont(): string {
  return themeColor('--vscode-font-family', 'sans-serif');
}

function labelWidthFor(labels: string[]): number {
  const longest = labels.reduce((a, l) => Math.max(a, l.length), 0);
  return Math.min(160, Math.max(40, longest * 7 + 8));
}

function matrixCanvas(model: MatrixModel, _values: number[][], _max: number, palette: Palette, options: MatrixViewOptions): HTMLElement {
  const k = model.labels.length;
  const layout = canvasLayout(k, options.zoom, labelWidthFor(model.labels));
  const canvas = h('canvas', {
    class: 'matrix-canvas',
    tabindex: 0,
    role: 'img',
    'aria-label': `Confusion matrix of ${k} classes. Arrow keys move between cells, Enter lists the samples, plus and minus zoom.`,
  });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(layout.width * ratio);
  canvas.height = Math.round(layout.height * ratio);
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
  let focused: MatrixCell = options.selected ?? { truth: 0, predicted: 0 };
  let showFocus = options.selected !== null;
  const tooltip = h('div', { class: 'tooltip', role: 'status', hidden: true });
  const redraw = () => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawMatrix(ctx, model, options.mode, layout, palette, showFocus ? focused : null);
  };
  redraw();
  const cellAt = (event: MouseEvent): MatrixCell | null => {
    const rect = canvas.getBoundingClientRect();
    const p = Math.floor((event.clientX - rect.left - layout.left) / layout.cell);
    const t = Math.floor((event.clientY - rect.top - layout.top) / layout.cell);
    return t >= 0 && t < k && p >= 0 && p < k ? { truth: t, predicted: p } : null;
  };
  const showTooltip = (cell: MatrixCell, x: number, y: number) => {
    tooltip.textContent = tooltipText(model, cell);
    tooltip.hidden = false;
    tooltip.style.left = `${x + 12}px`;
    tooltip.style.top = `${y + 12}px`;
  };
  canvas.addEventListener('mousemove', (event) => {
    const cell = cellAt(event);
    if (!cell) { tooltip.hidden = true; return; }
    showTooltip(cell, event.offsetX, event.offsetY);
  });
  canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  canvas.addEventListener('click', (event) => {
    const cell = cellAt(event);
    if (cell) options.onSelect(cell);
  });
  canvas.addEventListener('wheel', (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    options.onZoom(event.deltaY < 0 ? options.zoom * 1.5 : options.zoom / 1.5);
  }, { passive: false });
  canvas.addEventListener('keydown', (event) => {
    const { truth, predicted } = focused;
    let next: MatrixCell | null = null;
    switch (event.key) {
      case 'ArrowUp': next = { truth: Math.max(0, truth - 1), predicted }; break;
      case 'ArrowDown': next = { truth: Math.min(k - 1, truth + 1), predicted }; break;
      case 'ArrowLeft': next = { truth, predicted: Math.max(0, predicted - 1) }; break;
      case 'ArrowRight': next = { truth, predicted: Math.min(k - 1, predicted + 1) }; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        options.onSelect(focused);
        return;
      case '+':
      case '=':
        options.onZoom(options.zoom * 1.5);
        return;
      case '-':
        options.onZoom(options.zoom / 1.5);
        return;
      default:
        return;
    }
    event.preventDefault();
    focused = next;
    showFocus = true;
    redraw();
    showTooltip(focused, layout.left + (focused.predicted + 1) * layout.cell, layout.top + (focused.truth + 1) * layout.cell);
  });
  const zoomBar = h('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom' },
    h('button', { type: 'button', 'data-zoom': 'out', title: 'Zoom out (−)', text: '−' }),
    h('span', { class: 'zoom-level', text: `${Math.round(options.zoom * 100)}%` }),
    h('button', { type: 'button', 'data-zoom': 'in', title: 'Zoom in (+)', text: '+' }),
    h('button', { type: 'button', 'data-zoom': 'fit', title: 'Fit', text: 'Fit' }),
    h('span', { class: 'hint', text: layout.cell < NUMBERS_FROM_PX ? 'Zoom in to read the numbers, or hover a cell.' : '' }));
  zoomBar.addEventListener('click', (event) => {
    const which = (event.target as HTMLElement).dataset.zoom;
    if (which === 'in') options.onZoom(options.zoom * 1.5);
    else if (which === 'out') options.onZoom(options.zoom / 1.5);
    else if (which === 'fit') options.onZoom(1);
  });
  const scroller = h('div', { class: 'matrix-scroll canvas' }, canvas, tooltip);
  return h('div', {}, zoomBar, scroller);
}

/** The matrix as a PNG data URL, labels and numbers included, at a size where both are legible. */
export function matrixPng(model: MatrixModel, mode: Normalisation): string {
  const k = model.labels.length;
  const palette = themePalette();
  const labelWidth = labelWidthFor(model.labels);
  const cell = Math.max(LABELS_FROM_PX, Math.min(80, Math.floor(4000 / k)));
  const layout: CanvasLayout = { cell, left: labelWidth, top: Math.min(120, labelWidth * 0.75), width: 0, height: 0 };
  layout.width = layout.left + cell * k + 8;
  layout.height = layout.top + cell * k + 8;
  const canvas = document.createElement('canvas');
  canvas.width = layout.width;
  canvas.height = layout.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  drawMatrix(ctx, model, mode, layout, palette, null);
  return canvas.toDataURL('image/png');
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The matrix as a standalone SVG document. */
export function matrixSvg(model: MatrixModel, mode: Normalisation): string {
  const k = model.labels.length;
  const palette = themePalette();
  const values = normalise(model.counts, mode);
  const max = mode === 'counts' ? maxOf(values) : 1;
  const cell = Math.max(12, Math.min(64, Math.floor(3000 / k)));
  const left = labelWidthFor(model.labels);
  const top = Math.min(120, left * 0.75);
  const width = left + cell * k + 8;
  const height = top + cell * k + 8;
  const font = Math.max(8, Math.min(13, Math.floor(cell / 3.2)));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="${css(palette.background)}"/>`,
  ];
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const colors = cellColors(palette, scalePosition(values[t][p], max, mode));
      const x = left + p * cell;
      const y = top + t * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${colors.fill}"><title>${xml(tooltipText(model, { truth: t, predicted: p }))}</title></rect>`);
      if (cell >= 24) parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" font-size="${font}" text-anchor="middle" dominant-baseline="central" fill="${colors.text}">${xml(cellText(values[t][p], mode))}</text>`);
    }
  }
  const fg = css(palette.foreground);
  const labelSize = Math.min(12, cell - 1);
  for (let t = 0; t < k; t++) parts.push(`<text x="${left - 4}" y="${top + (t + 0.5) * cell}" font-size="${labelSize}" text-anchor="end" dominant-baseline="central" fill="${fg}">${xml(model.labels[t])}</text>`);
  for (let p = 0; p < k; p++) parts.push(`<text transform="translate(${left + (p + 0.5) * cell} ${top - 4}) rotate(-60)" font-size="${labelSize}" fill="${fg}">${xml(model.labels[p])}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
