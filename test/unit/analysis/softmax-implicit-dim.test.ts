// SL148: F.softmax / F.log_softmax / nn.Softmax() without dim on a 3-D tensor, where PyTorch 1.13 picks dim=0 and
// only warns (test/fixtures/torch/SL148_* and the reported bentrevett-seq2seq-177 hold the runs; the 2-D and
// (steps, batch, 1) cases below were run in PyTorch 1.13: dim 1 for 2-D, dim 0 for 3-D).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const F = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('SL148 softmax-implicit-dim', () => {
  it('reports the functional and the layer forms on (batch, steps, classes) scores, with a dim=-1 fix', async () => {
    const result = await run(`${F}x = torch.randn(4, 9, 12)\ny = F.log_softmax(x)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL148']);
    assert.match(result.findings[0].message, /takes dim=0/);
    assert.equal(result.findings[0].fixes[0]?.edits[0].newText, ', dim=-1');
    assert.deepEqual(await codes(`${F}y = F.softmax(torch.randn(4, 9, 12), dim=None)\n`), ['SL148']);
    assert.deepEqual(await codes(`${F}sm = nn.Softmax()\ny = sm(torch.randn(15, 4, 300))\n`), ['SL148']);
    assert.deepEqual(await codes(`${F}sm = nn.LogSoftmax(dim=None)\ny = sm(torch.randn(15, 4, 300))\n`), ['SL148']);
  });

  it('stays silent with a dim, on 2-D and 4-D tensors, on (steps, batch, 1) energies and on unknown ranks', async () => {
    assert.deepEqual(await codes(`${F}x = torch.randn(4, 9, 12)\na = F.log_softmax(x, 2)\nb = F.softmax(x, dim=-1)\nc = nn.Softmax(1)(x)\n`), []);
    assert.deepEqual(await codes(`${F}a = F.softmax(torch.randn(4, 12))\nb = nn.Softmax()(torch.randn(2, 3, 4, 5))\n`), []);
    assert.deepEqual(await codes(`${F}e = torch.randn(7, 3, 1)\nw = F.softmax(e)\n`), []);
    assert.deepEqual(await codes(`${F}def f(x):\n    return F.softmax(x)\n`), []);
  });
});
