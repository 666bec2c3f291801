// Keras models: shapes as model.summary() prints them, and the Keras rules on small programs.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const keras = (body: string) => run(HEADER + body);
const codes = async (body: string) => (await keras(body)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('Keras shapes', () => {
  it('infers (None, 32) after Embedding(1000, 64) and LSTM(32), and (None, 10, 32) with return_sequences', async () => {
    const { layers, tensors } = await keras('m = keras.Sequential([layers.Embedding(1000, 64, input_length=10), layers.LSTM(32)])\nshape = m.output_shape\nm2 = keras.Sequential([layers.Embedding(1000, 64, input_length=10), layers.LSTM(32, return_sequences=True)])\nshape2 = m2.output_shape\n');
    assert.deepEqual(tensors.filter((t) => t.name === 'output_shape').map((t) => t.shape), ['(None, 32)', '(None, 10, 32)']);
    const summary = layers.find((l) => l.kind === 'Sequential')!.markdown;
    assert.match(summary, /\| Embedding \| `\(None, 10, 64\)` \|\n\| LSTM \| `\(None, 32\)` \|/);
  });

  it('follows the functional API through Bidirectional, TimeDistributed and pooling', async () => {
    const { tensors } = await keras('inp = keras.Input(shape=(20,))\ne = layers.Embedding(5000, 32)(inp)\nh = layers.Bidirectional(layers.GRU(16, return_sequences=True))(e)\nt = layers.TimeDistributed(layers.Dense(4))(h)\np = layers.GlobalAveragePooling1D()(h)\nc = layers.Conv1D(8, 5)(e)\n');
    const shape = (name: string) => tensors.find((t) => t.name === name)?.shape;
    assert.equal(shape('e'), '(None, 20, 32)');
    assert.equal(shape('h'), '(None, 20, 32)');
    assert.equal(shape('t'), '(None, 20, 4)');
    assert.equal(shape('p'), '(None, 32)');
    assert.equal(shape('c'), '(None, 16, 8)');
  });

  it('builds a Sequential model added to layer by layer', async () => {
    const { tensors } = await keras('model = keras.Sequential()\nmodel.add(layers.LSTM(16, input_shape=(30, 4), return_sequences=True))\nmodel.add(layers.LSTM(8))\nmodel.add(layers.Dense(1))\ns = model.output_shape\n');
    assert.equal(tensors.find((t) => t.name === 'output_shape')?.shape, '(None, 1)');
  });
});

describe('Keras rules', () => {
  it('SL201: a one-axis input_shape on a recurrent layer', async () => {
    assert.deepEqual(await codes('m = keras.Sequential([\n    layers.LSTM(32, input_shape=(100,)),\n    layers.Dense(1),\n])\n'), ['SL201@6']);
  });

  it('SL202: stacked LSTMs without return_sequences, with the fix on the layer below', async () => {
    const { findings } = await keras('m = keras.Sequential([\n    layers.Embedding(1000, 64),\n    layers.LSTM(64),\n    layers.LSTM(32),\n    layers.Dense(1),\n])\n');
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL202@8']);
    assert.match(findings[0].message, /expected ndim=3, found ndim=2/);
    assert.equal(findings[0].fixes[0].title, 'Add return_sequences=True to LSTM (line 7)');
    assert.equal(findings[0].fixes[0].edits[0].range.start.line, 6);
  });

  it('SL203: an id equal to input_dim in predicted data', async () => {
    assert.deepEqual(await codes('m = keras.Sequential([layers.Embedding(input_dim=1000, output_dim=8), layers.LSTM(4)])\nx = np.array([[1, 5, 1000]])\nm.predict(x)\n'), ['SL203@7']);
  });

  it('SL205: input_length that disagrees with the Input', async () => {
    assert.deepEqual(await codes('inp = keras.Input(shape=(20,))\nx = layers.Embedding(5000, 64,\n    input_length=30)(inp)\n'), ['SL205@7']);
  });

  it('SL206: a Reshape that assumes one direction after Bidirectional', async () => {
    assert.deepEqual(await codes('inp = keras.Input(shape=(20, 8))\nx = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(inp)\ny = layers.Reshape((20, 64))(x)\n'), ['SL206@7']);
  });

  it('SL207: return_sequences=True before the output with one label per sample', async () => {
    const src = 'm = keras.Sequential([\n    layers.Embedding(500, 16, input_length=12),\n    layers.LSTM(8, return_sequences=True),\n    layers.Dense(1, activation="sigmoid"),\n])\nm.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy", "Precision"])\nx = np.random.randint(0, 500, size=(32, 12))\ny = np.random.randint(0, 2, size=(32,))\nm.fit(x, y)\n';
    assert.deepEqual(await codes(src), ['SL207@7']);
  });

  it('SL208: softmax over one unit, and sigmoid with categorical_crossentropy', async () => {
    assert.deepEqual(await codes('m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(1, activation="softmax")])\nm.compile(optimizer="adam",\n    loss="binary_crossentropy")\n'), ['SL208@7']);
    assert.deepEqual(await codes('m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(3, activation="sigmoid")])\nm.compile(optimizer="adam",\n    loss="categorical_crossentropy")\n'), ['SL208@7']);
  });

  it('SL209: accuracy as the only metric of a classifier is an information hint, not a warning', async () => {
    const { findings } = await keras('m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(1, activation="sigmoid")])\nm.compile(optimizer="adam", loss="binary_crossentropy",\n    metrics=["accuracy"])\n');
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['SL209', 'information']]);
    assert.equal(findings[0].fixes[0].title, 'Use metrics=["accuracy", "Precision", "Recall", "AUC"]');
  });

  it('stays silent on a correct stacked model compiled with precision and recall', async () => {
    const src = 'm = keras.Sequential([\n    layers.Embedding(1000, 64, input_length=10),\n    layers.LSTM(64, return_sequences=True),\n    layers.LSTM(32),\n    layers.Dense(1, activation="sigmoid"),\n])\nm.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy", "Precision", "Recall"])\nx = np.random.randint(0, 1000, size=(16, 10))\ny = np.random.randint(0, 2, size=(16,))\nm.fit(x, y, epochs=1)\n';
    assert.deepEqual(await codes(src), []);
  });
});
