// A function that reshapes its tensor parameter in place (`v.resize_(data.size())`, a data-loading helper filling a
// placeholder batch) reshapes the caller's tensor: the caller's names bound to it see the new shape. `v.data.resize_`
// resizes a new tensor sharing v's storage and leaves v as it was (PyTorch 1.13 prints (4, 4, 8) for the first program
// and raises "expected input[4, 3, 10] to have 1 channels" for the second).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const program = (resize: string) => `import torch
import torch.nn as nn


def load(v, data):
    ${resize}(data.size()).copy_(data)


conv = nn.Conv1d(1, 4, 3)
image = torch.zeros(4, 3, 10)
load(image, torch.randn(4, 1, 10))
out = conv(image)
`;

describe('a tensor argument reshaped in place by the function it is given to', () => {
  it('no longer has its old shape in the caller (resize_ to sizes read at run time: unknown)', async () => {
    assert.deepEqual(await codes(program('v.resize_')), []);
    assert.equal(await shapeOf(program('v.resize_'), 'image'), '(4, 3, 10)');
  });

  it('keeps its shape when only its .data was resized', async () => {
    assert.deepEqual(await codes(program('v.data.resize_')), ['SL139']);
  });
});
