// A call Python refuses to bind (more positional arguments than the function takes, a keyword that names no
// parameter, a parameter given twice) raises a TypeError before the body runs. Binding the arguments anyway shifts
// them into the wrong parameters, and the body then reports mismatches of sizes that never meet.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const codes = async (source: string) => (await run(source)).findings.filter(loud).map((f) => f.code);

const TAGGER =
  'import torch\nimport torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self, n_feat, hidden, n_tags):\n' +
  '        super().__init__()\n        self.rnn = nn.LSTM(n_feat, hidden, batch_first=True)\n        self.out = nn.Linear(hidden, n_tags)\n\n' +
  '    def forward(self, x):\n        h, _ = self.rnn(x)\n        return self.out(h)\n\n';

const ENCODE =
  'import torch\nimport torch.nn as nn\n\ndef encode(x, hidden=16):\n    rnn = nn.GRU(12, hidden, batch_first=True)\n' +
  '    out, _ = rnn(x)\n    return nn.Linear(32, 3)(out)\n\n';

describe('calls Python refuses to bind', () => {
  it('builds no module from a constructor call with one positional argument too many', async () => {
    assert.deepEqual(await codes(`${TAGGER}model = Tagger(8, 12, 32, 5)\ny = model(torch.randn(4, 10, 12))\n`), []);
  });

  it('still checks a constructor call that binds, with the sizes it passes', async () => {
    assert.deepEqual(await codes(`${TAGGER}model = Tagger(8, 32, 5)\ny = model(torch.randn(4, 10, 12))\n`), ['SL101']);
    assert.deepEqual(await codes(`${TAGGER}model = Tagger(12, 32, 5)\ny = model(torch.randn(4, 10, 12))\n`), []);
  });

  it('keeps the instance an earlier constructor call built when a later one is refused', async () => {
    const source = `${TAGGER}model = Tagger(12, 32, 5)\nmodel = Tagger(1, 12, 32, 5)\ny = model(torch.randn(4, 10, 12))\n`;
    assert.deepEqual(await codes(source), []);
  });

  it('does not run a function called with a keyword that names none of its parameters', async () => {
    assert.deepEqual(await codes(`${ENCODE}y = encode(torch.randn(2, 5, 12), hiden=32)\n`), []);
    assert.deepEqual(await codes(`${ENCODE}y = encode(torch.randn(2, 5, 12), hidden=16)\n`), ['SL106']);
  });

  it('does not run a function given the same parameter by position and by keyword', async () => {
    assert.deepEqual(await codes(`${ENCODE}y = encode(torch.randn(2, 5, 12), 16, hidden=16)\n`), []);
  });

  it('binds calls that *args and **kwargs absorb', async () => {
    const source =
      'import torch\nimport torch.nn as nn\n\ndef encode(x, hidden=16, *rest, **options):\n    rnn = nn.GRU(12, hidden, batch_first=True)\n' +
      '    out, _ = rnn(x)\n    return nn.Linear(32, 3)(out)\n\ny = encode(torch.randn(2, 5, 12), 16, 7, depth=2)\n';
    assert.deepEqual(await codes(source), ['SL106']);
  });

  it('binds a method call through its instance, the receiver filling self', async () => {
    const source = `${TAGGER}model = Tagger(12, 32, 5)\ny = model.forward(torch.randn(4, 10, 8))\n`;
    assert.deepEqual(await codes(source), ['SL101']);
  });
});
