// An nn.Sequential walked by a for loop gives its modules in order, and append, extend and insert (PyTorch 1.11+)
// add children as PyTorch does; shapes checked against PyTorch 1.13.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const STACK = `import torch
import torch.nn as nn
from collections import OrderedDict

class Stack(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = blocks

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x
`;

describe('an nn.Sequential walked and grown', () => {
  it('walks the modules of a Sequential passed to a module, built from an OrderedDict grown in a loop', async () => {
    const program = `${STACK}layers = [('in', nn.Linear(6, 16))]
for i in range(2):
    layers.append(('hidden%d' % i, nn.Linear(16, 16)))
layers.append(('out', nn.Linear(16, 3)))
model = Stack(nn.Sequential(OrderedDict(layers)))
y = model(torch.randn(4, 6))
`;
    assert.equal(await shapeOf(program, 'y'), '(4, 3)');
  });

  it('walks a Sequential with enumerate, and reports a layer of the walk that gets the wrong size', async () => {
    const walk = (width: number) => `seq = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(${width}, 3))
w = torch.randn(4, 6)
for i, m in enumerate(seq):
    w = m(w)
y = w
`;
    assert.equal(await shapeOf(walk(16), 'y'), '(4, 3)');
    assert.ok((await codes(walk(12))).includes('SL106'));
  });

  it('adds children with append, extend and insert, in PyTorch order', async () => {
    const program = `seq = nn.Sequential(nn.Conv1d(8, 12, 3), nn.ReLU())
seq.append(nn.Conv1d(12, 5, 1))
seq.extend([nn.ReLU(), nn.Conv1d(5, 2, 1)])
seq.insert(0, nn.Conv1d(4, 8, 1))
z = seq(torch.randn(2, 4, 10))
`;
    assert.equal(await shapeOf(program, 'z'), '(2, 2, 8)');
    // Before, the appended Linear(8, 3) was not seen: its output was taken for 8 wide and Linear(3, 1) reported.
    assert.deepEqual(await codes('seq = nn.Sequential(nn.Linear(4, 8))\nseq.append(nn.Linear(8, 3))\nout = nn.Linear(3, 1)(seq(torch.randn(2, 4)))\n'), []);
  });

  it('no longer claims what a Sequential holds after an append that may not run or an insert at an unknown index', async () => {
    const maybe = await shapeOf('import torch\nimport torch.nn as nn\nimport random\nseq = nn.Sequential(nn.Linear(4, 8))\nif random.random() > 0.5:\n    seq.append(nn.Linear(8, 3))\ny = seq(torch.randn(2, 4))\n', 'y');
    assert.ok(maybe === undefined || !/8|3\)/.test(maybe), `${maybe}`);
    const unknownIndex = await shapeOf('def build(i):\n    seq = nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 8))\n    seq.insert(i, nn.Linear(8, 3))\n    return seq(torch.randn(2, 4))\ny = build(int(input()))\n', 'y');
    assert.ok(unknownIndex === undefined || !/\d\)$/.test(unknownIndex), `${unknownIndex}`);
  });

  it('does not take an empty Sequential for one that runs nothing when walked', async () => {
    const shape = await shapeOf('seq = nn.Sequential()\nx = torch.randn(2, 4)\nfor m in seq:\n    x = m(x)\ny = x\n', 'y');
    assert.ok(shape === undefined || shape === '(2, 4)' || !/\d/.test(shape), `${shape}`);
  });
});
