// Keras models: shapes as model.summary() prints them, and the Keras rules on small programs.
import { strict as assert } from 'node:assert';
import type { Workspace } from '../../../src/analysis';
import { analyzer, run } from './helpers';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const keras = (body: string) => run(HEADER + body);
const codes = async (body: string) => (await keras(body)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
/** The lines one rule reports on. */
const linesOf = (code: string) => async (body: string) => (await keras(body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1);
/** The shape the analysis gives a name of a program. */
const shapeOf = async (body: string, name: string) => (await keras(body)).tensors.find((t) => t.name === name)?.shape;
/** The lines SL215 (nb_epoch) reports on a whole program, its imports included. */
const sl215 = async (source: string) => (await run(source)).findings.filter((f) => f.code === 'SL215').map((f) => f.range.start.line + 1);

describe('Keras shapes', () => {
  it("reads Keras 0.x and 1's TimeDistributedDense(output_dim) as a Dense at every step of a 3-D input", async () => {
    const head = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers.core import TimeDistributedDense\nfrom keras.layers.recurrent import LSTM\n';
    const { tensors } = await run(`${head}m = Sequential()\nm.add(LSTM(16, input_shape=(80, 6), return_sequences=True))\nm.add(TimeDistributedDense(4))\nout = m.output_shape\nm2 = Sequential()\nm2.add(TimeDistributedDense(5, input_dim=3, input_length=7))\nout2 = m2.output_shape\nm3 = Sequential()\nm3.add(LSTM(16, input_shape=(80, 6)))\nm3.add(TimeDistributedDense(4))\nout3 = m3.output_shape\n`);
    const shapes = tensors.filter((t) => t.name === 'output_shape').map((t) => t.shape);
    assert.deepEqual(shapes.slice(0, 2), ['(None, 80, 4)', '(None, 7, 5)']);
    assert.ok(!shapes.includes('(None, 4)'), 'a 2-D input is refused, not read as a Dense');
  });

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

  it('SL208: categorical_crossentropy over one sigmoid unit is a warning, over several only information', async () => {
    // Keras divides y_pred by its sum: one unit becomes 1.0 (loss 0, nothing learned); several are renormalised, so the
    // model trains and only predict()'s rows are not probabilities.
    const severities = async (units: number) => (await keras(`m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(${units}, activation="sigmoid")])\nm.compile(optimizer="adam", loss="categorical_crossentropy")\n`)).findings.filter((f) => f.code === 'SL208').map((f) => f.severity);
    assert.deepEqual(await severities(1), ['warning']);
    assert.deepEqual(await severities(6), ['information']);
  });

  it('SL208: binary_crossentropy on a softmax over three or more units, but not over two (the same loss and accuracy)', async () => {
    const body = (units: number) => `enc = keras.Input(shape=(30,))\nh = layers.Bidirectional(layers.GRU(16))(layers.Embedding(800, 24)(enc))\nout = layers.Dense(${units}, activation="softmax")(h)\nclf = keras.Model(enc, out)\nclf.compile(optimizer="rmsprop", metrics=["accuracy"],\n    loss="binary_crossentropy")\nids = np.random.randint(0, 800, size=(64, 30))\nclf.fit(ids, keras.utils.to_categorical(np.random.randint(0, ${units}, size=(64,)), ${units}))\n`;
    const sl208 = async (units: number) => (await keras(body(units))).findings.filter((f) => f.code === 'SL208').map((f) => f.range.start.line + 1);
    assert.deepEqual(await sl208(2), []);
    assert.deepEqual(await sl208(3), [10]);
  });

  it('SL209: accuracy as the only metric of a classifier is an information hint, not a warning', async () => {
    const { findings } = await keras('m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(1, activation="sigmoid")])\nm.compile(optimizer="adam", loss="binary_crossentropy",\n    metrics=["accuracy"])\n');
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['SL209', 'information']]);
    assert.equal(findings[0].fixes[0].title, 'Use metrics=["accuracy", "Precision", "Recall", "AUC"]');
  });

  it('SL209: with a sparse loss no metric is offered as the fix, since Keras\' Precision and Recall raise on class-id labels', async () => {
    const compiled = (loss: string) => keras(`m = keras.Sequential([layers.LSTM(8, input_shape=(5, 2)), layers.Dense(4, activation="softmax")])\nm.compile(optimizer="adam", loss="${loss}",\n    metrics=["accuracy"])\n`);
    const sparse = (await compiled('sparse_categorical_crossentropy')).findings;
    assert.deepEqual(sparse.map((f) => [f.code, f.severity, f.fixes?.length ?? 0]), [['SL209', 'information', 0]]);
    assert.match(sparse[0].message, /classification_report/);
    const oneHot = (await compiled('categorical_crossentropy')).findings;
    assert.equal(oneHot[0].fixes[0].title, 'Use metrics=["accuracy", "Precision", "Recall"]');
  });

  it('stays silent on a correct stacked model compiled with precision and recall', async () => {
    const src = 'm = keras.Sequential([\n    layers.Embedding(1000, 64, input_length=10),\n    layers.LSTM(64, return_sequences=True),\n    layers.LSTM(32),\n    layers.Dense(1, activation="sigmoid"),\n])\nm.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy", "Precision", "Recall"])\nx = np.random.randint(0, 1000, size=(16, 10))\ny = np.random.randint(0, 2, size=(16,))\nm.fit(x, y, epochs=1)\n';
    assert.deepEqual(await codes(src), []);
  });
});

