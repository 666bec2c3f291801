// The fixture corpus is the analyzer's specification: each buggy program must get exactly its
// expected codes on exactly the expected lines, and the correct programs nothing louder than a hint.
import { strict as assert } from 'node:assert';
import { Analyzer, createAnalyzer } from '../../../src/analysis';
import type { Finding } from '../../../src/analysis/findings';
import { fixtureDir, readFixtures } from './fixture-labels';

const loud = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const show = (fs: Finding[]) => fs.map((f) => `${f.code}@${f.range.start.line + 1} ${f.message}`).join('\n  ');

for (const [title, dir] of [['PyTorch fixtures', fixtureDir('fixtures', 'torch')], ['bundled examples', fixtureDir('examples')]] as const) {
  describe(title, () => {
    let analyzer: Analyzer;
    before(async () => {
      analyzer = await createAnalyzer();
    });

    for (const fixture of readFixtures(dir)) {
      const expected = fixture.expectations;
      const label = expected.length ? `reports ${expected.map((e) => `${e.code} on line ${e.line + 1}`).join(', ')}` : 'reports no error or warning';
      it(`${fixture.name} ${label}`, () => {
        const findings = analyzer.analyze(fixture.source, fixture.path).findings;
        for (const e of expected) {
          assert.ok(findings.some((f) => f.code === e.code && f.range.start.line === e.line), `missing ${e.code} on line ${e.line + 1}; got:\n  ${show(findings)}`);
        }
        const unexpected = findings.filter((f) => loud(f) && !expected.some((e) => e.code === f.code && e.line === f.range.start.line));
        assert.deepEqual(unexpected.map((f) => `${f.code}@${f.range.start.line + 1}`), [], `unexpected findings:\n  ${show(unexpected)}`);
      });
    }
  });
}
