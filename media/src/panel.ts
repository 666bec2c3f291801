// The "Evaluate model" panel: renders one evaluated file (or two, compared) from the data the
// extension host posts, keeps its view in the webview state, and asks the host for everything that
// touches files (opening a row, exporting, evaluating again).
import 'uplot/dist/uPlot.min.css';
import './panel.css';
import { calibrationView, defaultCurve, type CalibrationData } from './calibration';
import { curveChart, overlayChart, residualChart, type CurveChart, type Point } from './charts';
import { h, themeColor } from './dom';
import { basename, count, fixed, isNumber, milliseconds, score } from './format';
import { matrixPng, matrixSvg, renderMatrix, type MatrixCell, type MatrixModel } from './matrix';
import type { HostMessage, Normalisation, PanelMessage, PanelRun, PanelState, ShapeCheckView, ViewState } from './protocol';
import { lengthBucketsView, type LengthBucketsData } from './sequence-lengths';
import { taggingView } from './tagging';
import { card } from './widgets';

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Label = string | number;
interface ClassRow { label: Label; precision: number; recall: number; f1: number; support: number }
interface Averages { precision: number; recall: number; f1: number }
interface Curves {
  roc: { label: Label; fpr: number[]; tpr: number[]; thresholds: number[] }[];
  pr: { label: Label; precision: number[]; recall: number[]; thresholds: number[] }[];
}
/** The keys of `seqlens eval --format json` for a classification. */
interface ClassificationReport {
  labels: Label[];
  confusionMatrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  mcc: number;
  kappa: number;
  perClass: ClassRow[];
  macro: Averages;
  micro: Averages;
  weighted: Averages;
  threshold?: number | null;
  rocAuc?: number;
  averagePrecision?: number;
  logLoss?: number;
  curves?: Curves;
  calibration?: CalibrationData;
  lengthBuckets?: LengthBucketsData;
}
interface RegressionReport { mse: number; mae: number; rmse: number; r2: number; lengthBuckets?: LengthBucketsData }
interface LanguageModelReport { crossEntropy: number; perplexity: number; sequences?: number; lengthBuckets?: LengthBucketsData }

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const status = document.getElementById('status')!;

function defaultView(): ViewState {
  return { normalisation: 'counts', sweepIndex: null, zoom: 1, selected: null, tab: 0, curveClass: 0, calibrationCurve: null };
}

function restoredState(): PanelState {
  const saved = vscode.getState() as Partial<PanelState> | undefined;
  if (saved && Array.isArray(saved.runs) && saved.view && typeof saved.view === 'object') {
    return { runs: saved.runs, view: { ...defaultView(), ...saved.view }, shapeCheck: saved.shapeCheck ?? null };
  }
  return { runs: [], view: defaultView() };
}

let state = restoredState();
let charts: CurveChart[] = [];
let saveTimer: number | undefined;

/** setState sends the whole state to the host: debounced, so a dragged slider does not send it 60 times a second. */
function saveState(): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => vscode.setState(state), 250);
}

function post(message: PanelMessage): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as HostMessage;
  if (!message || typeof message !== 'object') return;
  switch (message.type) {
    case 'show': {
      const started = performance.now();
      state = { runs: message.runs, view: { ...defaultView(), normalisation: state.view.normalisation, tab: message.runs.length > 1 ? 'compare' : 0 }, shapeCheck: message.shapeCheck ?? null };
      setStatus('');
      let failure: string | undefined;
      try {
        state.view.sweepIndex = initialSweepIndex(state.runs[0]);
        render();
      } catch (error) {
        // The host waits for this result's report: a result the panel cannot draw is said, not left pending.
        failure = error instanceof Error ? error.message : String(error);
        setStatus(`The panel could not draw this result: ${failure}`, 'error');
      }
      vscode.setState(state);
      reportRendered(state.runs.length, started, failure);
      break;
    }
    case 'busy':
      setStatus(message.text, 'busy');
      break;
    case 'error':
      setStatus(message.message, 'error');
      break;
  }
});

/** How long the panel waits for an animation frame before it reports a render no frame followed. */
const NO_FRAME_MS = 1000;

/**
 * Tells the host the result is drawn: after the next paint, or at once when the document is hidden,
 * or after NO_FRAME_MS when no frame comes. A webview is a cross-origin frame: while it is not
 * displayed or lies off-screen (behind the editor's own layout, before its first placement) the
 * browser runs no animation frames in it, even though its document still says it is 'visible'; a
 * hidden document runs none until it is shown. Waiting for a paint there would hold the command's
 * result for as long as the panel is not on screen; the DOM is built either way.
 */
function reportRendered(runs: number, started: number, error: string | undefined): void {
  let sent = false;
  let timer: number | undefined;
  const send = (painted: boolean) => {
    if (sent) return;
    sent = true;
    window.clearTimeout(timer);
    post({ type: 'rendered', runs, ms: performance.now() - started, painted, ...(error === undefined ? {} : { error: error.slice(0, 500) }) });
  };
  if (document.visibilityState === 'hidden') {
    send(false);
    return;
  }
  timer = window.setTimeout(() => send(false), NO_FRAME_MS);
  requestAnimationFrame(() => requestAnimationFrame(() => send(true)));
}

function setStatus(text: string, kind: 'busy' | 'error' | '' = ''): void {
  status.textContent = text;
  status.className = kind ? `status ${kind}` : 'status';
  status.hidden = text === '';
}