describe('Keras data sources, states and labels', () => {
  const shapeIn = async (body: string, name: string) => (await keras(body)).tensors.find((t) => t.name === name)?.shape;

  it('imdb.load_data gives 25,000 samples per split; ids below num_words, or up to 88,586 without it', async () => {
    const body = '(xa, ya), (xb, yb) = keras.datasets.imdb.load_data(num_words=5000)\n(xc, yc), _ = keras.datasets.imdb.load_data()\nm = keras.Sequential([layers.Embedding(5000, 8), layers.LSTM(4), layers.Dense(1, activation="sigmoid")])\nm.compile(loss="binary_crossentropy", optimizer="adam")\nm.fit(xa, ya)\nm.fit(xc, yc)\n';
    assert.equal(await shapeIn(body, 'ya'), '(25000,)');
    assert.deepEqual((await codes(body)).filter((c) => c.startsWith('SL203')), ['SL203@10']);
  });

  it('make_regression and train_test_split keep the rows and features scikit-learn gives', async () => {
    const body = 'from sklearn.datasets import make_regression\nfrom sklearn.model_selection import train_test_split\nX, y = make_regression(100, 9, n_targets=2)\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n';
    assert.equal(await shapeIn(body, 'X'), '(100, 9)');
    assert.equal(await shapeIn(body, 'y'), '(100, 2)');
    assert.equal(await shapeIn(body, 'X_train'), '(80, 9)');
    assert.equal(await shapeIn(body, 'y_test'), '(20, 2)');
  });

  it('to_categorical without num_classes has as many columns as the largest id + 1', async () => {
    assert.equal(await shapeIn('y = keras.utils.to_categorical(np.random.randint(0, 22, size=(150,)))\n', 'y'), '(150, 22)');
  });

  it('return_state: LSTM 3 outputs, GRU 2, Bidirectional LSTM 5, Bidirectional GRU 3; unpacking them so is clean', async () => {
    const body = 'x = keras.Input(shape=(7, 4))\na, h, c = layers.LSTM(8, return_state=True)(x)\nb, g = layers.GRU(8, return_state=True)(x)\no, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(8, return_state=True))(x)\np, f, r = layers.Bidirectional(layers.GRU(8, return_state=True))(x)\n';
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeIn(body, 'o'), '(None, 16)');
    assert.equal(await shapeIn(body, 'bc'), '(None, 8)');
  });

  it('SL213: three names for a Bidirectional LSTM\'s five outputs', async () => {
    assert.deepEqual(await codes('x = keras.Input(shape=(7, 4))\no, h, c = layers.Bidirectional(layers.LSTM(8, return_state=True))(x)\n'), ['SL213@6']);
  });

  it('SL213 names the tensors of a Bidirectional with merge_mode=None: both outputs before the states', async () => {
    const lstm = (await keras('x = keras.Input(shape=(7, 4))\na, b, c, d, e = layers.Bidirectional(layers.LSTM(8, return_state=True), merge_mode=None)(x)\n')).findings;
    assert.deepEqual(lstm.map((f) => f.code), ['SL213']);
    assert.match(lstm[0].message, /returns 6 tensors \(forward output, backward output, forward h and c, backward h and c\) but they are unpacked into 5 names/);
    const gru = (await keras('x = keras.Input(shape=(7, 4))\na, b = layers.Bidirectional(layers.GRU(8, return_state=True), merge_mode=None)(x)\n')).findings;
    assert.match(gru[0].message, /returns 4 tensors \(forward output, backward output, forward h, backward h\)/);
  });

  it('SL212: a Bidirectional encoder\'s states of 8 features each into a decoder of 16 units, and the concatenated fix', async () => {
    const bug = 'x = keras.Input(shape=(7, 4))\no, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(8, return_state=True))(x)\nd = layers.LSTM(16)(x, initial_state=[fh, fc])\n';
    assert.deepEqual(await codes(bug), ['SL212@7']);
    const fixed = 'x = keras.Input(shape=(7, 4))\no, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(8, return_state=True))(x)\nd = layers.LSTM(16)(x, initial_state=[layers.Concatenate()([fh, bh]), layers.Concatenate()([fc, bc])])\n';
    assert.deepEqual(await codes(fixed), []);
  });

  it('SL212 names standalone Keras 2.2.4, which ran a state of another rank, only for such a state', async () => {
    const message = async (body: string) => (await keras(body)).findings.filter((f) => f.code === 'SL212').map((f) => f.message);
    const threeD = await message('x = keras.Input(shape=(3, 4))\ns = keras.Input(shape=(1, 10))\nd = layers.SimpleRNN(10)(x, initial_state=[s])\n');
    assert.equal(threeD.length, 1);
    assert.match(threeD[0], /Keras 2\.2\.4 let a state of another rank through/);
    const width = await message('x = keras.Input(shape=(3, 4))\ns = keras.Input(shape=(8,))\nd = layers.SimpleRNN(10)(x, initial_state=[s])\n');
    assert.equal(width.length, 1);
    assert.doesNotMatch(width[0], /2\.2\.4/);
  });

  it('SL210: an element-wise loss that broadcasts one output against several targets is a warning; categorical_crossentropy against another width is an error', async () => {
    const silent = (await keras('m = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(1, activation="sigmoid")])\nm.compile(loss="binary_crossentropy", optimizer="adam")\nm.fit(np.random.rand(10, 5, 3), np.random.randint(0, 2, size=(10, 11)))\n')).findings.filter((f) => f.code === 'SL210');
    assert.deepEqual(silent.map((f) => f.severity), ['warning']);
    // binary_crossentropy checks the shapes in Keras 3 and after a sigmoid in tf.keras 2.x: the message must not say it broadcasts there.
    assert.match(silent[0].message, /Keras 3 raises "Arguments `target` and `output` must have the same shape", and tf\.keras 2\.x raises "logits and labels must have the same shape" when the output comes from a sigmoid/);
    assert.doesNotMatch(silent[0].message, /broadcasts the size-1 axis without an error in tf\.keras 2\.x and Keras 3/);
    const raises = (await keras('m = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(3, activation="softmax")])\nm.compile(loss="categorical_crossentropy", optimizer="adam")\nm.fit(np.random.rand(10, 5, 3), keras.utils.to_categorical(np.random.randint(0, 22, size=(10,))))\n')).findings.filter((f) => f.code === 'SL210');
    assert.deepEqual(raises.map((f) => f.severity), ['error']);
  });

  it('SL210 compares the axes between the batch and the last: pooled steps against one label per sample', async () => {
    const conv = (units: number, loss: string) => `m = keras.Sequential([layers.Conv1D(4, 3, input_shape=(14, 2)), layers.MaxPooling1D(), layers.Dense(${units})])\nm.compile(loss="${loss}", optimizer="adam")\n`;
    const broadcast = (await keras(conv(1, 'mse') + 'm.fit(np.random.rand(10, 14, 2), np.random.rand(10, 1, 1))\n')).findings.filter((f) => f.code === 'SL210');
    assert.deepEqual(broadcast.map((f) => `${f.severity}@${f.range.start.line + 1}`), ['warning@7']);
    assert.match(broadcast[0].message, /axis 1 holds 6 steps in the output against 1 in the labels/);
    const raises = (await keras(conv(3, 'categorical_crossentropy') + 'm.fit(np.random.rand(10, 14, 2), np.random.rand(10, 2, 3))\n')).findings.filter((f) => f.code === 'SL210');
    assert.deepEqual(raises.map((f) => f.severity), ['error']);
    assert.deepEqual(await codes(conv(1, 'mse') + 'm.fit(np.random.rand(10, 14, 2), np.random.rand(10, 6, 1))\n'), []);
  });

  it('SL210: labels or an output one axis longer whose last axis is unknown may be bridged by a trailing 1, so nothing is reported', async () => {
    const labels = 'import sys\nfeatures = int(sys.argv[1])\nm = keras.Sequential([layers.LSTM(8, input_shape=(12, features)), layers.Dense(1)])\nm.compile(loss="mae", optimizer="adam")\n';
    assert.deepEqual(await codes(labels + 'm.fit(np.random.rand(32, 12, features), np.random.rand(32, 1, features))\n'), []);
    assert.deepEqual(await codes(labels + 'm.fit(np.random.rand(32, 12, features), np.random.rand(32, 1, 4))\n'), ['SL210@9']);
    const output = 'import sys\nhorizon = int(sys.argv[1])\nm = keras.Sequential([layers.Conv1D(8, 3, padding="same", input_shape=(12, 3)), layers.Dense(horizon)])\nm.compile(loss="mse", optimizer="adam")\n';
    assert.deepEqual(await codes(output + 'm.fit(np.random.rand(32, 12, 3), np.random.rand(32, 12))\n'), []);
  });

  it('SL210 stays silent on integer labels with a sparse loss and on (n,) labels for one output unit', async () => {
    const body = 'm = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(3, activation="softmax")])\nm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")\nm.fit(np.random.rand(10, 5, 3), np.random.randint(0, 3, size=(10,)))\nb = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(1, activation="sigmoid")])\nb.compile(loss="binary_crossentropy", optimizer="adam")\nb.fit(np.random.rand(10, 5, 3), np.random.randint(0, 2, size=(10,)))\n';
    assert.deepEqual(await codes(body), []);
  });

  it('SL210: a sparse loss given (batch, steps) class ids for a per-sample output raises; a trailing axis of 1 does not', async () => {
    const model = 'm = keras.Sequential([layers.Embedding(65, 8, input_length=100), layers.GRU(16), layers.Dense(65)])\nm.compile(loss="sparse_categorical_crossentropy", optimizer="adam")\n';
    assert.deepEqual(await codes(model + 'm.fit(np.random.randint(0, 65, (64, 100)), np.random.randint(0, 65, (64, 100)))\n'), ['SL210@7']);
    assert.deepEqual(await codes(model + 'm.fit(np.random.randint(0, 65, (64, 100)), np.random.randint(0, 65, (64, 1)))\n'), []);
  });

  it('a loss function returning a Keras loss of its two parameters is read as that loss (SL210, SL207); another body is not', async () => {
    const wrapper = 'def loss(labels, logits):\n    return tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)\n';
    const lastStep = 'm = keras.Sequential([layers.Embedding(65, 8, input_length=100), layers.GRU(16), layers.Dense(65)])\nm.compile(optimizer="adam", loss=loss)\nm.fit(np.random.randint(0, 65, (64, 100)), np.random.randint(0, 65, (64, 100)))\n';
    assert.deepEqual(await codes(wrapper + lastStep), ['SL210@9']);
    const perStep = 'm = keras.Sequential([layers.Embedding(65, 8, input_length=100), layers.GRU(16, return_sequences=True), layers.Dense(65)])\nm.compile(optimizer="adam", loss=loss)\nm.fit(np.random.randint(0, 65, (64, 100)), np.random.randint(0, 65, (64, 100)))\n';
    assert.deepEqual(await codes(wrapper + perStep), []);
    // Arguments swapped, or more than a return: a loss of its own, whose label shapes are not known.
    const swapped = 'def loss(labels, logits):\n    return tf.keras.losses.sparse_categorical_crossentropy(logits, labels)\n';
    assert.deepEqual(await codes(swapped + lastStep), []);
    const masked = 'def loss(labels, logits):\n    mask = tf.cast(labels > 0, tf.float32)\n    return tf.keras.losses.sparse_categorical_crossentropy(labels, logits) * mask\n';
    assert.deepEqual(await codes(masked + perStep.replace(/m\./g, 'n.').replace('m = ', 'n = ')), []);
  });

  it('SL207 still flags one label per sample (1-D) under a loss of the program\'s own, and (n, 1) labels under a known non-sparse loss', async () => {
    const own = 'def my_loss(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_true - y_pred))\n';
    const model = (loss: string, labels: string) => `m = keras.Sequential([layers.LSTM(8, input_shape=(12, 6), return_sequences=True), layers.Dense(1)])\nm.compile(optimizer="adam", loss=${loss})\nm.fit(np.random.rand(10, 12, 6), ${labels})\n`;
    assert.deepEqual(await codes(own + model('my_loss', 'np.random.rand(10)')), ['SL207@7']);
    assert.deepEqual(await codes(own + model('my_loss', 'np.random.rand(10, 12)')), []);
    assert.deepEqual(await codes(model('"categorical_crossentropy"', 'np.random.rand(10, 12)')), ['SL207@5']);
  });

  it('SL207 is an error only under a loss known not to broadcast; under a loss held in a variable not followed, or a broadcasting one, it is a warning', async () => {
    const severities = async (body: string) => (await keras(body)).findings.filter((f) => f.code === 'SL207').map((f) => `${f.severity}@${f.range.start.line + 1}`);
    const model = (rs: string, loss: string, labels: string) => `m = keras.Sequential([layers.LSTM(8, input_shape=(12, 6), return_sequences=${rs}), layers.Dense(${labels === '(10, 3)' ? 3 : 1})])\nm.compile(optimizer="adam", loss=${loss})\nm.fit(np.random.rand(10, 12, 6), np.random.rand${labels})\n`;
    // A Keras loss object assigned to a variable first: the variable's name is not the loss's name.
    const lossObject = 'loss = tf.keras.losses.MeanSquaredError()\n';
    assert.deepEqual(await severities(lossObject + model('True', 'loss', '(10, 1)')), ['warning@6']);
    assert.match((await keras(lossObject + model('True', 'loss', '(10, 1)'))).findings[0].message, /a loss that broadcasts .* trains on every step without an error, another raises at fit/);
    assert.deepEqual(await severities(model('True', 'tf.keras.losses.MeanSquaredError()', '(10, 1)')), ['warning@5']);
    assert.deepEqual(await severities(model('True', 'mse', '(10, 1)')), ['warning@5']);
    assert.deepEqual(await severities(model('True', '"categorical_crossentropy"', '(10, 3)')), ['error@5']);
    // The correct twin: the last step only, one label per sample.
    assert.deepEqual(await codes(lossObject + model('False', 'loss', '(10, 1)')), []);
  });

  it('(samples, steps) labels that repeat the steps of a (None, steps, classes) output are class ids per step: SL210 under a categorical loss, not SL207; nothing under a sparse one', async () => {
    // keras-team/keras#6667: a sequence autoencoder fitted with fit(ids, ids); Keras 2 raised "expected act to have
    // 3 dimensions, but got array with shape (21, 15)".
    const model = (loss: string, labels: string) => `m = keras.Sequential([layers.Embedding(234, 16, input_length=15), layers.LSTM(16), layers.RepeatVector(15), layers.LSTM(16, return_sequences=True), layers.Dense(234, activation="softmax")])\nm.compile(loss="${loss}", optimizer="rmsprop")\nids = np.random.randint(1, 234, size=(21, 15))\nm.fit(ids, ${labels})\n`;
    const { findings } = await keras(model('categorical_crossentropy', 'ids'));
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL210@8']);
    assert.match(findings[0].message, /\(21, 15\) \(2-D\), one class id per step.*sparse_categorical_crossentropy takes the ids/);
    assert.deepEqual(await codes(model('sparse_categorical_crossentropy', 'ids')), []);
    assert.deepEqual(await codes(model('sparse_categorical_crossentropy', 'np.expand_dims(ids, -1)')), []);
    // One label row per sample (2 columns against 15 steps) is still SL207's.
    assert.deepEqual(await codes(model('categorical_crossentropy', 'np.eye(2)[np.random.randint(0, 2, 21)]')), ['SL207@5']);
  });

  it('a functional model is replayed on the data given to fit: an id above input_dim is SL203 on the fit line', async () => {
    const body = 'ids = np.random.randint(1, 101, size=(50,))\ninp = keras.Input(shape=(1,))\ne = layers.Embedding(100, 4)(inp)\nout = layers.Dense(1)(layers.Flatten()(e))\nm = keras.Model(inp, out)\nm.compile(loss="mse", optimizer="adam")\nm.fit(ids, np.random.rand(50, 1))\n';
    assert.deepEqual(await codes(body), ['SL203@11']);
  });

  it('layers.add keeps a per-step output per step, so SL207 reaches the functional model through it', async () => {
    const body = 'inp = keras.Input(shape=(None, 6))\na = layers.LSTM(8, return_sequences=True)(inp)\nb = layers.LSTM(8, return_sequences=True)(a)\nout = layers.TimeDistributed(layers.Dense(1))(layers.add([b, a]))\nm = keras.Model(inputs=inp, outputs=out)\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.rand(10, 12, 6), np.random.rand(10, 1))\n';
    assert.deepEqual(await codes(body), ['SL207@7']);
  });

  it('SL215: fit(nb_epoch=…) is named with the versions that reject it, and its fix renames the keyword', async () => {
    const result = await keras('m = keras.Sequential([layers.Dense(1, input_shape=(4,))])\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.rand(8, 4), np.random.rand(8, 1), nb_epoch=3)\n');
    const finding = result.findings.find((f) => f.code === 'SL215');
    assert.match(finding?.message ?? '', /tf\.keras 2\.x and Keras 3/);
    assert.equal(finding?.fixes?.[0]?.title, 'Rename nb_epoch to epochs');
  });

  it('SL215: nb_epoch is right in a standalone-Keras program written for Keras 1 throughout, and still reported with tf.keras', async () => {
    const body = 'm = Sequential()\nm.add(Embedding(1000, 32, input_length=10, dropout=0.2))\nm.add(LSTM(32, dropout_W=0.2, dropout_U=0.2))\nm.add(Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.randint(0, 1000, size=(8, 10)), np.random.rand(8, 1), nb_epoch=3)\n';
    const standalone = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Embedding, LSTM, Dense\n';
    const tfKeras = 'import numpy as np\nfrom tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Embedding, LSTM, Dense\n';
    assert.deepEqual(await sl215(standalone + body), []);
    assert.deepEqual(await sl215(tfKeras + body), [9]);
    const keras2Layers = body.replace(', dropout=0.2', '').replace('dropout_W=0.2, dropout_U=0.2', 'dropout=0.2, recurrent_dropout=0.2');
    assert.deepEqual(await sl215(standalone + keras2Layers), [9]);
  });

  it('SL215: a comment that names tf.keras does not make a Keras 1 program tf.keras, and Keras 0.x/1 layers (TimeDistributedDense, Merge) or show_accuracy= are Keras 1 signs', async () => {
    const header = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Embedding, LSTM, Dense\n';
    const body = 'm = Sequential()\nm.add(Embedding(1000, 32, input_length=10))\nm.add(LSTM(32, dropout_W=0.2))\nm.add(Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.randint(0, 1000, size=(8, 10)), np.random.rand(8, 1), nb_epoch=3)\n';
    assert.deepEqual(await sl215(`# under tf.keras 2.x this would need epochs=\n${header}${body}`), []);
    assert.deepEqual(await sl215(`x = "#"  # tf.keras\n${header}${body}`), []);
    assert.deepEqual(await sl215(`${header}import tensorflow as tf\nloss = tf.keras.losses.mse\n${body}`), [11]);
    const keras2 = body.replace('dropout_W=0.2', 'dropout=0.2');
    assert.deepEqual(await sl215(header + keras2), [9]);
    assert.deepEqual(await sl215(`${header}from keras.layers.core import TimeDistributedDense\n${keras2}`), []);
    assert.deepEqual(await sl215(header + keras2.replace('nb_epoch=3', 'nb_epoch=3, show_accuracy=True')), []);
    assert.deepEqual(await sl215(`${header}from keras.layers import Merge\nm0 = Merge([a, b], mode="sum")\n${keras2}`), []);
  });

  it('SL215: nb_epoch is right in a program using the Keras 0.x (input_dim, output_dim) layers, and still reported when the layers are Keras 2', async () => {
    const header = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers.core import Dense, Activation\nfrom keras.layers.recurrent import LSTM\n';
    const body = 'm = Sequential()\nm.add(LSTM(30, 256, return_sequences=False))\nm.add(Dense(256, 30))\nm.add(Activation("softmax"))\nm.compile(loss="categorical_crossentropy", optimizer="sgd")\nm.fit(np.random.rand(8, 5, 30), np.random.rand(8, 30), nb_epoch=1)\n';
    assert.deepEqual(await sl215(header + body), []);
    const keras2 = body.replace('LSTM(30, 256, return_sequences=False)', 'LSTM(256, input_shape=(5, 30))').replace('Dense(256, 30)', 'Dense(30)');
    assert.deepEqual(await sl215(header + keras2), [10]);
    assert.deepEqual(await sl215(header.replace(/from keras/g, 'from tensorflow.keras') + body), [10]);
  });

  it('SL215: nb_epoch is right where Dense or a recurrent layer takes output_dim= or a layer init= (Keras 1 names), and still reported where only Embedding takes output_dim=', async () => {
    const header = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import SimpleRNN, TimeDistributed, Dense, Embedding\n';
    const body = 'm = Sequential()\nm.add(SimpleRNN(input_dim=6, output_dim=16, return_sequences=True))\nm.add(TimeDistributed(Dense(output_dim=6, activation="sigmoid")))\nm.compile(loss="binary_crossentropy", optimizer="adam")\nm.fit(np.random.rand(8, 5, 6), np.random.rand(8, 5, 6), nb_epoch=2)\n';
    assert.deepEqual(await sl215(header + body), []);
    const keras2 = body.replace('SimpleRNN(input_dim=6, output_dim=16, ', 'SimpleRNN(16, input_shape=(5, 6), ').replace('Dense(output_dim=6, ', 'Dense(6, ');
    assert.deepEqual(await sl215(header + keras2), [8]);
    const initOnly = keras2.replace('Dense(6, ', 'Dense(6, init="normal", ');
    assert.deepEqual(await sl215(header + initOnly), []);
    const embedding = 'm = Sequential()\nm.add(Embedding(input_dim=100, output_dim=8, input_length=5))\nm.add(SimpleRNN(4))\nm.add(Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.randint(0, 100, size=(8, 5)), np.random.rand(8, 1), nb_epoch=2)\ntsne_init = dict(init="pca")\n';
    assert.deepEqual(await sl215(header + embedding), [9]);
    assert.deepEqual(await sl215(header.replace(/from keras/g, 'from tensorflow.keras') + body), [8]);
  });

  it('SL215: nb_epoch is right in a program using keras.initializations or merge([...], mode=), which only Keras 1 had', async () => {
    const header = 'import numpy as np\nfrom keras.models import Model\nfrom keras.layers import Input, Dense, LSTM, merge\n';
    const body = 'a = Input(shape=(5, 3))\nb = Input(shape=(5, 3))\nh = merge([LSTM(4)(a), LSTM(4)(b)], mode="concat")\nout = Dense(1)(h)\nm = Model(input=[a, b], output=out)\nm.compile(loss="mse", optimizer="adam")\nm.fit([np.random.rand(8, 5, 3), np.random.rand(8, 5, 3)], np.random.rand(8, 1), nb_epoch=2)\n';
    assert.deepEqual(await sl215(header + body), []);
    const keras2 = body.replace('merge([LSTM(4)(a), LSTM(4)(b)], mode="concat")', 'concatenate([LSTM(4)(a), LSTM(4)(b)])').replace('Model(input=[a, b], output=out)', 'Model([a, b], out)');
    const header2 = header.replace('merge', 'concatenate');
    assert.deepEqual(await sl215(header2 + keras2), [10]);
    assert.deepEqual(await sl215(header2 + 'from keras import initializations\n' + keras2), []);
  });

  it('SL215: nb_epoch is right in a standalone-Keras program whose functional Model takes input= and output= (Keras 1 names), even where TensorFlow is imported for its own ops', async () => {
    const header = 'import numpy as np\nimport tensorflow as tf\nfrom keras.models import Model\nfrom keras.layers import Input, GRU, Dense\n';
    const body = 'def scaled_mse(y_true, y_pred):\n    return tf.reduce_mean(tf.exp(0.1 * tf.square(y_true - y_pred)))\n\nseq = Input(shape=(12, 3))\nh = GRU(16)(seq)\nrate = Dense(1, activation="softplus")(h)\nm = Model(input=seq, output=rate)\nm.compile(loss=scaled_mse, optimizer="sgd")\nm.fit(np.random.rand(8, 12, 3), np.random.rand(8, 1), nb_epoch=2)\n';
    assert.deepEqual(await sl215(header + body), []);
    const keras2 = body.replace('Model(input=seq, output=rate)', 'Model(inputs=seq, outputs=rate)');
    assert.deepEqual(await sl215(header + keras2), [13]);
    const tfKeras = header.replace(/from keras\./g, 'from tensorflow.keras.');
    assert.deepEqual(await sl215(tfKeras + body), [13]);
    assert.deepEqual(await sl215(header + body.replace('tf.exp(', 'tf.keras.backend.exp(')), [13]);
  });

  it('SL215: nb_epoch is right in a Python 2 program (print statements), which only Keras 2.3 and older ran; print() calls are no sign of it', async () => {
    const header = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import LSTM, Dense\n';
    const body = 'x = np.random.rand(8, 5, 2)\nprint x.shape\nm = Sequential()\nm.add(LSTM(4, input_shape=(5, 2)))\nm.add(Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, np.random.rand(8, 1), nb_epoch=2)\n';
    assert.deepEqual(await sl215(header + body), []);
    assert.deepEqual(await sl215(header + body.replace('print x.shape', 'print "shape:", x.shape')), []);
    assert.deepEqual(await sl215(header + body.replace('print x.shape', 'print(x.shape)')), [10]);
    assert.deepEqual(await sl215(header + body.replace('print x.shape', '"""\n    print the shapes\n"""')), [12]);
  });

  it('SL215: nb_epoch is right in a program that imports a module only Python 2 has (cPickle, urllib2, izip), and still reported where that import is guarded by try/except', async () => {
    const header = 'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import LSTM, Dense\n';
    const body = 'x = np.random.rand(8, 5, 2)\nm = Sequential()\nm.add(LSTM(4, input_shape=(5, 2)))\nm.add(Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, np.random.rand(8, 1), nb_epoch=2)\n';
    assert.deepEqual(await sl215(header + 'import cPickle as pickle\n' + body), []);
    assert.deepEqual(await sl215(header + 'import os, urllib2\n' + body), []);
    assert.deepEqual(await sl215(header + 'from itertools import chain, izip\n' + body), []);
    assert.deepEqual(await sl215(header + 'try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n' + body), [13]);
    assert.deepEqual(await sl215(header + 'import pickle\nfrom itertools import chain\n' + body), [11]);
  });
});

