// A standing fuzz run over model files: seeded mutants of the model fixtures (PyTorch weights in
// .safetensors, Keras .keras and .h5, TF.js model.json and its weight shard) are each evaluated on
// the fixture's own inputs, and must give a result or the project's clean InputError, never another
// exception, a hang or a crash, in bounded memory. Afterwards the untouched fixtures must still
// give their recorded outputs: a damaged file must not leave the HDF5 library (WebAssembly, shared
// by every file of the process) in a state that reads the next file wrong.
//
// Every mutant's run is bounded by construction (the readers check sizes before they allocate, and
// the HDF5 global heap is checked before the library walks it), so there is no time guard here.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { InputError } from '../../../src/evaluation/errors';
import { evaluateModel } from '../../../src/evaluation/models';
import { loadKerasModel } from '../../../src/evaluation/models/keras/load';
import { readZip, writeZip } from '../../../src/evaluation/models/keras/zip';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { loadTfjsModel } from '../../../src/evaluation/models/tfjs/load';
import type { SequenceModel } from '../../../src/evaluation/models/types';
import { peakGrowthMB } from '../evaluation/memory-guard';
import { mutants, seededRandom } from '../evaluation/mutations';
import { npyBytes } from './make-fixtures';
import { maxAbsDifference, MODEL_FIXTURES, sharedAnalyzer, TORCH_FIXTURES } from './helpers';

// A longer run, by hand: SEQLENS_FUZZ_MUTANTS=3000 SEQLENS_FUZZ_SEED=7 npx mocha --no-config out/test/unit/models/fuzz-model-files.test.js
// The default keeps the whole file near a minute on a loaded two-core machine.
const MUTANTS_PER_FORMAT = Number(process.env.SEQLENS_FUZZ_MUTANTS ?? 150);
const FUZZ_SEED = Number(process.env.SEQLENS_FUZZ_SEED ?? 0x5eed);
const MEMORY_GUARD_MB = 500;

const KERAS = join(MODEL_FIXTURES, 'keras');
const TFJS = join(MODEL_FIXTURES, 'tfjs');

/** One seed model: its files, the one the mutants replace, and the data it is evaluated on. */
interface Seed {
  name: string;
  /** The bytes the mutants are made from. */
  bytes: Buffer;
  /** The file a mutant is written to. */
  target: string;
  /** Files written beside it, unchanged. */
  others: Record<string, Buffer>;
  /** The file given to evaluateModel as the model (a .py for PyTorch). */
  model: string;
  /** PyTorch: the weights file. */
  weights?: string;
  inputs: string;
  labels: string;
}

/** Labels for fixtures that record none: class 0 for every sample, which every model here has. */
function zeroLabels(inputs: string, dir: string, name: string): string {
  const path = join(dir, `${name}.labels.npy`);
  const n = readNpyFile(inputs).shape[0];
  writeFileSync(path, npyBytes(new Int32Array(n), [n]));
  return path;
}

function labelsFor(base: string, dir: string, name: string): string {
  const recorded = `${base}.labels.npy`;
  return readdirSync(join(base, '..')).includes(`${name}.labels.npy`) ? recorded : zeroLabels(`${base}.inputs.npy`, dir, name);
}

function torchSeeds(): Seed[] {
  return readdirSync(TORCH_FIXTURES).filter((f) => f.endsWith('.safetensors')).map((file) => {
    const name = file.replace(/\.safetensors$/, '');
    const base = join(TORCH_FIXTURES, name);
    return {
      name,
      bytes: readFileSync(`${base}.safetensors`),
      target: 'model.safetensors',
      others: { 'model.py': readFileSync(`${base}.py`) },
      model: 'model.py',
      weights: 'model.safetensors',
      inputs: `${base}.inputs.npy`,
      labels: `${base}.labels.npy`,
    };
  });
}

function kerasSeeds(extension: 'keras' | 'h5', labelsDir: string): Seed[] {
  return readdirSync(KERAS).filter((f) => f.endsWith(`.${extension}`)).map((file) => {
    const name = file.replace(/\.(keras|h5)$/, '');
    const base = join(KERAS, name);
    return { name, bytes: readFileSync(join(KERAS, file)), target: `model.${extension}`, others: {}, model: `model.${extension}`, inputs: `${base}.inputs.npy`, labels: labelsFor(base, labelsDir, name) };
  });
}

function tfjsSeeds(mutated: 'model.json' | 'group1-shard1of1.bin', labelsDir: string): Seed[] {
  return readdirSync(TFJS).map((name) => {
    const base = join(KERAS, name);
    const other = mutated === 'model.json' ? 'group1-shard1of1.bin' : 'model.json';
    return {
      name,
      bytes: readFileSync(join(TFJS, name, mutated)),
      target: mutated,
      others: { [other]: readFileSync(join(TFJS, name, other)) },
      model: 'model.json',
      inputs: `${base}.inputs.npy`,
      labels: labelsFor(base, labelsDir, name),
    };
  });
}

/**
 * A `.keras` archive whose member `member` is replaced by each mutant of that member, then zipped
 * again: the mutations reach config.json and the HDF5 weights, which damage to the (deflated)
 * archive itself almost never does.
 */
