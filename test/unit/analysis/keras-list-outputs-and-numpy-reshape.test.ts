// A functional Keras model given its outputs as a list (outputs=[head], or several heads) is as built as one given
// the tensor: the data given to fit/predict is compared with its inputs all the same. And a reshape of a NumPy array
// whose sizes cannot hold its elements is reported in NumPy's words, not PyTorch's.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const TWO_INPUTS = `import numpy as np
from keras.models import Model
from keras.layers import Input, Dense, Embedding, GRU, concatenate
words = Input(shape=(12,))
tags = Input(shape=(12,))
w = Embedding(300, 16)(words)
t = Embedding(9, 4)(tags)
h = GRU(24)(concatenate([w, t]))
score = Dense(1, activation='sigmoid')(h)
kind = Dense(5, activation='softmax')(h)
word_ids = np.random.randint(1, 300, size=(50, 12))
tag_ids = np.random.randint(1, 9, size=(50, 12))
tag_rows = np.eye(9)[tag_ids]
`;

describe('Keras models whose outputs are given as a list', () => {
  it('compares the data with the inputs of a model built with outputs=[head] (SL211)', async () => {
    const result = await run(`${TWO_INPUTS}model = Model(inputs=[words, tags], outputs=[score])\nmodel.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit([word_ids, tag_rows], [np.zeros((50, 1))])\n`);
    const found = result.findings.filter((f) => f.code === 'SL211');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /\(None, 12\)/);
    assert.match(found[0].message, /\(50, 12, 9\)/);
  });

  it('compares them for a model of two heads too, and accepts the ids', async () => {
    const model = `${TWO_INPUTS}model = Model([words, tags], [score, kind])\nmodel.compile(loss=['binary_crossentropy', 'categorical_crossentropy'], optimizer='adam')\n`;
    assert.deepEqual((await codes(`${model}model.predict([word_ids, tag_rows])\n`)).filter((c) => c === 'SL211'), ['SL211']);
    assert.deepEqual((await codes(`${model}model.predict([word_ids, tag_ids])\n`)).filter((c) => c === 'SL211'), []);
  });

  it('says nothing when a head of the list is not known', async () => {
    const program = `${TWO_INPUTS}import mystery\nmodel = Model([words, tags], [score, mystery.head(h)])\nmodel.predict([word_ids, tag_rows])\n`;
    assert.deepEqual((await codes(program)).filter((c) => c === 'SL211'), []);
  });
});

describe('a NumPy reshape whose sizes cannot hold the array', () => {
  const SERIES = `import numpy as np
prices = np.random.rand(430, 1)
split = int(len(prices) * 0.5)
recent = prices[split:]
`;

  it("reports it with NumPy's message (SL122)", async () => {
    const result = await run(`${SERIES}window = recent[116:].reshape(1, -1)\nwindow = window.reshape((1, 100, 1))\n`);
    const found = result.findings.filter((f) => f.code === 'SL122');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /NumPy array/);
    assert.match(found[0].message, /NumPy raises "cannot reshape array of size 99 into shape \(1,100,1\)"/);
    assert.doesNotMatch(found[0].message, /PyTorch/);
  });

  it('accepts the last 100 rows, whatever the length', async () => {
    assert.deepEqual((await codes(`${SERIES}window = recent[len(recent) - 100:].reshape(1, -1)\nwindow = window.reshape((1, 100, 1))\n`)).filter((c) => c === 'SL122'), []);
  });

  it("keeps PyTorch's message for a tensor", async () => {
    const result = await run(`import torch\nx = torch.zeros(3, 33)\ny = x.view(1, 100)\n`);
    const found = result.findings.filter((f) => f.code === 'SL122');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /PyTorch raises "shape '\[1, 100\]' is invalid for input of size 99"/);
  });
});
