// Class ids where one-hot labels go: keras.utils.to_categorical's shape (Keras drops a last axis of 1 at any rank, so
// ids whose last axis is not known give a result of either rank), and SL210's message for (n, 1) ids under
// categorical_crossentropy, on the next word of the n-gram prefixes of two lines.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER =
  'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n' +
  'from tensorflow.keras.preprocessing.text import Tokenizer\nfrom tensorflow.keras.preprocessing.sequence import pad_sequences\n';
const keras = (body: string) => run(HEADER + body);
const shapeOf = async (body: string, name: string) => {
  const sites = (await keras(body)).tensors.filter((t) => t.name === name);
  return sites[sites.length - 1]?.shape;
};
const loud = async (body: string) => (await keras(body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');

describe('to_categorical', () => {
  it('drops a last axis of 1 of two-axis ids: (12, 1) ids give (12, 7)', async () => {
    assert.equal(await shapeOf('y = keras.utils.to_categorical(np.random.randint(0, 7, size=(12, 1)), num_classes=7)\n', 'y'), '(12, 7)');
  });

  it('drops it at any rank: (12, 5, 1) ids give (12, 5, 7), and (12, 5) ids (12, 5, 7) too', async () => {
    assert.equal(await shapeOf('y = keras.utils.to_categorical(np.random.randint(0, 7, size=(12, 5, 1)), num_classes=7)\n', 'y'), '(12, 5, 7)');
    assert.equal(await shapeOf('y = keras.utils.to_categorical(np.random.randint(0, 7, size=(12, 5)), num_classes=7)\n', 'y'), '(12, 5, 7)');
  });

  it('keeps a last axis of another size: (12, 3) ids give (12, 3, 7)', async () => {
    assert.equal(await shapeOf('y = keras.utils.to_categorical(np.random.randint(0, 7, size=(12, 3)), num_classes=7)\n', 'y'), '(12, 3, 7)');
  });

  it('gives ids whose last axis is not known no shape, since that axis may be the 1 Keras drops', async () => {
    const body = 'ids = np.zeros((12, int(input())), dtype=int)\ny = keras.utils.to_categorical(ids[:, -1:], num_classes=7)\n';
    const shape = await shapeOf(body, 'y');
    assert.ok(shape === undefined || !/^\(12, \?, 7\)$/.test(shape), `got ${shape}`);
  });

  it('draws no SL210 when such ids, one-hot encoded, meet a (None, 7) softmax', async () => {
    const body = 'ids = np.zeros((12, int(input())), dtype=int)\ny = keras.utils.to_categorical(ids[:, -1:], num_classes=7)\n' +
      'm = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(7, activation="softmax")])\nm.compile(loss="categorical_crossentropy", optimizer="adam")\nm.fit(np.random.rand(12, 5, 3), y)\n';
    assert.deepEqual(await loud(body), []);
  });
});

describe('SL210: class ids under categorical_crossentropy', () => {
  // Two lines make 13 prefixes, few enough for the comprehension that measures them to be read item by item.
  const text = 'text = """in the town of athy one jeremy lanigan\nbattered away till he hadnt a pound"""\n';
  const ngrams =
    `${text}tok = Tokenizer()\nlines = text.split("\\n")\ntok.fit_on_texts(lines)\nvocab = len(tok.word_index) + 1\nseqs = []\nfor line in lines:\n    ids = tok.texts_to_sequences([line])[0]\n` +
    '    for i in range(1, len(ids)):\n        seqs.append(ids[:i + 1])\nlongest = max([len(s) for s in seqs])\npadded = np.array(pad_sequences(seqs, maxlen=longest, padding="pre"))\nx, y = padded[:, :-1], padded[:, -1:]\n';
  const model = 'm = keras.Sequential([layers.Embedding(vocab, 16, input_length=longest - 1), layers.LSTM(8), layers.Dense(vocab, activation="softmax")])\nm.compile(loss="categorical_crossentropy", optimizer="adam")\n';

  it('reports the next word of each n-gram prefix, one id per row, against a softmax over the vocabulary', async () => {
    const findings = await loud(`${ngrams}${model}m.fit(x, y, epochs=1)\n`);
    assert.deepEqual(findings.map((f) => f.code), ['SL210']);
    assert.match(findings[0].message, /\(13, 1\)/);
    assert.match(findings[0].message, /one class id where categorical_crossentropy takes one-hot labels \(to_categorical makes them; sparse_categorical_crossentropy takes the ids\)/);
  });

  it('is clean once the ids are one-hot encoded, or under sparse_categorical_crossentropy', async () => {
    assert.deepEqual(await loud(`${ngrams}${model}m.fit(x, keras.utils.to_categorical(y, num_classes=vocab), epochs=1)\n`), []);
    assert.deepEqual(await loud(`${ngrams}${model.replace('"categorical_crossentropy"', '"sparse_categorical_crossentropy"')}m.fit(x, y, epochs=1)\n`), []);
  });

  it('does not name class ids for a width other than 1', async () => {
    const body = 'm = keras.Sequential([layers.LSTM(4, input_shape=(5, 3)), layers.Dense(3, activation="softmax")])\nm.compile(loss="categorical_crossentropy", optimizer="adam")\nm.fit(np.random.rand(10, 5, 3), np.random.rand(10, 4))\n';
    const findings = await loud(body);
    assert.deepEqual(findings.map((f) => f.code), ['SL210']);
    assert.doesNotMatch(findings[0].message, /class id/);
  });
});
