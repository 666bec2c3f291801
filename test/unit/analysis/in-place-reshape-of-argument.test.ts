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

// The helper runs again on each call: a run that reshaped its argument in place is not reused for a later call with
// the same arguments, which must reshape the tensor it is given (a global placeholder batch filled by the helper in a
// training step called from a loop, as in a CRNN's train.py; PyTorch 1.13 runs it clean).
const stepInLoop = `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def load(v, data):
    v.resize_(data.size()).copy_(data)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv = nn.Conv1d(1, 4, 3)

    def forward(self, x):
        return self.conv(x)


net = Net()
image = torch.FloatTensor(4, 3, 10)
train_loader = DataLoader(TensorDataset(torch.randn(8, 1, 10), torch.zeros(8)), batch_size=4)


def train(train_iter):
    for p in net.parameters():
        p.requires_grad = True
    cpu_images, cpu_labels = next(train_iter)
    load(image, cpu_images)
    return net(image)


for epoch in range(2):
    train_iter = iter(train_loader)
    i = 0
    while i < len(train_loader):
        preds = train(train_iter)
        i += 1
`;

describe('a helper that reshapes its argument in place, called on every pass of a loop', () => {
  it('reshapes the placeholder on every call, so no pass reads the old shape', async () => {
    assert.deepEqual(await codes(stepInLoop), []);
  });
});
