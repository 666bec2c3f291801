// Keras pairs the arrays given to fit with the model's inputs and outputs one by one: a Python list of NumPy arrays
// given as x is one array per input (SL211 when there are more or fewer than inputs), and a model of several outputs
// takes a list of as many label arrays, each compared with its own output under the loss, or one array, which tf.keras
// 2.2+ hands to every output (SL210).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const GRU_MODEL = `import numpy as np
from keras.models import Sequential
from keras.layers import GRU, Dense
model = Sequential()
model.add(GRU(8, input_shape=(5, 1)))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
`;

const TWO_HEADS = `import numpy as np
from keras.layers import Input, GRU, Dense
from keras.models import Model
inp = Input(shape=(6, 3))
h = GRU(16)(inp)
a = Dense(3, activation='softmax')(h)
b = Dense(2, activation='softmax')(h)
model = Model(inputs=inp, outputs=[a, b])
model.compile(loss='categorical_crossentropy', optimizer='adam')
x = np.random.rand(40, 6, 3)
`;

describe('arrays paired with a Keras model\'s inputs and outputs', () => {
  it('reports a list of arrays as x when the model has another number of inputs (SL211)', async () => {
    const result = await run(`${GRU_MODEL}x = [np.random.rand(5, 1), np.random.rand(5, 1), np.random.rand(5, 1)]\nmodel.fit(x, np.random.rand(3))\n`);
    const found = result.findings.filter((f) => f.code === 'SL211');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /list of 3 arrays/);
    assert.match(found[0].message, /1 input/);
  });

  it('follows the length of a comprehension of arrays', async () => {
    assert.deepEqual(await codes(`${GRU_MODEL}x = [np.random.rand(5, 1) for _ in range(20)]\nmodel.predict(x)\n`), ['SL211']);
  });

  it('accepts one array per input, and leaves a list of numbers (one array for tf.keras) to the other checks', async () => {
    assert.deepEqual(await codes(`${GRU_MODEL}model.fit([np.random.rand(3, 5, 1)], np.random.rand(3))\n`), []);
    assert.deepEqual(await codes(`${GRU_MODEL}x = [[[0.1]] * 5] * 4\nmodel.fit(x, [0.0, 1.0, 0.0, 1.0])\n`), []);
  });

  it('compares each output of a two-head model with its own labels (SL210)', async () => {
    const bad = `${TWO_HEADS}model.fit(x, [np.random.rand(40, 3), np.random.rand(40, 5)])\n`;
    const result = await run(bad);
    const found = result.findings.filter((f) => f.code === 'SL210');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /second of the model's 2 outputs is \(None, 2\)/);
    assert.deepEqual(await codes(`${TWO_HEADS}model.fit(x, [np.random.rand(40, 3), np.random.rand(40, 2)])\n`), []);
  });

  it('compares one label array with every output of the model', async () => {
    const result = await run(`${TWO_HEADS}model.fit(x, np.random.rand(40, 3))\n`);
    const found = result.findings.filter((f) => f.code === 'SL210');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /second of the model's 2 outputs/);
    assert.match(found[0].message, /tf\.keras 2\.2\+ gives to each/);
  });

  it('says nothing when the labels are a list of another length or the loss is given per output', async () => {
    assert.deepEqual(await codes(`${TWO_HEADS}model.fit(x, [np.random.rand(40, 7)])\n`), []);
    const perOutput = TWO_HEADS.replace("loss='categorical_crossentropy'", "loss=['categorical_crossentropy', 'mse']");
    assert.deepEqual(await codes(`${perOutput}model.fit(x, [np.random.rand(40, 3), np.random.rand(40, 5)])\n`), []);
  });
});
