// pad_sequences of sequences held as lists of steps: numpy takes the sample shape from the steps, so steps that are
// word vectors give (n, maxlen, dim), and steps whose rank is not known leave the result's rank unknown, never a 2-D
// array of ids that a model declared on 3-D input would be said to refuse.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER =
  'import numpy as np\nfrom keras.models import Model\nfrom keras.layers import Input, LSTM, Dense\n' +
  'from keras.preprocessing.sequence import pad_sequences\n';
const MODEL =
  'inp = Input(shape=(None, 100))\nmodel = Model(inp, Dense(3)(LSTM(8)(inp)))\nmodel.compile(loss="mse", optimizer="adam")\n';
const keras = (body: string) => run(HEADER + body);
const shapeOf = async (body: string, name: string) => {
  const sites = (await keras(body)).tensors.filter((t) => t.name === name);
  return sites[sites.length - 1]?.shape;
};
const loud = async (body: string) => (await keras(body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

describe('pad_sequences of sequences of vectors', () => {
  it('keeps a word vector step whole after the padded axis: (2, 5, 100)', async () => {
    const body = 'rows = [[np.zeros(100), np.zeros(100)], [np.zeros(100)]]\nx = pad_sequences(rows, maxlen=5)\n';
    assert.equal(await shapeOf(body, 'x'), '(2, 5, 100)');
  });

  it('leaves the rank unknown when a step may be a vector of unknown rank, and reports no 2-D data', async () => {
    const body =
      'lookup = {}\nunknown = np.random.randn(100)\nrows = []\nfor text in ["a b", "c"]:\n    ids = []\n' +
      '    for w in text.split():\n        em = unknown\n        if w in lookup:\n            em = lookup[w]\n        ids.append(em)\n' +
      '    rows.append(ids)\nx = pad_sequences(rows, 5)\n' + MODEL + 'model.fit(x, np.zeros((2, 3)))\n';
    assert.deepEqual((await loud(body)).map((f) => f.code), []);
  });

  it('calls no data short of axes when the steps appended are not known to be numbers (a lookup that may give vectors)', async () => {
    const body =
      'def load():\n    d = {}\n    for line in open("g.txt"):\n        words = line.split()\n' +
      '        d[words[0]] = np.array(words[1:], dtype=np.float32)\n    return d\nlookup = load()\nunknown = np.random.randn(100)\n' +
      'rows = []\nfor line in open("f.txt").read().split("\\n"):\n    ids = []\n    for w in line.split():\n        em = unknown\n' +
      '        if w in lookup:\n            em = lookup[w]\n        ids.append(em)\n    rows.append(ids)\nx = pad_sequences(rows, 5)\n' +
      MODEL + 'model.fit(x, np.zeros((2, 3)))\n';
    assert.deepEqual((await loud(body)).map((f) => f.code), []);
  });

  it('still gives (n, maxlen) ids for rows of integers, which a 3-D input refuses (SL211)', async () => {
    const body = 'x = pad_sequences([[1, 2], [3]], maxlen=5)\n' + MODEL + 'model.fit(x, np.zeros((2, 3)))\n';
    assert.equal(await shapeOf('x = pad_sequences([[1, 2], [3]], maxlen=5)\n', 'x'), '(2, 5)');
    assert.deepEqual((await loud(body)).map((f) => f.code), ['SL211']);
  });
});