/** Where the slider starts: on the threshold that made the predictions, or null when they came from the file. */
function initialSweepIndex(run: PanelRun | undefined): number | null {
  if (!run?.sweep) return null;
  const threshold = (run.report as Partial<ClassificationReport>).threshold;
  return isNumber(threshold) ? sweepIndexAt(run.sweep.thresholds, threshold) : null;
}

/** The last point whose threshold is >= t (point 0 predicts nothing positive and is always >= t). */
function sweepIndexAt(thresholds: number[], t: number): number {
  let lo = 1;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function render(): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  root.replaceChildren();
  if (state.shapeCheck) root.appendChild(shapeCheckView(state.shapeCheck));
  if (state.runs.length === 0) {
    if (!state.shapeCheck) root.appendChild(h('p', { class: 'empty', text: 'Run "SeqLens: Evaluate Model" to evaluate a predictions file.' }));
    return;
  }
  if (state.runs.length > 1) root.appendChild(tabBar());
  if (state.view.tab === 'compare' && state.runs.length > 1) root.appendChild(compareView());
  else root.appendChild(runView(typeof state.view.tab === 'number' ? Math.min(state.view.tab, state.runs.length - 1) : 0));
}

function tabBar(): HTMLElement {
  const tabs: { id: number | 'compare'; label: string }[] = [
    ...state.runs.map((run, i) => ({ id: i, label: `${i === 0 ? 'A' : 'B'}: ${basename(run.source.path)}` })),
    { id: 'compare', label: 'Side by side' },
  ];
  const bar = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Runs' });
  tabs.forEach((tab) => {
    const selected = state.view.tab === tab.id;
    const button = h('button', { type: 'button', role: 'tab', 'aria-selected': selected ? 'true' : 'false', tabindex: selected ? 0 : -1, text: tab.label });
    button.addEventListener('click', () => { state.view.tab = tab.id; state.view.selected = null; saveState(); render(); });
    bar.appendChild(button);
  });
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const buttons = [...bar.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(at + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
    next.focus();
    next.click();
  });
  const close = h('button', { type: 'button', class: 'link', text: 'Stop comparing' });
  close.addEventListener('click', () => post({ type: 'closeCompare' }));
  bar.appendChild(close);
  return bar;
}

function header(run: PanelRun, index: number): HTMLElement {
  const columns = Object.entries(run.source.columns)
    .map(([role, name]) => `${role}=${Array.isArray(name) ? name.join(',') : name}`)
    .join('  ');
  const unit = run.task === 'language-model' || run.task === 'sequence-labelling' ? 'tokens' : 'rows';
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' });
  const button = (label: string, title: string, action: () => void, id: string) => {
    const b = h('button', { type: 'button', title, 'data-action': id, text: label });
    b.addEventListener('click', action);
    toolbar.appendChild(b);
  };
  button('Evaluate again', 'Evaluate this file again (after it changed)', () => post({ type: 'evaluateAgain', run: index }), 'again');
  if (state.runs.length === 1) button('Compare with…', 'Evaluate a second file (e.g. the training set, or another model) beside this one', () => post({ type: 'compare' }), 'compare');
  if (run.task === 'classification') {
    button('Matrix PNG', 'Save the confusion matrix as a PNG image', () => exportMatrix(run, 'png'), 'png');
    button('Matrix SVG', 'Save the confusion matrix as an SVG image', () => exportMatrix(run, 'svg'), 'svg');
  }
  button('Markdown', 'Save the report as Markdown', () => post({ type: 'exportReport', run: index, format: 'markdown' }), 'markdown');
  button('CSV', 'Save the metrics as CSV', () => post({ type: 'exportReport', run: index, format: 'csv' }), 'csv');
  button('JSON', 'Save the report as JSON (as seqlens eval --format json)', () => post({ type: 'exportReport', run: index, format: 'json' }), 'json');
  // A model run (seqlens eval --model) says which model produced the predictions.
  const model = (run as PanelRun & { model?: { name?: unknown; format?: unknown; totalParams?: unknown; path?: unknown } }).model;
  return h('header', {},
    h('h1', {}, 'Evaluation of ', h('span', { class: 'file', title: run.source.path, text: basename(run.source.path) })),
    model && typeof model.name === 'string'
      ? h('p', { class: 'meta', 'data-meta': 'model' }, 'model ', h('b', { text: model.name }),
        ` (${String(model.format ?? '')}${isNumber(model.totalParams) ? `, ${count(model.totalParams)} parameters` : ''}) from ${basename(String(model.path ?? ''))}, run by TensorFlow.js`)
      : null,
    h('p', { class: 'meta' },
      h('span', { 'data-meta': 'task', text: run.task }), ' · ',
      h('span', { 'data-meta': 'n', text: `${count(run.n)} ${unit}` }), ' · ',
      h('span', { text: `${run.source.format.toUpperCase()}` }), ' · ',
      run.backend ? h('span', {}, 'backend ', h('b', { 'data-meta': 'backend', text: run.backend }), ' · ') : null,
      h('span', { 'data-meta': 'time', text: milliseconds(run.source.elapsedMs) }),
      columns ? h('span', { class: 'columns', text: ` · columns ${columns}` }) : null),
    toolbar);
}

