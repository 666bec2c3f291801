// Every prediction set in test/fixtures/eval against the values scikit-learn computed on it
// (test/oracle/sklearn_oracle.py), to 1e-9.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import { sweepPoint } from '../../../src/evaluation/metrics/curves';
import { toJsonObject } from '../../../src/evaluation/report/json';
import type { EvaluateOptions } from '../../../src/evaluation/types';
import { differences, FIXTURES } from './helpers';

interface Golden {
  file: string;
  options: EvaluateOptions;
  expected: Record<string, unknown> & { sweep?: { thresholds: number[]; precision: number[]; recall: number[]; f1: number[] } };
}

const goldens = readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.json')).sort();

describe('evaluation agrees with scikit-learn on every golden prediction set', () => {
  it('has the generated goldens to compare with', () => {
    assert.ok(goldens.length >= 25, `only ${goldens.length} goldens in ${FIXTURES}`);
  });

  for (const name of goldens) {
    const golden = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Golden;
    it(`${golden.file}: every metric within 1e-9`, async () => {
      const result = await evaluate(join(FIXTURES, golden.file), { ...golden.options, backend: 'cpu', maxCurvePoints: 0 });
      const { sweep, ...expected } = golden.expected;
      const actualJson = toJsonObject(result);
      // The temperature PyTorch's LBFGS stops at is only as exact as its loss-change tolerance allows
      // (the loss is flat at its minimum); the engine solves for a zero gradient. Temperatures agree to
      // 1e-6, and the losses and ECE after scaling to 1e-9.
      const problems = differences(expected, actualJson).filter((p) => !p.startsWith('.calibration.temperature.temperature:'));
      const fitted = (expected.calibration as { temperature: { temperature: number | null } | null } | undefined)?.temperature?.temperature;
      if (typeof fitted === 'number') {
        problems.push(...differences(fitted, (actualJson.calibration as { temperature: { temperature: number } }).temperature.temperature, '.calibration.temperature.temperature', 1e-6));
      }
      if (sweep) {
        assert.equal(result.task, 'classification');
        const actual = result.task === 'classification' ? result.scores?.sweep : null;
        assert.ok(actual, 'a binary score gives a threshold sweep');
        const points = Array.from({ length: actual.thresholds.length }, (_, i) => sweepPoint(actual, i));
        problems.push(...differences(sweep, {
          thresholds: points.map((p) => p.threshold),
          precision: points.map((p) => p.precision),
          recall: points.map((p) => p.recall),
          f1: points.map((p) => p.f1),
        }, '.sweep'));
      }
      assert.deepEqual(problems.slice(0, 10), []);
    });
  }
});