describe('SL215 across the files of a project', () => {
  const workspaceOf = (files: Record<string, string>): Workspace => ({ root: '/p', provider: { read: (path) => files[path], pythonFiles: () => Object.keys(files).sort() } });
  const build = (names: string) => `from keras.models import Model\nfrom keras.layers import Input, Dense, GRU, Reshape\n\ndef make(n=6):\n    inp = Input(shape=(n,))\n    x = Reshape((1, n))(inp)\n    x = GRU(8)(x)\n    out = Dense(3, activation="softmax")(x)\n    m = Model(${names}=[inp], ${names === 'input' ? 'output' : 'outputs'}=out)\n    m.compile(loss="categorical_crossentropy", optimizer="rmsprop")\n    return m\n`;
  const fit = (keras: string) => `import numpy as np\n${keras}\nfrom build import make\n\nm = make()\nm.fit(np.random.rand(16, 6), np.eye(3)[np.random.randint(0, 3, 16)], batch_size=4, nb_epoch=1)\n`;
  const sl215In = async (built: string, script: string) =>
    (await analyzer()).analyze(script, '/p/train.py', workspaceOf({ '/p/build.py': built, '/p/train.py': script })).findings.filter((f) => f.code === 'SL215').map((f) => f.range.start.line + 1);

  it('nb_epoch is right where the model fitted was built by a Keras 1 function of another file (Model(input=, output=)), and still reported when that file is Keras 2 or the fitting file takes tf.keras', async () => {
    assert.deepEqual(await sl215In(build('input'), fit('from keras.models import load_model')), []);
    assert.deepEqual(await sl215In(build('inputs'), fit('from keras.models import load_model')), [6]);
    assert.deepEqual(await sl215In(build('input'), fit('from tensorflow.keras.models import load_model')), [6]);
  });
});

