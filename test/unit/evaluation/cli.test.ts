// `seqlens eval` as a user runs it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import type { CliIO } from '../../../src/cli/io';
import { FIXTURES, tempFile } from './helpers';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; } };
  const code = await runEval(args, io);
  return { code, out, err };
}

describe('seqlens eval', () => {
  it('prints a classification report, the matrix and the warnings, and exits 0', async () => {
    const { code, out } = await run([join(FIXTURES, 'accuracy_paradox_spam.csv'), '--backend', 'cpu']);
    assert.equal(code, 0);
    assert.match(out, /precision {4}recall {2}f1-score {3}support/);
    assert.match(out, /^ {9}ham {6}0\.982 {5}0\.998 {5}0\.990 {6}9800$/m);
    assert.match(out, /Confusion matrix \(rows: true, columns: predicted\)/);
    assert.match(out, /SLE101 accuracy-paradox:/);
    assert.match(out, /backend: cpu/);
  });

  it('prints JSON with exactly the keys of the issues for binary scores (calibration since issue 16)', async () => {
    const { code, out } = await run([join(FIXTURES, 'binary_scores_pred.csv'), '--format', 'json', '--backend', 'cpu']);
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json), [
      'task', 'backend', 'n', 'labels', 'confusionMatrix', 'accuracy', 'balancedAccuracy', 'mcc', 'kappa',
      'perClass', 'macro', 'micro', 'weighted', 'threshold', 'rocAuc', 'averagePrecision', 'logLoss', 'curves', 'calibration', 'warnings',
    ]);
    assert.deepEqual(Object.keys(json.perClass[0]), ['label', 'precision', 'recall', 'f1', 'support']);
    assert.deepEqual(Object.keys(json.curves), ['roc', 'pr']);
    assert.equal(json.backend, 'cpu');
  });

  it('prints JSON with the regression keys', async () => {
    const { out } = await run([join(FIXTURES, 'regression.csv'), '--format', 'json', '--backend', 'cpu']);
    assert.deepEqual(Object.keys(JSON.parse(out)), ['task', 'backend', 'n', 'mse', 'mae', 'rmse', 'r2', 'warnings']);
  });

  it('prints JSON with the language-model keys', async () => {
    const { out } = await run([join(FIXTURES, 'language_model_loss.csv'), '--format', 'json', '--backend', 'cpu']);
    assert.deepEqual(Object.keys(JSON.parse(out)), ['task', 'backend', 'n', 'crossEntropy', 'perplexity', 'warnings']);
  });

  it('writes NaN as null in JSON', async () => {
    const { out } = await run([join(FIXTURES, 'single_class_scores.csv'), '--format', 'json', '--backend', 'cpu']);
    assert.equal(JSON.parse(out).rocAuc, null);
  });

  it('writes a self-contained HTML report to --out', async () => {
    const path = tempFile('report.html', '');
    const { code, out } = await run([join(FIXTURES, 'string_labels_two_columns.csv'), '--format', 'html', '--out', path, '--backend', 'cpu']);
    assert.equal(code, 0);
    assert.equal(out, '');
    const html = readFileSync(path, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<polyline/);
    assert.doesNotMatch(html, /<script/);
  });

  it('applies --threshold, --positive and --class-names', async () => {
    const file = tempFile('t.csv', 'y_true,score\n0,0.2\n1,0.35\n1,0.8\n0,0.6\n');
    const { out } = await run([file, '--threshold', '0.3', '--positive', '1', '--class-names', 'ham,spam', '--format', 'json', '--backend', 'cpu']);
    const json = JSON.parse(out);
    assert.deepEqual(json.labels, ['ham', 'spam']);
    assert.equal(json.threshold, 0.3);
    assert.deepEqual(json.confusionMatrix, [[1, 1], [0, 2]]);
  });

  it('exits 2 naming the file, line and cause for bad input', async () => {
    const file = tempFile('bad.csv', 'y_true,score\n1,0.5\n0,abc\n');
    const { code, err } = await run([file]);
    assert.equal(code, 2);
    assert.match(err, /bad\.csv:3: column 'score': the score 'abc' is not a number/);
  });

  it('exits 2 on an unknown option, with the usage', async () => {
    const { code, err } = await run(['--bogus', 'x.csv']);
    assert.equal(code, 2);
    assert.match(err, /unknown option --bogus/);
    assert.match(err, /Usage: seqlens eval/);
  });

  it('exits 2 without a file', async () => {
    assert.equal((await run([])).code, 2);
  });

  it('prints the usage for --help and exits 0', async () => {
    const { code, out } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(out, /--backend tfjs-node\|wasm\|cpu/);
  });
});
