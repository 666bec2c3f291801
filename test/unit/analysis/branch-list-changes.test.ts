// Lists are shared by reference, so an if/else whose condition is not decided ran both branches on one list: an append
// in each gave it two items. Each branch now starts from the list as it was before the statement; past it the list
// holds what the branches that go on left, joined.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import random
import torch
import torch.nn as nn
c = random.random() > 0.5
`;

describe('lists changed in the branches of an undecided if/else', () => {
  it('appends one item when each branch appends one', async () => {
    assert.equal(await shapeOf(`${HEAD}r = [7]\nif c:\n    r.append(0)\nelse:\n    r.append(1)\nx = torch.zeros(len(r))\n`, 'x'), '(2,)');
  });

  it('keeps one branch changing a list as the path that goes on, as before', async () => {
    assert.equal(await shapeOf(`${HEAD}layers = [nn.Linear(4, 8)]\nif c:\n    layers.append(nn.ReLU())\nnet = nn.Sequential(*layers)\ny = net(torch.zeros(2, 4))\n`, 'y'), '(2, 8)');
  });

  it('knows only what the items are like when the branches append different numbers of items', async () => {
    const program = `${HEAD}r = []\nif c:\n    r.append(1)\n    r.append(2)\nelse:\n    r.append(3)\nx = torch.zeros(2, len(r))\n`;
    assert.equal(await shapeOf(program, 'x'), '(2, ?)');
  });

  it('ignores a branch that leaves', async () => {
    const program = `${HEAD}def f():\n    r = []\n    if c:\n        r.append(1)\n        r.append(2)\n        raise ValueError(r)\n    else:\n        r.append(3)\n    return torch.zeros(len(r))\nx = f()\n`;
    assert.equal(await shapeOf(program, 'x'), '(1,)');
  });

  it('each branch reads the list as it was before the statement', async () => {
    const program = `${HEAD}r = [1]\nif c:\n    r.append(2)\n    a = torch.zeros(len(r))\nelse:\n    b = torch.zeros(len(r))\n`;
    assert.equal(await shapeOf(program, 'a'), '(2,)');
    assert.equal(await shapeOf(program, 'b'), '(1,)');
  });

  it('reports no size clash on features filled one per branch', async () => {
    const program = (width: number) => `${HEAD}feats = [torch.zeros(4, 8)]
if c:
    feats.append(torch.zeros(4, 8))
else:
    feats.append(torch.ones(4, 8))
fc = nn.Linear(${width}, 2)
y = fc(torch.cat(feats, dim=1))
`;
    assert.deepEqual(await codes(program(16)), []);
    assert.ok((await codes(program(24))).includes('SL106'));
  });
});