describe('Keras Permute', () => {
  it('a CRNN swaps its feature maps to (batch, width, height, channels) with Permute and reads the width as steps', async () => {
    const result = await keras('inp = keras.Input(shape=(32, 128, 1))\nx = layers.Conv2D(16, (3, 3), padding="same")(inp)\nx = layers.MaxPooling2D((2, 2))(x)\nx = layers.Permute((2, 1, 3))(x)\nx = layers.Reshape((64, 16 * 16))(x)\nseq = layers.LSTM(32, return_sequences=True)(x)\n');
    const shape = (name: string) => result.tensors.find((t) => t.name === name)?.shape;
    assert.equal(shape('seq'), '(None, 64, 32)');
  });

  it('Permute of dims that are no permutation of the axes after the batch, or of an input of another rank, leaves the shape unknown', async () => {
    for (const dims of ['(1, 1)', '(0, 1)', '(2, 3, 1)', 'order']) {
      const result = await keras(`inp = keras.Input(shape=(5, 7))\nout = layers.Permute(${dims})(inp)\n`);
      assert.equal(result.tensors.find((t) => t.name === 'out')?.shape, undefined, dims);
    }
    const swapped = await keras('inp = keras.Input(shape=(5, 7))\nout = layers.Permute((2, 1))(inp)\n');
    assert.equal(swapped.tensors.find((t) => t.name === 'out')?.shape, '(None, 7, 5)');
  });
});

