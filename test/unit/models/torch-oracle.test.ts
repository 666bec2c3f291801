// PyTorch models rebuilt in TensorFlow.js must give PyTorch's own outputs (test/oracle/torch_models.py
// wrote them with real PyTorch 1.13): within 1e-4, and the same class for every sample.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { maxAbsDifference, sharedAnalyzer, TORCH_FIXTURES } from './helpers';

const NAMES = readdirSync(TORCH_FIXTURES).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();

function classes(values: ArrayLike<number>, units: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < values.length / units; row++) {
    if (units === 1) {
      out.push(values[row] > 0 ? 1 : 0);
      continue;
    }
    let best = 0;
    for (let k = 1; k < units; k++) if (values[row * units + k] > values[row * units + best]) best = k;
    out.push(best);
  }
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch models on the ${backend} backend match real PyTorch`, () => {
    before(async () => {
      await useBackend(backend);
    });

    it('has the nine oracle models', () => {
      assert.equal(NAMES.length, 9);
    });

    for (const name of NAMES) {
      it(`${name}: outputs within 1e-4 and identical classes`, async () => {
        const tf = tfjs();
        const path = join(TORCH_FIXTURES, `${name}.py`);
        const model = loadTorchModel({ path, source: readFileSync(path, 'utf8'), analyzer: await sharedAnalyzer(), weightsPath: join(TORCH_FIXTURES, `${name}.safetensors`) });
        const inputs = readNpyFile(join(TORCH_FIXTURES, `${name}.inputs.npy`));
        const expected = readNpyFile(join(TORCH_FIXTURES, `${name}.outputs.npy`));
        const labels = readNpyFile(join(TORCH_FIXTURES, `${name}.labels.npy`));
        const x = inputs.kind === 'int' ? tf.tensor(inputs.data, inputs.shape, 'int32') : tf.tensor(inputs.data, inputs.shape, 'float32');
        const y = model.predictRaw(x);
        try {
          assert.deepEqual(y.shape, expected.shape);
          const actual = y.dataSync();
          const worst = maxAbsDifference(actual, expected.data as Float32Array);
          assert.ok(worst <= 1e-4, `max abs difference ${worst}`);
          assert.deepEqual(classes(actual, expected.shape[1]), Array.from(labels.data as Int32Array));
        } finally {
          tf.dispose([x, y]);
          model.dispose();
        }
      });
    }

    it('leaves no tensor behind', async () => {
      const tf = tfjs();
      const before = tf.memory().numTensors;
      const path = join(TORCH_FIXTURES, 'lstm_bidirectional_mean_pool.py');
      const model = loadTorchModel({ path, source: readFileSync(path, 'utf8'), analyzer: await sharedAnalyzer(), weightsPath: join(TORCH_FIXTURES, 'lstm_bidirectional_mean_pool.safetensors') });
      const x = tf.zeros([3, 5], 'int32');
      model.predictProbabilities(x).dispose();
      x.dispose();
      model.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  });
}