/** "SeqLens: Verify Shapes": each step of forward, its statically inferred shape beside the real one. */
function shapeCheckView(check: ShapeCheckView): HTMLElement {
  const verdict = check.mismatches === 0
    ? 'Every inferred shape matches the real one.'
    : `${count(check.mismatches)} inferred shape${check.mismatches === 1 ? '' : 's'} differ${check.mismatches === 1 ? 's' : ''} from the real one${check.mismatches === 1 ? '' : 's'}.`;
  return h('section', { class: 'shape-check', 'aria-label': 'Shape check' },
    h('h1', {}, 'Shape check of ', h('span', { class: 'file', title: check.path, text: check.className })),
    h('p', { class: 'meta', text: `${basename(check.path)}: one forward pass in TensorFlow.js with random weights on a dummy batch of ${check.batch} sequences of length ${check.length}, input (${check.inputShape.join(', ')}); B = ${check.batch}, T = ${check.length}.` }),
    h('table', { class: 'metrics shape-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'line' }),
        h('th', { scope: 'col', text: 'layer' }),
        h('th', { scope: 'col', text: 'type' }),
        h('th', { scope: 'col', text: 'inferred' }),
        h('th', { scope: 'col', text: 'real' }),
        h('th', { scope: 'col', text: '' }))),
      h('tbody', {}, check.rows.map((row) => h('tr', { class: row.match ? 'shape-row' : 'shape-row mismatch', 'data-match': row.match ? 'true' : 'false' },
        h('td', { class: 'num', text: String(row.line) }),
        h('th', { scope: 'row', class: 'layer', text: row.layer }),
        h('td', { class: 'kind', text: row.kind }),
        h('td', { class: 'inferred', title: row.inferredFrom === 'analysis' ? 'as the static analysis infers it' : 'from the layer sizes', text: row.inferred }),
        h('td', { class: 'real', text: row.real }),
        h('td', { class: 'verdict', text: row.match ? 'ok' : 'mismatch' }))))),
    h('p', { class: check.mismatches === 0 ? 'note shape-verdict' : 'note shape-verdict mismatch', text: verdict }));
}

interface SummaryLayer { name: string; kind: string; outputShape: string; params?: number }

/** The layers of a model run, Keras `summary()` style; null when the run has none. */
function modelSummaryView(run: PanelRun): HTMLElement | null {
  const model = (run as PanelRun & { model?: { name?: unknown; layers?: unknown; totalParams?: unknown } }).model;
  if (!model || !Array.isArray(model.layers)) return null;
  const layers = model.layers.filter((l): l is SummaryLayer => typeof l === 'object' && l !== null && typeof (l as SummaryLayer).name === 'string' && typeof (l as SummaryLayer).outputShape === 'string');
  if (layers.length === 0) return null;
  const withParams = layers.some((l) => isNumber(l.params));
  return h('section', { class: 'model-summary', 'aria-label': 'Model summary' },
    h('h2', { text: `Model: "${String(model.name ?? '')}"` }),
    h('table', { class: 'metrics summary-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Layer (type)' }),
        h('th', { scope: 'col', text: 'Output Shape' }),
        withParams ? h('th', { scope: 'col', text: 'Param #' }) : null)),
      h('tbody', {}, layers.map((l) => h('tr', { class: 'summary-row' },
        h('th', { scope: 'row', class: 'layer', text: typeof l.kind === 'string' && l.kind !== '' ? `${l.name} (${l.kind})` : l.name }),
        h('td', { class: 'shape', text: l.outputShape }),
        withParams ? h('td', { class: 'params', text: isNumber(l.params) ? count(l.params) : '' }) : null)))),
    isNumber(model.totalParams) ? h('p', { class: 'note', 'data-meta': 'total-params', text: `Total params: ${count(model.totalParams)}` }) : null);
}

function warningsView(run: PanelRun): HTMLElement | null {
  if (run.warnings.length === 0) return h('p', { class: 'no-warnings', text: 'No warnings.' });
  return h('section', { class: 'warnings', 'aria-label': 'Warnings' },
    run.warnings.map((w) => h('div', { class: 'warning', 'data-code': w.code, role: 'note' },
      h('div', { class: 'warning-title' }, h('span', { class: 'code', text: w.code }), ' ', h('strong', { text: w.name })),
      h('p', { class: 'warning-message', text: w.message }),
      w.why ? h('p', { class: 'why' }, h('b', { text: 'Why it matters: ' }), w.why) : null,
      w.tryThis ? h('p', { class: 'try' }, h('b', { text: 'What to try: ' }), w.tryThis) : null)));
}


function runView(index: number): HTMLElement {
  const run = state.runs[index];
  const section = h('div', { class: 'run' }, header(run, index), modelSummaryView(run), warningsView(run));
  if (run.task === 'classification') section.appendChild(classificationView(run, index));
  else if (run.task === 'regression') section.appendChild(regressionView(run));
  else if (run.task === 'sequence-labelling') {
    section.appendChild(taggingView(run, {
      normalisation: state.view.normalisation,
      selected: state.view.selected,
      onSelect: (cell) => { state.view.selected = cell; saveState(); },
      onOpenLine: (line) => post({ type: 'openLine', run: index, line }),
    }));
  } else {
    const report = run.report as unknown as LanguageModelReport;
    section.appendChild(h('div', { class: 'cards' },
      card('Perplexity', fixed(report.perplexity, 3), 'Corpus perplexity: exp(total NLL / total tokens), not a mean of per-sequence perplexities'),
      card('Cross-entropy', `${fixed(report.crossEntropy, 4)} nats/token`, 'Mean negative log-likelihood per token, natural log')));
    section.appendChild(h('p', { class: 'note', text: 'Perplexity is the corpus perplexity, exp(total negative log-likelihood / total tokens); Hugging Face evaluate\'s mean_perplexity averages per-sequence perplexities instead.' }));
    if (report.lengthBuckets) section.appendChild(lengthBucketsView(report.lengthBuckets, run.warnings, chartWidth(1)));
  }
  return section;
}

