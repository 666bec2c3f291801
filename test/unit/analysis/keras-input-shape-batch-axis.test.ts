// SL202 on a Keras recurrent layer whose input_shape has the batch written into it: (1, 6, 30) gives 4-D input, and Keras
// raises "expected ndim=3, found ndim=4" where the layer is added (test/fixtures/keras-reported/keras-11480-*).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const K = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import LSTM, Dense\n';

describe('SL202 on a Keras recurrent input_shape that holds the batch axis', () => {
  it('reports input_shape=(1, 6, 30) as 4-D input where the layer is added', async () => {
    const result = await run(`${K}model = Sequential()\nmodel.add(LSTM(100, input_shape=(1, 6, 30), return_sequences=True))\n`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL202@5']);
    assert.match(result.findings[0].message, /receives 4-D \(None, 1, 6, 30\).*found ndim=4/);
  });

  it('leaves (timesteps, features) alone, and a one-axis input_shape to SL201', async () => {
    assert.deepEqual(await codes(`${K}model = Sequential()\nmodel.add(LSTM(100, input_shape=(6, 30)))\nmodel.add(Dense(1, activation='sigmoid'))\n`), []);
    assert.deepEqual(await codes(`${K}model = Sequential()\nmodel.add(LSTM(100, input_shape=(30,)))\n`), ['SL201']);
  });
});
