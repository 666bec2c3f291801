// The sizes of a view or reshape given by keyword: `x.view(size=…)`, `x.reshape(shape=…)`, `torch.reshape(x, shape=…)`
// (PyTorch 1.13 takes these names). They were read as no sizes at all, a 0-D request, which SL122 reported as
// "shape '[]' is invalid" on a call PyTorch runs.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const PROGRAM = (forward: string): string =>
  `import torch\nimport torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n${forward.split('\n').map((l) => `        ${l}`).join('\n')}\n`;

describe('view and reshape sizes given by keyword', () => {
  it('reads size= of view, shape= of reshape and torch.reshape (input= too)', async () => {
    const body = PROGRAM('t = torch.randn(2, 3, 4)\na = t.view(size=(6, 4))\nb = t.reshape(shape=(-1,))\nc = torch.reshape(t, shape=[6, 4])\nd = torch.reshape(input=t, shape=(4, 6))\nreturn a, b, c, d');
    assert.equal(await shapeOf(body, 'a'), '(6, 4)');
    assert.equal(await shapeOf(body, 'b'), '(24,)');
    assert.equal(await shapeOf(body, 'c'), '(6, 4)');
    assert.equal(await shapeOf(body, 'd'), '(4, 6)');
    assert.deepEqual(await codes(body), []);
  });

  it('still reports sizes given by keyword that cannot hold the elements (PyTorch raises)', async () => {
    assert.deepEqual(await codes(PROGRAM('t = torch.randn(2, 3, 4)\na = t.view(size=(5, 5))\nreturn a')), ['SL122']);
  });
});
