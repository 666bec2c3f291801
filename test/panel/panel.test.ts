// The evaluation panel on its own, in headless Debian chromium: the built media/dist/panel.js served
// with the same HTML and Content-Security-Policy the extension uses, a stubbed acquireVsCodeApi, and
// results computed by the real engine on the bundled example prediction sets.
//
// Usage: npm run test:panel   (builds media/dist, compiles, runs `node --test out/test/panel/`)
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { evaluate } from '../../src/evaluation/evaluate';
import { sweepIndexAt, sweepPoint } from '../../src/evaluation/metrics/curves';
import { toPanelRun, toTaggingPanelRun, type PanelRun } from '../../src/evaluation/report/panel';
import { evaluateTaggingFile } from '../../src/evaluation/sequence/tagging/evaluate';
import type { ClassificationResult, EngineOptions } from '../../src/evaluation';
import { makeNonce, panelHtml } from '../../src/extension/panel/html';
import { isMatrixSvg, parsePanelMessage } from '../../src/extension/panel/messages';
import { toShapeCheckView } from '../../src/extension/panel/shape-check';

// The callbacks below run in the page, where these exist.
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPO = resolve(__dirname, '..', '..', '..');
const EXAMPLES = join(REPO, 'test', 'examples', 'predictions');
const EVAL_FIXTURES = join(REPO, 'test', 'fixtures', 'eval');
const SEQUENCE_FIXTURES = join(REPO, 'test', 'fixtures', 'sequence');
const CHROMIUM = process.env.SEQLENS_CHROMIUM ?? '/usr/bin/chromium';
const PANEL_OPTIONS: EngineOptions = { backend: 'cpu', cellSamples: true, residualSamples: 2000, maxCurvePoints: 500 };

let server: Server;
let origin: string;
let browser: Browser;
/** Extra markup the CSP test puts into the page, as an attacker's injected content would be. */
let injected = '';

async function panelRun(file: string, options: EngineOptions = {}, dir = EXAMPLES): Promise<PanelRun> {
  // Through JSON, as the host receives it from the child process (NaN becomes null).
  return JSON.parse(JSON.stringify(toPanelRun(await evaluate(join(dir, file), { ...PANEL_OPTIONS, ...options }))));
}

async function taggingRun(path: string): Promise<PanelRun> {
  return JSON.parse(JSON.stringify(toTaggingPanelRun(await evaluateTaggingFile(path, { examples: true }))));
}

before(async () => {
  const dist = join(REPO, 'media', 'dist');
  assert.ok(existsSync(join(dist, 'panel.js')), 'media/dist/panel.js is missing: run `npm run build` first');
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      const nonce = makeNonce();
      const html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/dist/panel.js`, styleUri: `${origin}/media/dist/panel.css` });
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(html.replace('<main id="root"', `${injected.replace(/NONCE/g, nonce)}<main id="root"`));
      return;
    }
    if (url.pathname === '/embedded') {
      // A page of another origin holding the panel in a frame, as the workbench holds a webview.
      const style = url.searchParams.get('style') ?? '';
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!DOCTYPE html><body><iframe id="webview" style="${style.replace(/[<>"&]/g, '')}" src="${origin}/"></iframe></body>`);
      return;
    }
    const file = join(REPO, url.pathname);
    if (!url.pathname.startsWith('/media/dist/') || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page with the VS Code webview API stubbed: posted messages and the saved state are kept on window. */
async function openPanel(theme = 'vscode-dark', state?: unknown): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (error) => { throw error; });
  await page.addInitScript(({ theme, state }) => {
    window.__posted = [];
    window.__state = state;
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event: { violatedDirective: string; blockedURI: string }) => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    window.acquireVsCodeApi = () => ({
      postMessage: (message: unknown) => window.__posted.push(message),
      getState: () => window.__state,
      setState: (value: unknown) => { window.__state = value; },
    });
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add(theme));
  }, { theme, state });
  await page.goto(`${origin}/`);
  return page;
}

async function show(page: Page, ...runs: PanelRun[]): Promise<void> {
  await page.evaluate((runs) => window.postMessage({ type: 'show', runs }, '*'), runs);
  await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'rendered'));
}

function cell(page: Page, truth: number, predicted: number, part: 'value' | 'count' = 'value') {
  return page.locator(`td.cell[data-truth="${truth}"][data-predicted="${predicted}"] .${part}`);
}

async function posted(page: Page): Promise<{ type: string; [key: string]: unknown }[]> {
  return page.evaluate(() => window.__posted);
}