describe('Keras initial_state from a parameter', () => {
  it('SL212 does not count the states of a call() parameter run without a caller; a single zeros tensor in its place is still one state', async () => {
    const cls = 'class Enc(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.emb = layers.Embedding(100, 8)\n        self.lstm = layers.LSTM(16, return_sequences=True, return_state=True)\n\n    def call(self, x, states):\n        out, h, c = self.lstm(self.emb(x), initial_state=states)\n        return out, h, c\n';
    assert.deepEqual(await codes(cls), []);
    const single = cls.replace('def call(self, x, states):', 'def call(self, x):\n        states = tf.zeros((4, 16))');
    assert.deepEqual(await codes(single), ['SL212@13']);
  });
});

describe('Keras Sequential.add that raises', () => {
  it('a layer argument given to model.add is a TypeError there: nothing after it is claimed; the same stack added correctly is SL202', async () => {
    const stopped = 'm = keras.Sequential()\nm.add(layers.GRU(32, input_shape=(None, 4)), return_sequences=True)\nm.add(layers.GRU(8))\nm.add(layers.Dense(1))\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.random.rand(10, 6, 4), np.random.rand(10, 1), nb_epoch=2)\n';
    assert.deepEqual(await codes(stopped), []);
    const added = stopped.replace('input_shape=(None, 4)), return_sequences=True)', 'input_shape=(None, 4)))');
    assert.deepEqual(await codes(added), ['SL202@7', 'SL215@10']);
    // Keras 3's add(layer, rebuild=False) is accepted: the stack is still followed.
    assert.deepEqual(await codes(added.replace('(None, 4)))', '(None, 4)), rebuild=False)')), ['SL202@7', 'SL215@10']);
  });
});

