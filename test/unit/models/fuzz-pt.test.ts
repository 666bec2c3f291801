// A standing fuzz run over the .pt reader: seeded mutants of files PyTorch 1.13 wrote must each
// give a state dict or the project's clean InputError, never another exception, in bounded memory.
// Two layers: the whole file (mostly the zip reader's work), and the pickle alone, mutated and put
// back into a well-formed archive beside the original storages (the unpickler's work).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/evaluation/errors';
import { parseTorchCheckpoint } from '../../../src/evaluation/models/torch/pt/load';
import { readZipMembers } from '../../../src/evaluation/zip';
import { buildZip } from '../evaluation/archive-builders';
import { peakGrowthMB } from '../evaluation/memory-guard';
import { mutants, seededRandom } from '../evaluation/mutations';
import { TORCH_FIXTURES } from './helpers';

// A longer run, by hand: SEQLENS_FUZZ_MUTANTS=5000 SEQLENS_FUZZ_SEED=7 npx mocha out/test/unit/models/fuzz-pt.test.js
const MUTANTS = Number(process.env.SEQLENS_FUZZ_MUTANTS ?? 400);
const FUZZ_SEED = Number(process.env.SEQLENS_FUZZ_SEED ?? 0x5eed);
const MEMORY_GUARD_MB = 500;
const SEED_FILES = ['state_dict', 'dtypes', 'views', 'checkpoint', 'two_state_dicts', 'parameters', 'whole_model'];

async function fuzz(seeds: Buffer[], wrap: (mutant: Buffer) => Buffer, random: () => number): Promise<{ results: number; inputErrors: number }> {
  const where = 'mutant.pt';
  const outcomes = { results: 0, inputErrors: 0 };
  const { error, peakMB } = await peakGrowthMB(async () => {
    for (const mutant of mutants(seeds, MUTANTS, random)) {
      try {
        await parseTorchCheckpoint(wrap(mutant.bytes), where);
        outcomes.results++;
      } catch (caught) {
        if (!(caught instanceof InputError)) {
          throw new Error(`seed ${SEED_FILES[mutant.seed]} after ${mutant.applied.join(', ')} gave ${(caught as Error).stack ?? String(caught)}`);
        }
        assert.ok(caught.message.startsWith(`${where}: `), caught.message);
        outcomes.inputErrors++;
      }
    }
  });
  if (error) throw error;
  assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
  assert.equal(outcomes.results + outcomes.inputErrors, MUTANTS);
  return outcomes;
}

describe('fuzzing the .pt reader', function () {
  this.timeout(Math.max(120_000, MUTANTS * 300));
  const files = SEED_FILES.map((name) => readFileSync(join(TORCH_FIXTURES, 'pt', `${name}.pt`)));

  it(`${MUTANTS} mutants of whole .pt files give a state dict or a clean InputError, in bounded memory`, async () => {
    const outcomes = await fuzz(files, (bytes) => bytes, seededRandom(FUZZ_SEED + 1));
    // Some mutants (in stored tensor data) still read: the run reaches the reader, not only the zip checks.
    assert.ok(outcomes.results > 0 && outcomes.inputErrors > 0, JSON.stringify(outcomes));
  });

  it(`${MUTANTS} mutants of the pickles alone, in well-formed archives, give a state dict or a clean InputError`, async () => {
    const archives = await Promise.all(files.map((bytes, i) => readZipMembers(bytes, `${SEED_FILES[i]}.pt`)));
    const pickles = archives.map((members) => [...members].find(([name]) => name.endsWith('/data.pkl'))![1]);
    let next = 0;
    // mutants() takes the seeds in turn, so the i-th mutant came from seed i mod n.
    const wrap = (pickle: Buffer) => {
      const members = archives[next++ % archives.length];
      return buildZip([...members].map(([name, data]) => ({ name, data: name.endsWith('/data.pkl') ? pickle : data, method: 0 as const }))).bytes;
    };
    const outcomes = await fuzz(pickles, wrap, seededRandom(FUZZ_SEED + 2));
    assert.ok(outcomes.results > 0 && outcomes.inputErrors > 0, JSON.stringify(outcomes));
  });
});
