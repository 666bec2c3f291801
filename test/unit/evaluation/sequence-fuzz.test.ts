// The tagged-file readers join the standing fuzz run: seeded mutants of small, valid CoNLL and
// per-token JSONL files must each give a result or the project's clean InputError, in both modes,
// never another exception, and memory must stay bounded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/evaluation/errors';
import { evaluateTaggingFile, TaggingOptions } from '../../../src/evaluation/sequence/tagging/evaluate';
import { peakGrowthMB } from './memory-guard';
import { mutants, seededRandom } from './mutations';

const MUTANTS_PER_FORMAT = Number(process.env.SEQLENS_FUZZ_MUTANTS ?? 400);
const FUZZ_SEED = Number(process.env.SEQLENS_FUZZ_SEED ?? 0x5eed);
const MEMORY_GUARD_MB = 500;

const sentences = [
  [['EU', 'B-ORG', 'B-ORG'], ['rejects', 'O', 'O'], ['German', 'B-MISC', 'I-MISC'], ['call', 'O', 'O']],
  [['Peter', 'B-PER', 'B-PER'], ['Blackburn', 'I-PER', 'E-PER'], ['in', 'O', 'O'], ['Brüssel', 'B-LOC', 'U-LOC']],
  [['-', 'O', 'I-LOC'], ['x', 'S-PER', 'L-PER']],
];

const SEEDS: Record<string, Buffer[]> = {
  conll: [
    Buffer.from(`-DOCSTART- -X- O O\n\n${sentences.map((s) => s.map((t) => t.join(' ')).join('\n')).join('\n\n')}\n`),
    Buffer.from(sentences.map((s) => s.map((t) => `${t[0]}\tNNP\t${t[1]}\t${t[2]}`).join('\r\n')).join('\r\n\r\n')),
  ],
  jsonl: [
    Buffer.from(sentences.map((s) => JSON.stringify({ tokens: s.map((t) => t[0]), tags: s.map((t) => t[1]), predictions: s.map((t) => t[2]) })).join('\n')),
    Buffer.from(sentences.map((s) => JSON.stringify({ ner_tags: s.map((t) => t[1]), pred_tags: s.map((t) => t[2]) })).join('\n\n')),
  ],
};

const MODES: TaggingOptions[] = [{}, { mode: 'strict', scheme: 'IOB2' }, { mode: 'strict' }];

describe('fuzzing the tagged-file readers', function () {
  this.timeout(Math.max(120_000, MUTANTS_PER_FORMAT * 200));
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-fuzz-tags-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [format, seeds] of Object.entries(SEEDS)) {
    it(`${MUTANTS_PER_FORMAT} mutants of .${format} files give a result or a clean InputError in every mode, in bounded memory`, async () => {
      const path = join(dir, `mutant.${format}`);
      for (const seed of seeds) {
        writeFileSync(path, seed);
        await evaluateTaggingFile(path);
      }
      const random = seededRandom(FUZZ_SEED + format.length);
      const outcomes = { results: 0, inputErrors: 0 };
      const { error, peakMB } = await peakGrowthMB(async () => {
        let i = 0;
        for (const mutant of mutants(seeds, MUTANTS_PER_FORMAT, random)) {
          writeFileSync(path, mutant.bytes);
          const options = MODES[i++ % MODES.length];
          try {
            await evaluateTaggingFile(path, options);
            outcomes.results++;
          } catch (caught) {
            if (!(caught instanceof InputError)) {
              writeFileSync(join(dir, `failing-${format}-${i}.${format}`), mutant.bytes);
              throw new Error(`seed ${mutant.seed} after ${mutant.applied.join(', ')} (${JSON.stringify(options)}) gave ${(caught as Error).stack ?? String(caught)}`);
            }
            assert.ok(caught.message.startsWith(path), caught.message);
            outcomes.inputErrors++;
          }
        }
      });
      if (error) throw error;
      assert.equal(outcomes.results + outcomes.inputErrors, MUTANTS_PER_FORMAT);
      assert.ok(outcomes.results > 0 && outcomes.inputErrors > 0, `${outcomes.results} results, ${outcomes.inputErrors} input errors`);
      assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
    });
  }
});
