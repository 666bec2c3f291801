// itertools' finite iterators give the items Python gives: a chain of lists of tensors joined by torch.cat, the pairs of
// a product, zip_longest padded with its fill value, an islice, a repeat with a count.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import torch
import torch.nn as nn
import itertools
from itertools import chain, product, zip_longest, islice, repeat
`;

describe('itertools', () => {
  it('chains listed sequences, and chain.from_iterable flattens a list of them', async () => {
    const lists = `a = [torch.zeros(2, 3), torch.zeros(2, 4)]\nb = [torch.zeros(2, 5)]\n`;
    assert.equal(await shapeOf(`${HEAD}${lists}x = torch.cat(list(chain(a, b)), 1)\n`, 'x'), '(2, 12)');
    assert.equal(await shapeOf(`${HEAD}${lists}x = torch.cat(list(itertools.chain.from_iterable([a, b])), 1)\n`, 'x'), '(2, 12)');
  });

  it('counts the tuples of a product, with repeat', async () => {
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(product(range(3), range(4)))))\n`, 'x'), '(12,)');
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(itertools.product('ab', repeat=3))))\n`, 'x'), '(8,)');
    // Lengths known, items not listed: the count still holds.
    assert.equal(await shapeOf(`${HEAD}rows = [torch.zeros(3)] * 300\nx = torch.zeros(len(list(product(rows, range(2)))))\n`, 'x'), '(600,)');
  });

  it('pads zip_longest with its fill value to the longest operand', async () => {
    const program = `${HEAD}z = list(zip_longest([1, 2, 3], [4], fillvalue=7))\nx = torch.zeros(len(z), z[2][1])\n`;
    assert.equal(await shapeOf(program, 'x'), '(3, 7)');
  });

  it('slices with islice and repeats a count of times', async () => {
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(islice(range(100), 10, 20, 3))))\n`, 'x'), '(4,)');
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(islice(range(5), 8))))\n`, 'x'), '(5,)');
    assert.equal(await shapeOf(`${HEAD}x = torch.stack(list(repeat(torch.zeros(3), 5)))\n`, 'x'), '(5, 3)');
  });

  it('reports a layer fed the chained features at the wrong width, and not at the right one', async () => {
    const program = (width: number) => `${HEAD}feats = [torch.zeros(4, 16), torch.zeros(4, 8)]
extra = [torch.zeros(4, 8)]
fc = nn.Linear(${width}, 2)
y = fc(torch.cat(list(chain(feats, extra)), dim=1))
`;
    assert.ok((await codes(program(24))).includes('SL106'));
    assert.deepEqual(await codes(program(32)), []);
  });

  it('leaves infinite iterators, and arguments Python refuses, unknown', async () => {
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(islice(range(5), -1))))\n`, 'x'), '(?,)');
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(list(islice(itertools.count(), 3))))\n`, 'x'), '(?,)');
  });
});
