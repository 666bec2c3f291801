// Python's unary operators on a tensor: `-x` is x.neg() (new values, bounds turned round), `~x` is logical_not of a
// bool tensor and -x - 1 of an integer one, `+x` is x itself. Checked against PyTorch 1.13: -arange(-9, 1) holds 0..9
// and ~arange(-9, 1) holds -1..8.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const H = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('unary operators on tensors', () => {
  it('turns the value bounds round for -x and ~x', async () => {
    const found = (await run(`${H}emb = nn.Embedding(5, 3)\nids = torch.arange(-9, 1)\na = emb(-ids)\nc = emb(~ids)\n`)).findings;
    assert.deepEqual(found.map((f) => [f.code, f.range.start.line]), [['SL108', 5], ['SL108', 6]]);
    assert.match(found[0].message, /ids up to 9 \(-ids, line 6\)/);
    assert.match(found[1].message, /ids up to 8 \(~ids, line 7\)/);
    // -(-ids) of ids in [0, 4] is back in range.
    assert.deepEqual(await codes(`${H}emb = nn.Embedding(5, 3)\nids = torch.arange(0, 5)\na = emb(-(-ids))\n`), []);
  });

  it('does not keep what the values were: negated probabilities are no probabilities', async () => {
    const body = 'fc = nn.Linear(8, 4)\np = F.softmax(fc(torch.randn(3, 8)), 1)\nloss = F.nll_loss(P, torch.randint(0, 4, (3,)))\n';
    assert.deepEqual(await codes(H + body.replace('P', 'p')), ['SL172']);
    assert.deepEqual(await codes(H + body.replace('P', '-p')), []);
    assert.deepEqual(await codes(H + body.replace('P', '+p')), ['SL172']);
  });

  it('gives ~mask of a bool tensor the mask\'s shape, as a bool tensor', async () => {
    const found = (await run(`${H}mask = torch.ones(4, 7, dtype=torch.bool)\nx = torch.randn(4, 6)\ny = x.masked_fill(~mask, 0.0)\n`)).findings;
    assert.deepEqual(found.map((f) => f.code), ['SL119']);
  });
});