describe('Keras Conv1D, pooling and MultiHeadAttention rules', () => {
  it('SL216: Conv1D on a one-axis input_shape, with the (steps, 1) fix; pooling after a layer that returns its last step', async () => {
    const { findings } = await keras('m = keras.Sequential([\n    layers.Conv1D(8, 3, input_shape=(30,)),\n    layers.Flatten(),\n])\n');
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL216@6']);
    assert.match(findings[0].message, /expected min_ndim=3, found ndim=2/);
    assert.equal(findings[0].fixes[0].title, 'Use input_shape=(30, 1)');
    assert.deepEqual(await codes('inp = keras.Input(shape=(20, 4))\nh = layers.LSTM(8)(inp)\np = layers.MaxPooling1D(2)(h)\n'), ['SL216@7']);
    assert.deepEqual(await codes('inp = keras.Input(shape=(20, 4))\nh = layers.LSTM(8, return_sequences=True)(inp)\np = layers.MaxPooling1D(2)(h)\nc = layers.Conv1D(4, 3)(p)\n'), []);
  });

  it('SL216: a Keras 1 Convolution1D(input_dim=, input_length=) declares (input_length, input_dim) steps, as Keras 1 and 2 read it; without input_length= it is not known', async () => {
    const legacy = (first: string, rest = '') => run(`from keras.models import Sequential\nfrom keras.layers import Convolution1D, MaxPooling1D, Flatten, Dense\nm = Sequential()\nm.add(${first})\n${rest}m.add(Flatten())\nm.add(Dense(1))\n`);
    const found = async (first: string, rest = '') => (await legacy(first, rest)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
    // Keras 1: input_shape=(1000, 4); 1000 - 26 + 1 = 975 steps, pooled by 13 into 75.
    assert.deepEqual(await found('Convolution1D(input_dim=4, input_length=1000, nb_filter=32, filter_length=26, border_mode="valid")', 'm.add(MaxPooling1D(pool_length=13, stride=13))\n'), []);
    assert.deepEqual(await found('Convolution1D(input_dim=4, nb_filter=32, filter_length=26)', 'm.add(MaxPooling1D(pool_length=13))\n'), []);
    // The steps are read, not dropped: a window of 26 over 10 declared steps is still SL217.
    assert.deepEqual(await found('Convolution1D(input_dim=4, input_length=10, nb_filter=32, filter_length=26)'), ['SL217@4']);
    // A Dense first layer's input_dim stays one axis, so a Conv1D after it is still SL216.
    assert.deepEqual(await found('Dense(8, input_dim=4)', 'm.add(Convolution1D(nb_filter=8, filter_length=3))\n'), ['SL216@5']);
    // A bare Conv1D(input_dim=4) is (None, 4) in tf.keras but (None, None, 4) in Keras 1 and 2: not known, not reported.
    assert.deepEqual(await codes('m = keras.Sequential([layers.Conv1D(8, 3, input_dim=4), layers.Flatten()])\n'), []);
  });

  it('SL216: input_shape=x_train.shape puts the samples in the declared shape; SL211 reports it at fit', async () => {
    assert.deepEqual(await codes('x = np.random.rand(500, 2)\ny = np.random.rand(500, 1)\nm = keras.Sequential([layers.Conv1D(4, 1, input_shape=x.shape), layers.Flatten(), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, y)\n'), ['SL211@9']);
    assert.deepEqual(await codes('x = np.random.rand(500, 2, 1)\ny = np.random.rand(500, 1)\nm = keras.Sequential([layers.Conv1D(4, 1, input_shape=x.shape[1:]), layers.Flatten(), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, y)\n'), []);
  });

  it('SL211: data with a trailing axis of 1 more or less than the input is conformed as Keras does, not reported', async () => {
    const model = 'm = keras.Sequential([keras.Input(shape=(100,)), layers.Embedding(930, 16), layers.LSTM(8), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';
    // tf.keras 2.x and Keras 3 squeeze (64, 100, 1) to (64, 100) before the first layer: fit and predict run.
    assert.deepEqual(await codes('x = np.zeros((64, 100, 1))\n' + model + 'm.fit(x, np.zeros((64, 1)))\nm.predict(x[0:1])\n'), []);
    // The twin: a trailing axis of 2 is not squeezed, so Keras refuses the data.
    assert.deepEqual(await codes('x = np.zeros((64, 100, 2))\n' + model + 'm.fit(x, np.zeros((64, 1)))\n'), ['SL211@8']);
    // An axis fewer against an input whose last size is 1 is added: (64, 12) for (None, 12, 1).
    const rnn = 'm = keras.Sequential([layers.LSTM(8, input_shape=(12, 1)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';
    assert.deepEqual(await codes('x = np.zeros((64, 12))\n' + rnn + 'm.fit(x, np.zeros((64, 1)))\n'), []);
    assert.deepEqual(await codes('x = np.zeros((64, 12))\nm = keras.Sequential([layers.LSTM(8, input_shape=(12, 3)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, np.zeros((64, 1)))\n'), ['SL211@8']);
    // A trailing size that is not known may be 1: no claim.
    assert.deepEqual(await codes('x = np.zeros((64, 100, int(input())))\n' + model + 'm.fit(x, np.zeros((64, 1)))\n'), []);
  });

  it('SL211: data conformed to the input that still differs from it after the batch is reported', async () => {
    const rnn = 'm = keras.Sequential([layers.SimpleRNN(1, input_shape=(1, 1)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';
    // (1, 49) gets a last axis of 1, and (1, 49, 1) is not (None, 1, 1): Keras raises "expected shape=(None, 1, 1)".
    const { findings } = await keras('x = np.zeros((1, 49))\n' + rnn + 'm.fit(x, np.zeros((1, 1)))\n');
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL211@8']);
    assert.match(findings[0].message, /\(1, 49, 1\) still differs from \(None, 1, 1\)/);
    // The twin: 49 samples of one step, (49, 1) conformed to (49, 1, 1).
    assert.deepEqual(await codes('x = np.zeros((49, 1))\n' + rnn + 'm.fit(x, np.zeros((49, 1)))\n'), []);
    // One axis more ending in 1: (64, 20, 1) is squeezed to (64, 20), not the (None, 10) a Dense declares.
    const dense = 'm = keras.Sequential([layers.Dense(4, input_shape=(10,)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';
    assert.deepEqual(await codes('x = np.zeros((64, 20, 1))\n' + dense + 'm.fit(x, np.zeros((64, 1)))\n'), ['SL211@8']);
    assert.deepEqual(await codes('x = np.zeros((64, 10, 1))\n' + dense + 'm.fit(x, np.zeros((64, 1)))\n'), []);
    // An explicit Input(shape=(100,)) before an Embedding is compared too: (64, 80, 1) squeezed is not (None, 100).
    const ids = 'm = keras.Sequential([keras.Input(shape=(100,)), layers.Embedding(930, 16), layers.LSTM(8), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';
    assert.deepEqual(await codes('x = np.zeros((64, 80, 1))\n' + ids + 'm.fit(x, np.zeros((64, 1)))\n'), ['SL211@8']);
    assert.deepEqual(await codes('x = np.zeros((64, 100, 1))\n' + ids + 'm.fit(x, np.zeros((64, 1)))\n'), []);
  });

  it('SL210: steps the model leaves unknown are read from the x given to the same fit', async () => {
    const tagger = 'm = keras.Sequential([layers.Embedding(50, 8), layers.LSTM(8, return_sequences=True), layers.TimeDistributed(layers.Dense(5, activation="softmax"))])\nm.compile(loss="categorical_crossentropy", optimizer="adam")\n';
    // The model outputs (None, None, 5); for x (4, 30) it outputs 30 steps, against 15 per-step labels.
    const { findings } = await keras('x = np.zeros((4, 30))\n' + tagger + 'm.fit(x, np.zeros((4, 15, 5)))\n');
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL210@8']);
    assert.match(findings[0].message, /\(None, 30, 5\) for the x given to fit/);
    assert.deepEqual(await codes('x = np.zeros((4, 30))\n' + tagger + 'm.fit(x, np.zeros((4, 30, 5)))\n'), []);
    // The same in a functional model whose Input leaves the steps free.
    const functional = 'i = keras.Input(shape=(None,))\nh = layers.Embedding(50, 8)(i)\nh = layers.GRU(8, return_sequences=True)(h)\nm = keras.Model(i, layers.Dense(5, activation="softmax")(h))\nm.compile(loss="categorical_crossentropy", optimizer="adam")\n';
    assert.deepEqual(await codes('x = np.zeros((4, 30))\n' + functional + 'm.fit(x, np.zeros((4, 15, 5)))\n'), ['SL210@11']);
    assert.deepEqual(await codes('x = np.zeros((4, 30))\n' + functional + 'm.fit(x, np.zeros((4, 30, 5)))\n'), []);
  });

  it('a Sequential model with a layer that is not modelled is not replayed on data without it', async () => {
    const body = (third: string) => `from mylib import Mystery\nm = keras.Sequential()\nm.add(layers.LSTM(20, input_shape=(12, 2)))\nm.add(${third})\nm.add(layers.LSTM(20, return_sequences=True))\nm.compile(loss="mse", optimizer="adam")\nm.fit(np.zeros((30, 12, 2)), np.zeros((30, 8, 20)))\n`;
    // Mystery(8) may well be a RepeatVector: what reaches the second LSTM is not known.
    assert.deepEqual(await codes(body('Mystery(8)')), []);
    // The twin: nothing between the two LSTMs, so the second one gets (None, 20).
    assert.deepEqual((await codes(body('layers.Dropout(0.1)'))).filter((c) => c.startsWith('SL202')), ['SL202@9']);
  });

  it('SL217: the steps left by a stack of convolutions and poolings, dilation included', async () => {
    assert.deepEqual(await codes('inp = keras.Input(shape=(12, 4))\nh = layers.Conv1D(8, 5)(inp)\nh = layers.MaxPooling1D(2)(h)\nh = layers.Conv1D(8, 3, dilation_rate=2)(h)\n'), ['SL217@8']);
    assert.deepEqual(await codes('inp = keras.Input(shape=(12, 4))\nh = layers.Conv1D(8, 5)(inp)\nh = layers.MaxPooling1D(2)(h)\nh = layers.Conv1D(8, 3, dilation_rate=2, padding="causal")(h)\n'), []);
  });

  it('SL218: a (B, S) padding mask as attention_mask; (B, 1, S) and a causal self-attention are clean', async () => {
    const body = (mask: string) => `q = keras.Input(shape=(10, 32))\npad = keras.Input(shape=${mask})\nout = layers.MultiHeadAttention(num_heads=4, key_dim=8)(q, q, attention_mask=pad)\n`;
    const { findings } = await keras(body('(10,)'));
    assert.deepEqual(findings.map((f) => f.code), ['SL218']);
    assert.match(findings[0].message, /widens to \(1, 1, None, 10\)/);
    assert.deepEqual(await codes(body('(1, 10)')), []);
    assert.deepEqual(await codes(body('(10, 10)')), []);
    assert.deepEqual(await codes(body('(10, 7)')), ['SL218@7']);
    assert.deepEqual(await codes('q = keras.Input(shape=(10, 32))\nout = layers.MultiHeadAttention(num_heads=4, key_dim=8)(q, q, use_causal_mask=True)\n'), []);
  });


  it('Attention and AdditiveAttention: [query (B, Tq, dim), value (B, Tv, dim)] give (B, Tq, dim), and the scores (B, Tq, Tv) with return_attention_scores=True', async () => {
    const body = 'q = keras.Input(shape=(6, 16))\nv = keras.Input(shape=(9, 16))\na = layers.Attention()([q, v])\nb = layers.AdditiveAttention()([q, v, v])\nc, s = layers.Attention()([q, v], return_attention_scores=True)\n';
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'a'), '(None, 6, 16)');
    assert.equal(await shapeOf(body, 'b'), '(None, 6, 16)');
    assert.equal(await shapeOf(body, 'c'), '(None, 6, 16)');
    assert.equal(await shapeOf(body, 's'), '(None, 6, 9)');
  });

  it('SL219: an Attention output unpacked as (output, weights) without return_attention_scores; the one output, or the pair asked for, is clean', async () => {
    const head = 'enc = keras.Input(shape=(9, 16))\ndec = keras.Input(shape=(6, 16))\n';
    assert.deepEqual(await codes(head + 'out, weights = layers.Attention()([dec, enc])\n'), ['SL219@7']);
    assert.deepEqual(await codes(head + 'out, weights = layers.AdditiveAttention()([dec, enc])\n'), ['SL219@7']);
    assert.deepEqual(await codes(head + 'out, weights = layers.MultiHeadAttention(num_heads=2, key_dim=8)(dec, enc)\n'), ['SL219@7']);
    assert.deepEqual(await codes(head + 'out, weights, extra = layers.Attention()([dec, enc], return_attention_scores=True)\n'), ['SL219@7']);
    assert.deepEqual(await codes(head + 'out = layers.Attention()([dec, enc])\n'), []);
    assert.deepEqual(await codes(head + 'out, weights = layers.Attention()([dec, enc], return_attention_scores=True)\n'), []);
    assert.deepEqual(await codes(head + 'out, weights = layers.MultiHeadAttention(num_heads=2, key_dim=8)(dec, enc, return_attention_scores=True)\n'), []);
  });

  it('SL213 leaves an Attention over an LSTM\'s output to SL219: the unpacked tensor is the attention\'s, not the LSTM\'s', async () => {
    const body = 'x = keras.Input(shape=(9, 4))\nh = layers.LSTM(16, return_sequences=True)(x)\nout, weights = layers.Attention()([h, h])\n';
    assert.deepEqual(await codes(body), ['SL219@7']);
  });
});

