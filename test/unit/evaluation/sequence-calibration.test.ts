// Calibration: scikit-learn's bins, ECE and MCE from them, temperature scaling, the overconfidence warning.
import { strict as assert } from 'node:assert';
import { binOf, innerEdges, reliability } from '../../../src/evaluation/sequence/calibration';
import { calibrationOf, calibrationWarnings } from '../../../src/evaluation/sequence/calibration-report';
import { fitTemperature } from '../../../src/evaluation/sequence/temperature';

describe('calibration bins (scikit-learn 1.2 calibration_curve, uniform)', () => {
  it('puts a score on an edge in the lower bin, 0 in the first and 1 in the last', () => {
    const edges = innerEdges(10);
    assert.equal(binOf(edges, 0), 0);
    assert.equal(binOf(edges, 0.1), 0);
    assert.equal(binOf(edges, 0.10000000000000002), 1);
    assert.equal(binOf(edges, 1), 9);
  });

  it('uses NumPy linspace edges: 3 × 0.1 is 0.30000000000000004, so 0.3 and 0.30000000000000004 share bin 2', () => {
    const edges = innerEdges(10);
    assert.equal(edges[2], 0.30000000000000004);
    assert.equal(binOf(edges, 0.3), 2);
    assert.equal(binOf(edges, 0.30000000000000004), 2);
  });

  it('weighs each non-empty bin by its share of the samples in the ECE, and takes the largest gap as MCE', () => {
    // Bin (0.1, 0.2]: scores 0.2, 0.2, outcomes 0, 0 → gap 0.2. Bin (0.8, 0.9]: 0.9, 0.9 → 1, 0 → gap 0.4.
    const curve = reliability([0.2, 0.2, 0.9, 0.9], (i) => i === 2, 10);
    assert.deepEqual(curve.binIndex, [1, 8]);
    assert.ok(Math.abs(curve.ece - (0.5 * 0.2 + 0.5 * 0.4)) < 1e-15);
    assert.ok(Math.abs(curve.mce - 0.4) < 1e-15);
  });
});

describe('temperature scaling', () => {
  it('recovers the temperature that made calibrated logits overconfident', () => {
    // Draw calibrated two-class logits, take the outcome with its softmax probability, then double them.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 20000;
    const z0 = new Float64Array(n);
    const z1 = new Float64Array(n);
    const truth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const margin = (random() - 0.5) * 6;
      truth[i] = random() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
      z1[i] = 2 * margin;
    }
    const fit = fitTemperature([z0, z1], truth);
    assert.ok(fit.temperature !== null && Math.abs(fit.temperature - 2) < 0.1, `T = ${fit.temperature}`);
    assert.ok(fit.nllAfter < fit.nllBefore);
  });

  it('reports no temperature when the data are separable (the loss falls all the way to T = 0)', () => {
    const fit = fitTemperature([Float64Array.of(1, -1), Float64Array.of(-1, 1)], Int32Array.of(0, 1));
    assert.equal(fit.temperature, null);
  });
});

describe('the overconfidence warning', () => {
  const columns = (p: number[]) => [{ label: 0, values: p.map((v) => 1 - v) }, { label: 1, values: p }];

  it('fires when top-label ECE ≥ 0.05 and confidence exceeds accuracy by ≥ 0.05, and says the fit used this data', () => {
    // Confidence 0.95 everywhere, right 60% of the time.
    const truth = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 1 : 0));
    const calibration = calibrationOf(columns(new Array(100).fill(0.95)), truth, [1], 10);
    const [w] = calibrationWarnings(calibration);
    assert.equal(w?.code, 'SLE311');
    assert.match(w.message, /Mean confidence is 95\.0% but accuracy is 60\.0%/);
    assert.match(w.message, /fitted on this same data/);
  });

  it('stays quiet for an underconfident model, however large its ECE', () => {
    const truth = Int32Array.from({ length: 100 }, () => 1);
    assert.deepEqual(calibrationWarnings(calibrationOf(columns(new Array(100).fill(0.6)), truth, [1], 10)), []);
  });
});
