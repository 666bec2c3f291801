// Keras .keras and .h5 files and TF.js model.json, without Python. The fixtures come from
// make-fixtures.ts: PyTorch-derived ones must give real PyTorch's outputs, tfjs-built ones
// the outputs tfjs gave before saving.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { InputError } from '../../../src/evaluation/errors';
import { buildH5File } from '../../../src/evaluation/models/keras/hdf5';
import { loadKerasModel } from '../../../src/evaluation/models/keras/load';
import { readZip, writeZip } from '../../../src/evaluation/models/keras/zip';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { loadTfjsModel } from '../../../src/evaluation/models/tfjs/load';
import type { SequenceModel } from '../../../src/evaluation/models/types';
import { maxAbsDifference, MODEL_FIXTURES, tempDir } from './helpers';
import { keras3Config, writeKeras2H5, writeKeras3 } from './keras-writer';

const KERAS = join(MODEL_FIXTURES, 'keras');
const TFJS = join(MODEL_FIXTURES, 'tfjs');

async function outputsOf(model: SequenceModel, name: string): Promise<{ actual: Float32Array; expected: Float32Array; shape: number[] }> {
  const tf = tfjs();
  const inputs = readNpyFile(join(KERAS, `${name}.inputs.npy`));
  const expected = readNpyFile(join(KERAS, `${name}.expected.npy`));
  const x = inputs.kind === 'int' ? tf.tensor(inputs.data, inputs.shape, 'int32') : tf.tensor(inputs.data, inputs.shape, 'float32');
  const y = model.predictRaw(x);
  const actual = (await y.data()) as Float32Array;
  assert.deepEqual(y.shape, expected.shape);
  tf.dispose([x, y]);
  return { actual, expected: expected.data as Float32Array, shape: expected.shape };
}

