// Ranks proven by use (ops/rank-from-use) across in-place reshapes: `x.unsqueeze_(d)` gives the same tensor one axis
// more, so what the code after it proves of x is one axis more than the parameter's rank; after the other in-place
// reshapes (squeeze_, resize_, `x.data = …`) and on every name bound to the same tensor, nothing more is proven.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const PRELUDE = 'import torch\nimport torch.nn as nn\n';

/** A module whose forward(x), never called, runs `forward` (an LSTM(8, 16, batch_first=True) as self.lstm). */
function program(forward: string, extra = ''): string {
  const body = forward.split('\n').map((l) => `        ${l}`).join('\n');
  return `${PRELUDE}${extra}class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(8, 16, batch_first=True)\n    def forward(self, x):\n${body}\n`;
}

describe('ranks proven by use across in-place reshapes', () => {
  it('reads x.unsqueeze_(-1) then permute(0, 2, 1) as a 2-D x made 3-D, without a wrong SL123 (PyTorch 1.13 runs it)', async () => {
    const body = program('y = x.float()\nx.unsqueeze_(-1)\nx = x.permute(0, 2, 1)\nout, _ = self.lstm(x)\nreturn out[:, -1, :]');
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'y'), '(x.size(0), x.size(1))');
  });

  it('unpacks x.size() into five names after x.unsqueeze_(2) of a 4-D x', async () => {
    const body = program('x.unsqueeze_(2)\nb, t, c, h, w = x.size()\nz = x.view(b * t, c, h, w)\nreturn z');
    assert.equal(await shapeOf(body, 'z'), '(?, 1, x.size(2), x.size(3))');
  });

  it('follows the tensor unsqueeze_ returns: y = x.unsqueeze_(0) is x itself, one axis more', async () => {
    const body = program('w = x.float()\ny = x.unsqueeze_(0)\nz = y.permute(2, 1, 0)\nreturn z');
    assert.equal(await shapeOf(body, 'w'), '(x.size(0), x.size(1))');
  });

  it('proves nothing of x through a name bound to the same tensor before another name reshaped it', async () => {
    const body = program('w = x.float()\ny = x\ny.unsqueeze_(0)\nz = x.permute(2, 1, 0)\nreturn z');
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'w'), undefined);
  });

  it('proves nothing after squeeze_(), resize_ or x.data = …, whose resulting rank is not followed', async () => {
    for (const reshape of ['x.squeeze_()', 'x.squeeze_(1)', 'x.resize_(4, 8, 1)', 'x.data = x.data.unsqueeze(0)']) {
      const body = program(`w = x.float()\n${reshape}\nz = x.permute(1, 0, 2)\nreturn z`);
      assert.deepEqual(await codes(body), [], reshape);
      assert.equal(await shapeOf(body, 'w'), undefined, reshape);
    }
  });

  it('proves nothing of x after a loop or a try that may reshape it in place', async () => {
    for (const block of ['for i in range(2):\n    x.unsqueeze_(0)', 'try:\n    x.unsqueeze_(0)\nexcept RuntimeError:\n    pass']) {
      const body = program(`w = x.float()\n${block}\nz = x.permute(1, 0, 2)\nreturn z`);
      assert.deepEqual(await codes(body), [], block);
      assert.equal(await shapeOf(body, 'w'), undefined, block);
    }
  });

  it('proves nothing of the argument after a helper that unsqueezes its parameter in place', async () => {
    const helper = 'def add_axis(t):\n    t.unsqueeze_(1)\n    return None\n';
    const body = program('w = x.float()\nadd_axis(x)\nz = x.permute(1, 0, 2)\nreturn z', helper);
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'w'), undefined);
  });
});
