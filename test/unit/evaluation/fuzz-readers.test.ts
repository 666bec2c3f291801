// A standing fuzz run over predictions files of every format: seeded mutants of small, valid
// files must each give a result or the project's clean InputError, never another exception,
// and memory must stay bounded. The mutations are in ./mutations, for other readers to reuse.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import { InputError } from '../../../src/evaluation/errors';
import { buildZip, float64Data, int64Data, npyBytes, npyHeader } from './archive-builders';
import { FIXTURES } from './helpers';
import { peakGrowthMB } from './memory-guard';
import { mutants, seededRandom } from './mutations';

// A longer run, by hand: SEQLENS_FUZZ_MUTANTS=5000 SEQLENS_FUZZ_SEED=7 npx mocha out/test/unit/evaluation/fuzz-readers.test.js
const MUTANTS_PER_FORMAT = Number(process.env.SEQLENS_FUZZ_MUTANTS ?? 400);
const FUZZ_SEED = Number(process.env.SEQLENS_FUZZ_SEED ?? 0x5eed);
const MEMORY_GUARD_MB = 500;

const rows = Array.from({ length: 12 }, (_, i) => ({ t: ['cat', 'dog', 'eel'][i % 3], p: ['cat', 'dog', 'eel'][(i * 5) % 3], s: [(i % 7) / 7, ((i + 2) % 7) / 7, ((i + 4) % 7) / 7] }));

const SEEDS: Record<string, Buffer[]> = {
  csv: [
    Buffer.from(`y_true,y_pred,p_cat,p_dog,p_eel,text\n${rows.map((r) => `${r.t},${r.p},${r.s.join(',')},"a ""${r.t}"" sample"`).join('\n')}\n`),
    Buffer.from(`label,score\n${rows.map((r, i) => `${i % 2},${r.s[0]}`).join('\n')}\n`),
    Buffer.from(`y_true,y_pred\n${rows.map((_, i) => `${i * 0.5},${i * 0.5 + 0.25}`).join('\n')}\n`),
    // A language model's tokens, each naming its sequence (perplexity by sequence length).
    Buffer.from(`seq_id,token_logprob\n${rows.map((r, i) => `doc${i % 4},${-r.s[1] - 0.1}`).join('\n')}\n`),
  ],
  json: [
    Buffer.from(JSON.stringify(rows.map((r) => ({ y_true: r.t, y_pred: r.p, p_cat: r.s[0], p_dog: r.s[1], p_eel: r.s[2], text: `about ${r.t}` })), null, 1)),
    Buffer.from(JSON.stringify({ y_true: rows.map((_, i) => i % 2), score: rows.map((r) => r.s[0]), y_pred: rows.map((_, i) => (i % 3 ? 1 : 0)) })),
    Buffer.from(JSON.stringify(rows.map((r, i) => ({ seq_id: `s${i % 5}`, logprob: -r.s[0] })))),
  ],
  jsonl: [
    Buffer.from(rows.map((r) => JSON.stringify({ y_true: r.t, y_pred: r.p, text: r.t })).join('\n')),
    Buffer.from(rows.map((r, i) => JSON.stringify({ label: i % 2, prob: r.s[1] })).join('\n')),
    Buffer.from(rows.map((r, i) => JSON.stringify({ sentence_id: i % 3, loss: r.s[2] + 0.1 })).join('\n')),
  ],
  npy: [
    readFileSync(join(FIXTURES, 'npy', 'subarray.npy')),
    readFileSync(join(FIXTURES, 'npy', 'aligned.npy')),
    readFileSync(join(FIXTURES, 'npy', 'titled.npy')),
  ],
  npz: [0, 8].map((method) => buildZip([
    { name: 'y_true.npy', data: npyBytes(npyHeader('<i8', [12]), int64Data(rows.map((_, i) => i % 3))), method: method as 0 | 8 },
    { name: 'probs.npy', data: npyBytes(npyHeader('<f8', [12, 3]), float64Data(rows.flatMap((r) => r.s))), method: method as 0 | 8 },
  ]).bytes),
};

describe('fuzzing the predictions readers', function () {
  this.timeout(Math.max(120_000, MUTANTS_PER_FORMAT * 200));
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [format, seeds] of Object.entries(SEEDS)) {
    it(`${MUTANTS_PER_FORMAT} mutants of .${format} files give a result or a clean InputError, in bounded memory`, async () => {
      const path = join(dir, `mutant.${format}`);
      // The seeds themselves read cleanly: the mutants start from valid files.
      for (const seed of seeds) {
        writeFileSync(path, seed);
        await evaluate(path, { backend: 'cpu' });
      }
      const random = seededRandom(FUZZ_SEED + format.length);
      const outcomes = { results: 0, inputErrors: 0 };
      const { error, peakMB } = await peakGrowthMB(async () => {
        for (const mutant of mutants(seeds, MUTANTS_PER_FORMAT, random)) {
          writeFileSync(path, mutant.bytes);
          try {
            await evaluate(path, { backend: 'cpu', cellSamples: true });
            outcomes.results++;
          } catch (caught) {
            if (!(caught instanceof InputError)) {
              const kept = join(dir, `failing-${format}-${outcomes.results + outcomes.inputErrors}.${format}`);
              writeFileSync(kept, mutant.bytes);
              throw new Error(`seed ${mutant.seed} after ${mutant.applied.join(', ')} gave ${(caught as Error).stack ?? String(caught)}`);
            }
            assert.ok(caught.message.startsWith(path), caught.message);
            outcomes.inputErrors++;
          }
        }
      });
      if (error) throw error;
      assert.equal(outcomes.results + outcomes.inputErrors, MUTANTS_PER_FORMAT);
      assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
    });
  }
});