describe('the confusion matrix', () => {
  test('shows the counts of every cell, class names on both axes, and the warnings with their explanations', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    assert.equal(await cell(page, 0, 0).textContent(), '9,776');
    assert.equal(await cell(page, 0, 1).textContent(), '24');
    assert.equal(await cell(page, 1, 0).textContent(), '176');
    assert.equal(await cell(page, 1, 1).textContent(), '24');
    assert.deepEqual(await page.locator('table.matrix th.row-label').allTextContents(), ['ham', 'spam']);
    assert.deepEqual(await page.locator('table.matrix th.col-label').allTextContents(), ['ham', 'spam']);
    const paradox = page.locator('.warning[data-code="SLE101"]');
    assert.match((await paradox.textContent()) ?? '', /accuracy-paradox.*recall of 'spam' is 12\.0%/s);
    assert.match((await paradox.locator('.try').textContent()) ?? '', /balanced accuracy/);
    assert.equal(await page.locator('[data-metric="Accuracy"]').textContent(), '0.980');
    assert.equal(await page.locator('[data-meta="backend"]').textContent(), 'cpu');
    await page.close();
  });

  test('the normalisation toggle shows recall or precision shares and keeps the raw counts', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    await page.getByLabel('Normalised by true class (recall)').check();
    assert.equal(await cell(page, 1, 0).textContent(), '88.0%');
    assert.equal(await cell(page, 1, 1).textContent(), '12.0%');
    assert.equal(await cell(page, 1, 0, 'count').textContent(), '176');
    await page.getByLabel('Normalised by predicted class (precision)').check();
    assert.equal(await cell(page, 1, 1).textContent(), '50.0%');
    assert.equal(await cell(page, 0, 0).textContent(), `${((9776 / 9952) * 100).toFixed(1)}%`);
    await page.getByLabel('Counts').check();
    assert.equal(await cell(page, 0, 0).textContent(), '9,776');
    assert.equal(await cell(page, 0, 0, 'count').count(), 0);
    await page.close();
  });

  test('clicking a cell lists its rows with their text and score, and Open asks the host for that row', async () => {
    const page = await openPanel();
    const run = await panelRun('spam_accuracy_paradox.csv');
    await show(page, run);
    await page.locator('td.cell[data-truth="1"][data-predicted="0"]').click();
    const samples = page.locator('section.samples');
    assert.match((await samples.locator('h3').textContent()) ?? '', /true 'spam', predicted 'ham'/);
    assert.match((await samples.locator('.note').textContent()) ?? '', /first 100 of 176 rows/);
    const kept = run.cellSamples!.cells.find((c) => c.truth === 1 && c.predicted === 0)!;
    const firstRow = samples.locator('tbody tr').first();
    const cells = await firstRow.locator('td').allTextContents();
    assert.equal(cells[0], String(kept.rows[0] + 1));
    assert.equal(cells[1], kept.fields![0][0]);
    assert.match(cells[1], /WINNER|URGENT|Congratulations|FREE|Final notice/);
    await firstRow.getByRole('button', { name: 'Open' }).click();
    assert.deepEqual((await posted(page)).find((m) => m.type === 'openRow'), { type: 'openRow', run: 0, row: kept.rows[0] });
    await page.close();
  });

  test('is usable from the keyboard: arrows move between cells and Enter lists the samples', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    await page.locator('td.cell[tabindex="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.match((await page.locator('section.samples h3').textContent()) ?? '', /true 'spam', predicted 'ham'/);
    await page.close();
  });

  test('draws 100 classes on a canvas, with a tooltip giving any cell its values', async () => {
    const labels = Array.from({ length: 100 }, (_, i) => `class_${i}`);
    const counts = labels.map((_, t) => labels.map((__, p) => (t === p ? 50 : (t + p) % 17 === 0 ? 3 : 0)));
    const run = await panelRun('intents_20_classes.csv');
    run.report = { ...run.report, labels, confusionMatrix: counts };
    run.cellSamples = null;
    const page = await openPanel();
    await show(page, run);
    assert.equal(await page.locator('table.matrix').count(), 0);
    const canvas = page.locator('canvas.matrix-canvas');
    const box = (await canvas.boundingBox())!;
    assert.ok(box.width > 300, `canvas width ${box.width}`);
    // Cell (true 3, predicted 14): (3 + 14) % 17 === 0, so 3 samples. Without labels the grid starts at the corner.
    const cellPx = box.width / 100;
    await page.mouse.move(box.x + (14 + 0.5) * cellPx, box.y + (3 + 0.5) * cellPx);
    const tooltip = page.locator('.tooltip');
    await tooltip.waitFor({ state: 'visible' });
    assert.match((await tooltip.textContent()) ?? '', /^true class_3 → predicted class_14: 3 /);
    await page.getByRole('button', { name: '+' }).click();
    await page.getByRole('button', { name: '+' }).click();
    const zoomed = (await page.locator('canvas.matrix-canvas').boundingBox())!;
    assert.ok(zoomed.width > box.width * 2, `zoomed from ${box.width} to ${zoomed.width}`);
    await page.close();
  });
});

describe('the threshold slider', () => {
  test('moves precision, recall, F1 and the matrix to the counts of the sweep at the chosen threshold', async () => {
    const result = (await evaluate(join(EXAMPLES, 'review_sentiment_scores.csv'), PANEL_OPTIONS)) as ClassificationResult;
    const run = JSON.parse(JSON.stringify(toPanelRun(result))) as PanelRun;
    const page = await openPanel();
    await show(page, run);
    const full = result.scores!.sweep!;
    const at05 = sweepPoint(full, sweepIndexAt(full, 0.5));
    assert.equal(await page.locator('[data-metric="Precision"]').textContent(), at05.precision.toFixed(3));
    assert.equal(await page.locator('[data-metric="Recall"]').textContent(), at05.recall.toFixed(3));

    for (const index of [300, 1500]) {
      await page.locator('#threshold').fill(String(index));
      const threshold = run.sweep!.thresholds[index];
      const expected = sweepPoint(full, sweepIndexAt(full, threshold));
      assert.equal(await page.locator('[data-metric="Precision"]').textContent(), expected.precision.toFixed(3));
      assert.equal(await page.locator('[data-metric="Recall"]').textContent(), expected.recall.toFixed(3));
      assert.equal(await page.locator('[data-metric="F1"]').textContent(), expected.f1.toFixed(3));
      // Labels 0 and 1, positive 1: the bottom-right cell holds the true positives.
      assert.equal(await cell(page, 1, 1).textContent(), expected.tp.toLocaleString('en-US'));
      assert.equal(await cell(page, 0, 1).textContent(), expected.fp.toLocaleString('en-US'));
      assert.equal(await cell(page, 1, 0).textContent(), expected.fn.toLocaleString('en-US'));
    }
    // A lower threshold (further right in the sweep) never loses recall.
    const recallAt = async () => Number(await page.locator('[data-metric="Recall"]').textContent());
    const before = await recallAt();
    await page.locator('#threshold').focus();
    await page.keyboard.press('PageUp');
    assert.ok((await recallAt()) >= before);
    await page.close();
  });

  test('starts on the predictions from the file and can go back to them', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    assert.match((await page.locator('.matrix-view .caption').textContent()) ?? '', /from the file's 'predicted' column/);
    await page.locator('#threshold').fill('1200');
    assert.match((await page.locator('.matrix-view .caption').textContent()) ?? '', /p_spam ≥/);
    await page.getByRole('button', { name: "Show the file's predictions" }).click();
    assert.equal(await cell(page, 1, 0).textContent(), '176');
    await page.close();
  });
});