function regressionView(run: PanelRun): HTMLElement {
  const report = run.report as unknown as RegressionReport;
  const section = h('div', {}, h('div', { class: 'cards' },
    card('MSE', fixed(report.mse, 4)), card('RMSE', fixed(report.rmse, 4)), card('MAE', fixed(report.mae, 4)), card('R²', fixed(report.r2, 4))));
  const residuals = run.residuals;
  if (residuals && residuals.rows.length > 0) {
    const chart = residualChart(residuals.predicted, residuals.truth, chartWidth(1));
    charts.push(chart);
    section.appendChild(h('section', { class: 'plot' },
      h('h2', { text: 'Residual plot' }),
      chart.element,
      h('p', { class: 'note', text: residuals.sampled
        ? `${count(residuals.rows.length)} of ${count(residuals.total)} rows: an even sample through the file plus the largest residuals. Drag to zoom, double-click to reset.`
        : `All ${count(residuals.total)} rows. Drag to zoom, double-click to reset.` })));
  }
  if (report.lengthBuckets) section.appendChild(lengthBucketsView(report.lengthBuckets, run.warnings, chartWidth(1)));
  return section;
}

function chartWidth(columns: number): number {
  const available = Math.max(280, root.clientWidth - 40);
  return Math.min(520, Math.floor(available / columns) - 16);
}

/** The matrix now shown: the evaluated predictions, or the slider's threshold applied to the sweep. */
function currentMatrix(run: PanelRun): { model: MatrixModel; caption: string; fromSweep: boolean } {
  const report = run.report as unknown as ClassificationReport;
  const labels = report.labels.map(String);
  const sweep = run.sweep;
  const index = state.view.sweepIndex;
  if (sweep && index !== null && labels.length === 2) {
    const positive = labels.indexOf(String(sweep.positiveLabel));
    const negative = 1 - positive;
    const tp = sweep.tp[index];
    const fp = sweep.fp[index];
    const counts = [[0, 0], [0, 0]];
    counts[positive][positive] = tp;
    counts[negative][positive] = fp;
    counts[positive][negative] = sweep.positives - tp;
    counts[negative][negative] = sweep.negatives - fp;
    const caption = index === 0
      ? `Predicting '${labels[positive]}' for no row (threshold above every score).`
      : `Predicting '${labels[positive]}' when ${run.source.columns.score ?? 'the score'} ≥ ${score(sweep.thresholds[index])}.`;
    return { model: { labels, counts }, caption, fromSweep: true };
  }
  const caption = run.source.columns.pred
    ? `Predictions from the file's '${run.source.columns.pred}' column.`
    : isNumber(report.threshold) ? `Predictions at score ≥ ${score(report.threshold)}.` : 'Predictions from the highest class score.';
  return { model: { labels, counts: report.confusionMatrix }, caption, fromSweep: false };
}

function classificationView(run: PanelRun, index: number): HTMLElement {
  const report = run.report as unknown as ClassificationReport;
  const container = h('div', {});
  const cards = h('div', { class: 'cards' },
    card('Accuracy', fixed(report.accuracy)),
    card('Balanced accuracy', fixed(report.balancedAccuracy), 'Mean recall over the classes present in the true labels'),
    card('Macro F1', fixed(report.macro.f1)),
    card('MCC', fixed(report.mcc), 'Matthews correlation coefficient'),
    card("Cohen's κ", fixed(report.kappa)));
  if (report.curves) {
    cards.appendChild(card(report.curves.roc.length > 1 ? 'ROC AUC (macro)' : 'ROC AUC', fixed(report.rocAuc)));
    cards.appendChild(card(report.curves.pr.length > 1 ? 'Average precision (macro)' : 'Average precision', fixed(report.averagePrecision)));
    cards.appendChild(card('Log loss', fixed(report.logLoss)));
  }
  container.appendChild(cards);

  const matrixHost = h('div', { class: 'matrix-host' });
  const samplesHost = h('div', { class: 'samples-host' });
  const drawMatrix = () => {
    const { model, caption, fromSweep } = currentMatrix(run);
    matrixHost.replaceChildren(renderMatrix(model, {
      mode: state.view.normalisation,
      zoom: state.view.zoom,
      selected: state.view.selected,
      caption,
      onSelect: (cell) => {
        state.view.selected = cell;
        saveState();
        drawMatrix();
        samplesHost.replaceChildren(samplesView(run, index, cell, fromSweep));
        samplesHost.querySelector<HTMLElement>('h3')?.focus();
      },
      onZoom: (zoom) => {
        state.view.zoom = Math.min(16, Math.max(0.25, zoom));
        saveState();
        drawMatrix();
        matrixHost.querySelector<HTMLElement>('canvas')?.focus();
      },
    }));
  };
  const normalisations: [Normalisation, string][] = [['counts', 'Counts'], ['row', 'Normalised by true class (recall)'], ['column', 'Normalised by predicted class (precision)']];
  const toggle = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Matrix values' });
  for (const [mode, label] of normalisations) {
    const id = `norm-${mode}`;
    const input = h('input', { type: 'radio', name: 'normalisation', id, value: mode, checked: state.view.normalisation === mode });
    input.addEventListener('change', () => {
      state.view.normalisation = mode;
      saveState();
      drawMatrix();
    });
    toggle.appendChild(h('label', { for: id }, input, ` ${label}`));
  }
  container.appendChild(h('section', { class: 'matrix-section' },
    h('h2', { text: 'Confusion matrix' }),
    h('p', { class: 'note', text: 'Rows are the true classes, columns the predicted ones. Click a cell (or focus it and press Enter) to list its samples.' }),
    toggle, matrixHost, samplesHost));
  drawMatrix();
  if (state.view.selected && state.view.selected.truth < report.labels.length && state.view.selected.predicted < report.labels.length) {
    samplesHost.appendChild(samplesView(run, index, state.view.selected, currentMatrix(run).fromSweep));
  }

  const perClassHost = h('div', { class: 'per-class-host' });
  const drawPerClass = () => perClassHost.replaceChildren(perClassTable(run));
  if (run.sweep) container.appendChild(thresholdView(run, () => { drawMatrix(); drawPerClass(); }));
  else if (report.curves && report.curves.roc.length > 0) container.appendChild(multiclassCurves(report));
  drawPerClass();
  container.appendChild(perClassHost);
  if (report.calibration) container.appendChild(calibrationSection(report.calibration, run));
  if (report.lengthBuckets) container.appendChild(lengthBucketsView(report.lengthBuckets, run.warnings, chartWidth(1)));
  return container;
}

