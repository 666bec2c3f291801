// SL208 reads the labels of every model method that takes them: one-hot labels under
// sparse_categorical_crossentropy are as wrong given to train_on_batch or test_on_batch as to fit.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const MODEL = 'm = keras.Sequential([layers.LSTM(8, input_shape=(6, 4)), layers.RepeatVector(3), layers.LSTM(8, return_sequences=True), layers.TimeDistributed(layers.Dense(5)), layers.Activation("softmax")])\nm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")\nx = np.random.random((16, 6, 4))\n';
const sl208 = async (call: string) => (await run(HEADER + MODEL + call)).findings.filter((f) => f.code === 'SL208').map((f) => f.range.start.line + 1);

describe('SL208 on labels given to train_on_batch and test_on_batch', () => {
  it('reports one-hot labels under the sparse loss at train_on_batch', async () => {
    assert.deepEqual(await sl208('y = np.zeros((16, 3, 5), dtype="float32")\nfor step in range(3):\n    m.train_on_batch(x, y)\n'), [5]);
  });

  it('reports them at test_on_batch', async () => {
    assert.deepEqual(await sl208('y = np.zeros((16, 3, 5), dtype="float32")\nm.test_on_batch(x, y)\n'), [5]);
  });

  it('leaves class ids at train_on_batch alone', async () => {
    assert.deepEqual(await sl208('y = np.random.randint(0, 5, size=(16, 3))\nm.train_on_batch(x, y)\n'), []);
  });
});
