// The rows behind each matrix cell, the residual sample and the panel's thinned sweep.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import { sweepIndexAt, sweepPoint } from '../../../src/evaluation/metrics/curves';
import { MAX_PANEL_SWEEP_POINTS, toPanelRun } from '../../../src/evaluation/report/panel';
import { collectCellSamples, sampleResiduals } from '../../../src/evaluation/samples';
import type { ClassificationResult, RegressionResult } from '../../../src/evaluation/types';
import { REPO, tempFile } from './helpers';

const EXAMPLES = join(REPO, 'test', 'examples', 'predictions');

/** A CSV without quoted commas, as rows of cells (header dropped). */
function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => {
    const cells: string[] = [];
    for (const match of line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)) {
      if (match.index === line.length && cells.length > 0 && !line.endsWith(',')) break;
      cells.push(match[1].startsWith('"') ? match[1].slice(1, -1).replace(/""/g, '"') : match[1]);
    }
    return cells;
  });
}

describe('cell samples', () => {
  const spam = join(EXAMPLES, 'spam_accuracy_paradox.csv');

  it('keeps, for each cell, rows whose true and predicted labels are that cell, first in file order', async () => {
    const result = (await evaluate(spam, { backend: 'cpu', cellSamples: true })) as ClassificationResult;
    const samples = result.cellSamples!;
    const rows = csvRows(spam);
    assert.equal(samples.cells.length, 4);
    for (const cell of samples.cells) {
      const truth = String(result.labels[cell.truth]);
      const predicted = String(result.labels[cell.predicted]);
      const inFile = rows.map((r, i) => ({ r, i })).filter(({ r }) => r[0] === truth && r[1] === predicted).map(({ i }) => i);
      const expected = inFile.slice(0, Math.min(samples.perCell, result.confusionMatrix[cell.truth][cell.predicted]));
      assert.deepEqual(cell.rows, expected, `${truth} → ${predicted}`);
    }
  });

  it('gives each kept row its score and its text and id columns from the file', async () => {
    const result = (await evaluate(spam, { backend: 'cpu', cellSamples: true })) as ClassificationResult;
    const samples = result.cellSamples!;
    const rows = csvRows(spam);
    assert.deepEqual(samples.scoreColumns, ['p_spam']);
    assert.deepEqual(samples.fieldColumns, ['text', 'id']);
    const missed = samples.cells.find((c) => result.labels[c.truth] === 'spam' && result.labels[c.predicted] === 'ham')!;
    missed.rows.forEach((row, i) => {
      assert.equal(missed.scores![i][0], Number(rows[row][2]));
      assert.deepEqual(missed.fields![i], [rows[row][3], rows[row][4]]);
    });
  });

  it('caps the rows per cell and in all, whatever the number of rows', () => {
    const k = 50;
    const n = 200_000;
    const combined = new Int32Array(n);
    const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const t = i % k;
      const p = (i * 7) % k;
      combined[i] = t * k + p;
      matrix[t][p]++;
    }
    const samples = collectCellSamples(combined, k, matrix, null, { perCell: 100, total: 1000 });
    const kept = samples.cells.reduce((total, cell) => total + cell.rows.length, 0);
    assert.ok(kept <= 1000, `${kept} rows kept`);
    assert.ok(samples.cells.every((cell) => cell.rows.length <= samples.perCell));
    for (const cell of samples.cells) for (const row of cell.rows) assert.equal(combined[row], cell.truth * k + cell.predicted);
  });

  it('keeps the true and predicted class probabilities for multi-class scores', async () => {
    const file = tempFile('three.csv', 'y_true,p_a,p_b,p_c\na,0.7,0.2,0.1\nb,0.6,0.3,0.1\nc,0.1,0.1,0.8\n');
    const result = (await evaluate(file, { backend: 'cpu', cellSamples: true })) as ClassificationResult;
    const samples = result.cellSamples!;
    assert.deepEqual(samples.scoreColumns, ['p(true class)', 'p(predicted class)']);
    const bAsA = samples.cells.find((c) => c.truth === 1 && c.predicted === 0)!;
    assert.deepEqual(bAsA.rows, [1]);
    assert.deepEqual(bAsA.scores, [[0.3, 0.6]]);
  });

  it('reads the text column back from JSON Lines too', async () => {
    const file = tempFile('p.jsonl', '{"text":"hello","y_true":1,"y_pred":0}\n{"text":"bye","y_true":0,"y_pred":0}\n');
    const result = (await evaluate(file, { backend: 'cpu', cellSamples: true })) as ClassificationResult;
    const miss = result.cellSamples!.cells.find((c) => c.truth === 1 && c.predicted === 0)!;
    assert.deepEqual(miss.fields, [['hello']]);
  });

  it('leaves the JSON report unchanged', async () => {
    const plain = (await evaluate(spam, { backend: 'cpu' })) as ClassificationResult;
    assert.equal(plain.cellSamples, undefined);
  });
});

