// A Sequential model that both branches of an `if` not known change (`if gpu: add(CuDNNLSTM) else: add(LSTM)`): a
// run takes one branch, so each branch starts from the model as it was before the `if`, and after it the model is
// what the branches agree on.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ngpu = tf.test.is_gpu_available()\n';

/** The findings on the program, as code@line (the header's four lines counted). */
async function sequential(body: string): Promise<string[]> {
  const { findings } = await run(`${HEADER}${body}`);
  return findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
}

describe('Sequential models changed in the branches of an if', () => {
  it('the else branch does not add its layers after the then branch\'s: no SL202 on its first LSTM', async () => {
    const body = 'model = keras.Sequential()\nif gpu:\n    model.add(layers.LSTM(100, input_shape=(32, 25)))\n    model.add(layers.Dense(1))\nelse:\n    model.add(layers.LSTM(100, input_shape=(32, 25)))\n    model.add(layers.Dense(1))\n';
    assert.deepEqual(await sequential(body), []);
  });

  it('each branch is still checked from the model before the if', async () => {
    const body = 'model = keras.Sequential()\nmodel.add(layers.LSTM(100, input_shape=(32, 25)))\nif gpu:\n    model.add(layers.LSTM(10))\nelse:\n    model.add(layers.Dense(1))\n';
    assert.deepEqual(await sequential(body), ['SL202@8']);
  });

  it('after the if the output is the one both branches give', async () => {
    const body = 'model = keras.Sequential()\nif gpu:\n    model.add(layers.LSTM(100, input_shape=(32, 25)))\nelse:\n    model.add(layers.GRU(100, input_shape=(32, 25)))\nmodel.add(layers.LSTM(10))\n';
    assert.deepEqual(await sequential(body), ['SL202@10']);
  });

  it('outputs that differ leave the model unknown past the if: no claim on the next layer', async () => {
    const body = 'model = keras.Sequential()\nmodel.add(layers.LSTM(100, input_shape=(32, 25), return_sequences=True))\nif gpu:\n    model.add(layers.LSTM(10))\nmodel.add(layers.LSTM(10))\n';
    assert.deepEqual(await sequential(body), []);
  });

  it('a branch that raises leaves the model as the other branch made it', async () => {
    const body = 'model = keras.Sequential()\nif gpu:\n    model.add(layers.LSTM(100, input_shape=(32, 25), return_sequences=True))\nelse:\n    raise SystemExit(1)\nmodel.add(layers.LSTM(10))\nmodel.add(layers.LSTM(10))\n';
    assert.deepEqual(await sequential(body), ['SL202@11']);
  });

  it('a model made inside a branch keeps its layers past the if', async () => {
    const body = 'if gpu:\n    model = keras.Sequential()\n    model.add(layers.LSTM(100, input_shape=(32, 25)))\n    model.add(layers.LSTM(10))\n';
    assert.deepEqual(await sequential(body), ['SL202@8']);
  });
});