function thresholdView(run: PanelRun, redrawMatrix: () => void): HTMLElement {
  const sweep = run.sweep!;
  const report = run.report as unknown as ClassificationReport;
  const last = sweep.thresholds.length - 1;
  const start = state.view.sweepIndex ?? sweepIndexAt(sweep.thresholds, 0.5);
  const slider = h('input', {
    type: 'range', id: 'threshold', min: 0, max: last, step: 1, value: start,
    'aria-label': 'Decision threshold: predict the positive class when the score is at least this',
  });
  const readout = h('div', { class: 'readout', 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', class: 'link', text: "Show the file's predictions" });
  const pointAt = (index: number) => {
    const tp = sweep.tp[index];
    const fp = sweep.fp[index];
    const fn = sweep.positives - tp;
    const tn = sweep.negatives - fp;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = sweep.positives === 0 ? 0 : tp / sweep.positives;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { tp, fp, fn, tn, precision, recall, f1, accuracy: (tp + tn) / Math.max(1, sweep.positives + sweep.negatives) };
  };
  const current = () => Number(slider.value);
  const marker = (kind: 'roc' | 'pr'): Point | null => {
    const p = pointAt(current());
    return kind === 'roc' ? { x: sweep.negatives ? p.fp / sweep.negatives : NaN, y: sweep.positives ? p.tp / sweep.positives : NaN } : { x: p.recall, y: p.precision };
  };
  const update = () => {
    const index = current();
    const p = pointAt(index);
    const threshold = index === 0 ? 'above every score' : `≥ ${score(sweep.thresholds[index])}`;
    readout.replaceChildren(
      h('div', { class: 'threshold-value' }, 'Threshold ', h('b', { 'data-readout': 'threshold', text: threshold })),
      h('div', { class: 'cards' },
        card('Precision', fixed(p.precision)), card('Recall', fixed(p.recall)), card('F1', fixed(p.f1)), card('Accuracy at threshold', fixed(p.accuracy))),
      h('p', { class: 'counts', 'data-readout': 'counts', text: `TP ${count(p.tp)} · FP ${count(p.fp)} · FN ${count(p.fn)} · TN ${count(p.tn)} (positive class '${String(sweep.positiveLabel)}')` }));
    reset.hidden = state.view.sweepIndex === null || isNumber(report.threshold);
    for (const chart of curveCharts) chart.refresh();
  };
  slider.addEventListener('input', () => {
    state.view.sweepIndex = current();
    saveState();
    update();
    redrawMatrix();
  });
  reset.addEventListener('click', () => {
    state.view.sweepIndex = null;
    saveState();
    update();
    redrawMatrix();
  });
  const width = chartWidth(2);
  const roc = report.curves?.roc[0];
  const pr = report.curves?.pr[0];
  const curveCharts: CurveChart[] = [];
  if (roc) curveCharts.push(curveChart({ title: `ROC curve · AUC ${fixed(report.rocAuc)}`, xLabel: 'false positive rate', yLabel: 'true positive rate', xs: roc.fpr, ys: roc.tpr, width, diagonal: true, marker: () => marker('roc') }));
  if (pr) curveCharts.push(curveChart({ title: `Precision-recall curve · AP ${fixed(report.averagePrecision)}`, xLabel: 'recall', yLabel: 'precision', xs: [...pr.recall].reverse(), ys: [...pr.precision].reverse(), width, marker: () => marker('pr') }));
  charts.push(...curveCharts);
  update();
  const thinned = sweep.distinct > last;
  return h('section', { class: 'threshold-section' },
    h('h2', { text: 'Threshold' }),
    h('p', { class: 'note', text: `Predict '${String(sweep.positiveLabel)}' when ${run.source.columns.score ?? 'the score'} is at least the threshold. Every value is exact, counted from the ${thinned ? `${count(last)} of ${count(sweep.distinct)} distinct scores the panel keeps (evenly spaced)` : `${count(sweep.distinct)} distinct scores`}. Arrow keys move one step, Page Up and Page Down ten.` }),
    h('div', { class: 'slider-row' }, h('label', { for: 'threshold', text: 'higher recall' }), slider, h('span', { text: 'higher precision' })),
    readout, reset,
    h('div', { class: 'charts' }, curveCharts.map((c) => c.element)));
}

function multiclassCurves(report: ClassificationReport): HTMLElement {
  const curves = report.curves!;
  const classIndex = Math.min(state.view.curveClass, curves.roc.length - 1);
  const select = h('select', { id: 'curve-class', 'aria-label': 'Class for the one-versus-rest curves' },
    curves.roc.map((c, i) => h('option', { value: i, selected: i === classIndex, text: String(c.label) })));
  const host = h('div', { class: 'charts' });
  const draw = () => {
    for (const chart of charts.splice(0)) chart.destroy();
    const i = Number(select.value);
    const width = chartWidth(2);
    const roc = curves.roc[i];
    const pr = curves.pr[i];
    const made = [
      curveChart({ title: `ROC, '${String(roc.label)}' vs rest`, xLabel: 'false positive rate', yLabel: 'true positive rate', xs: roc.fpr, ys: roc.tpr, width, diagonal: true, marker: () => null }),
      curveChart({ title: `Precision-recall, '${String(pr.label)}' vs rest`, xLabel: 'recall', yLabel: 'precision', xs: [...pr.recall].reverse(), ys: [...pr.precision].reverse(), width, marker: () => null }),
    ];
    charts.push(...made);
    host.replaceChildren(...made.map((c) => c.element));
  };
  select.addEventListener('change', () => {
    state.view.curveClass = Number(select.value);
    saveState();
    draw();
  });
  const section = h('section', {}, h('h2', { text: 'Curves (one versus rest)' }), h('label', { for: 'curve-class', text: 'Class ' }), select, host);
  queueMicrotask(draw);
  return section;
}

/** Per-class precision, recall, F1 and support, with scikit-learn's averages, from a confusion matrix (0 where undefined). */
function perClassFromMatrix(labels: Label[], counts: number[][]): { perClass: ClassRow[]; micro: Averages; macro: Averages; weighted: Averages; accuracy: number } {
  const k = labels.length;
  const f1Of = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
  let total = 0;
  let correct = 0;
  const perClass = labels.map((label, c) => {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) { support += counts[c][j]; predicted += counts[j][c]; }
    total += support;
    correct += counts[c][c];
    const precision = predicted === 0 ? 0 : counts[c][c] / predicted;
    const recall = support === 0 ? 0 : counts[c][c] / support;
    return { label, precision, recall, f1: f1Of(precision, recall), support };
  });
  const accuracy = total === 0 ? 0 : correct / total;
  const mean = (pick: (r: ClassRow) => number) => (k === 0 ? 0 : perClass.reduce((sum, r) => sum + pick(r), 0) / k);
  const weightedMean = (pick: (r: ClassRow) => number) => (total === 0 ? 0 : perClass.reduce((sum, r) => sum + pick(r) * r.support, 0) / total);
  return {
    perClass,
    accuracy,
    micro: { precision: accuracy, recall: accuracy, f1: accuracy },
    macro: { precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1) },
    weighted: { precision: weightedMean((r) => r.precision), recall: weightedMean((r) => r.recall), f1: weightedMean((r) => r.f1) },
  };
}