describe('Keras versions in findings and hovers', () => {
  it('a finding whose message names no version gets the versions its rule holds for; one that does is left alone', async () => {
    const { findings } = await keras('m = keras.Sequential([\n    layers.Embedding(1000, 64),\n    layers.LSTM(64),\n    layers.LSTM(32),\n])\nm2 = keras.Sequential([layers.LSTM(8, input_shape=(10, 3))])\nm2.compile(loss="mse", optimizer="adam")\nm2.fit(np.random.rand(32, 10, 3), np.random.rand(32, 1), nb_epoch=3)\n');
    const sl202 = findings.find((f) => f.code === 'SL202')!;
    assert.match(sl202.message, /\(tf\.keras 2\.x and Keras 3; standalone Keras 2 alike\)$/);
    const sl215 = findings.find((f) => f.code === 'SL215')!;
    assert.doesNotMatch(sl215.message, /\(tf\.keras 2\.x and Keras 3\)$/);
    assert.match(sl215.message, /tf\.keras 2\.x and Keras 3 raise/);
  });

  it('SL205 says Keras 3 ignores input_length', async () => {
    const { findings } = await keras('inp = keras.Input(shape=(20,))\nx = layers.Embedding(5000, 64,\n    input_length=30)(inp)\n');
    assert.match(findings[0].message, /Keras 3 ignores input_length/);
  });

  it('every Keras layer hover says which version it assumed', async () => {
    const { layers: sites } = await keras('inp = keras.Input(shape=(20, 4))\nx = layers.Conv1D(8, 3)(inp)\ny = layers.LSTM(4)(x)\n');
    const hovers = sites.filter((l) => l.kind === 'Conv1D' || l.kind === 'LSTM').map((l) => l.markdown);
    assert.equal(hovers.length, 2);
    for (const hover of hovers) assert.match(hover, /Keras version assumed: tf\.keras 2\.x and Keras 3/);
  });
});

describe('NumPy randint in Keras programs', () => {
  const shapeIn = async (body: string, name: string) => (await keras(body)).tensors.find((t) => t.name === name)?.shape;

  it('np.random.randint(low, high) without a size is one int, so offsets built from it broadcast; sized draws that differ still do not', async () => {
    const body = 'frames = np.zeros((4, 15, 80, 80))\nfor t in range(15):\n    x0 = np.random.randint(20, 60)\n    dx = np.random.randint(0, 3) - 1\n    x = x0 + dx * t\n    frames[0, t, x - 2: x + 2, 0] += 1\n';
    assert.deepEqual(await codes(body), []);
    const sized = 'a = np.random.randint(20, 60, size=60)\nb = np.random.randint(0, 3, size=3)\nc = a + b\n';
    assert.deepEqual(await codes(sized), ['SL119@7']);
  });

  it('np.random.randint takes high second and size third (or as size=), unlike torch.randint', async () => {
    assert.equal(await shapeIn('a = np.random.randint(0, 10, 5)\n', 'a'), '(5,)');
    assert.equal(await shapeIn('b = np.random.randint(5, size=(2, 3))\n', 'b'), '(2, 3)');
    assert.equal(await shapeIn('c = np.random.randint(1, 4, (6, 2))\n', 'c'), '(6, 2)');
    assert.equal(await shapeIn('d = np.random.randint(0, 3)\n', 'd'), undefined);
  });
});

describe('Keras under tf.contrib', () => {
  it('reads TensorFlow 1.x tf.contrib.keras (and its python.keras modules) as Keras: shapes, and SL202 on a stack without return_sequences', async () => {
    const contrib = 'from tensorflow.contrib.keras.python.keras.layers import Embedding, LSTM, Dense\nfrom tensorflow.contrib.keras.python.keras.models import Sequential\n';
    const body = 'm = Sequential()\nm.add(Embedding(20000, 128, input_length=100))\nm.add(LSTM(64))\nm.add(LSTM(32))\nm.add(Dense(1))\n';
    const sl202 = async (source: string) => (await run(source)).findings.filter((f) => f.code === 'SL202').map((f) => f.range.start.line + 1);
    assert.deepEqual(await sl202(contrib + body), [6]);
    assert.deepEqual(await sl202(contrib + body.replace('LSTM(64)', 'LSTM(64, return_sequences=True)')), []);
    const publicPath = 'from tensorflow.contrib import keras\nm = keras.models.Sequential([keras.layers.Embedding(500, 8, input_length=12), keras.layers.LSTM(4)])\nshape = m.output_shape\n';
    assert.equal((await run(publicPath)).tensors.find((t) => t.name === 'output_shape')?.shape, '(None, 4)');
  });
});

describe('Keras stateful recurrent layers and their batch (SL220)', () => {
  const sl220 = linesOf('SL220');
  const seq = 'x = np.random.rand(100, 10, 3)\ny = np.random.rand(100, 1)\nm = keras.Sequential([layers.LSTM(8, stateful=True, batch_input_shape=(4, 10, 3)), layers.Dense(1)])\nm.compile(loss="mse", optimizer="adam")\n';

  it('fit with batches of another size than batch_input_shape\'s, or a last batch cut short; a batch size that divides the samples is clean', async () => {
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, batch_size=8)\n'), [9]);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y)\n'), [9]);
    assert.deepEqual(await sl220(seq + 'm.fit(x[:98], y[:98], batch_size=4)\n'), [9]);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, 4, epochs=2, shuffle=False)\nm.evaluate(x, y, batch_size=4)\n'), []);
  });

  it('the validation part of fit (validation_split, validation_data) is cut into the same batches', async () => {
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, batch_size=4, validation_split=0.2)\n'), []);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, batch_size=4, validation_split=0.1)\n'), [9]);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, batch_size=4, validation_data=(x[:10], y[:10]))\n'), [9]);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, batch_size=4, validation_data=(x[:12], y[:12]))\n'), []);
  });

  it('predict takes 32 samples at a time when batch_size is left out; the *_on_batch methods take the whole array as one batch', async () => {
    assert.deepEqual(await sl220(seq + 'p = m.predict(x[:40])\n'), [9]);
    assert.deepEqual(await sl220(seq + 'p = m.predict(x[:40], batch_size=4)\np = m.predict(x[:4])\n'), []);
    assert.deepEqual(await sl220(seq + 'p = m.predict_on_batch(x[:1])\nm.train_on_batch(x[:6], y[:6])\n'), [9, 10]);
    assert.deepEqual(await sl220(seq + 'p = m.predict_on_batch(x[:4])\nm.train_on_batch(x[:4], y[:4])\n'), []);
  });

  it('a functional model: Input(batch_shape=…) or Input(shape=…, batch_size=…), the stateful layer inside Bidirectional', async () => {
    const fn = (input: string) => `x = np.random.rand(30, 5, 2)\ny = np.random.rand(30, 1)\ninp = ${input}\nh = layers.Bidirectional(layers.GRU(6, stateful=True))(inp)\nm = keras.Model(inp, layers.Dense(1)(h))\nm.fit(x, y, batch_size=5)\n`;
    assert.deepEqual(await sl220(fn('keras.Input(batch_shape=(10, 5, 2))')), [10]);
    assert.deepEqual(await sl220(fn('keras.Input(shape=(5, 2), batch_size=10)')), [10]);
    assert.deepEqual(await sl220(fn('keras.Input(batch_shape=(5, 5, 2))')), []);
    assert.deepEqual(await sl220(fn('keras.Input(shape=(5, 2), batch_size=5)')), []);
  });

  it('no claim without a stateful layer, a declared batch, a known number of samples or batch size, or with steps', async () => {
    assert.deepEqual(await sl220(seq.replace('stateful=True, ', '') + 'm.fit(x, y, batch_size=8)\n'), []);
    assert.deepEqual(await sl220(seq.replace('stateful=True', 'stateful=flag') + 'm.fit(x, y, batch_size=8)\n'), []);
    assert.deepEqual(await sl220(seq.replace('batch_input_shape=(4, 10, 3)', 'input_shape=(10, 3)') + 'm.fit(x, y, batch_size=8)\n'), []);
    assert.deepEqual(await sl220(seq + 'def train(data, labels, bs):\n    m.fit(data, labels, batch_size=bs)\n'), []);
    assert.deepEqual(await sl220(seq + 'm.fit(x, y, steps_per_epoch=25)\n'), []);
  });

  it('data that does not fit the input after the batch is left to SL211', async () => {
    const findings = (await keras(seq + 'm.fit(np.random.rand(100, 10, 5), y, batch_size=8)\n')).findings.map((f) => f.code);
    assert.deepEqual(findings.filter((c) => c === 'SL211' || c === 'SL220'), ['SL211']);
  });
});

