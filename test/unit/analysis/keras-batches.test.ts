// Keras data given as a stream of (x, y) batches: TimeseriesGenerator's batches, generator functions, and what
// fit / fit_generator / evaluate / predict read from them (SL210, SL211 on one batch, never on its batch size).
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const HEADER =
  'import numpy as np\nfrom tensorflow.keras.preprocessing.sequence import TimeseriesGenerator\n' +
  'from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import LSTM, Dense, Reshape\n';
const codes = async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('Keras data given as a stream of batches', () => {
  const series = 'data = np.random.rand(200, 6)\ntargets = np.random.rand(200, 2)\n';

  it('a TimeseriesGenerator batch is (batch, length, features) windows and (batch, *target axes) targets', async () => {
    const body = `${series}gen = TimeseriesGenerator(data, targets, length=10, batch_size=8)\nxb, yb = gen[0]\n`;
    assert.equal(await shapeOf(HEADER + body, 'xb'), '(?, 10, 6)');
    assert.equal(await shapeOf(HEADER + body, 'yb'), '(?, 2)');
  });

  it('sampling_rate takes every r-th step of the window: ceil(length / r) steps', async () => {
    const body = `${series}gen = TimeseriesGenerator(data, targets, length=10, sampling_rate=3)\nfor xb, yb in gen:\n    pass\n`;
    assert.equal(await shapeOf(HEADER + body, 'xb'), '(?, 4, 6)');
  });

  it('fit_generator compares the generator\'s targets with the model\'s output: SL210', async () => {
    const body = `${series}gen = TimeseriesGenerator(data, np.random.rand(200, 3, 2), length=10)\n` +
      `model = Sequential([LSTM(4, input_shape=(10, 6)), Dense(1)])\nmodel.compile(loss='mse', optimizer='adam')\nmodel.fit_generator(gen, epochs=1)\n`;
    assert.deepEqual(await codes(body), ['SL210@10']);
  });

  it('fit given the generator itself reads its batches as well; targets of the output\'s shape: nothing', async () => {
    const model = (out: string) => `model = Sequential([LSTM(4, input_shape=(10, 6)), ${out}])\nmodel.compile(loss='mse', optimizer='adam')\nmodel.fit(gen, epochs=1)\n`;
    const body = `${series}gen = TimeseriesGenerator(data, np.random.rand(200, 3, 2), length=10)\n`;
    assert.deepEqual(await codes(body + model('Dense(1)')), ['SL210@10']);
    assert.deepEqual(await codes(body + model('Dense(6), Reshape((3, 2))')), []);
  });

  it('windows of another width than the input declares: SL211 at fit_generator and predict_generator', async () => {
    const body = `${series}gen = TimeseriesGenerator(data, targets, length=10)\n` +
      'model = Sequential([LSTM(4, input_shape=(10, 5)), Dense(2)])\nmodel.compile(loss=\'mse\', optimizer=\'adam\')\nmodel.fit_generator(gen, epochs=1)\nmodel.predict_generator(gen)\n';
    assert.deepEqual(await codes(body), ['SL211@10', 'SL211@11']);
  });

  it('a generator function yielding (x, y) batches is read the same way', async () => {
    const gen = (y: string) => `def batches():\n    while True:\n        yield np.random.rand(16, 10, 6), np.random.rand(16, ${y})\n`;
    const model = 'model = Sequential([LSTM(4, input_shape=(10, 6)), Dense(2)])\nmodel.compile(loss=\'mse\', optimizer=\'adam\')\nmodel.fit(batches(), steps_per_epoch=5, epochs=1)\n';
    assert.deepEqual(await codes(gen('3') + model), ['SL210@10']);
    assert.deepEqual(await codes(gen('2') + model), []);
  });

  it('a stateful model fed a stream claims nothing of the batch size (the stream\'s batches are not counted)', async () => {
    const body = `${series}gen = TimeseriesGenerator(data, targets, length=10, batch_size=5)\n` +
      'model = Sequential([LSTM(4, batch_input_shape=(8, 10, 6), stateful=True), Dense(2)])\nmodel.compile(loss=\'mse\', optimizer=\'adam\')\nmodel.fit(gen, epochs=1, shuffle=False)\n';
    assert.deepEqual(await codes(body), []);
  });

  it('a generator the analysis does not follow gives fit_generator no data: nothing', async () => {
    const body = 'model = Sequential([LSTM(4, input_shape=(10, 6)), Dense(2)])\nmodel.compile(loss=\'mse\', optimizer=\'adam\')\nmodel.fit_generator(make_batches(), 100, epochs=1)\n';
    assert.deepEqual(await codes(body), []);
  });
});

describe('pad_sequences of sequences of vectors', () => {
  const PAD = 'import numpy as np\nfrom keras.preprocessing.sequence import pad_sequences\n';

  it('an array of (steps, features) sequences keeps its feature axis: (n, maxlen, features)', async () => {
    assert.equal(await shapeOf(PAD + 'x = np.zeros((50, 30, 100))\np = pad_sequences(x, maxlen=20)\n', 'p'), '(50, 20, 100)');
  });

  it('a list of (steps, features) arrays as well', async () => {
    const body = PAD + 'seqs = []\nfor t in texts:\n    seqs.append(np.zeros((30, 100)))\np = pad_sequences(seqs, 40)\n';
    assert.equal(await shapeOf(body, 'p'), '(?, 40, 100)');
  });

  it('sequences of ids stay (n, maxlen)', async () => {
    assert.equal(await shapeOf(PAD + 'p = pad_sequences([[1, 2], [3]], maxlen=5)\n', 'p'), '(2, 5)');
  });

  it('names the Keras versions that have the method: Keras 3 has no fit_generator', async () => {
    const model = (fit: string) => `model = Sequential([LSTM(4, input_shape=(10, 5)), Dense(1)])\nmodel.compile(loss='mse', optimizer='adam')\n${fit}\n`;
    const body = 'data = np.random.rand(200, 6)\ngen = TimeseriesGenerator(data, np.random.rand(200, 3, 2), length=10)\n';
    const messages = async (fit: string) => (await run(HEADER + body + model(fit))).findings.map((f) => `${f.code} ${f.message}`);
    for (const m of await messages('model.fit_generator(gen, epochs=1)')) assert.doesNotMatch(m, /Keras 3/, m);
    const fit = await messages('model.fit(gen, epochs=1)');
    assert.equal(fit.length, 2);
    for (const m of fit) assert.match(m, /Keras 3/, m);
  });

  it('takes the dtype= it is given as numpy names it, int32 when left out', async () => {
    const vecs = 'import numpy as np\nfrom keras.preprocessing.sequence import pad_sequences\nvecs = [np.random.rand(7, 100) for _ in range(4)]\n';
    const dtypeOf = async (call: string) => {
      const sites = (await run(`${vecs}p = ${call}\n`)).tensors.filter((t) => t.name === 'p');
      return /· (\w+)/.exec(sites[sites.length - 1].markdown)?.[1];
    };
    assert.equal(await dtypeOf('pad_sequences(vecs, maxlen=5)'), 'int64');
    assert.equal(await dtypeOf("pad_sequences(vecs, maxlen=5, dtype='float32')"), 'float32');
    assert.equal(await dtypeOf('pad_sequences(vecs, maxlen=5, dtype=np.float32)'), 'float32');
    assert.equal(await dtypeOf("pad_sequences(vecs, maxlen=5, dtype='object')"), undefined);
  });
});