/** The per-class table of the matrix now shown: the evaluated predictions, or the slider's threshold. */
function perClassTable(run: PanelRun): HTMLElement {
  const report = run.report as unknown as ClassificationReport;
  const { model, fromSweep } = currentMatrix(run);
  const shown = fromSweep ? perClassFromMatrix(report.labels, model.counts) : report;
  const row = (label: string, m: Averages, support: number | string, cls = '') =>
    h('tr', { class: cls }, h('th', { scope: 'row', text: label }), h('td', { 'data-col': 'precision', text: fixed(m.precision) }), h('td', { 'data-col': 'recall', text: fixed(m.recall) }), h('td', { 'data-col': 'f1', text: fixed(m.f1) }), h('td', { 'data-col': 'support', text: typeof support === 'number' ? count(support) : support }));
  const total = shown.perClass.reduce((a, c) => a + c.support, 0);
  const index = state.view.sweepIndex;
  const note = fromSweep && run.sweep && index !== null
    ? `At the slider's threshold (${index === 0 ? 'above every score' : `score ≥ ${score(run.sweep.thresholds[index])}`}). Undefined values are 0, as scikit-learn reports them.`
    : 'For the evaluated predictions. Undefined values are 0, as scikit-learn reports them.';
  return h('section', { class: 'per-class' },
    h('h2', { text: 'Per class' }),
    h('p', { class: 'note', 'data-per-class': fromSweep ? 'threshold' : 'file', text: note }),
    h('table', { class: 'metrics' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'class' }), h('th', { scope: 'col', text: 'precision' }), h('th', { scope: 'col', text: 'recall' }), h('th', { scope: 'col', text: 'F1' }), h('th', { scope: 'col', text: 'support' }))),
      h('tbody', {},
        shown.perClass.map((c) => row(String(c.label), c, c.support, 'class-row')),
        row('micro avg', shown.micro, total, 'average'),
        row('macro avg', shown.macro, total, 'average'),
        row('weighted avg', shown.weighted, total, 'average'),
        h('tr', { class: 'average' }, h('th', { scope: 'row', text: 'accuracy' }), h('td', { colspan: 3, 'data-col': 'accuracy', text: fixed(shown.accuracy) }), h('td', { text: count(total) })))));
}

function calibrationSection(data: CalibrationData, run: PanelRun): HTMLElement {
  const host = h('div', { class: 'calibration-host' });
  const draw = () => {
    const selected = state.view.calibrationCurve ?? defaultCurve(data);
    host.replaceChildren(calibrationView(data, run.warnings, chartWidth(1), selected, (which) => {
      state.view.calibrationCurve = which;
      saveState();
      draw();
      host.querySelector<HTMLElement>('#calibration-curve')?.focus();
    }));
  };
  draw();
  return host;
}

