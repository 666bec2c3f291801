// A call whose `*args` or `**kwargs` the analysis cannot list (`build_model(**kwargs)` of a dict from a grid search)
// may pass any parameter it does not show: the called function's parameters are unknown there, not their defaults.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';

/** A grid search whose settings are dicts the analysis cannot list. */
const GRID = 'def settings(grid):\n    for values in zip(*grid.values()):\n        yield dict(zip(grid.keys(), values))\n';

describe('parameters of a call with arguments the analysis cannot see', () => {
  const keras = (call: string) =>
    'import numpy as np\nfrom keras.layers import Input, Embedding, LSTM, Dense\nfrom keras.models import Model\n\n' +
    'def build_model(maxlen=128, units=16):\n    inp = Input(shape=(maxlen,))\n    x = Embedding(1000, 8)(inp)\n' +
    "    x = LSTM(units)(x)\n    out = Dense(1, activation='sigmoid')(x)\n    model = Model(inputs=inp, outputs=out)\n" +
    "    model.compile(optimizer='adam', loss='binary_crossentropy')\n    return model\n\n" +
    `${GRID}\ntest_x = np.zeros((100, 32))\n` +
    `for kwargs in settings({'maxlen': [32], 'units': [8, 16]}):\n    model = ${call}\n    model.predict(test_x)\n`;

  it('does not take a Keras builder called with **kwargs for one built with its default input length', async () => {
    assert.deepEqual((await run(keras('build_model(**kwargs)'))).findings.filter(loud), []);
  });

  it('still reports the default input length when the builder is called with no hidden arguments', async () => {
    assert.deepEqual((await run(keras('build_model()'))).findings.filter(loud).map((f) => f.code), ['SL211']);
    assert.deepEqual((await run(keras('build_model(maxlen=32)'))).findings.filter(loud), []);
  });

  const torch = (call: string) =>
    'import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, in_dim=8, hidden=16):\n' +
    '        super().__init__()\n        self.rnn = nn.GRU(in_dim, hidden, batch_first=True)\n\n' +
    '    def forward(self, x):\n        out, _ = self.rnn(x)\n        return out\n\n' +
    `${GRID}\nfor cfg in settings({'in_dim': [32], 'hidden': [64]}):\n    net = ${call}\n    y = net(torch.randn(4, 10, 32))\n`;

  it('does not build a module instantiated with **cfg from the defaults of its __init__', async () => {
    assert.deepEqual((await run(torch('Net(**cfg)'))).findings.filter(loud), []);
    assert.deepEqual((await run(torch('Net()'))).findings.filter(loud).map((f) => f.code), ['SL101']);
  });

  it("leaves a helper's defaulted size unknown under **kwargs, and known when the call shows its arguments", async () => {
    const body = (call: string) =>
      `import json\nimport torch\n\ndef make(n=8):\n    return torch.zeros(n, 3)\n\nopts = json.load(open('opts.json'))\nz = ${call}\n`;
    assert.equal(await shapeOf(body('make(**opts)'), 'z'), '(?, 3)');
    assert.equal(await shapeOf(body('make()'), 'z'), '(8, 3)');
    assert.equal(await shapeOf(body("make(**{'n': 5})"), 'z'), '(5, 3)');
  });
});
