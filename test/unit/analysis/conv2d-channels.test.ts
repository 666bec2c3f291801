// SL139 compares the channel axis of the input of nn.Conv2d, nn.Conv3d and their transposed forms with in_channels:
// axis 1 of a batched (N, C, ...) input, axis 0 of an unbatched (C, ...) one. PyTorch 1.13 raises "expected
// input[2, 3, 8, 8] to have 2 channels, but got 3 channels instead" for the first program and runs the others.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const conv = (layer: string, input: string) => `import torch
import torch.nn as nn

layer = ${layer}
x = torch.randn(${input})
y = layer(x)
`;

describe('SL139 on 2-D and 3-D convolutions', () => {
  it('reports a batched Conv2d input whose channel axis is not in_channels', async () => {
    assert.deepEqual(await codes(conv('nn.Conv2d(2, 4, 3)', '2, 3, 8, 8')), ['SL139']);
  });

  it('reads the channels of an unbatched (C, H, W) input on its first axis', async () => {
    assert.deepEqual(await codes(conv('nn.Conv2d(2, 4, 3)', '3, 8, 8')), ['SL139']);
    assert.deepEqual(await codes(conv('nn.Conv2d(3, 4, 3)', '3, 8, 8')), []);
  });

  it('reports Conv3d and ConvTranspose2d inputs with another channel count', async () => {
    assert.deepEqual(await codes(conv('nn.Conv3d(1, 4, 3)', '2, 2, 6, 6, 6')), ['SL139']);
    assert.deepEqual(await codes(conv('nn.ConvTranspose2d(8, 4, 2, stride=2)', '2, 4, 5, 5')), ['SL139']);
  });

  it('stays silent when the channels match', async () => {
    assert.deepEqual(await codes(conv('nn.Conv2d(3, 4, 3)', '2, 3, 8, 8')), []);
    assert.deepEqual(await codes(conv('nn.ConvTranspose3d(2, 4, 2)', '1, 2, 4, 4, 4')), []);
  });
});
