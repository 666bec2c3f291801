// Every fix the analyzer offers must leave code that the analyzer then finds clean of that problem.
import { strict as assert } from 'node:assert';
import { Analyzer, createAnalyzer } from '../../../src/analysis';
import { applyEdits } from './apply-edits';
import { fixtureDir, readFixtures } from './fixture-labels';

describe('quick fixes', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await createAnalyzer();
  });

  const buggy = readFixtures(fixtureDir('fixtures', 'torch')).filter((f) => f.expectations.length > 0);

  it('every finding on a buggy fixture offers at most one preferred fix', () => {
    for (const fixture of buggy) {
      for (const finding of analyzer.analyze(fixture.source, fixture.path).findings) {
        assert.ok(finding.fixes.filter((f) => f.isPreferred).length <= 1, `${fixture.name}: ${finding.code} has several preferred fixes`);
      }
    }
  });

  for (const fixture of buggy) {
    it(`${fixture.name}: each fix removes the finding it fixes`, () => {
      const findings = analyzer.analyze(fixture.source, fixture.path).findings;
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          const fixed = applyEdits(fixture.source, fix.edits);
          assert.notEqual(fixed, fixture.source, `${finding.code} fix "${fix.title}" changes nothing`);
          const after = analyzer.analyze(fixed, fixture.path).findings;
          const still = after.filter((f) => f.code === finding.code && f.range.start.line === finding.range.start.line);
          assert.deepEqual(still.map((f) => f.message), [], `${finding.code} fix "${fix.title}" left the finding in place`);
        }
      }
    });
  }

  it('the seed example is fixed by "Set input_size=100"', () => {
    const source = 'import torch\nimport torch.nn as nn\n\ngru = nn.GRU(input_size=50, hidden_size=100)\nout, h = gru(torch.randn(32, 10, 100))\n';
    const [finding] = analyzer.analyze(source, 'seed.py').findings;
    assert.equal(finding.code, 'SL101');
    const preferred = finding.fixes.find((f) => f.isPreferred)!;
    assert.equal(preferred.title, 'Set input_size=100');
    const fixed = applyEdits(source, preferred.edits);
    assert.match(fixed, /nn\.GRU\(input_size=100, hidden_size=100\)/);
    assert.deepEqual(analyzer.analyze(fixed, 'seed.py').findings, []);
  });
});
