// Errors by sequence length: bucket edges, where lengths come from, and the two warnings.
import { strict as assert } from 'node:assert';
import { evaluate } from '../../../src/evaluation/evaluate';
import { bucketOf, niceNumber, quantileEdges } from '../../../src/evaluation/sequence/length-buckets';
import { tempFile } from './helpers';

describe('length buckets', () => {
  it('round edges to the nearest 1, 2 or 5 × a power of ten', () => {
    assert.deepEqual([0.5, 3, 4, 13, 17, 34, 80, 140, 160, 700].map(niceNumber), [1, 2, 5, 10, 20, 20, 100, 100, 200, 500]);
  });

  it('are right-closed, as pandas.cut: a length on an edge falls in the lower bucket', () => {
    assert.equal(bucketOf([10, 20], 10), 0);
    assert.equal(bucketOf([10, 20], 11), 1);
    assert.equal(bucketOf([10, 20], 21), 2);
  });

  it('keep only quantile edges inside the lengths seen', () => {
    assert.deepEqual(quantileEdges(Float64Array.of(5, 5, 5, 5)), []);
    // Quantiles 20.8, 40.6, 60.4, 80.2 round to 20, 50, 50, 100; 100 is the longest, so no bucket lies above it.
    assert.deepEqual(quantileEdges(Float64Array.from({ length: 100 }, (_, i) => i + 1)), [20, 50]);
  });
});

describe('lengths from the predictions file', () => {
  const rows = (make: (i: number) => string) => Array.from({ length: 120 }, (_, i) => make(i)).join('\n');

  it('counts token ids other than --pad-id in a JSONL id array', async () => {
    const path = tempFile('p.jsonl', rows((i) => JSON.stringify({ input_ids: [5, 6, ...(i % 2 ? [7] : []), 0, 0], y_true: i % 2, y_pred: i % 2 })));
    const result = await evaluate(path, { backend: 'cpu', padId: 0, lengthBuckets: [2] });
    assert.equal(result.task, 'classification');
    const l = result.task === 'classification' ? result.lengthBuckets! : null;
    assert.deepEqual(l!.buckets.map((b) => b.count), [60, 60]);
    assert.equal(l!.source.kind, 'token-ids');
  });

  it('warns when accuracy falls 10 points from the shortest to the longest bucket, with the figures', async () => {
    const path = tempFile('p.csv', `length,y_true,y_pred\n${rows((i) => (i < 60 ? `10,1,1` : `100,1,${i % 2}`))}\n`);
    const result = await evaluate(path, { backend: 'cpu', lengthBuckets: [20] });
    const w = result.warnings.find((x) => x.code === 'SLE321');
    assert.match(w!.message, /Accuracy falls from 100\.0% on ≤ 20 tokens \(60 samples\) to 50\.0% on > 20 tokens \(60 samples\)/);
  });

  it('warns of truncation when 5% of samples share the longest length, but not when every sample has it', async () => {
    const cut = tempFile('p.csv', `text,y_true,y_pred\n${rows((i) => `${'w '.repeat(i < 10 ? 50 : 5 + (i % 30))},1,1`)}\n`);
    const warned = (await evaluate(cut, { backend: 'cpu' })).warnings.find((x) => x.code === 'SLE322');
    assert.match(warned!.message, /8\.33% of samples have exactly 50 tokens/);
    const fixed = tempFile('p.csv', `text,y_true,y_pred\n${rows(() => 'a b c,1,1')}\n`);
    assert.equal((await evaluate(fixed, { backend: 'cpu' })).warnings.some((x) => x.code === 'SLE322'), false);
  });
});
