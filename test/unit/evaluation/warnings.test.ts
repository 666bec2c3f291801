// Each warning fires on the data it describes, and stays silent on healthy data.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import type { EvaluationResult } from '../../../src/evaluation/types';
import { WARNING_CATALOGUE } from '../../../src/evaluation/warnings';
import { FIXTURES, tempFile } from './helpers';

const codes = (r: EvaluationResult) => r.warnings.map((w) => w.code);

function csv(rows: (string | number)[][], header: string): string {
  return `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

describe('evaluation warnings', () => {
  it('every code in the catalogue has a name and the three explanations', () => {
    for (const [code, rule] of Object.entries(WARNING_CATALOGUE)) {
      assert.equal(rule.code, code);
      assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(rule.what && rule.why && rule.tryThis, code);
    }
  });

  it('a balanced, accurate classifier gets no warning', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i % 2, i % 10 === 0 ? 1 - (i % 2) : i % 2]);
    const r = await evaluate(tempFile('ok.csv', csv(rows, 'y_true,y_pred')), { backend: 'cpu' });
    assert.deepEqual(codes(r), []);
  });

  it('flags class imbalance at 10 to 1 or more', async () => {
    const r = await evaluate(join(FIXTURES, 'imbalanced_scores.csv'), { backend: 'cpu' });
    assert.ok(codes(r).includes('SLE102'), JSON.stringify(r.warnings));
  });

  it('flags a class that is never predicted, and the zero division it causes', async () => {
    const r = await evaluate(join(FIXTURES, 'class_never_predicted.csv'), { backend: 'cpu' });
    const never = r.warnings.find((w) => w.code === 'SLE103');
    assert.ok(never);
    assert.match(never.message, /'2'/);
    assert.ok(r.warnings.some((w) => w.code === 'SLE104' && /Precision and F1/.test(w.message)));
  });

  it('flags labels only in the predictions, which balanced accuracy leaves out', async () => {
    const r = await evaluate(join(FIXTURES, 'labels_missing_from_one_side.csv'), { backend: 'cpu' });
    assert.ok(r.warnings.some((w) => w.code === 'SLE106' && /'bird'/.test(w.message)));
    assert.ok(r.warnings.some((w) => w.code === 'SLE104' && /Recall and F1/.test(w.message)));
  });

  it('says ROC AUC is undefined when only one class is present', async () => {
    const r = await evaluate(join(FIXTURES, 'single_class_scores.csv'), { backend: 'cpu' });
    assert.ok(r.task === 'classification' && Number.isNaN(r.scores!.rocAuc));
    assert.ok(codes(r).includes('SLE105'));
  });

  it('warns when per-class probabilities do not sum to 1', async () => {
    const rows = [['a', 0.5, 0.6], ['b', 0.2, 0.8], ['a', 0.7, 0.3], ['b', 0.1, 0.9]];
    const r = await evaluate(tempFile('p.csv', csv(rows, 'y_true,p_a,p_b')), { backend: 'cpu' });
    const w = r.warnings.find((x) => x.code === 'SLE107');
    assert.ok(w);
    assert.match(w.message, /1 of 4 rows \(the first is row 1\)/);
  });

  it('does not compute log loss from scores outside [0, 1]', async () => {
    const rows = [[1, 2.5], [0, -1.0], [1, 0.3], [0, -3]];
    const r = await evaluate(tempFile('logit.csv', csv(rows, 'y_true,decision_function')), { backend: 'cpu', threshold: 0 });
    assert.ok(r.task === 'classification' && Number.isNaN(r.scores!.logLoss));
    assert.ok(codes(r).includes('SLE108'));
  });

  it('flags an overfitting gap and leakage against a training file', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `review number ${i}`);
    const train = csv(texts.map((t, i) => [t, i % 2, i % 2]), 'text,y_true,y_pred');
    // The test set repeats 10 training reviews (with different case and punctuation) and gets half wrong.
    const testRows = Array.from({ length: 20 }, (_, i) => [i < 10 ? `Review Number ${i}!` : `unseen ${i}`, i % 2, i % 4 < 2 ? i % 2 : 1 - (i % 2)]);
    const r = await evaluate(tempFile('test.csv', csv(testRows, 'text,y_true,y_pred')), { backend: 'cpu', trainPath: tempFile('train.csv', train) });
    const overfit = r.warnings.find((w) => w.code === 'SLE201');
    assert.ok(overfit, JSON.stringify(r.warnings));
    assert.match(overfit.message, /Training accuracy 100\.0% vs 50\.0% here/);
    const leak = r.warnings.find((w) => w.code === 'SLE202');
    assert.ok(leak, JSON.stringify(r.warnings));
    assert.match(leak.message, /^10 of 20 evaluated samples \(50\.0%\)/);
  });

  it('says leakage was not checked when there is no sample column', async () => {
    const file = join(FIXTURES, 'binary_labels.csv');
    const r = await evaluate(file, { backend: 'cpu', trainPath: file });
    assert.deepEqual(codes(r).filter((c) => c.startsWith('SLE2')), ['SLE203']);
  });
});
