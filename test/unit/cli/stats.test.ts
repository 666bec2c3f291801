// `seqlens check --stats`: what the analysis knows of the names assigned in forward, and where shapes are lost.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { out: (t) => { out += t; }, err: () => undefined });
  return { code, out };
}

// forward assigns five names: e (fully known), out/h (fully known), n (an int), z (lost by an unmodelled call).
const MODEL = `import torch
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 8)
        self.gru = nn.GRU(8, 16, batch_first=True)

    def forward(self, ids):
        e = self.emb(ids)
        out, h = self.gru(e)
        n = out.size(1)
        z = torch.linalg.pinv(out)
        return z

model = Tagger()
y = model(torch.randint(0, 100, (4, 7)))
`;

describe('seqlens check --stats', () => {
  let path: string;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlens-stats-'));
    path = join(dir, 'tagger.py');
    writeFileSync(path, MODEL);
  });

  it('counts every name assigned in forward by what it holds, in the JSON report', async () => {
    const { code, out } = await cli('check', '--stats', '--format', 'json', path);
    assert.equal(code, 0);
    const { stats } = JSON.parse(out);
    assert.deepEqual([stats.files, stats.names, stats.rankKnown, stats.fullyKnown, stats.knownValues, stats.unknown], [1, 5, 3, 3, 1, 1]);
  });

  it('ranks the calls that turned a known shape into an unknown one', async () => {
    const { stats } = JSON.parse((await cli('check', '--stats', '--format', 'json', path)).out);
    assert.deepEqual(stats.lostAt, [{ call: 'torch.linalg.pinv', count: 1 }]);
  });

  it('prints the same figures after the findings in text', async () => {
    const { out } = await cli('check', '--stats', path);
    assert.match(out, /tensor of known rank\s+3 \(60\.0%\)/);
    assert.match(out, /1\s+torch\.linalg\.pinv/);
  });
});

const KERAS_MODEL = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(20,), dtype="int32")
x = layers.Embedding(1000, 16)(inputs)
x = layers.LSTM(8)(x)
y = layers.UnitNormalization()(x)
out = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, out)
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(np.random.randint(0, 1000, size=(32, 20)), np.random.randint(0, 2, size=(32, 1)))
`;

describe('seqlens check --stats on Keras code', () => {
  let path: string;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlens-stats-keras-'));
    path = join(dir, 'classifier.py');
    writeFileSync(path, KERAS_MODEL);
  });

  it('counts the names assigned from layer calls and the data given to fit, and names the layers it does not model', async () => {
    const { stats } = JSON.parse((await cli('check', '--stats', '--format', 'json', path)).out);
    // x (Embedding), x (LSTM), y (UnitNormalization: unknown), out (Dense), then fit's x and y.
    assert.deepEqual([stats.keras.names, stats.keras.rankKnown, stats.keras.fullyKnown, stats.keras.unknown], [6, 5, 2, 1]);
    assert.deepEqual(stats.kerasUnmodelled, [{ layer: 'UnitNormalization', count: 1 }]);
  });

  it('prints the Keras figures in text', async () => {
    const { out } = await cli('check', '--stats', path);
    assert.match(out, /Coverage of Keras model code/);
    assert.match(out, /1\s+layers\.UnitNormalization/);
  });
});

describe('seqlens check --stats ranking of lost shapes', () => {
  it('ranks each call site once, and only where the call itself lost the rank', async () => {
    // In a loop run more than once, pinv's site loses the rank on every run: one site. isinstance, type, tolist and
    // zip give no tensor of their own; matmul and masked_fill with a mask whose rank was lost before only pass that
    // unknown on; index_select of the rows of a known tensor keeps its rank.
    const dir = mkdtempSync(join(tmpdir(), 'seqlens-stats-'));
    const file = join(dir, 'ranked.py');
    writeFileSync(file, `import json
import torch
import torch.nn as nn
from torch.nn.utils.rnn import PackedSequence

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x):
        h = self.proj(x)
        mask = torch.tensor(json.load(open("m.json")))
        for i in range(3):
            z = torch.linalg.pinv(h)
        packed = isinstance(h, PackedSequence)
        kind = type(h)
        rows = h.tolist()
        pairs = zip(h, mask)
        scores = torch.matmul(h, mask)
        filled = h.masked_fill(mask == 0, 0.0)
        picked = h.index_select(json.load(open("d.json")), torch.tensor([0]))
        return z

net = Net()
y = net(torch.randn(4, 8))
`);
    const { stats } = JSON.parse((await cli('check', '--stats', '--format', 'json', file)).out);
    assert.deepEqual(stats.lostAt, [{ call: 'torch.linalg.pinv', count: 1 }]);
  });
});
