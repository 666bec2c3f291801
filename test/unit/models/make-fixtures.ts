// Regenerates test/fixtures/models/{keras,tfjs}: `node out/test/unit/models/make-fixtures.js`.
//
// Two kinds of Keras fixtures, both written with h5wasm (see keras-writer.ts):
//   from PyTorch: the oracle's PyTorch weights converted to Keras' layout (gates z, r, h and two
//     bias rows for a reset-after GRU; i, f, c, o and one summed bias for an LSTM; transposed
//     kernels), so that the expected outputs are real PyTorch's (NAME.expected.npy copies them);
//   built with tfjs-layers: random weights, expected outputs from the in-memory tfjs model.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npyHeader, readNpyFile } from '../../../src/evaluation/datasets/npy';
import { createResetAfterGru } from '../../../src/evaluation/models/keras/reset-after-gru';
import { readSafetensorsFile } from '../../../src/evaluation/models/safetensors';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { writeKeras2H5, writeKeras3, writeTfjsModel } from './keras-writer';
import { MODEL_FIXTURES, TORCH_FIXTURES } from './helpers';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

export const KERAS_FIXTURES = join(MODEL_FIXTURES, 'keras');
export const TFJS_FIXTURES = join(MODEL_FIXTURES, 'tfjs');

/** A .npy file of int32 or float32 values. */
export function npyBytes(values: Int32Array | Float32Array, shape: number[]): Buffer {
  return Buffer.concat([npyHeader(values instanceof Int32Array ? '<i4' : '<f4', shape), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

function torchWeights(name: string) {
  const state = readSafetensorsFile(join(TORCH_FIXTURES, `${name}.safetensors`));
  return (key: string) => {
    const t = state.get(key);
    if (!t) throw new Error(`${name}: no ${key}`);
    return t;
  };
}

/** PyTorch (gates·H, in) → Keras (in, gates·H) with Keras' gate order. */
function kerasKernel(values: Float32Array, rows: number, columns: number, order: number[]): Tensor {
  const tf = tfjs();
  return tf.tidy(() => {
    const matrix = tf.tensor2d(values, [rows, columns]);
    const gates = tf.split(matrix, order.length, 0);
    return tf.transpose(tf.concat(order.map((g) => gates[g]), 0));
  });
}

function gruWeights(get: ReturnType<typeof torchWeights>, prefix: string, suffix: string, hidden: number): Tensor[] {
  const tf = tfjs();
  const zrh = [1, 0, 2]; // PyTorch r, z, n → Keras z, r, h
  const wih = get(`${prefix}.weight_ih${suffix}`);
  const whh = get(`${prefix}.weight_hh${suffix}`);
  const reorder = (b: Float32Array) => Float32Array.from([...b.slice(hidden, 2 * hidden), ...b.slice(0, hidden), ...b.slice(2 * hidden)]);
  const bias = tf.tensor2d([...reorder(get(`${prefix}.bias_ih${suffix}`).values), ...reorder(get(`${prefix}.bias_hh${suffix}`).values)], [2, 3 * hidden]);
  return [kerasKernel(wih.values, wih.shape[0], wih.shape[1], zrh), kerasKernel(whh.values, whh.shape[0], whh.shape[1], zrh), bias];
}

function lstmWeights(get: ReturnType<typeof torchWeights>, prefix: string, suffix: string): Tensor[] {
  const tf = tfjs();
  const wih = get(`${prefix}.weight_ih${suffix}`);
  const whh = get(`${prefix}.weight_hh${suffix}`);
  const bih = get(`${prefix}.bias_ih${suffix}`).values;
  const bhh = get(`${prefix}.bias_hh${suffix}`).values;
  return [kerasKernel(wih.values, wih.shape[0], wih.shape[1], [0, 1, 2, 3]), kerasKernel(whh.values, whh.shape[0], whh.shape[1], [0, 1, 2, 3]), tf.tensor1d(bih.map((v, i) => v + bhh[i]))];
}

function dense(get: ReturnType<typeof torchWeights>, prefix: string): Tensor[] {
  const tf = tfjs();
  const w = get(`${prefix}.weight`);
  return [tf.transpose(tf.tensor2d(w.values, w.shape as [number, number])), tf.tensor1d(get(`${prefix}.bias`).values)];
}

function embeddingWeights(get: ReturnType<typeof torchWeights>, prefix: string): Tensor[] {
  const w = get(`${prefix}.weight`);
  return [tfjs().tensor2d(w.values, w.shape as [number, number])];
}

/** Embedding + reset-after GRU + Dense, from the oracle's gru_last_step (out[:, -1, :]). */
function gruFromTorch(): LayersModel {
  const tf = tfjs();
  const get = torchWeights('gru_last_step');
  const model = tf.sequential({ name: 'gru_reset_after' });
  model.add(tf.layers.embedding({ inputDim: 50, outputDim: 8, inputLength: 9, name: 'embedding' }));
  model.add(createResetAfterGru({ units: 12, name: 'gru', activation: 'tanh', recurrentActivation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 3, name: 'dense' }));
  model.layers[0].setWeights(embeddingWeights(get, 'embedding'));
  model.layers[1].setWeights(gruWeights(get, 'gru', '_l0', 12));
  model.layers[2].setWeights(dense(get, 'fc'));
  return model;
}

/** Two Bidirectional reset-after GRUs, from gru_bidirectional_two_layers (cat(h[-2], h[-1])). */
function biGruFromTorch(): LayersModel {
  const tf = tfjs();
  const get = torchWeights('gru_bidirectional_two_layers');
  const model = tf.sequential({ name: 'bigru_two_layers' });
  model.add(tf.layers.embedding({ inputDim: 60, outputDim: 8, inputLength: 11, name: 'embedding' }));
  model.add(tf.layers.bidirectional({ layer: createResetAfterGru({ units: 10, name: 'gru', returnSequences: true }) as never, mergeMode: 'concat', name: 'bidirectional' }));
  model.add(tf.layers.bidirectional({ layer: createResetAfterGru({ units: 10, name: 'gru_1' }) as never, mergeMode: 'concat', name: 'bidirectional_1' }));
  model.add(tf.layers.dropout({ rate: 0.5, name: 'dropout' }));
  model.add(tf.layers.dense({ units: 4, name: 'dense' }));
  model.layers[0].setWeights(embeddingWeights(get, 'embedding'));
  model.layers[1].setWeights([...gruWeights(get, 'gru', '_l0', 10), ...gruWeights(get, 'gru', '_l0_reverse', 10)]);
  model.layers[2].setWeights([...gruWeights(get, 'gru', '_l1', 10), ...gruWeights(get, 'gru', '_l1_reverse', 10)]);
  model.layers[4].setWeights(dense(get, 'fc'));
  return model;
}

/** Embedding + stock tfjs LSTM + Dense, from lstm_final_state (h_n[-1]). */
function lstmFromTorch(): LayersModel {
  const tf = tfjs();
  const get = torchWeights('lstm_final_state');
  const model = tf.sequential({ name: 'lstm' });
  model.add(tf.layers.embedding({ inputDim: 50, outputDim: 8, inputLength: 10, name: 'embedding' }));
  model.add(tf.layers.lstm({ units: 12, recurrentActivation: 'sigmoid', name: 'lstm' }));
  model.add(tf.layers.dense({ units: 3, name: 'dense' }));
  model.layers[0].setWeights(embeddingWeights(get, 'embedding'));
  model.layers[1].setWeights(lstmWeights(get, 'lstm', '_l0'));
  model.layers[2].setWeights(dense(get, 'fc'));
  return model;
}

/** tfjs-built: Embedding + Bidirectional LSTM (sequences) + average pooling + softmax. */
function biLstmPool(): LayersModel {
  const tf = tfjs();
  const model = tf.sequential({ name: 'bilstm_pool' });
  model.add(tf.layers.embedding({ inputDim: 30, outputDim: 6, inputLength: 9, name: 'embedding' }));
  model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 7, returnSequences: true, recurrentActivation: 'sigmoid', name: 'lstm' }) as never, name: 'bidirectional' }));
  model.add(tf.layers.globalAveragePooling1d({ name: 'global_average_pooling1d' }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'dense' }));
  return model;
}

