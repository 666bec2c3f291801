// The fixture corpora are the analyzer's specification (test/fixtures/keras included).
// - test/fixtures/torch and test/examples: each buggy program gets exactly its expected codes on exactly the
//   expected lines, and correct programs nothing louder than a hint.
// - test/fixtures/torch-realistic (written apart from the analyzer, in other styles): no false alarm anywhere,
//   and at least 80% of its labelled bugs caught on the right line; the misses are listed when it fails.
import { strict as assert } from 'node:assert';
import { Analyzer, createAnalyzer } from '../../../src/analysis';
import type { Finding } from '../../../src/analysis/findings';
import { Fixture, fixtureDir, readFixtures } from './fixture-labels';

const loud = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const show = (fs: Finding[]) => fs.map((f) => `${f.code}@${f.range.start.line + 1} ${f.message}`).join('\n  ');
// An expected code counts at any severity (SL209 is information by design); anything unexpected counts if loud.
const caughtIn = (findings: Finding[], e: { code: string; line: number }) => findings.some((f) => f.code === e.code && f.range.start.line === e.line && (loud(f) || f.severity === 'information'));
const unexpectedIn = (fixture: Fixture, findings: Finding[]) => findings.filter((f) => loud(f) && !fixture.expectations.some((e) => e.code === f.code && e.line === f.range.start.line));

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
});

for (const [title, dir] of [['PyTorch fixtures', fixtureDir('fixtures', 'torch')], ['Keras fixtures', fixtureDir('fixtures', 'keras')], ['bundled examples', fixtureDir('examples')]] as const) {
  describe(title, () => {
    for (const fixture of readFixtures(dir)) {
      const expected = fixture.expectations;
      const label = expected.length ? `reports ${expected.map((e) => `${e.code} on line ${e.line + 1}`).join(', ')}` : 'reports no error or warning';
      it(`${fixture.name} ${label}`, () => {
        const findings = analyzer.analyze(fixture.source, fixture.path).findings;
        for (const e of expected) assert.ok(caughtIn(findings, e), `missing ${e.code} on line ${e.line + 1}; got:\n  ${show(findings)}`);
        const unexpected = unexpectedIn(fixture, findings);
        assert.deepEqual(unexpected.map((f) => `${f.code}@${f.range.start.line + 1}`), [], `unexpected findings:\n  ${show(unexpected)}`);
      });
    }
  });
}

describe('realistic PyTorch programs written apart from the analyzer', () => {
  const fixtures = readFixtures(fixtureDir('fixtures', 'torch-realistic'));

  for (const fixture of fixtures) {
    it(`${fixture.name} raises no false alarm`, () => {
      const unexpected = unexpectedIn(fixture, analyzer.analyze(fixture.source, fixture.path).findings);
      assert.deepEqual(unexpected.map((f) => `${f.code}@${f.range.start.line + 1}`), [], `unexpected findings:\n  ${show(unexpected)}`);
    });
  }

  it('catches at least 80% of the labelled bugs on the right line', () => {
    const misses: string[] = [];
    let total = 0;
    for (const fixture of fixtures) {
      const findings = analyzer.analyze(fixture.source, fixture.path).findings;
      for (const e of fixture.expectations) {
        total++;
        if (!caughtIn(findings, e)) misses.push(`${fixture.name}:${e.line + 1} ${e.code}`);
      }
    }
    const recall = (total - misses.length) / total;
    assert.ok(total >= 30, `only ${total} labelled bugs`);
    assert.ok(recall >= 0.8, `caught ${total - misses.length}/${total}; missed:\n  ${misses.join('\n  ')}`);
  });
});
