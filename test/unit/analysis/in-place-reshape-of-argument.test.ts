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

  it('on every call: a run of the function is not reused for a later call with the same arguments', async () => {
    // train() and validate() each fill the module's placeholder; inside the loop's pass the name the first call
    // rebound is the loop's, and validate() reads the module's: its load() must resize that tensor again, not take
    // the first run's result (PyTorch 1.13 runs this program to its end).
    const twice = `import torch
import torch.nn as nn


def load(v, data):
    v.resize_(data.size()).copy_(data)


conv = nn.Conv1d(1, 4, 3)
image = torch.zeros(4, 3, 10)
batch = torch.randn(4, 1, 10)


def train():
    load(image, batch)
    return conv(image)


def validate():
    load(image, batch)
    return conv(image)


for epoch in range(100):
    loss = train()
    score = validate()
`;
    assert.deepEqual(await codes(twice), []);
  });

  it('keeps its shape when only its .data was resized', async () => {
    assert.deepEqual(await codes(program('v.data.resize_')), ['SL139']);
  });
});
