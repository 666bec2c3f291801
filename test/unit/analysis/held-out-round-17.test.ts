// Semantics the seventeenth round of held-out reported bugs needed: an item of a tuple of like pieces read at an index
// the analysis does not know (a loop counter over x.split(1)), and masked_fill's broadcasting of the mask with the
// tensor.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const prelude = 'import torch\nimport torch.nn as nn\n';

describe('an item of a tuple or list at an index not known', () => {
  it('is what the items share: forgets[i] of f.split(1) in a loop over the steps', async () => {
    const body = `${prelude}f = torch.rand(35, 1, 32)\nforgets = f.split(1, dim=0)\nout = []\nfor i, h in enumerate((f * f).split(1, dim=0)):\n    g = (1 - forgets[i]) * h\n    out.append(g.squeeze())\nc = torch.stack(out)\n`;
    assert.equal(await shapeOf(body, 'g'), '(1, 1, 32)');
    assert.equal(await shapeOf(body, 'c'), '(35, 32)');
  });

  it('joins items of different shapes to what they agree on', async () => {
    const body = `${prelude}xs = [torch.zeros(4, 8), torch.zeros(5, 8)]\nfor i in range(int(input())):\n    y = xs[i]\n`;
    assert.equal(await shapeOf(body, 'y'), '(?, 8)');
  });

  it('a batch of one squeezed out of each step then indexed as (steps, batch, hidden) raises (a QRNN at inference)', async () => {
    const body = `${prelude}x = torch.rand(35, 1, 32)\nres = []\nfor h in x.split(1, dim=0):\n    res.append(h.squeeze())\nc = torch.stack(res)\nlast = c[-1:, :, :]\n`;
    const found = (await run(body)).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL123']);
    const fixed = body.replace('h.squeeze()', 'h.view(h.size()[1:])');
    assert.deepEqual((await run(fixed)).findings.filter(loud), []);
  });
});

describe('masked_fill broadcasts the mask with the tensor', () => {
  it('reports a mask built on the steps axis of a (steps, batch, features) tensor, as PyTorch names it', async () => {
    const body = `${prelude}x = torch.rand(35, 16, 100)\nm = x.new(1, x.size(0), x.size(2)).bernoulli_(0.5)\ny = x.masked_fill(m == 0, 0)\n`;
    const found = (await run(body)).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL119']);
    assert.match(found[0].message, /The size of tensor a \(35\) must match the size of tensor b \(16\) at non-singleton dimension 1/);
  });

  it('is silent for a mask that broadcasts, and the in-place form names x as tensor a', async () => {
    const ok = `${prelude}x = torch.rand(35, 16, 100)\nm = x.new(1, x.size(1), x.size(2)).bernoulli_(0.5)\ny = x.masked_fill(m == 0, 0)\nz = torch.masked_fill(x, m == 0, 0.)\nx.masked_fill_(m == 0, 0)\n`;
    assert.deepEqual((await run(ok)).findings.filter(loud), []);
    const inPlace = `${prelude}x = torch.rand(35, 16, 100)\nm = torch.rand(1, 35, 100) > 0.5\nx.masked_fill_(m, 0)\n`;
    const found = (await run(inPlace)).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL119']);
    assert.match(found[0].message, /tensor a \(16\) must match the size of tensor b \(35\)/);
  });
});
