// isinstance of a PackedSequence (PyTorch 1.13): a namedtuple, so an instance of PackedSequence and of tuple, and not a
// tensor or a list. A tensor the program made is no PackedSequence; a parameter of a forward never called, which the
// analysis only takes for a tensor, stays undecided: the caller may give a PackedSequence.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const HEAD = `import torch
import torch.nn as nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence
x = torch.randn(3, 2, 4)
p = pack_padded_sequence(x, [3, 2])
out, _ = nn.LSTM(4, 5)(p)
`;

describe('isinstance of a PackedSequence', () => {
  for (const [value, type, holds] of [
    ['p', 'PackedSequence', true],
    ['out', 'nn.utils.rnn.PackedSequence', true],
    ['p', 'tuple', true],
    ['p', '(list, tuple)', true],
    ['p', 'torch.Tensor', false],
    ['out', 'list', false],
  ] as const) {
    it(`isinstance(${value}, ${type}) is ${holds}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = torch.zeros(1) if isinstance(${value}, ${type}) else torch.zeros(2)\n`, 'y'), holds ? '(1,)' : '(2,)');
    });
  }

  it('takes a tensor the program made for no PackedSequence (the else branch of a variational dropout)', async () => {
    assert.equal(await shapeOf(`${HEAD}y = torch.zeros(1) if isinstance(x, PackedSequence) else torch.zeros(2)\n`, 'y'), '(2,)');
    const body = `${HEAD}def drop(v):\n    if isinstance(v, PackedSequence):\n        v, sizes = v\n        b = int(sizes[0])\n    else:\n        b = v.size(1)\n    return v.new(1, b, v.size(2))\nm = drop(x)\n`;
    assert.equal(await shapeOf(body, 'm'), '(1, 2, 4)');
  });

  it('leaves isinstance undecided for a parameter of a function nothing calls, which is only taken for a tensor', async () => {
    const body = `${HEAD}def f(v):\n    w = torch.zeros(1) if isinstance(v, PackedSequence) else torch.zeros(2)\n    return w\n`;
    assert.equal(await shapeOf(body, 'w'), '(?,)');
  });
});
