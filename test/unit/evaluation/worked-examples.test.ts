// The seeds' worked examples come out exactly.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import type { ClassificationResult } from '../../../src/evaluation/types';
import { FIXTURES } from './helpers';

async function classify(file: string): Promise<ClassificationResult> {
  const result = await evaluate(join(FIXTURES, file), { backend: 'cpu' });
  assert.equal(result.task, 'classification');
  return result as ClassificationResult;
}

describe('the seeds\' worked examples', () => {
  it('TP=80, FN=20, FP=10, TN=90 gives precision 0.889, recall 0.80 and F1 0.842', async () => {
    const r = await classify('worked_example_precision_recall.csv');
    assert.deepEqual(r.confusionMatrix, [[90, 10], [20, 80]]);
    const positive = r.perClass.find((c) => c.label === 1)!;
    assert.equal(positive.precision.toFixed(3), '0.889');
    assert.equal(positive.recall, 0.8);
    assert.equal(positive.f1.toFixed(3), '0.842');
  });

  it('TP=40, FP=5, FN=10, TN=45 gives accuracy 0.85', async () => {
    const r = await classify('worked_example_accuracy.csv');
    assert.deepEqual(r.confusionMatrix, [[45, 5], [10, 40]]);
    assert.equal(r.accuracy, 0.85);
  });

  it('a 98%-accuracy, 12%-recall spam set raises the accuracy-paradox warning', async () => {
    const r = await classify('accuracy_paradox_spam.csv');
    assert.equal(r.accuracy, 0.98);
    assert.equal(r.perClass.find((c) => c.label === 'spam')!.recall, 0.12);
    const paradox = r.warnings.find((w) => w.code === 'SLE101');
    assert.ok(paradox, JSON.stringify(r.warnings));
    assert.match(paradox.message, /recall of 'spam' is 12\.0%/);
    assert.match(paradox.message, /always predicting 'ham' would score 98\.0%/);
  });
});
