// The threshold sweep: what a slider reads, and how curves are thinned for display.
import { strict as assert } from 'node:assert';
import { buildSweep, prCurveOf, rocCurveOf, sweepIndexAt, sweepPoint } from '../../../src/evaluation/metrics/curves';

const scores = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.3, 0.1]);
const positive = [1, 1, 0, 1, 0, 0];
const sweep = () => buildSweep(scores.slice(), (i) => positive[i] === 1, 1);

describe('threshold sweep', () => {
  it('holds one point per distinct score, highest first, with cumulative counts', () => {
    const s = sweep();
    assert.deepEqual(Array.from(s.thresholds), [0.9, 0.8, 0.4, 0.3, 0.1]);
    assert.deepEqual(Array.from(s.tp), [1, 2, 3, 3, 3]);
    assert.deepEqual(Array.from(s.fp), [0, 1, 1, 2, 3]);
  });

  it('counts a score equal to the threshold as positive, as scikit-learn does', () => {
    const s = sweep();
    const point = sweepPoint(s, sweepIndexAt(s, 0.8));
    assert.equal(point.tp, 2);
    assert.equal(point.fp, 1);
    assert.equal(point.precision, 2 / 3);
  });

  it('predicts nothing positive above the highest score', () => {
    assert.equal(sweepIndexAt(sweep(), 0.95), -1);
  });

  it('gives precision, recall, F1 and the whole confusion matrix at any point', () => {
    const p = sweepPoint(sweep(), 2);
    assert.deepEqual({ tp: p.tp, fp: p.fp, fn: p.fn, tn: p.tn }, { tp: 3, fp: 1, fn: 0, tn: 2 });
    assert.equal(p.recall, 1);
    assert.equal(p.f1, (2 * 0.75) / 1.75);
  });

  it('keeps the first and last points when thinning a long curve', () => {
    const n = 10_000;
    const big = Float64Array.from({ length: n }, (_, i) => i / n);
    const s = buildSweep(big, (i) => i % 3 === 0, 1);
    const roc = rocCurveOf(s, { maxPoints: 50 });
    assert.equal(roc.fpr.length, 50);
    assert.deepEqual([roc.fpr[0], roc.tpr[0]], [0, 0]);
    assert.deepEqual([roc.fpr[49], roc.tpr[49]], [1, 1]);
    const pr = prCurveOf(s, { maxPoints: 50 });
    assert.equal(pr.precision.length, 50);
    assert.deepEqual([pr.recall[49], pr.precision[49]], [0, 1]);
    assert.equal(pr.points, n + 1);
  });
});