async function kerasMemberSeeds(member: 'config.json' | 'model.weights.h5', labelsDir: string): Promise<{ seeds: Seed[]; rezip: (seed: Seed, bytes: Buffer) => Buffer }> {
  const seeds = kerasSeeds('keras', labelsDir);
  const members = new Map<string, Map<string, Buffer>>();
  for (const seed of seeds) members.set(seed.name, await readZip(seed.bytes, seed.name));
  return {
    seeds: seeds.map((seed) => ({ ...seed, bytes: members.get(seed.name)!.get(member)! })),
    rezip: (seed, bytes) => writeZip([...members.get(seed.name)!].map(([name, data]) => ({ name, data: name === member ? bytes : data }))),
  };
}

async function outputsMatch(model: SequenceModel, name: string): Promise<void> {
  const tf = tfjs();
  const inputs = readNpyFile(join(KERAS, `${name}.inputs.npy`));
  const expected = readNpyFile(join(KERAS, `${name}.expected.npy`));
  const x = tf.tensor(inputs.data, inputs.shape, inputs.kind === 'int' ? 'int32' : 'float32');
  const y = model.predictRaw(x);
  const actual = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  model.dispose();
  assert.ok(maxAbsDifference(actual, expected.data as Float32Array) < 1e-5, `${name}: outputs differ from the recorded ones`);
}

describe('fuzzing the model readers', function () {
  this.timeout(Math.max(240_000, MUTANTS_PER_FORMAT * 6 * 400));
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-model-fuzz-'));
  const labelsDir = join(dir, 'labels');
  mkdirSync(labelsDir);
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    await useBackend('cpu');
  });

  /** Evaluates MUTANTS_PER_FORMAT mutants of the seeds, each written to its seed's target through `toFile`. */
  async function fuzz(label: string, seeds: Seed[], toFile: (seed: Seed, bytes: Buffer) => Buffer = (_, b) => b): Promise<void> {
    const analyzer = await sharedAnalyzer();
    const runDir = join(dir, label.replace(/\W+/g, '-'));
    mkdirSync(runDir);
    const evaluate = async (seed: Seed, bytes: Buffer) => {
      for (const [file, content] of Object.entries(seed.others)) writeFileSync(join(runDir, file), content);
      writeFileSync(join(runDir, seed.target), toFile(seed, bytes));
      return evaluateModel({
        modelPath: join(runDir, seed.model),
        dataPath: seed.inputs,
        load: seed.weights ? { weightsPath: join(runDir, seed.weights), analyzer } : {},
        dataset: { labelsPath: seed.labels },
        backend: 'cpu',
      });
    };
    // The seeds themselves evaluate cleanly: the mutants start from valid files.
    for (const seed of seeds) await evaluate(seed, seed.bytes);
    const random = seededRandom(FUZZ_SEED + label.length);
    const outcomes = { results: 0, inputErrors: 0 };
    const paths = [runDir, ...new Set(seeds.flatMap((s) => [s.inputs, s.labels]))];
    const { error, peakMB } = await peakGrowthMB(async () => {
      for (const mutant of mutants(seeds.map((s) => s.bytes), MUTANTS_PER_FORMAT, random)) {
        const seed = seeds[mutant.seed];
        try {
          await evaluate(seed, mutant.bytes);
          outcomes.results++;
        } catch (caught) {
          if (!(caught instanceof InputError)) {
            const kept = join(dir, `failing-${label.replace(/\W+/g, '-')}-${outcomes.results + outcomes.inputErrors}`);
            writeFileSync(kept, mutant.bytes);
            throw new Error(`${seed.name} (${label}) after ${mutant.applied.join(', ')} (kept as ${kept}) gave ${(caught as Error).stack ?? String(caught)}`);
          }
          assert.ok(paths.some((p) => caught.message.startsWith(p)), caught.message);
          outcomes.inputErrors++;
        }
      }
    });
    if (error) throw error;
    assert.equal(outcomes.results + outcomes.inputErrors, MUTANTS_PER_FORMAT);
    assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
  }

  it(`${MUTANTS_PER_FORMAT} mutants of .safetensors weights (PyTorch models) give a result or a clean InputError`, async () => {
    await fuzz('safetensors', torchSeeds());
  });

  it(`${MUTANTS_PER_FORMAT} mutants of Keras 2 .h5 files give a result or a clean InputError`, async () => {
    await fuzz('h5', kerasSeeds('h5', labelsDir));
  });

  it(`${MUTANTS_PER_FORMAT} mutants of .keras archives give a result or a clean InputError`, async () => {
    await fuzz('keras', kerasSeeds('keras', labelsDir));
  });

  it(`${MUTANTS_PER_FORMAT} mutants of the config.json and of the model.weights.h5 inside .keras archives give a result or a clean InputError`, async () => {
    for (const member of ['config.json', 'model.weights.h5'] as const) {
      const { seeds, rezip } = await kerasMemberSeeds(member, labelsDir);
      await fuzz(`keras member ${member}`, seeds, rezip);
    }
  });

  it(`${MUTANTS_PER_FORMAT} mutants of TF.js model.json files and of their weight shards give a result or a clean InputError`, async () => {
    await fuzz('tfjs model.json', tfjsSeeds('model.json', labelsDir));
    await fuzz('tfjs shard', tfjsSeeds('group1-shard1of1.bin', labelsDir));
  });

  it('leaves every untouched Keras and TF.js fixture giving its recorded outputs', async () => {
    for (const file of readdirSync(KERAS).filter((f) => /\.(keras|h5)$/.test(f))) {
      await outputsMatch(await loadKerasModel(join(KERAS, file)), file.replace(/\.(keras|h5)$/, ''));
    }
    for (const name of readdirSync(TFJS)) await outputsMatch(await loadTfjsModel(join(TFJS, name, 'model.json')), name);
  });
});