describe('reporting the render to the host', () => {
  // The host's command returns once the panel says it has drawn the result. A webview is a
  // cross-origin frame: while it is not displayed or lies off-screen, chromium runs no animation
  // frames in it (its document still says 'visible'), so a report that waited for a paint never came.
  for (const [where, style] of [['not displayed', 'display:none'], ['off-screen', 'position:absolute;left:-5000px;width:600px;height:400px']]) {
    test(`says it has drawn a result while its frame is ${where}, marked as not painted`, async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.addInitScript(() => {
        window.__posted = [];
        window.acquireVsCodeApi = () => ({ postMessage: (message: unknown) => window.__posted.push(message), getState: () => undefined, setState: () => undefined });
      });
      await page.goto(`${origin.replace('127.0.0.1', 'localhost')}/embedded?style=${encodeURIComponent(style)}`);
      const frame = page.frames().find((f) => f.url().startsWith(`${origin}/`));
      assert.ok(frame, 'the panel frame loaded');
      await frame.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'), undefined, { polling: 100 });
      // The frame really gets no animation frame here: otherwise this test would not test the fallback.
      assert.equal(await frame.evaluate(() => new Promise((done) => { window.requestAnimationFrame(() => done('frame')); setTimeout(() => done('none'), 1500); })), 'none');
      const run = await panelRun('spam_accuracy_paradox.csv');
      await frame.evaluate((run) => window.postMessage({ type: 'show', runs: [run] }, '*'), run);
      // Polled by a timer: Playwright's default polling waits for animation frames, which this frame never gets.
      await frame.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'rendered'), undefined, { polling: 100 });
      const rendered = (await frame.evaluate(() => window.__posted)).find((m: { type: string }) => m.type === 'rendered');
      assert.equal(rendered.runs, 1);
      assert.equal(rendered.painted, false);
      assert.equal(rendered.error, undefined);
      assert.equal(parsePanelMessage(rendered, [run])?.type, 'rendered', 'the host takes the report');
      assert.equal(await frame.locator('td.cell[data-truth="1"][data-predicted="0"] .value').textContent(), '176', 'the result is in the page');
      await page.close();
    });
  }

  test('says it has drawn a result after the next paint when its frame is on screen', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    const rendered = (await posted(page)).find((m) => m.type === 'rendered');
    assert.equal(rendered?.painted, true);
    await page.close();
  });

  test('says so when it cannot draw a result, instead of leaving the host waiting', async () => {
    const page = await openPanel();
    const run = await panelRun('spam_accuracy_paradox.csv');
    await page.evaluate((run) => window.postMessage({ type: 'show', runs: [{ ...run, report: null }] }, '*'), run);
    await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'rendered'));
    const rendered = (await posted(page)).find((m) => m.type === 'rendered');
    assert.equal(typeof rendered?.error, 'string');
    assert.match((await page.locator('#status').textContent()) ?? '', /could not draw/);
    await page.close();
  });
});

