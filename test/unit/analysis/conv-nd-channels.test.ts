// nn.Conv2d, nn.Conv3d and their transposed forms ask the axis before their spatial ones for in_channels entries,
// batched (N, C, …) or not (C, …): SL139 compares the two when both are known. Each message below was checked
// against PyTorch 1.13 ("Given groups=1, weight of size [32, 2, 1, 1], expected input[8, 3, 207, 13] to have 2
// channels, but got 3 channels instead").
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const program = (layer: string, input: string) => `import torch
import torch.nn as nn

conv = ${layer}
x = torch.randn(${input})
y = conv(x)
`;

describe('SL139 on 2-D and 3-D convolutions', () => {
  it('a traffic window with a third feature reaches a start convolution built for two', async () => {
    assert.deepEqual(await codes(program('nn.Conv2d(in_channels=2, out_channels=32, kernel_size=(1, 1))', '8, 3, 207, 13')), ['SL139']);
    assert.deepEqual(await codes(program('nn.Conv2d(in_channels=3, out_channels=32, kernel_size=(1, 1))', '8, 3, 207, 13')), []);
  });

  it('unbatched inputs read their first axis; Conv3d and transposed forms are checked the same way', async () => {
    assert.deepEqual(await codes(program('nn.Conv2d(4, 8, 3)', '3, 16, 16')), ['SL139']);
    assert.deepEqual(await codes(program('nn.Conv2d(3, 8, 3)', '3, 16, 16')), []);
    assert.deepEqual(await codes(program('nn.Conv3d(3, 8, 3)', '2, 4, 10, 16, 16')), ['SL139']);
    assert.deepEqual(await codes(program('nn.ConvTranspose2d(64, 3, 4, 2, 1)', '2, 32, 8, 8')), ['SL139']);
    assert.deepEqual(await codes(program('nn.ConvTranspose2d(32, 3, 4, 2, 1)', '2, 32, 8, 8')), []);
  });

  it('groups do not change the count asked for: in_channels is the whole channel axis', async () => {
    assert.deepEqual(await codes(program('nn.Conv2d(8, 8, 3, groups=4)', '2, 8, 12, 12')), []);
    assert.deepEqual(await codes(program('nn.Conv2d(8, 8, 3, groups=4)', '2, 4, 12, 12')), ['SL139']);
  });

  it('a channel count not known, or an input of another rank, is not reported', async () => {
    const unknown = `import torch
import torch.nn as nn

def run(x):
    return nn.Conv2d(2, 8, 1)(x)
`;
    assert.deepEqual(await codes(unknown), []);
    assert.equal(await shapeOf(program('nn.Conv2d(3, 8, 3)', '3, 16, 16'), 'y'), '(8, 14, 14)');
  });
});
