// SL211 on data whose steps differ from a fixed input: the model is run on the data until a layer built for another
// number of features (a Dense after Flatten) refuses it.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const keras = (body: string) => run(HEADER + body);
const linesOf = (code: string) => async (body: string) => (await keras(body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1);

describe('SL211 on data whose steps differ from a fixed input', () => {
  const sl211 = linesOf('SL211');
  const model =
    'm = keras.Sequential()\nm.add(layers.Conv1D(32, 3, padding="same", input_shape=(15, 64)))\nm.add(layers.Dense(16))\n' +
    'm.add(layers.Flatten())\nm.add(layers.Dense(2, activation="softmax"))\nm.compile(loss="categorical_crossentropy", optimizer="adam")\n';

  it('flags predict on 4 steps where Flatten makes the next Dense\'s weights depend on the declared 15', async () => {
    assert.deepEqual(await sl211(model + 'p = m.predict(np.zeros((1, 4, 64)))\n'), [11]);
    const finding = (await keras(model + 'p = m.predict(np.zeros((1, 4, 64)))\n')).findings.find((f) => f.code === 'SL211');
    assert.match(finding!.message, /Dense \(line 9\) was built for 240 features by the declared input and gets 64 from this data/);
  });

  it('makes no claim on data of the declared steps', async () => {
    assert.deepEqual(await sl211(model + 'p = m.predict(np.zeros((1, 15, 64)))\n'), []);
  });

  it('makes no claim when no layer\'s weights depend on the steps (tf.keras 2.x runs such a model with a warning)', async () => {
    const recurrent = 'm = keras.Sequential([layers.LSTM(8, input_shape=(15, 64)), layers.Dense(2)])\nm.compile(loss="mse", optimizer="adam")\n';
    assert.deepEqual(await sl211(recurrent + 'p = m.predict(np.zeros((1, 4, 64)))\n'), []);
  });

  it('makes no claim when the declared steps are not fixed', async () => {
    assert.deepEqual(await sl211(model.replace('input_shape=(15, 64)', 'input_shape=(None, 64)') + 'p = m.predict(np.zeros((1, 4, 64)))\n'), []);
  });
});