describe('other tasks, comparison, export and state', () => {
  test('regression shows its metrics and a residual plot', async () => {
    const page = await openPanel('vscode-light');
    const run = await panelRun('sensor_forecast_regression.csv');
    await show(page, run);
    assert.equal(await page.locator('[data-metric="R²"]').textContent(), (run.report.r2 as number).toFixed(4));
    assert.equal(await page.locator('.plot canvas').count() > 0, true);
    assert.match((await page.locator('.plot .note').textContent()) ?? '', /All 1,500 rows/);
    await page.close();
  });

  test('two runs compare side by side with the differences', async () => {
    const page = await openPanel();
    const test1 = await panelRun('spam_accuracy_paradox.csv');
    const other = await panelRun('spam_accuracy_paradox.csv', { threshold: 0.3 });
    await show(page, test1, other);
    const accuracyRow = page.locator('table.compare-table tr', { hasText: 'balanced accuracy' });
    const cells = await accuracyRow.locator('td').allTextContents();
    const a = (test1.report.balancedAccuracy as number);
    const b = (other.report.balancedAccuracy as number);
    assert.deepEqual(cells, [a.toFixed(3), b.toFixed(3), `${b - a > 0 ? '+' : ''}${(b - a).toFixed(3)}`]);
    assert.equal(await page.locator('.side-by-side table.matrix').count(), 2);
    await page.close();
  });

  test('exports the matrix as PNG and SVG through the host', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    await page.getByRole('button', { name: 'Matrix PNG' }).click();
    await page.getByRole('button', { name: 'Matrix SVG' }).click();
    const messages = await posted(page);
    const png = messages.find((m) => m.type === 'exportImage' && m.format === 'png')!;
    assert.match(String(png.dataUrl), /^data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    assert.equal(png.name, 'spam_accuracy_paradox-confusion-matrix.png');
    const svg = messages.find((m) => m.type === 'exportImage' && m.format === 'svg')!;
    assert.match(String(svg.svg), /^<svg[^>]*>/);
    assert.match(String(svg.svg), />9,776</);
    // The host's strict check accepts exactly what the panel writes.
    assert.ok(isMatrixSvg(String(svg.svg)));
    assert.ok(parsePanelMessage(svg, [{ n: 10_000, task: 'classification' }]));
    await page.getByRole('button', { name: 'Markdown' }).click();
    assert.deepEqual((await posted(page)).find((m) => m.type === 'exportReport'), { type: 'exportReport', run: 0, format: 'markdown' });
    await page.close();
  });

  test('saves its runs and view in the webview state and comes back from it after a reload', async () => {
    const page = await openPanel();
    await show(page, await panelRun('spam_accuracy_paradox.csv'));
    await page.getByLabel('Normalised by true class (recall)').check();
    await page.waitForFunction(() => window.__state?.view?.normalisation === 'row');
    const saved = await page.evaluate(() => window.__state);
    await page.close();
    const restored = await openPanel('vscode-dark', saved);
    await restored.locator('td.cell').first().waitFor();
    assert.equal(await cell(restored, 1, 0).textContent(), '88.0%');
    await restored.close();
  });
});

describe('the per-class table and the compared curves', () => {
  test('the per-class table follows the threshold slider and equals an evaluation at that threshold', async () => {
    const file = join(EXAMPLES, 'spam_accuracy_paradox.csv');
    const run = await panelRun('spam_accuracy_paradox.csv');
    const page = await openPanel();
    await show(page, run);
    const rows = async () => page.locator('section.per-class tr').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.children].map((c: any) => c.textContent)));
    const expectedRows = (report: Record<string, any>) => [
      ['class', 'precision', 'recall', 'F1', 'support'],
      ...report.perClass.map((c: any) => [String(c.label), c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), c.support.toLocaleString('en-US')]),
      ...(['micro', 'macro', 'weighted'] as const).map((a) => [`${a} avg`, report[a].precision.toFixed(3), report[a].recall.toFixed(3), report[a].f1.toFixed(3), run.n.toLocaleString('en-US')]),
      ['accuracy', report.accuracy.toFixed(3), run.n.toLocaleString('en-US')],
    ];
    assert.deepEqual(await rows(), expectedRows(run.report));
    for (const index of [300, 1200]) {
      await page.locator('#threshold').fill(String(index));
      const threshold = run.sweep!.thresholds[index];
      const at = (await evaluate(file, { backend: 'cpu', threshold })) as ClassificationResult;
      assert.deepEqual(await rows(), expectedRows(at as unknown as Record<string, any>), `threshold ${threshold}`);
      assert.match((await page.locator('section.per-class .note').textContent()) ?? '', /slider's threshold/);
    }
    await page.getByRole('button', { name: "Show the file's predictions" }).click();
    assert.deepEqual(await rows(), expectedRows(run.report));
    await page.close();
  });

  test('"Compare with…" overlays both runs\' ROC and precision-recall curves on the same axes', async () => {
    const page = await openPanel();
    const a = await panelRun('spam_accuracy_paradox.csv');
    const b = await panelRun('review_sentiment_scores.csv');
    await show(page, a, b);
    const overlay = page.locator('section.overlay-section');
    assert.equal(await overlay.locator('.chart.overlay canvas').count() >= 2, true);
    assert.deepEqual(await overlay.locator('.chart.overlay .u-title').allTextContents(), ['ROC curves', 'Precision-recall curves']);
    // Each chart's legend names both files: the two curves share one plot.
    const legends = await overlay.locator('.chart.overlay .u-legend').allTextContents();
    assert.equal(legends.length, 2);
    for (const legend of legends) {
      assert.match(legend, /A: spam_accuracy_paradox\.csv \('spam'\)/);
      assert.match(legend, /B: review_sentiment_scores\.csv \('1'\)/);
    }
    await page.close();
  });
});

