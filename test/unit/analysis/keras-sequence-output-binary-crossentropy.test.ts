// SL207 under binary_crossentropy: Keras 3 checks the shapes, and tf.keras 2.x does when it reads a sigmoid's input as
// logits ("logits and labels must have the same shape"), so the message does not say that the loss broadcasts.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const sl207 = async (loss: string) => {
  const body = `m = keras.Sequential([layers.Embedding(100, 8, input_length=12), layers.Bidirectional(layers.LSTM(4, return_sequences=True)), layers.Dense(1, activation="sigmoid")])\nm.compile(loss="${loss}", optimizer="adam")\nm.fit(np.random.randint(0, 100, size=(6, 12)), np.array([0, 1, 0, 0, 1, 0]))\n`;
  return (await run(HEADER + body)).findings.filter((f) => f.code === 'SL207');
};

describe('SL207 under binary_crossentropy', () => {
  it('names the shape checks of Keras 3 and of tf.keras 2.x after a sigmoid', async () => {
    const findings = await sl207('binary_crossentropy');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /binary_crossentropy checks the shapes in Keras 3 \("Arguments `target` and `output` must have the same shape"\) and in tf\.keras 2\.x when the output comes from a sigmoid \("logits and labels must have the same shape"\)/);
    assert.doesNotMatch(findings[0].message, /; the loss broadcasts over the steps without an error/);
  });

  it('keeps saying that mean squared error broadcasts over the steps', async () => {
    const findings = await sl207('mse');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /; the loss broadcasts over the steps without an error \(tf\.keras 2\.x and Keras 3\)$/);
  });
});

// Labels with one value per step, lacking only the output's last axis of 1: tf.keras 2.x and Keras 3 drop that axis
// from the output before the loss (squeeze_or_expand_dimensions), so the shapes agree and fit trains.
describe('SL207 beside per-step labels without the last axis of 1', () => {
  const body = (labels: string, loss = 'binary_crossentropy') =>
    `m = keras.Sequential([layers.Embedding(100, 8, input_length=12), layers.LSTM(4), layers.RepeatVector(12), layers.GRU(3, return_sequences=True), layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))])\nm.compile(loss="${loss}", optimizer="adam")\nm.fit(np.random.randint(0, 100, size=(6, 12)), ${labels})\n`;
  const codes = async (labels: string, loss?: string) => (await run(HEADER + body(labels, loss))).findings.map((f) => f.code).filter((c) => c === 'SL207' || c === 'SL210');

  it('draws no finding for (samples, steps) labels beside a (batch, steps, 1) output', async () => {
    assert.deepEqual(await codes('np.random.randint(0, 2, size=(6, 12))'), []);
    assert.deepEqual(await codes('np.random.random((6, 12))', 'mse'), []);
  });

  it('still reports one label per sample beside the per-step output', async () => {
    assert.deepEqual(await codes('np.random.randint(0, 2, size=(6, 1))'), ['SL207']);
    assert.deepEqual(await codes('np.random.randint(0, 2, size=(6,))'), ['SL207']);
  });

  it('still reports labels whose steps differ from the output\'s', async () => {
    assert.deepEqual(await codes('np.random.randint(0, 2, size=(6, 5))'), ['SL207']);
  });
});
