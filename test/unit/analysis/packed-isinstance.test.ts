// isinstance of a PackedSequence (PyTorch 1.13): a namedtuple, so an instance of PackedSequence and of tuple, and not a
// tensor or a list. A tensor tested against PackedSequence stays undecided: a forward never called takes its
// parameters for tensors, which the caller may not give.
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

  it('leaves isinstance(tensor, PackedSequence) undecided', async () => {
    assert.equal(await shapeOf(`${HEAD}y = torch.zeros(1) if isinstance(x, PackedSequence) else torch.zeros(2)\n`, 'y'), '(?,)');
  });
});