describe('errors by sequence length', () => {
  test('draws accuracy and macro F1 per length bucket with the counts, and the long-sequence and truncation warnings', async () => {
    const run = await panelRun('length_buckets_text.csv', {}, EVAL_FIXTURES);
    const buckets = (run.report.lengthBuckets as { buckets: { count: number; accuracy: number; macroF1: number }[] }).buckets;
    assert.equal(buckets.length, 3);
    const page = await openPanel();
    await show(page, run);
    const section = page.locator('section.lengths-section');
    for (const [b, bucket] of buckets.entries()) {
      const group = section.locator(`svg.bucket-chart g.bucket[data-bucket="${b}"]`);
      assert.equal(Number(await group.locator('rect[data-measure="accuracy"]').getAttribute('data-value')), bucket.accuracy);
      assert.equal(Number(await group.locator('rect[data-measure="macroF1"]').getAttribute('data-value')), bucket.macroF1);
      assert.equal(await group.locator('.bucket-count').textContent(), `n = ${bucket.count.toLocaleString('en-US')}`);
    }
    assert.deepEqual(await section.locator('table.length-table tbody th').allTextContents(), ['≤ 50', '51–100', '> 100']);
    assert.match((await section.locator('.inline-warning[data-code="SLE321"]').textContent()) ?? '', /falls from 86\.4% on ≤ 50 tokens.*to 54\.8% on > 100 tokens/s);
    assert.match((await section.locator('.inline-warning[data-code="SLE322"]').textContent()) ?? '', /exactly 200 tokens.*What to try/s);
    await page.close();
  });

  test('draws MSE and MAE per bucket for a regression', async () => {
    const run = await panelRun('length_buckets_regression.csv', {}, EVAL_FIXTURES);
    const buckets = (run.report.lengthBuckets as { buckets: { mse: number; mae: number }[] }).buckets;
    const page = await openPanel('vscode-light');
    await show(page, run);
    const bars = page.locator('section.lengths-section svg.bucket-chart rect.bar');
    assert.deepEqual((await bars.evaluateAll((rects: any[]) => rects.map((r) => [r.dataset.measure, Number(r.dataset.value)]))),
      buckets.flatMap((b) => [['mse', b.mse], ['mae', b.mae]]));
    // The largest error fills the plot's height; the others are to scale.
    const heights = await bars.evaluateAll((rects: any[]) => rects.map((r) => Number(r.getAttribute('height'))));
    const largest = Math.max(...buckets.flatMap((b) => [b.mse, b.mae]));
    heights.forEach((height, i) => assert.ok(Math.abs(height / Math.max(...heights) - [buckets[i >> 1].mse, buckets[i >> 1].mae][i & 1] / largest) < 1e-9));
    await page.close();
  });

  test('draws perplexity per bucket of sequences for a language model, with its sequences, tokens and mean NLL', async () => {
    const run = await panelRun('language_model_length_buckets.csv', {}, EVAL_FIXTURES);
    assert.equal(run.task, 'language-model');
    const buckets = (run.report.lengthBuckets as { buckets: { count: number; tokens: number; crossEntropy: number; perplexity: number }[] }).buckets;
    assert.ok(buckets.length >= 2);
    const page = await openPanel();
    await show(page, run);
    const section = page.locator('section.lengths-section');
    assert.equal(await section.locator('h2').textContent(), 'Perplexity by sequence length');
    const bars = section.locator('svg.bucket-chart rect.bar');
    assert.deepEqual(await bars.evaluateAll((rects: any[]) => rects.map((r) => [r.dataset.measure, Number(r.dataset.value)])), buckets.map((b) => ['perplexity', b.perplexity])); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(await section.locator('svg.bucket-chart .bucket-count').allTextContents(), buckets.map((b) => `n = ${b.count.toLocaleString('en-US')}`));
    assert.deepEqual(await section.locator('table.length-table thead th').allTextContents(), ['tokens', 'sequences', 'scored tokens', 'mean NLL', 'perplexity']);
    assert.deepEqual(await section.locator('table.length-table td[data-measure="tokens"]').allTextContents(), buckets.map((b) => b.tokens.toLocaleString('en-US')));
    assert.deepEqual(await section.locator('table.length-table td[data-measure="crossEntropy"]').allTextContents(), buckets.map((b) => b.crossEntropy.toFixed(4)));
    assert.match((await section.locator('.note').first().textContent()) ?? '', /every token with the same 'seq_id'/);
    assert.match((await section.locator('.inline-warning[data-code="SLE322"]').textContent()) ?? '', /exactly 64 tokens/);
    await page.close();
  });
});