/** tfjs-built: Embedding + classic GRU (reset_after=False) + softmax. */
function classicGru(): LayersModel {
  const tf = tfjs();
  const model = tf.sequential({ name: 'gru_classic' });
  model.add(tf.layers.embedding({ inputDim: 40, outputDim: 5, inputLength: 8, name: 'embedding' }));
  model.add(tf.layers.gru({ units: 6, recurrentActivation: 'sigmoid', name: 'gru' }));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax', name: 'dense' }));
  return model;
}

/** tfjs-built, no embedding: features (T, F) → SimpleRNN → one sigmoid unit. */
function featureRnn(): LayersModel {
  const tf = tfjs();
  const model = tf.sequential({ name: 'feature_rnn' });
  model.add(tf.layers.simpleRNN({ units: 8, inputShape: [10, 4], name: 'simple_rnn' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'dense' }));
  return model;
}

function seededIds(n: number, t: number, vocabulary: number, seed: number): Int32Array {
  const out = new Int32Array(n * t);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = Math.floor((s / 2147483648) * vocabulary);
  }
  return out;
}

function seededFeatures(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 4 - 2;
  }
  return out;
}

async function predictions(model: LayersModel, x: Tensor): Promise<Float32Array> {
  const y = model.predict(x) as Tensor;
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

export async function makeModelFixtures(): Promise<void> {
  const tf = tfjs();
  await useBackend('cpu');
  rmSync(KERAS_FIXTURES, { recursive: true, force: true });
  rmSync(TFJS_FIXTURES, { recursive: true, force: true });
  mkdirSync(KERAS_FIXTURES, { recursive: true });
  mkdirSync(TFJS_FIXTURES, { recursive: true });

  // From PyTorch: the expected outputs are the oracle's.
  for (const [name, torchName, build, writers] of [
    ['gru_reset_after', 'gru_last_step', gruFromTorch, ['keras', 'h5']],
    ['bigru_two_layers', 'gru_bidirectional_two_layers', biGruFromTorch, ['keras', 'h5']],
    ['lstm', 'lstm_final_state', lstmFromTorch, ['keras']],
  ] as const) {
    const model = build();
    if (writers.includes('keras' as never)) await writeKeras3(model, join(KERAS_FIXTURES, `${name}.keras`));
    if (writers.includes('h5' as never)) await writeKeras2H5(model, join(KERAS_FIXTURES, `${name}.h5`));
    copyFileSync(join(TORCH_FIXTURES, `${torchName}.inputs.npy`), join(KERAS_FIXTURES, `${name}.inputs.npy`));
    copyFileSync(join(TORCH_FIXTURES, `${torchName}.outputs.npy`), join(KERAS_FIXTURES, `${name}.expected.npy`));
    copyFileSync(join(TORCH_FIXTURES, `${torchName}.labels.npy`), join(KERAS_FIXTURES, `${name}.labels.npy`));
    model.dispose();
  }

  // Built with tfjs-layers: the expected outputs are tfjs' own, before saving.
  for (const [name, build, shape, writers] of [
    ['bilstm_pool', biLstmPool, [12, 9], ['keras', 'h5', 'tfjs']],
    ['gru_classic', classicGru, [12, 8], ['h5', 'tfjs']],
    ['feature_rnn', featureRnn, [12, 10, 4], ['keras', 'tfjs']],
  ] as const) {
    const model = build();
    const features = shape.length === 3;
    const values = features ? seededFeatures(shape.reduce((a, b) => a * b, 1), 7) : seededIds(shape[0], shape[1], (model.layers[0].getConfig().inputDim as number), 11);
    const x = features ? tf.tensor(values as Float32Array, [...shape]) : tf.tensor(values as Int32Array, [...shape], 'int32');
    const expected = await predictions(model, x);
    x.dispose();
    const outputShape = [shape[0], model.outputs[0].shape[1] as number];
    for (const writer of writers) {
      if (writer === 'keras') await writeKeras3(model, join(KERAS_FIXTURES, `${name}.keras`));
      if (writer === 'h5') await writeKeras2H5(model, join(KERAS_FIXTURES, `${name}.h5`));
      if (writer === 'tfjs') {
        mkdirSync(join(TFJS_FIXTURES, name), { recursive: true });
        await writeTfjsModel(model, join(TFJS_FIXTURES, name));
      }
    }
    const base = writers.includes('keras' as never) || writers.includes('h5' as never) ? KERAS_FIXTURES : TFJS_FIXTURES;
    writeFileSync(join(base, `${name}.inputs.npy`), npyBytes(values, [...shape]));
    writeFileSync(join(base, `${name}.expected.npy`), npyBytes(expected, outputShape));
    model.dispose();
  }
  // A check that the copy is what the test reads.
  readNpyFile(join(KERAS_FIXTURES, 'gru_reset_after.expected.npy'));
  process.stdout.write(`wrote ${KERAS_FIXTURES} and ${TFJS_FIXTURES} (${readFileSync(join(KERAS_FIXTURES, 'gru_reset_after.keras')).length} bytes for gru_reset_after.keras)\n`);
}

if (require.main === module) {
  makeModelFixtures().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
