// view/reshape with -1 whose other sizes are each one axis of the input, taken once (`x.reshape(batch, -1, time)`
// after `batch, elec, n_freq, time = x.shape`): the -1 is the product of the axes left over, when they are known.
// PyTorch 1.13 gives (16, 30, 32) for a (16, 6, 5, 32) batch.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const program = (view: string, conv = 30) => `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

conv = nn.Conv1d(${conv}, 8, 3)
loader = DataLoader(TensorDataset(torch.randn(100, 6, 5, 32)), batch_size=16)
for (x,) in loader:
    batch, elec, n_freq, time = x.shape
    y = ${view}
    z = conv(y)
`;

describe('view/reshape -1 beside axes of the input', () => {
  it('the -1 is the product of the known axes the other sizes leave', async () => {
    assert.equal(await shapeOf(program('x.reshape(batch, -1, time)'), 'y'), '(B, 30, 32)');
    assert.equal(await shapeOf(program('x.view(batch, elec, -1)'), 'y'), '(B, 6, 160)');
    assert.deepEqual(await codes(program('x.reshape(batch, -1, time)')), []);
    // Electrodes times wavelets into a convolution built for another count.
    assert.deepEqual(await codes(program('x.reshape(batch, -1, time)', 32)), ['SL139']);
  });

  it('a size that is no axis of the input, or an axis named twice, leaves the -1 as before', async () => {
    assert.notEqual(await shapeOf(program('x.reshape(batch, -1, time * 2)'), 'y'), '(B, 30, 64)');
    assert.notEqual(await shapeOf(program('x.reshape(time, -1, time)'), 'y'), '(32, 30, 32)');
  });
});