describe('calibration', () => {
  test('draws the reliability diagram of the top label with its bins, counts and diagonal, ECE/MCE/Brier, and temperature scaling labelled as fitted on this data', async () => {
    const run = await panelRun('calibration_overconfident_15_bins.csv', { calibrationBins: 15 }, EVAL_FIXTURES);
    const calibration = run.report.calibration as any;
    assert.equal(calibration.bins, 15);
    const page = await openPanel();
    await show(page, run);
    const section = page.locator('section.calibration-section');
    const bins = await section.locator('svg.reliability rect.bin').evaluateAll((rects: any[]) => rects.map((r) => [Number(r.dataset.bin), Number(r.dataset.count), Number(r.dataset.probTrue), Number(r.dataset.probPred)]));
    const top = calibration.topLabel;
    assert.deepEqual(bins, top.binIndex.map((bin: number, i: number) => [bin, top.counts[i], top.probTrue[i], top.probPred[i]]));
    assert.equal(await section.locator('svg.reliability rect.bin-count').count(), top.counts.length);
    assert.equal(await section.locator('svg.reliability line.diagonal').count(), 1);
    assert.equal(await section.locator('[data-calibration="Top-label ECE"]').textContent(), top.ece.toFixed(3));
    assert.equal(await section.locator('[data-calibration="Top-label MCE"]').textContent(), top.mce.toFixed(3));
    assert.deepEqual(await section.locator('table.calibration-table td[data-col="brier"]').allTextContents(), calibration.perClass.map((c: any) => c.brier.toFixed(3)));
    assert.deepEqual(await section.locator('table.calibration-table td[data-col="ece"]').allTextContents(), calibration.perClass.map((c: any) => c.ece.toFixed(3)));
    assert.equal(await section.locator('.temperature h3').textContent(), 'Temperature scaling (fitted on this data)');
    assert.equal(await section.locator('[data-calibration="ECE after (fitted on this data)"]').textContent(), calibration.temperature.eceAfter.toFixed(3));
    assert.match((await section.locator('.inline-warning[data-code="SLE311"]').textContent()) ?? '', /Mean confidence is 79\.7% but accuracy is 59\.0%/);
    // One class one versus rest, from the selector.
    await section.locator('#calibration-curve').selectOption('2');
    const third = calibration.perClass[2];
    assert.deepEqual(await page.locator('section.calibration-section svg.reliability rect.bin').evaluateAll((rects: any[]) => rects.map((r) => Number(r.dataset.count))), third.counts);
    await page.close();
  });

  test('a binary file shows the reliability of its positive class', async () => {
    const run = await panelRun('review_sentiment_scores.csv');
    const calibration = run.report.calibration as any;
    assert.equal(calibration.perClass.length, 1);
    const page = await openPanel();
    await show(page, run);
    const section = page.locator('section.calibration-section');
    if (calibration.topLabel) await section.locator('#calibration-curve').selectOption('0');
    assert.deepEqual(await section.locator('svg.reliability rect.bin').evaluateAll((rects: any[]) => rects.map((r) => Number(r.dataset.count))), calibration.perClass[0].counts);
    assert.equal(await section.locator('table.calibration-table td[data-col="brier"]').textContent(), calibration.perClass[0].brier.toFixed(3));
    await page.close();
  });

  test('labels from the data are text, never markup', async () => {
    const run = await panelRun('calibration_overconfident_15_bins.csv', {}, EVAL_FIXTURES);
    const hostile = '<img src=x onerror="window.__pwned=1">';
    (run.report.calibration as any).perClass[0].label = hostile;
    (run.report as any).lengthBuckets = { source: { column: hostile, kind: 'text', padId: null }, edges: [5], edgesGiven: true, buckets: [{ above: null, upTo: 5, count: 3, accuracy: 1, macroF1: 1 }, { above: 5, upTo: null, count: 2, accuracy: 0.5, macroF1: 0.5 }], unknown: 0, maxLength: 9, atMax: 1 };
    const page = await openPanel();
    await show(page, run);
    await page.locator('#calibration-curve').selectOption('0');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('table.calibration-table tbody th').first().textContent(), hostile);
    assert.match((await page.locator('section.lengths-section .note').first().textContent()) ?? '', /<img src=x/);
    await page.close();
  });
});

