// SL220 on arrays whose number of samples is not known: a batch_size below the batch a stateful model is built for
// never gives a full batch.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const linesOf = (code: string) => async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1);

describe('SL220 on arrays whose number of samples is not known', () => {
  const sl220 = linesOf('SL220');
  // The rows of x come from a list filled in a loop over input(): an array of (?, 10, 3).
  const data = 'rows = []\nfor _ in range(int(input())):\n    rows.append(np.random.rand(10, 3))\nx = np.array(rows)\ny = np.random.rand(len(rows), 1)\n';
  const model = (batch: number) => `m = keras.Sequential([layers.LSTM(8, stateful=True, batch_input_shape=(${batch}, 10, 3)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n`;

  it('flags evaluate and predict without batch_size on a model built for batches of 64: no batch of 32 holds 64 samples', async () => {
    assert.deepEqual(await sl220(data + model(64) + 'm.evaluate(x, y)\np = m.predict(x)\n'), [12, 13]);
  });

  it('flags a batch_size given below the model\'s batch, in fit too', async () => {
    assert.deepEqual(await sl220(data + model(64) + 'm.fit(x, y, batch_size=16)\n'), [12]);
  });

  it('makes no claim when batch_size is the model\'s batch, or larger (a count of exactly that batch fits)', async () => {
    assert.deepEqual(await sl220(data + model(64) + 'm.evaluate(x, y, batch_size=64)\np = m.predict(x, batch_size=64)\n'), []);
    assert.deepEqual(await sl220(data + model(1) + 'p = m.predict(x)\nm.fit(x, y, batch_size=8)\n'), []);
  });

  it('makes no claim on data that is not an array (a generator batches for itself)', async () => {
    assert.deepEqual(await sl220(model(64) + 'def batches():\n    while True:\n        yield np.random.rand(64, 10, 3), np.random.rand(64, 1)\nm.fit(batches(), steps_per_epoch=10)\nm.evaluate(batches(), steps=3)\n'), []);
  });
});
