// The TensorFlow.js backend: chosen at run time, forced by option, reported as it ran.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { BackendUnavailableError, chooseBackend } from '../../../src/evaluation/backend';
import { evaluate } from '../../../src/evaluation/evaluate';
import { countConfusion } from '../../../src/evaluation/metrics/confusion';
import { FIXTURES } from './helpers';

function tfjsNodeLoads(): boolean {
  try {
    const load = require;
    load('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('counting backend', () => {
  for (const name of ['cpu', 'wasm'] as const) {
    it(`counts a confusion matrix with denseBincount on ${name}`, async () => {
      const backend = await chooseBackend(name);
      assert.equal(backend.name, name);
      // truth*3 + predicted for pairs (0,0) (0,1) (2,2) (2,2) (1,0)
      const matrix = await countConfusion(backend, Int32Array.from([0, 1, 8, 8, 3]), 3);
      assert.deepEqual(matrix, [[1, 1, 0], [1, 0, 0], [0, 0, 2]]);
    });
  }

  it('reports the backend that ran in the result', async () => {
    const result = await evaluate(join(FIXTURES, 'binary_labels.csv'), { backend: 'wasm' });
    assert.equal(result.backend, 'wasm');
  });

  it('never claims tfjs-node when its binding does not load', async function () {
    if (tfjsNodeLoads()) this.skip();
    const chosen = await chooseBackend();
    assert.notEqual(chosen.name, 'tfjs-node');
    await assert.rejects(chooseBackend('tfjs-node'), (error: unknown) => error instanceof BackendUnavailableError && /tfjs-node backend is not available/.test(error.message));
  });

  it('gives the same counts on every backend it can run', async () => {
    const truth = Int32Array.from({ length: 50_000 }, (_, i) => (i * 7) % 5);
    const combined = Int32Array.from(truth, (t, i) => t * 5 + ((i * 13) % 5));
    const cpu = await countConfusion(await chooseBackend('cpu'), combined, 5);
    const wasm = await countConfusion(await chooseBackend('wasm'), combined, 5);
    assert.deepEqual(wasm, cpu);
    assert.equal(cpu.flat().reduce((a, b) => a + b, 0), 50_000);
  });
});