describe('residual sample', () => {
  it('keeps every pair of a small file', async () => {
    const result = (await evaluate(join(EXAMPLES, 'sensor_forecast_regression.csv'), { backend: 'cpu', residualSamples: 2000 })) as RegressionResult;
    assert.equal(result.residuals!.total, 1500);
    assert.equal(result.residuals!.sampled, false);
    assert.equal(result.residuals!.rows.length, 1500);
  });

  it('samples a large one evenly and keeps its largest residuals', () => {
    const n = 100_000;
    const truth = new Float64Array(n).map((_, i) => i % 100);
    const predicted = truth.map((v) => v + 0.5);
    predicted[77_777] = 1e6;
    const sample = sampleResiduals(truth, predicted, 500);
    assert.ok(sample.rows.length <= 500);
    assert.ok(sample.rows.includes(77_777));
    assert.ok(sample.rows[0] === 0 && sample.rows[sample.rows.length - 1] > n * 0.99);
    sample.rows.forEach((row, i) => assert.equal(sample.predicted[i], predicted[row]));
  });
});

describe('panel sweep', () => {
  it('starts with the point that predicts nothing positive and keeps every distinct score of a small file', async () => {
    const result = (await evaluate(join(EXAMPLES, 'review_sentiment_scores.csv'), { backend: 'cpu' })) as ClassificationResult;
    const panel = toPanelRun(result);
    const full = result.scores!.sweep!;
    assert.equal(panel.sweep!.thresholds.length, full.thresholds.length + 1);
    assert.equal(panel.sweep!.tp[0], 0);
    assert.equal(panel.sweep!.fp[0], 0);
    assert.ok(panel.sweep!.thresholds[0] > full.thresholds[0]);
    const at = sweepIndexAt(full, 0.5);
    assert.equal(panel.sweep!.tp[at + 1], sweepPoint(full, at).tp);
  });

  it('thins a sweep with more distinct scores than a slider needs, exactly at the points it keeps', async () => {
    const lines = ['y_true,score'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i % 3 === 0 ? 1 : 0},${((i * 7919) % 30_011) / 30_011 + i * 1e-9}`);
    const result = (await evaluate(tempFile('many.csv', lines.join('\n')), { backend: 'cpu' })) as ClassificationResult;
    const full = result.scores!.sweep!;
    const sweep = toPanelRun(result).sweep!;
    assert.ok(sweep.thresholds.length <= MAX_PANEL_SWEEP_POINTS + 1);
    assert.equal(sweep.distinct, full.thresholds.length);
    for (const i of [1, 500, 7000, sweep.thresholds.length - 1]) {
      const exact = sweepIndexAt(full, sweep.thresholds[i]);
      assert.equal(sweep.tp[i], full.tp[exact]);
      assert.equal(sweep.fp[i], full.fp[exact]);
    }
    // The threshold that made the predictions (0.5) is one of the kept points.
    const at = sweepIndexAt(full, 0.5);
    assert.ok(sweep.thresholds.includes(full.thresholds[at]));
  });
});