function samplesView(run: PanelRun, index: number, cell: MatrixCell, fromSweep: boolean): HTMLElement {
  const report = run.report as unknown as ClassificationReport;
  const truth = String(report.labels[cell.truth]);
  const predicted = String(report.labels[cell.predicted]);
  const total = report.confusionMatrix[cell.truth]?.[cell.predicted] ?? 0;
  const samples = run.cellSamples;
  const kept = samples?.cells.find((c) => c.truth === cell.truth && c.predicted === cell.predicted);
  const title = h('h3', { tabindex: -1, text: `Samples: true '${truth}', predicted '${predicted}'` });
  const notes: string[] = [];
  if (fromSweep) notes.push('These are the rows of the evaluated predictions, not of the slider\'s threshold.');
  if (!samples) notes.push('This evaluation kept no samples.');
  else if (total === 0) notes.push('No row falls in this cell.');
  else if (!kept) notes.push(`None of this cell's ${count(total)} rows were kept: the panel keeps at most ${count(samples.limit)} rows in all.`);
  else notes.push(kept.rows.length < total ? `The first ${count(kept.rows.length)} of ${count(total)} rows.` : `All ${count(total)} rows.`);
  const section = h('section', { class: 'samples', 'aria-label': 'Samples of the selected cell' }, title, h('p', { class: 'note', text: notes.join(' ') }));
  if (!kept || !samples) return section;
  const table = h('table', { class: 'samples-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'row' }),
      samples.fieldColumns.map((name) => h('th', { scope: 'col', text: name })),
      samples.scoreColumns.map((name) => h('th', { scope: 'col', text: name })),
      h('th', { scope: 'col', text: '' }))),
    h('tbody', {}, kept.rows.map((row, i) => h('tr', {},
      h('td', { class: 'num', text: count(row + 1) }),
      (kept.fields?.[i] ?? samples.fieldColumns.map(() => '')).map((value) => h('td', { class: 'field', title: value, text: value })),
      (kept.scores?.[i] ?? []).map((value) => h('td', { class: 'num', text: score(value) })),
      h('td', {}, h('button', { type: 'button', class: 'link open-row', 'data-row': row, title: `Open ${basename(run.source.path)} at data row ${row + 1}`, text: 'Open' }))))));
  table.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button.open-row') as HTMLElement | null;
    if (button) post({ type: 'openRow', run: index, row: Number(button.dataset.row) });
  });
  section.appendChild(h('div', { class: 'samples-scroll' }, table));
  return section;
}

