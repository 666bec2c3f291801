// Transposed convolutions: nn.ConvTranspose1d/2d/3d and F.conv_transpose1d grow each spatial axis by PyTorch's rule
// (size − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1, and a forward's output_size picks a size
// within one stride of it. Arguments PyTorch refuses, or an output_size outside that stride, give unknown, never a finding.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('transposed convolutions', () => {
  it('a waveform autoencoder: strided Conv1d down, ConvTranspose1d back up, a Linear over the restored length', async () => {
    const program = (outputPadding: number, features: number): string => `${HEAD}
class WaveAutoencoder(nn.Module):
    def __init__(self, channels=16):
        super().__init__()
        self.down = nn.Conv1d(1, channels, kernel_size=4, stride=2, padding=1)
        self.up = nn.ConvTranspose1d(channels, 1, kernel_size=4, stride=2, padding=1, output_padding=${outputPadding})
        self.head = nn.Linear(${features}, 10)

    def forward(self, wave):
        code = torch.relu(self.down(wave))
        restored = self.up(code)
        return self.head(restored.squeeze(1))

model = WaveAutoencoder()
y = model(torch.randn(8, 1, 101))
`;
    assert.equal(await shapeOf(program(0, 100), 'code'), '(8, 16, 50)');
    assert.equal(await shapeOf(program(0, 100), 'restored'), '(8, 1, 100)');
    assert.equal(await shapeOf(program(1, 101), 'restored'), '(8, 1, 101)');
    assert.deepEqual(await codes(program(1, 101)), []);
    // Built for the 101 samples the encoder was given, but the decoder gives back 100 without output_padding.
    assert.deepEqual(await codes(program(0, 101)), ['SL106']);
  });

  it("a forward's output_size: taken within one stride of the rule's size, unknown outside it", async () => {
    const program = (size: string): string => `${HEAD}
up = nn.ConvTranspose1d(8, 4, 3, stride=2)
x = torch.randn(2, 8, 10)
y = up(x, output_size=${size})
`;
    // (10 − 1)·2 + (3 − 1) + 1 = 21; PyTorch takes 21 or 22.
    assert.equal(await shapeOf(program('[21]'), 'y'), '(2, 4, 21)');
    assert.equal(await shapeOf(program('(2, 4, 22)'), 'y'), '(2, 4, 22)');
    assert.equal(await shapeOf(program('[23]'), 'y'), '(2, 4, ?)');
    assert.deepEqual(await codes(program('[23]')), []);
  });

  it('the 2-D and 3-D layers apply the rule per axis, with tuples of arguments', async () => {
    const body = `${HEAD}
up2 = nn.ConvTranspose2d(16, 8, kernel_size=(3, 4), stride=(1, 2), padding=(1, 1))
a = up2(torch.randn(4, 16, 7, 9))
up3 = nn.ConvTranspose3d(4, 2, 2, stride=2)
b = up3(torch.randn(4, 5, 6, 7))
`;
    assert.equal(await shapeOf(body, 'a'), '(4, 8, 7, 18)');
    assert.equal(await shapeOf(body, 'b'), '(2, 10, 12, 14)');
  });

  it('arguments PyTorch refuses give unknown sizes: output_padding not under the stride or dilation, an empty output', async () => {
    const body = `${HEAD}
bad_padding = nn.ConvTranspose1d(2, 3, 3, stride=1, output_padding=1)
p = bad_padding(torch.randn(1, 2, 5))
too_small = nn.ConvTranspose1d(2, 3, 1, padding=3)
q = too_small(torch.randn(1, 2, 5))
`;
    assert.equal(await shapeOf(body, 'p'), '(1, 3, ?)');
    assert.equal(await shapeOf(body, 'q'), '(1, 3, ?)');
    assert.deepEqual(await codes(body), []);
  });

  it('a length named but not numbered is kept when the rule adds nothing to it', async () => {
    const body = `${HEAD}
class Smooth(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.keep = nn.ConvTranspose1d(c, c, 5, padding=2)
        self.grow = nn.ConvTranspose1d(c, c, 4, stride=2)

    def forward(self, x, steps):
        x = x.view(x.size(0), -1, steps)
        kept = self.keep(x)
        grown = self.grow(x)
        return kept, grown
`;
    const kept = await shapeOf(body, 'kept');
    const x = await shapeOf(body, 'x');
    assert.ok(kept && x && kept.split(',').at(-1) === x.split(',').at(-1), `x ${x}, kept ${kept}`);
    assert.match((await shapeOf(body, 'grown')) ?? '', /\?\)$/);
  });

  it('F.conv_transpose1d: channels are weight.size(1) × groups', async () => {
    const body = `${HEAD}
x = torch.randn(2, 6, 9)
w = torch.randn(6, 5, 3)
y = F.conv_transpose1d(x, w, stride=2, padding=1, groups=2)
z = torch.conv_transpose1d(x[0], w, None, 1, 0, 0, 1, 2)
`;
    assert.equal(await shapeOf(body, 'y'), '(2, 10, 17)');
    assert.equal(await shapeOf(body, 'z'), '(5, 13)');
  });
});