function argmax(values: Float32Array, k: number): number[] {
  return Array.from({ length: values.length / k }, (_, r) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[r * k + c] > values[r * k + best]) best = c;
    return best;
  });
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('Keras and TF.js models', () => {
  before(async () => {
    await useBackend('cpu');
  });

  describe('weights converted from PyTorch give real PyTorch outputs', () => {
    for (const file of ['gru_reset_after.keras', 'gru_reset_after.h5', 'bigru_two_layers.keras', 'bigru_two_layers.h5', 'lstm.keras']) {
      it(`${file}: within 1e-4 of PyTorch, same classes`, async () => {
        const model = await loadKerasModel(join(KERAS, file));
        const name = file.replace(/\.(keras|h5)$/, '');
        const { actual, expected, shape } = await outputsOf(model, name);
        model.dispose();
        assert.ok(maxAbsDifference(actual, expected) <= 1e-4, `max abs difference ${maxAbsDifference(actual, expected)}`);
        assert.deepEqual(argmax(actual, shape[1]), Array.from(readNpyFile(join(KERAS, `${name}.labels.npy`)).data as Int32Array));
      });
    }
  });

  describe('models built with tfjs-layers give the outputs tfjs gave before saving', () => {
    const cases: [string, string][] = [
      ['bilstm_pool', join(KERAS, 'bilstm_pool.keras')],
      ['bilstm_pool', join(KERAS, 'bilstm_pool.h5')],
      ['bilstm_pool', join(TFJS, 'bilstm_pool', 'model.json')],
      ['gru_classic', join(KERAS, 'gru_classic.h5')],
      ['gru_classic', join(TFJS, 'gru_classic', 'model.json')],
      ['feature_rnn', join(KERAS, 'feature_rnn.keras')],
      ['feature_rnn', join(TFJS, 'feature_rnn', 'model.json')],
    ];
    for (const [name, path] of cases) {
      it(`${path.split('/').slice(-2).join('/')}`, async () => {
        const model = path.endsWith('.json') ? await loadTfjsModel(path) : await loadKerasModel(path);
        const { actual, expected } = await outputsOf(model, name);
        model.dispose();
        assert.ok(maxAbsDifference(actual, expected) <= 1e-5, `max abs difference ${maxAbsDifference(actual, expected)}`);
      });
    }
  });

  it('loads model.json shards with fs on the wasm backend too (no tfjs-node file://)', async () => {
    await useBackend('wasm');
    try {
      const model = await loadTfjsModel(join(TFJS, 'gru_classic', 'model.json'));
      const { actual, expected } = await outputsOf(model, 'gru_classic');
      model.dispose();
      assert.ok(maxAbsDifference(actual, expected) <= 1e-5);
    } finally {
      await useBackend('cpu');
    }
  });

  it('describes the model like Keras summary(): layers, output shapes, parameters, input and output', async () => {
    const model = await loadKerasModel(join(KERAS, 'bigru_two_layers.keras'));
    const { summary } = model;
    model.dispose();
    assert.deepEqual(summary.layers.map((l) => [l.name, l.kind, l.outputShape]), [
      ['embedding', 'Embedding', '(None, 11, 8)'],
      ['bidirectional', 'Bidirectional', '(None, 11, 20)'],
      ['bidirectional_1', 'Bidirectional', '(None, 20)'],
      ['dropout', 'Dropout', '(None, 20)'],
      ['dense', 'Dense', '(None, 4)'],
    ]);
    // Embedding 60·8; each reset-after GRU direction 3·(in·10 + 10·10 + 2·10).
    const gru = (input: number) => 3 * (input * 10 + 100 + 20);
    assert.equal(summary.totalParams, 480 + 2 * gru(8) + 2 * gru(20) + 20 * 4 + 4);
    assert.deepEqual(summary.input, { kind: 'ids', length: 11, features: null, vocabulary: 60 });
    assert.equal(summary.outputUnits, 4);
    assert.equal(summary.outputActivation, 'logits');
  });

  it('round-trips a model through .keras and .h5 written with h5wasm', async () => {
    const tf = tfjs();
    const model = tf.sequential({ name: 'round_trip' });
    model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 6, name: 'embedding' }));
    model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', name: 'gru' }) as never, name: 'bidirectional' }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'dense' }));
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [0, 0, 7, 8, 19, 3]], [2, 6], 'int32');
    const reference = (model.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync();
    const dir = tempDir();
    await writeKeras3(model, join(dir, 'm.keras'));
    await writeKeras2H5(model, join(dir, 'm.h5'));
    const entries = await readZip(readFileSync(join(dir, 'm.keras')), 'm.keras');
    assert.deepEqual([...entries.keys()], ['metadata.json', 'config.json', 'model.weights.h5']);
    for (const file of ['m.keras', 'm.h5']) {
      const loaded = await loadKerasModel(join(dir, file));
      const y = loaded.predictRaw(x);
      assert.ok(maxAbsDifference(y.dataSync(), reference) <= 1e-6, file);
      assert.equal(loaded.summary.outputActivation, 'softmax');
      y.dispose();
      loaded.dispose();
    }
    x.dispose();
    model.dispose();
  });

  describe('refusals name the layer and the reason', () => {
    async function kerasWith(edit: (config: Record<string, unknown>) => void): Promise<string> {
      const tf = tfjs();
      const model = tf.sequential({ name: 'edited' });
      model.add(tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 4, name: 'embedding' }));
      model.add(tf.layers.lstm({ units: 2, recurrentActivation: 'sigmoid', name: 'lstm' }));
      model.add(tf.layers.dense({ units: 2, name: 'dense' }));
      const dir = tempDir();
      await writeKeras3(model, join(dir, 'm.keras'));
      const entries = await readZip(readFileSync(join(dir, 'm.keras')), 'm.keras');
      const config = keras3Config(model);
      edit(config);
      model.dispose();
      const path = join(dir, 'edited.keras');
      writeFileSync(path, writeZip([
        { name: 'config.json', data: Buffer.from(JSON.stringify(config)) },
        { name: 'model.weights.h5', data: entries.get('model.weights.h5')! },
      ]));
      return path;
    }
    const layers = (config: Record<string, unknown>) => (config.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;

    it('a layer SeqLens cannot rebuild', async () => {
      const path = await kerasWith((c) => { layers(c)[3].class_name = 'MultiHeadAttention'; });
      await rejects(loadKerasModel(path), /layer 'dense' is a MultiHeadAttention, which SeqLens cannot rebuild/);
    });

    it("Keras 3's hard_sigmoid, which tfjs computes differently", async () => {
      const path = await kerasWith((c) => { layers(c)[2].config.recurrent_activation = 'hard_sigmoid'; });
      await rejects(loadKerasModel(path), /layer 'lstm' uses recurrent_activation='hard_sigmoid'/);
    });

    it('a stateful recurrent layer', async () => {
      const path = await kerasWith((c) => { layers(c)[2].config.stateful = true; });
      await rejects(loadKerasModel(path), /layer 'lstm' is stateful/);
    });

    it('weights whose shape does not fit the config', async () => {
      const path = await kerasWith((c) => { layers(c)[2].config.units = 3; });
      await rejects(loadKerasModel(path), /layer 'lstm': weight 0 \('lstm\/cell\/vars\/0'\) is \(3, 8\) but the layer's .*kernel needs \(3, 12\)/);
    });

    it('a weights-only .h5', async () => {
      const dir = tempDir();
      const bytes = await buildH5File((root) => {
        root.create_attribute('layer_names', ['dense']);
        root.create_group('dense');
      });
      writeFileSync(join(dir, 'weights.h5'), bytes);
      await rejects(loadKerasModel(join(dir, 'weights.h5')), /holds weights only \(model.save_weights\)/);
    });

    it('a model with per-step outputs', async () => {
      const path = await kerasWith((c) => {
        layers(c)[2].config.return_sequences = true;
      });
      await rejects(loadKerasModel(path), /outputs \(None, 4, 2\), one prediction per time step/);
    });

    it('a model refused once built leaves none of its weights behind', async () => {
      const perStep = await kerasWith((c) => { layers(c)[2].config.return_sequences = true; });
      const misfit = await kerasWith((c) => { layers(c)[2].config.units = 3; });
      const before = tfjs().memory().numTensors;
      await rejects(loadKerasModel(perStep), /one prediction per time step/);
      await rejects(loadKerasModel(misfit), /but the layer's .*kernel needs/);
      assert.equal(tfjs().memory().numTensors, before);
    });
  });
});
