// Every tagged file in test/fixtures/sequence against the figures seqeval 1.2.2 gives on it
// (test/oracle/sequence_oracle.py, which CI re-runs with its own reference), to 1e-9.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateTaggingFile } from '../../../src/evaluation/sequence/tagging/evaluate';
import type { SchemeName } from '../../../src/evaluation/sequence/tagging/schemes';
import { taggingJsonObject } from '../../../src/evaluation/report/tagging';
import { differences, REPO } from './helpers';

const FIXTURES = join(REPO, 'test', 'fixtures', 'sequence');

interface Golden {
  file: string;
  options: { mode: 'default' | 'strict'; scheme?: SchemeName };
  checkedWith: string | null;
  expected: Record<string, unknown>;
}

const goldens = readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.json')).sort();

describe('sequence labelling agrees with seqeval 1.2.2 on every generated tagged file', () => {
  it('has goldens for every scheme in both modes', () => {
    for (const scheme of ['iob1', 'iob2', 'ioe1', 'ioe2', 'iobes', 'bilou']) {
      assert.ok(goldens.includes(`random_${scheme}.default.expected.json`), `default mode on ${scheme}`);
      assert.ok(goldens.includes(`random_${scheme}.strict-${scheme}.expected.json`), `strict mode on ${scheme}`);
    }
  });

  for (const name of goldens) {
    const golden = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Golden;
    it(`${name.replace('.expected.json', '')}: entity scores, token accuracy and both confusion matrices within 1e-9`, async () => {
      const result = await evaluateTaggingFile(join(FIXTURES, golden.file), golden.options);
      assert.deepEqual(differences(golden.expected, taggingJsonObject(result)).slice(0, 10), []);
    });
  }
});