describe('sequence labelling', () => {
  test('shows token accuracy, entity scores per type with the averages, the entity-type and tag confusion matrices', async () => {
    const run = await taggingRun(join(SEQUENCE_FIXTURES, 'well_formed_iob2.conll'));
    const report = run.report as any;
    const page = await openPanel();
    await show(page, run);
    assert.equal(await page.locator('[data-metric="Token accuracy"]').textContent(), report.tokenAccuracy.toFixed(3));
    assert.equal(await page.locator('[data-metric="Entity micro F1"]').textContent(), report.entities.micro.f1.toFixed(3));
    const rows = await page.locator('table.entity-table tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 5).map((c: any) => c.textContent)));
    const f = (v: number) => v.toFixed(3);
    assert.deepEqual(rows, [
      ...report.entities.perType.map((t: any) => [t.type, f(t.precision), f(t.recall), f(t.f1), String(t.support)]),
      ...['micro', 'macro', 'weighted'].map((a) => [`${a} avg`, f(report.entities[a].precision), f(report.entities[a].recall), f(report.entities[a].f1), report.entities[a].support.toLocaleString('en-US')]),
    ]);
    const names = [...report.entities.confusion.types, '(none)'];
    assert.deepEqual(await page.locator('.entity-confusion table.matrix th.row-label').allTextContents(), names);
    assert.deepEqual(await page.locator('.entity-confusion td.cell .value').allTextContents(), report.entities.confusion.matrix.flat().map((v: number) => v.toLocaleString('en-US')));
    assert.deepEqual(await page.locator('.tag-confusion table.matrix th.col-label').allTextContents(), report.tags.labels);
    assert.equal(await page.locator('[data-meta="task"]').textContent(), 'sequence-labelling');
    await page.close();
  });

  test('clicking an entity-type cell lists its sentences with the gold and predicted entities marked, and says how many were left out', async () => {
    const path = join(SEQUENCE_FIXTURES, 'well_formed_iob2.conll');
    const run = await taggingRun(path);
    const report = run.report as any;
    const examples = run.entityExamples!;
    const names = [...report.entities.confusion.types, '(none)'];
    const matrix: number[][] = report.entities.confusion.matrix;
    const none = names.length - 1;
    // The busiest swap between two types, and the type missed most often: more entities than the panel lists.
    let g = 0;
    let p = 1;
    matrix.forEach((row, i) => row.forEach((v, j) => { if (i !== j && i < none && j < none && v > matrix[g][p]) { g = i; p = j; } }));
    let missed = 0;
    for (let i = 0; i < none; i++) if (matrix[i][none] > matrix[missed][none]) missed = i;
    assert.ok(matrix[g][p] > 0 && matrix[g][p] <= examples.perCell && matrix[missed][none] > examples.perCell);
    const page = await openPanel();
    await show(page, run);
    const words = readFileSync(path, 'utf8').split(/\n\s*\n/).map((block) => block.split('\n').filter((l) => l.trim()).map((l) => l.split(' ')[0]));
    const section = page.locator('section.entity-examples');
    const checkListed = async (gold: number, predicted: number) => {
      const items = examples.cells.find((c) => c.gold === gold && c.predicted === predicted)!.items;
      const listed = section.locator('li.sentence');
      assert.equal(await listed.count(), items.length);
      for (const [i, item] of items.entries()) {
        const sentence = examples.sentences[item.sentence];
        const li = listed.nth(i);
        const at = `mark.entity[data-start="${item.start}"][data-end="${item.end}"]`;
        assert.equal(await li.locator(`.sentence-line.gold ${at}`).getAttribute('data-type'), names[gold]);
        if (predicted === none) assert.equal(await li.locator(`.sentence-line.predicted ${at}`).count(), 0);
        else assert.equal(await li.locator(`.sentence-line.predicted ${at}`).getAttribute('data-type'), names[predicted]);
        assert.deepEqual(await li.locator('.sentence-line.gold .token').allTextContents(), words[sentence.sentence].slice(sentence.offset, sentence.offset + sentence.tokens!.length));
        assert.deepEqual(await li.locator('.sentence-line.gold .token.focus').allTextContents(), sentence.tokens!.slice(item.start, item.end + 1));
      }
    };
    await page.locator(`.entity-confusion td.cell[data-truth="${g}"][data-predicted="${p}"]`).click();
    assert.equal(await section.locator('h3').textContent(), `Sentences: gold ${names[g]} predicted as ${names[p]}`);
    assert.equal(await section.locator('[data-examples="note"]').textContent(), `All ${matrix[g][p]} entities.`);
    await checkListed(g, p);
    await page.locator(`.entity-confusion td.cell[data-truth="${missed}"][data-predicted="${none}"]`).click();
    assert.equal(await section.locator('h3').textContent(), `Sentences: gold ${names[missed]} with no predicted entity on exactly its tokens`);
    assert.equal(await section.locator('[data-examples="note"]').textContent(), `The first ${examples.perCell} of ${matrix[missed][none]} entities; ${matrix[missed][none] - examples.perCell} left out (at most ${examples.perCell} a cell).`);
    await checkListed(missed, none);
    await page.close();
  });

  test('"Open in file" asks the host for the line where the listed sentence begins, which holds its first token', async () => {
    const path = join(SEQUENCE_FIXTURES, 'well_formed_iob2.conll');
    const run = await taggingRun(path);
    const examples = run.entityExamples!;
    const cell = examples.cells[0];
    const page = await openPanel();
    await show(page, run);
    await page.locator(`.entity-confusion td.cell[data-truth="${cell.gold}"][data-predicted="${cell.predicted}"]`).click();
    const last = cell.items.length - 1;
    await page.locator('section.entity-examples li.sentence').nth(last).locator('button.open-sentence').click();
    const sentence = examples.sentences[cell.items[last].sentence];
    const message = (await posted(page)).find((m) => m.type === 'openLine');
    assert.deepEqual(message, { type: 'openLine', run: 0, line: sentence.line });
    assert.deepEqual(parsePanelMessage(message, [run]), message, 'the host takes it');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const words = text.split(/\n\s*\n/).map((block) => block.split('\n').filter((l) => l.trim()).map((l) => l.split(' ')[0]));
    assert.equal(lines[sentence.line - 1].split(' ')[0], words[sentence.sentence][0], 'the line holds the sentence\'s first token');
    assert.ok(sentence.line === 1 || lines[sentence.line - 2].trim() === '', 'the line before a sentence is blank');
    await page.close();
  });

  test('tokens and entity types from the file are text, never markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlens-panel-'));
    const path = join(dir, 'hostile.jsonl');
    const type = '<img src=x onerror="window.__pwned=1">';
    writeFileSync(path, `${JSON.stringify({ tokens: ['<script>window.__pwned=2</script>', '<img src=y onerror="window.__pwned=3">'], tags: [`B-${type}`, 'O'], predictions: ['O', 'O'] })}\n`);
    const run = await taggingRun(path);
    const page = await openPanel();
    await show(page, run);
    await page.locator('.entity-confusion td.cell[data-truth="0"][data-predicted="1"]').click();
    assert.equal(await page.locator('img, main script').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(await page.locator('.sentence-line.gold .token').allTextContents(), ['<script>window.__pwned=2</script>', '<img src=y onerror="window.__pwned=3">']);
    assert.equal(await page.locator('.sentence-line.gold mark.entity').getAttribute('data-type'), type);
    await page.close();
  });
});