describe('Keras Sequential models opening with an Embedding without input_length', () => {
  const sl211 = linesOf('SL211');
  const model = 'm = keras.Sequential()\nm.add(layers.Embedding(100, 8))\nm.add(layers.LSTM(4))\nm.add(layers.Dense(100, activation="softmax"))\n';

  it('declare (None, None) ids (tf.keras 2.x, standalone Keras 2): 3-D one-hot data is refused at predict and fit; ids are clean', async () => {
    assert.deepEqual(await sl211(model + 'p = m.predict(np.zeros((1, 10, 100)))\n'), [9]);
    assert.deepEqual(await sl211(model + 'm.fit(np.zeros((50, 10, 100)), np.zeros((50, 100)))\n'), [9]);
    assert.deepEqual(await sl211(model + 'p = m.predict(np.zeros((1, 10), dtype="int32"))\nm.fit(np.random.randint(0, 100, (50, 10)), np.zeros((50, 100)))\n'), []);
    const finding = (await keras(model + 'p = m.predict(np.zeros((1, 10, 100)))\n')).findings.find((f) => f.code === 'SL211');
    assert.match(finding!.message, /Embedding without input_length.*Keras 3, which builds the model from the data/);
  });

  it('make no claim on data of one axis fewer (its length may be 1), or when the Embedding declares its input', async () => {
    assert.deepEqual(await sl211(model + 'p = m.predict(np.zeros((10,), dtype="int32"))\n'), []);
    assert.deepEqual(await sl211(model.replace('Embedding(100, 8)', 'Embedding(100, 8, input_length=10)') + 'p = m.predict(np.zeros((1, 10, 100)))\n'), [9]);
  });
});

describe('Keras merge layers and the shapes they join (SL221)', () => {
  const sl221 = linesOf('SL221');
  const inputs = 'seq = keras.Input(shape=(30, 8))\nsteps = keras.Input(shape=(30, 1))\nvec = keras.Input(shape=(8,))\n';

  it('Concatenate joins on any axis: the joined sizes add up, the other axes are the first input\'s', async () => {
    assert.equal(await shapeOf(inputs + 'c = layers.Concatenate(axis=1)([seq, seq])\n', 'c'), '(None, 60, 8)');
    assert.equal(await shapeOf(inputs + 'c = layers.concatenate([seq, steps])\n', 'c'), '(None, 30, 9)');
    assert.equal(await shapeOf(inputs + 'c = layers.concatenate([seq, keras.Input(shape=(None, 8))], axis=-2)\n', 'c'), '(None, ?, 8)');
  });

  it('a Concatenate whose inputs differ on an axis that is not the joined one, or in their number of axes', async () => {
    assert.deepEqual(await sl221(inputs + 'c = layers.Concatenate(axis=1)([seq, steps])\n'), [8]);
    assert.deepEqual(await sl221(inputs + 'c = layers.concatenate([seq, vec])\n'), [8]);
    assert.deepEqual(await sl221(inputs + 'c = layers.concatenate([vec, layers.Dense(4)(vec)], axis=1)\nd = layers.concatenate([seq, steps], axis=2)\n'), []);
  });

  it('element-wise merges broadcast an axis of 1 and flag sizes that neither agree nor are 1', async () => {
    assert.deepEqual(await sl221(inputs + 'a = layers.Add()([seq, layers.Dense(4)(seq)])\n'), [8]);
    assert.deepEqual(await sl221(inputs + 'm = layers.multiply([seq, steps])\n'), []);
    assert.equal(await shapeOf(inputs + 'm = layers.multiply([steps, seq])\n', 'm'), '(None, 30, 8)');
  });

  it('no claim on an unknown size, an unknown axis or element-wise inputs of other ranks (Keras gives the shorter one axes)', async () => {
    assert.deepEqual(await sl221(inputs + 'c = layers.Concatenate(axis=1)([seq, keras.Input(shape=(30, None))])\n'), []);
    assert.deepEqual(await sl221(inputs + 'def build(ax):\n    return layers.Concatenate(axis=ax)([seq, steps])\n'), []);
    assert.deepEqual(await sl221(inputs + 'a = layers.add([seq, vec])\n'), []);
  });
});

describe('keras.applications models as frame encoders', () => {

  it('include_top=False gives the last feature maps (rows and columns left unknown), pooling one vector, the top the class scores', async () => {
    const img = 'img = keras.Input(shape=(256, 256, 3))\n';
    assert.equal(await shapeOf(img + 'enc = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(256, 256, 3))\nf = enc(img)\n', 'f'), '(None, ?, ?, 1024)');
    assert.equal(await shapeOf(img + 'enc = keras.applications.vgg16.VGG16(include_top=False, pooling="avg")\nf = enc(img)\n', 'f'), '(None, 512)');
    assert.equal(await shapeOf(img + 'enc = keras.applications.ResNet50()\nf = enc(img)\n', 'f'), '(None, 1000)');
    assert.equal(await shapeOf(img + 'enc = keras.applications.InceptionV3(include_top=True, classes=7, weights=None)\nf = enc(img)\n', 'f'), '(None, 7)');
  });

  it('a width multiplier other than 1 or an unknown include_top leaves what it changes unknown', async () => {
    const img = 'img = keras.Input(shape=(224, 224, 3))\n';
    assert.equal(await shapeOf(img + 'enc = keras.applications.MobileNetV2(alpha=0.5, include_top=False, pooling="max")\nf = enc(img)\n', 'f'), '(None, ?)');
    assert.equal(await shapeOf(img + 'def build(top):\n    enc = keras.applications.Xception(include_top=top)\n    return enc(img)\nf = build(flag)\n', 'f'), undefined);
  });

  it('feature maps fed to an LSTM through TimeDistributed are 5-D (SL202); pooled they are a sequence of vectors', async () => {
    const video = 'video = keras.Input(shape=(None, 224, 224, 3))\n';
    const body = (pooling: string) => `${video}cnn = keras.applications.DenseNet121(include_top=False, weights=None${pooling})\nframes = layers.TimeDistributed(layers.Lambda(lambda x: cnn(x)))(video)\nh = layers.LSTM(64)(frames)\n`;
    assert.deepEqual((await codes(body(''))).filter((c) => c.startsWith('SL202')), ['SL202@8']);
    assert.deepEqual(await codes(body(', pooling="avg"')), []);
    assert.equal(await shapeOf(body(', pooling="avg"'), 'frames'), '(None, None, 1024)');
  });
});
