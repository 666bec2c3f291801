// SL210 on sparse class ids of one axis fewer than the output: as many ids per sample as the output has rows.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const linesOf = (code: string) => async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1);

describe('SL210 on sparse class ids against outputs with more axes', () => {
  const sl210 = linesOf('SL210');
  const model = (pooled: string) =>
    `m = keras.Sequential([layers.Conv1D(8, 3, padding="same", input_shape=(20, 6)), ${pooled}layers.Dense(5, activation="softmax")])\n` +
    'm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")\n';

  it('flags (n, 5) labels against a (None, 1, 5) output: 5 ids per sample for 1 output row', async () => {
    assert.deepEqual(await sl210(model('layers.MaxPooling1D(20), ') + 'm.fit(np.zeros((30, 20, 6)), np.zeros((30, 5)))\n'), [7]);
  });

  it('is clean for ids shaped as the output without its class axis', async () => {
    assert.deepEqual(await sl210(model('layers.MaxPooling1D(20), ') + 'm.fit(np.zeros((30, 20, 6)), np.zeros((30, 1)))\n'), []);
    assert.deepEqual(await sl210(model('') + 'm.fit(np.zeros((30, 20, 6)), np.zeros((30, 20)))\n'), []);
  });

  it('flags per-step ids of another length than the output\'s steps', async () => {
    assert.deepEqual(await sl210(model('') + 'm.fit(np.zeros((30, 20, 6)), np.zeros((30, 21)))\n'), [7]);
  });
});
