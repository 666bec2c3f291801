// SL223: a Keras Reshape whose target holds another number of values per sample than its input (with one -1, a
// number of values the other sizes do not divide), which Keras refuses when the model is built. Half a
// Bidirectional layer's values stays SL206's; a refused Reshape gives no output shape.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const HEADER = 'from tensorflow.keras.layers import Input, Conv1D, Reshape, Dense, LSTM, Bidirectional\nfrom tensorflow.keras.models import Model, Sequential\n';
const found = async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.code === 'SL223' || f.code === 'SL206').map((f) => `${f.code}:${f.range.start.line + 1}`);

describe('SL223 keras-reshape-size', () => {
  it('reports a target of another size, and nothing for the same size or a -1 that divides it', async () => {
    const conv = 'inp = Input(shape=(40, 3))\nx = Conv1D(16, 5)(inp)\n';   // (None, 36, 16): 576 values
    assert.deepEqual(await found(conv + 'y = Reshape((36, 8))(x)\n'), ['SL223:5']);
    assert.deepEqual(await found(conv + 'y = Reshape((18, 32))(x)\n'), []);
    assert.deepEqual(await found(conv + 'y = Reshape((-1, 64))(x)\n'), []);
    assert.equal(await shapeOf(HEADER + conv + 'y = Reshape((-1, 64))(x)\n', 'y'), '(None, 9, 64)');
    assert.deepEqual(await found(conv + 'y = Reshape((-1, 7))(x)\n'), ['SL223:5']);
  });

  it('reports a Sequential Reshape and gives its output no shape', async () => {
    const body = 'model = Sequential()\nmodel.add(Dense(30, input_shape=(4,)))\nmodel.add(Reshape((4, 8)))\nmodel.add(LSTM(5))\n';
    assert.deepEqual(await found(body), ['SL223:5']);
    assert.equal(await shapeOf(HEADER + 'inp = Input(shape=(30,))\ny = Reshape((4, 8))(inp)\n', 'y'), undefined);
  });

  it('leaves half a Bidirectional output to SL206, and an input of unknown steps alone', async () => {
    const bi = 'inp = Input(shape=(20, 8))\nx = Bidirectional(LSTM(64, return_sequences=True))(inp)\n';
    assert.deepEqual(await found(bi + 'y = Reshape((20, 64))(x)\n'), ['SL206:5']);
    assert.deepEqual(await found(bi + 'y = Reshape((20, 100))(x)\n'), ['SL223:5']);
    assert.deepEqual(await found('inp = Input(shape=(None, 8))\ny = Reshape((4, 2))(inp)\n'), []);
  });
});
