// Semantics the twentieth round of held-out reported bugs needed: the axis a view's -1 makes when the sizes after it
// group the input's trailing axes by products ((B, T, C, F).reshape(-1, T, C * F) keeps the batch on axis 0).
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const prelude = 'import torch\nimport torch.nn as nn\n';

describe("a view's -1 before sizes that group the trailing axes by products", () => {
  const program = (batchFirst: string) =>
    `${prelude}conv = nn.Conv2d(1, 8, (5, 1))\nrnn = nn.GRU(8 * 6, 32${batchFirst})\n` +
    `x = torch.randn(16, 1, 20, 6)\nh = conv(x)\nsteps = h.shape[2]\nh = h.permute(0, 2, 1, 3)\nh = h.reshape(-1, steps, 8 * 6)\nout, _ = rnn(h)\n`;

  it('keeps the batch on the -1 axis: a sequence-first GRU given the (batch, steps, features) rows is reported', async () => {
    const found = (await run(program(''))).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL102']);
    assert.match(found[0].message, /receives batch-first data \(16, 16, 48\)/);
  });

  it('is silent for a batch-first GRU, and when the sizes after the -1 do not group the trailing axes', async () => {
    assert.deepEqual((await run(program(', batch_first=True'))).findings.filter(loud), []);
    const regrouped = `${prelude}rnn = nn.GRU(12, 32)\nx = torch.randn(16, 1, 20, 6)\nh = x.reshape(-1, 10, 12)\nout, _ = rnn(h)\n`;
    assert.deepEqual((await run(regrouped)).findings.filter(loud), []);
  });
});

describe("Keras 1's Merge of Sequential models, and merge of tensors", () => {
  const K = 'from keras.models import Sequential\nfrom keras.layers import Dense, Embedding, GlobalMaxPooling1D, LSTM, Merge, merge, Input\n';
  const branches = (pooled: boolean) =>
    `${K}branches = []\nfor n in (8, 16):\n    b = Sequential()\n    b.add(Embedding(50, 4, input_length=10))\n    b.add(Dense(n))\n` +
    (pooled ? '    b.add(GlobalMaxPooling1D())\n' : '') + '    branches.append(b)\n';

  it('joins the models\' outputs as its mode says: concat on the last axis, so pooled branches give an LSTM 2-D input', async () => {
    const body = `${branches(true)}m = Sequential()\nm.add(Merge(branches, mode='concat'))\nm.add(LSTM(5))\n`;
    const found = (await run(body)).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL202']);
    assert.match(found[0].message, /\(None, 24\)/);
  });

  it('is silent when the branches keep their steps, and when the mode is one the analysis does not follow', async () => {
    assert.deepEqual((await run(`${branches(false)}m = Sequential()\nm.add(Merge(branches, mode='concat'))\nm.add(LSTM(5))\n`)).findings.filter(loud), []);
    assert.deepEqual((await run(`${branches(true)}m = Sequential()\nm.add(Merge(branches, mode='cos'))\nm.add(LSTM(5))\n`)).findings.filter(loud), []);
  });

  it('merge(tensors, mode=...) of the functional API: sum keeps the shape, concat adds the last axes', async () => {
    const body = `${K}a = Input(shape=(10, 3))\nb = Input(shape=(10, 5))\nc = merge([a, b], mode='concat', concat_axis=-1)\ns = merge([a, a], mode='sum')\n`;
    const tensors = (await run(body)).tensors;
    assert.equal(tensors.find((t) => t.name === 'c')?.shape, '(None, 10, 8)');
    assert.equal(tensors.find((t) => t.name === 's')?.shape, '(None, 10, 3)');
  });
});