function compareView(): HTMLElement {
  const [a, b] = state.runs;
  const metricRows: [string, (run: PanelRun) => unknown][] = [];
  if (a.task === 'classification' && b.task === 'classification') {
    const r = (run: PanelRun) => run.report as unknown as ClassificationReport;
    metricRows.push(
      ['rows', (run) => run.n],
      ['accuracy', (run) => r(run).accuracy],
      ['balanced accuracy', (run) => r(run).balancedAccuracy],
      ['macro F1', (run) => r(run).macro.f1],
      ['weighted F1', (run) => r(run).weighted.f1],
      ['MCC', (run) => r(run).mcc],
      ["Cohen's κ", (run) => r(run).kappa],
      ['ROC AUC', (run) => r(run).rocAuc ?? null],
      ['average precision', (run) => r(run).averagePrecision ?? null],
    );
  } else if (a.task === 'regression' && b.task === 'regression') {
    const r = (run: PanelRun) => run.report as unknown as RegressionReport;
    metricRows.push(['rows', (run) => run.n], ['MSE', (run) => r(run).mse], ['RMSE', (run) => r(run).rmse], ['MAE', (run) => r(run).mae], ['R²', (run) => r(run).r2]);
  } else if (a.task === 'language-model' && b.task === 'language-model') {
    const r = (run: PanelRun) => run.report as unknown as LanguageModelReport;
    metricRows.push(['tokens', (run) => run.n], ['perplexity', (run) => r(run).perplexity], ['cross-entropy', (run) => r(run).crossEntropy]);
  } else if (a.task === 'sequence-labelling' && b.task === 'sequence-labelling') {
    const r = (run: PanelRun) => run.report as { tokenAccuracy?: number; entities?: { micro: { f1: number }; macro: { f1: number }; weighted: { f1: number } } };
    metricRows.push(['tokens', (run) => run.n], ['token accuracy', (run) => r(run).tokenAccuracy], ['entity micro F1', (run) => r(run).entities?.micro.f1],
      ['entity macro F1', (run) => r(run).entities?.macro.f1], ['entity weighted F1', (run) => r(run).entities?.weighted.f1]);
  }
  const section = h('div', { class: 'compare' }, h('h1', { text: 'Side by side' }));
  if (metricRows.length === 0) {
    section.appendChild(h('p', { class: 'note', text: `The runs are of different tasks (${a.task}, ${b.task}); see each tab.` }));
    return section;
  }
  const value = (v: unknown, name: string) => (name === 'rows' || name === 'tokens' ? count(v) : fixed(v));
  section.appendChild(h('table', { class: 'metrics compare-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'metric' }), h('th', { scope: 'col', text: `A: ${basename(a.source.path)}` }), h('th', { scope: 'col', text: `B: ${basename(b.source.path)}` }), h('th', { scope: 'col', text: 'B − A' }))),
    h('tbody', {}, metricRows.map(([name, get]) => {
      const va = get(a);
      const vb = get(b);
      const delta = isNumber(va) && isNumber(vb) ? vb - va : null;
      return h('tr', {}, h('th', { scope: 'row', text: name }), h('td', { text: value(va, name) }), h('td', { text: value(vb, name) }),
        h('td', { class: delta === null ? '' : delta > 0 ? 'up' : delta < 0 ? 'down' : '', text: delta === null ? '—' : `${delta > 0 ? '+' : ''}${name === 'rows' || name === 'tokens' ? count(delta) : fixed(delta)}` }));
    }))));
  const codes = (run: PanelRun) => run.warnings.map((w) => w.code).join(', ') || 'none';
  section.appendChild(h('p', { class: 'note', text: `Warnings — A: ${codes(a)}; B: ${codes(b)}.` }));
  if (a.task === 'classification' && b.task === 'classification') {
    const pair = h('div', { class: 'side-by-side' });
    for (const [i, run] of [a, b].entries()) {
      const report = run.report as unknown as ClassificationReport;
      pair.appendChild(h('div', {}, h('h2', { text: `${i === 0 ? 'A' : 'B'}: ${basename(run.source.path)}` }), renderMatrix({ labels: report.labels.map(String), counts: report.confusionMatrix }, {
        mode: state.view.normalisation,
        zoom: 1,
        selected: null,
        caption: '',
        onSelect: (cell) => { state.view.tab = i; state.view.selected = cell; saveState(); render(); },
        onZoom: () => undefined,
      })));
    }
    section.appendChild(pair);
    const overlay = overlaidCurves(a, b);
    if (overlay) section.appendChild(overlay);
  }
  return section;
}

/** The ROC and precision-recall curves of both runs on the same axes (the positive class, or a class both score). */
function overlaidCurves(a: PanelRun, b: PanelRun): HTMLElement | null {
  const ca = (a.report as unknown as ClassificationReport).curves;
  const cb = (b.report as unknown as ClassificationReport).curves;
  if (!ca || !cb || ca.roc.length === 0 || cb.roc.length === 0) return null;
  const multi = ca.roc.length > 1 || cb.roc.length > 1;
  // Two binary runs each have one curve, of their own positive class; multi-class runs overlay a class both score.
  const shared = multi ? ca.roc.map((c) => String(c.label)).filter((label) => cb.roc.some((c) => String(c.label) === label)) : [String(ca.roc[0].label)];
  if (shared.length === 0) return null;
  const chosen = shared[Math.min(state.view.curveClass, shared.length - 1)];
  const host = h('div', { class: 'charts' });
  const colors = [themeColor('--vscode-charts-blue', '#3794ff'), themeColor('--vscode-charts-orange', '#d18616')];
  const draw = (label: string) => {
    for (const chart of charts.splice(0)) chart.destroy();
    const width = chartWidth(2);
    const pick = <T extends { label: Label }>(list: T[]) => (multi ? list.find((c) => String(c.label) === label)! : list[0]);
    const name = (i: number, run: PanelRun) => `${i === 0 ? 'A' : 'B'}: ${basename(run.source.path)}${multi ? '' : ` ('${String((i === 0 ? ca : cb).roc[0].label)}')`}`;
    const made = [
      overlayChart({
        title: multi ? `ROC, '${label}' vs rest` : 'ROC curves', xLabel: 'false positive rate', yLabel: 'true positive rate', width, diagonal: true,
        series: [a, b].map((run, i) => { const roc = pick((i === 0 ? ca : cb).roc); return { label: name(i, run), xs: roc.fpr, ys: roc.tpr, color: colors[i] }; }),
      }),
      overlayChart({
        title: multi ? `Precision-recall, '${label}' vs rest` : 'Precision-recall curves', xLabel: 'recall', yLabel: 'precision', width,
        series: [a, b].map((run, i) => { const pr = pick((i === 0 ? ca : cb).pr); return { label: name(i, run), xs: [...pr.recall].reverse(), ys: [...pr.precision].reverse(), color: colors[i] }; }),
      }),
    ];
    charts.push(...made);
    host.replaceChildren(...made.map((c) => c.element));
  };
  const section = h('section', { class: 'overlay-section', 'aria-label': 'Curves of both runs' }, h('h2', { text: 'Curves, A and B overlaid' }));
  if (multi) {
    const select = h('select', { id: 'overlay-class', 'aria-label': 'Class for the overlaid one-versus-rest curves' },
      shared.map((label, i) => h('option', { value: i, selected: label === chosen, text: label })));
    select.addEventListener('change', () => {
      state.view.curveClass = Number(select.value);
      saveState();
      draw(shared[Number(select.value)]);
    });
    section.append(h('label', { for: 'overlay-class', text: 'Class ' }), select);
  }
  section.appendChild(host);
  queueMicrotask(() => draw(chosen));
  return section;
}

function exportMatrix(run: PanelRun, format: 'png' | 'svg'): void {
  const { model } = currentMatrix(run);
  const stem = basename(run.source.path).replace(/\.[^.]+$/, '');
  const suffix = state.view.normalisation === 'counts' ? '' : `-${state.view.normalisation}-normalised`;
  const name = `${stem}-confusion-matrix${suffix}.${format}`;
  if (format === 'png') post({ type: 'exportImage', format: 'png', dataUrl: matrixPng(model, state.view.normalisation), name });
  else post({ type: 'exportImage', format: 'svg', svg: matrixSvg(model, state.view.normalisation), name });
}

// A theme change restyles everything drawn on canvas.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(render, 200);
});

render();
post({ type: 'ready' });
