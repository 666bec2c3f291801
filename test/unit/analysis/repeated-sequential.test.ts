// nn.Sequential(*blocks) of a list whose length the file does not fix (`[Block(d) for _ in range(n)]`, blocks appended
// in a loop over range(n)): the blocks are all alike, so the container applies that one block as many times as the
// list holds, 0 included. What every count gives is kept (a loop's second pass finds it the same way); iterating or
// indexing the container gives the block. Each shape below is what PyTorch 1.13 gives for n = 0, 1 and 2.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const header = [
  'import sys',
  'import torch',
  'import torch.nn as nn',
  'n = int(sys.argv[1])',
  'class Block(nn.Module):',
  '    def __init__(self, d):',
  '        super().__init__()',
  '        self.lin = nn.Linear(d, d)',
  '    def forward(self, x):',
  '        return torch.relu(self.lin(x)) + x',
  '',
].join('\n');

describe('nn.Sequential of a list of blocks in a number not known', () => {
  it('keeps the shape a block gives back unchanged', async () => {
    const body = `${header}blocks = nn.Sequential(*[Block(8) for _ in range(n)])\ny = blocks(torch.randn(2, 5, 8))\n`;
    assert.equal(await shapeOf(body, 'y'), '(2, 5, 8)');
  });

  it('keeps the rank, and the sizes every count agrees on, when each block changes a size', async () => {
    // Length 20, then 18, 16, ...: only the batch and the channels are the same for every n.
    const body = `${header}convs = nn.Sequential(*[nn.Conv1d(8, 8, 3) for _ in range(n)])\nz = convs(torch.randn(2, 8, 20))\n`;
    assert.equal(await shapeOf(body, 'z'), '(2, 8, ?)');
  });

  it('follows blocks appended in a loop', async () => {
    const body = `${header}layers = []\nfor i in range(n):\n    layers.append(Block(8))\nnet = nn.Sequential(*layers)\ny = net(torch.randn(3, 8))\n`;
    assert.equal(await shapeOf(body, 'y'), '(3, 8)');
  });

  it('gives the block when iterated or indexed', async () => {
    const body = `${header}blocks = nn.Sequential(*[Block(8) for _ in range(n)])\nfor blk in blocks:\n    v = blk(torch.randn(4, 8))\nw = blocks[0](torch.randn(3, 8))\n`;
    assert.equal(await shapeOf(body, 'v'), '(4, 8)');
    assert.equal(await shapeOf(body, 'w'), '(3, 8)');
  });

  it('reports no size that only some counts give', async () => {
    // Linear(8, 16) twice raises in PyTorch, once gives (2, 16), zero times (2, 8): the features are not known.
    const body = `${header}grow = nn.Sequential(*[nn.Linear(8, 16) for _ in range(n)])\ng = grow(torch.randn(2, 8))\n`;
    assert.equal(await shapeOf(body, 'g'), '(2, ?)');
    assert.deepEqual(await codes(body), []);
  });

  it('blocks that differ stand for one another as alternatives; a list not known stays unknown', async () => {
    // Linear(8, 8) then ReLU: each block is one of the two, and both keep (3, 8), so any number of them does.
    const mixed = `${header}layers = []\nfor i in range(n):\n    layers.append(nn.Linear(8, 8))\n    layers.append(nn.ReLU())\nnet = nn.Sequential(*layers)\ny = net(torch.randn(3, 8))\n`;
    assert.equal(await shapeOf(mixed, 'y'), '(3, 8)');
    // Linear(8, 4) and ReLU disagree on the width: the rank stays, the width is unknown.
    const narrowing = `${header}layers = []\nfor i in range(n):\n    layers.append(nn.Linear(8, 4))\n    layers.append(nn.ReLU())\nnet = nn.Sequential(*layers)\ny = net(torch.randn(3, 8))\n`;
    assert.equal(await shapeOf(narrowing, 'y'), '(3, ?)');
    const opaque = `${header}net = nn.Sequential(*make_layers(n))\ny = net(torch.randn(3, 8))\n`;
    assert.equal(await shapeOf(opaque, 'y'), undefined);
  });

  it('stays unknown for a block whose output cannot be its next input', async () => {
    // An LSTM gives (output, (h, c)): a second LSTM in a Sequential raises; one alone gives a tuple.
    const body = `${header}net = nn.Sequential(*[nn.LSTM(8, 8) for _ in range(n)])\ny = net(torch.randn(5, 3, 8))\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
  });
});
