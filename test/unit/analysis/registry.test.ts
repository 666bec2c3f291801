// The registry is the single source of each rule's identity and documentation.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../../src/analysis';
import { rulesMarkdown } from '../../../src/cli/check';
import { fixtureDir, readFixtures } from './fixture-labels';

describe('rule registry', () => {
  it('gives every rule a unique stable code, a kebab-case name and all five doc sections', () => {
    const codes = new Set<string>();
    for (const rule of allRules()) {
      assert.match(rule.code, /^SL[12]\d\d$/);
      assert.ok(!codes.has(rule.code), `duplicate ${rule.code}`);
      codes.add(rule.code);
      assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const section of ['whatItDoes', 'whyIsThisBad', 'example', 'useInstead'] as const) assert.ok(rule.docs[section].length > 10, `${rule.code} lacks ${section}`);
      assert.ok(rule.docs.references.length > 0, `${rule.code} lacks references`);
    }
  });

  it('has buggy fixtures with fixed twins for every PyTorch rule', () => {
    const fixtures = readFixtures(fixtureDir('fixtures', 'torch'));
    for (const rule of allRules().filter((r) => r.framework === 'torch')) {
      const buggy = fixtures.filter((f) => f.name.startsWith(`${rule.code}_`) && !f.name.endsWith('_fixed.py'));
      assert.ok(buggy.length >= 2, `${rule.code} has ${buggy.length} buggy fixtures`);
      for (const b of buggy) assert.ok(fixtures.some((f) => f.name === b.name.replace(/\.py$/, '_fixed.py')), `${b.name} has no fixed twin`);
    }
  });

  it('matches the rule table in the README', () => {
    const readme = readFileSync(join(fixtureDir(), '..', 'README.md'), 'utf8');
    assert.ok(readme.includes(rulesMarkdown()), 'README rule table is out of date: paste `seqlens rules --markdown` between the markers');
  });
});
