// Data given to a Keras model as Python lists: tf.keras 2.x reads a list whose first items lead to a number as one
// array (np.asarray), so fit([windows], y) with windows a list of (steps, features) lists is one 4-D array, not a list of
// inputs; a list of NumPy arrays is the model's list of inputs; labels known to be an array leave the list alone.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const MODEL = `from numpy import array, column_stack, random
from keras.models import Sequential
from keras.layers import Dense, LSTM
model = Sequential()
model.add(LSTM(12, input_shape=(60, 2)))
model.add(Dense(1))
model.compile(loss='mae', optimizer='adam')
`;

/** Windows of (60, 2) built as Python lists with .tolist(), one per row of a (3, 60) array. */
const WINDOWS = `rows = random.rand(3, 60)
windows = []
labels = []
for row in rows:
    windows.append(column_stack((row, row * 2)).tolist())
    labels.append(0.5)
`;

describe('Python lists given to a Keras model as data', () => {
  it('reads a list of windows wrapped in one more list as one 4-D array: fit([windows], labels) is SL211', async () => {
    const result = await run(`${MODEL}${WINDOWS}model.fit([windows], labels, epochs=1)\n`);
    const found = result.findings.filter((f) => f.code === 'SL211');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /nested Python list of numbers/);
    assert.match(found[0].message, /\(1, 3, 60, 2\)/);
  });

  it('accepts the list of windows itself, which tf.keras reads as (3, 60, 2)', async () => {
    assert.deepEqual((await codes(`${MODEL}${WINDOWS}model.fit(windows, labels, epochs=1)\n`)).filter((c) => c !== 'SL209'), []);
  });

  it('accepts a literal nested list of the declared rank, and reports one of another rank', async () => {
    const good = `${MODEL}x = [[[0.1, 0.2]] * 60] * 4\nmodel.fit(x, [0.0, 1.0, 0.0, 1.0])\n`;
    const bad = `${MODEL}x = [[0.1, 0.2]] * 60\nmodel.fit(x, [0.0] * 60)\n`;
    assert.deepEqual(await codes(good), []);
    assert.deepEqual(await codes(bad), ['SL211']);
  });

  it('leaves a list of NumPy arrays alone: it is the list of the model inputs', async () => {
    assert.deepEqual(await codes(`${MODEL}x = random.rand(4, 60, 2)\nmodel.fit([x], random.rand(4, 1))\n`), []);
  });

  it('claims nothing of a nested list when the labels are an array (tf.keras then finds no adapter for the pair)', async () => {
    assert.deepEqual(await codes(`${MODEL}${WINDOWS}model.fit([windows], random.rand(1, 1), epochs=1)\n`), []);
  });

  it('leaves a list whose items the analysis does not know alone', async () => {
    assert.deepEqual(await codes(`${MODEL}import json\nx = json.load(open('x.json'))\nmodel.fit([x], [0.0])\n`), []);
  });
});