describe('a model run and Verify Shapes', () => {
  test('lists the model summary, Keras style, and each layer\'s real output shape beside the inferred one, mismatches marked', async () => {
    const run = {
      ...(await panelRun('spam_accuracy_paradox.csv')),
      model: {
        format: 'torch', path: '/w/gru_classifier.py', name: 'GRUClassifier', totalParams: 3628,
        layers: [
          { name: 'embedding', kind: 'Embedding', outputShape: '(None, None, 16)', params: 1600 },
          { name: 'gru', kind: 'GRU', outputShape: '(None, None, 24)', params: 3024 },
          { name: 'fc', kind: 'Linear', outputShape: '(None, 2)', params: 50 },
        ],
      },
    };
    const check = toShapeCheckView({
      className: 'GRUClassifier', batch: 3, length: 13, inputShape: [3, 13], mismatches: 1,
      rows: [
        { line: 13, expression: 'self.embedding(x)', kind: 'Embedding', name: 'embedded', analysedShape: '(B, T, 16)', expectedShape: '(B, T, 16)', realShape: [3, 13, 16], agrees: true },
        { line: 14, expression: 'self.gru(embedded)', kind: 'GRU', name: 'out', analysedShape: '(B, T, 24)', expectedShape: '(B, T, 24)', realShape: [3, 13, 24], agrees: true },
        { line: 16, expression: 'self.fc(out[:, -1, :])', kind: 'Linear', name: 'logits', analysedShape: '(B, 5)', expectedShape: '(B, 2)', realShape: [3, 2], agrees: false },
      ],
    }, '/w/gru_classifier.py');
    assert.ok(check);
    const page = await openPanel();
    await page.evaluate(({ run, check }) => window.postMessage({ type: 'show', runs: [run], shapeCheck: check }, '*'), { run, check });
    await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'rendered'));
    // The model summary, above the matrix.
    const summary = page.locator('section.model-summary');
    assert.equal(await summary.locator('h2').textContent(), 'Model: "GRUClassifier"');
    assert.deepEqual(await summary.locator('thead th').allTextContents(), ['Layer (type)', 'Output Shape', 'Param #']);
    assert.deepEqual(await summary.locator('tbody th.layer').allTextContents(), ['embedding (Embedding)', 'gru (GRU)', 'fc (Linear)']);
    assert.deepEqual(await summary.locator('tbody td.shape').allTextContents(), ['(None, None, 16)', '(None, None, 24)', '(None, 2)']);
    assert.deepEqual(await summary.locator('tbody td.params').allTextContents(), ['1,600', '3,024', '50']);
    assert.equal(await summary.locator('[data-meta="total-params"]').textContent(), 'Total params: 3,628');
    assert.ok(await page.evaluate(() => {
      const summary = document.querySelector('section.model-summary');
      const matrix = document.querySelector('table.matrix');
      return Boolean(summary.compareDocumentPosition(matrix) & 4); // the matrix follows the summary
    }));
    assert.equal(await cell(page, 1, 0).textContent(), '176', 'the matrix is still drawn');
    // The shape check.
    const shapes = page.locator('section.shape-check');
    assert.deepEqual(await shapes.locator('tbody th.layer').allTextContents(), ['embedded = self.embedding(x)', 'out = self.gru(embedded)', 'logits = self.fc(out[:, -1, :])']);
    assert.deepEqual(await shapes.locator('tbody td.inferred').allTextContents(), ['(B, T, 16)', '(B, T, 24)', '(B, 5)']);
    assert.deepEqual(await shapes.locator('tbody td.real').allTextContents(), ['(3, 13, 16)', '(3, 13, 24)', '(3, 2)']);
    assert.deepEqual(await shapes.locator('tbody tr').evaluateAll((rows: any[]) => rows.map((r) => r.dataset.match)), ['true', 'true', 'false']); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(await shapes.locator('tr.mismatch td.verdict').allTextContents(), ['mismatch']);
    // Highlighted: the mismatched row has a background of its own.
    const [okBackground, badBackground] = await shapes.locator('tbody tr td.real').evaluateAll((cells: any[]) => cells.map((c) => window.getComputedStyle(c).backgroundColor)).then((b: string[]) => [b[0], b[2]]); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.notEqual(badBackground, okBackground);
    assert.equal(await shapes.locator('.shape-verdict').textContent(), '1 inferred shape differs from the real one.');
    // Kept in the state, so that a reload shows it again.
    const state = await page.evaluate(() => window.__state);
    assert.equal(state.shapeCheck.rows.length, 3);
    await page.close();
  });

  test('shows a shape check alone when no evaluation ran', async () => {
    const check = toShapeCheckView({
      className: 'Tiny', batch: 3, length: 13, inputShape: [3, 13, 5], mismatches: 0,
      rows: [{ line: 8, expression: 'self.lstm(x)', kind: 'LSTM', name: 'out', analysedShape: null, expectedShape: '(B, T, 7)', realShape: [3, 13, 7], agrees: true }],
    }, '/w/tiny.py')!;
    const page = await openPanel();
    await page.evaluate((check) => window.postMessage({ type: 'show', runs: [], shapeCheck: check }, '*'), check);
    await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'rendered'));
    assert.deepEqual(await page.locator('section.shape-check tbody td.real').allTextContents(), ['(3, 13, 7)']);
    assert.equal(await page.locator('.empty').count(), 0);
    assert.equal(await page.locator('section.shape-check .shape-verdict').textContent(), 'Every inferred shape matches the real one.');
    await page.close();
  });
});

describe('the Content-Security-Policy', () => {
  test('lets the nonce script run but no inline script, inline handler or eval', async () => {
    injected = [
      '<script>window.__inlineRan = true;</script>',
      '<img src="data:," onerror="window.__handlerRan = true" alt="">',
      `<script src="${origin}/media/dist/panel.js"></script>`,
      // A script the policy does allow (it carries the nonce, as the panel's own does) still cannot eval.
      '<script nonce="NONCE">try { window.__evalResult = String(eval("1 + 1")); } catch (error) { window.__evalResult = error.name; }</script>',
    ].join('');
    const page = await openPanel();
    try {
      await show(page, await panelRun('spam_accuracy_paradox.csv'));
      assert.equal(await cell(page, 1, 0).textContent(), '176', 'the panel itself runs');
      assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
      assert.equal(await page.evaluate(() => window.__handlerRan), undefined);
      assert.equal(await page.evaluate(() => window.__evalResult), 'EvalError');
      // The inline script, the handler and the script without the nonce were each refused.
      const violations: string[] = await page.evaluate(() => window.__violations);
      assert.equal(violations.filter((v) => v.startsWith('script-src')).length, 4, violations.join('\n'));
    } finally {
      injected = '';
      await page.close();
    }
  });
});
