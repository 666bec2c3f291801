// nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d and the 3-D forms pool each spatial axis to the output size asked for,
// None keeping that axis; batch and channels stay. A map flattened after them reaches a Linear with a known width.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('adaptive pooling modules', () => {
  it('pools each spatial axis to the output size, None keeping the axis', async () => {
    assert.equal(await shapeOf('x = torch.randn(8, 512, 4, 2)\ny = nn.AdaptiveAvgPool2d((1, None))(x)\n', 'y'), '(8, 512, 1, 2)');
    assert.equal(await shapeOf('x = torch.randn(8, 512, 4, 2)\ny = nn.AdaptiveAvgPool2d((None, 1))(x)\n', 'y'), '(8, 512, 4, 1)');
    assert.equal(await shapeOf('x = torch.randn(3, 10, 7)\ny = nn.AdaptiveMaxPool2d(3)(x)\n', 'y'), '(3, 3, 3)');
    assert.equal(await shapeOf('x = torch.randn(2, 4, 5, 6, 7)\ny = nn.AdaptiveAvgPool3d((None, 1, 2))(x)\n', 'y'), '(2, 4, 5, 1, 2)');
    assert.equal(await shapeOf('x = torch.randn(2, 4, 5, 6, 7)\ny = nn.AdaptiveMaxPool3d(output_size=1)(x)\n', 'y'), '(2, 4, 1, 1, 1)');
  });

  it('return_indices, a size not known and a rank PyTorch refuses give no shape', async () => {
    assert.equal(await shapeOf('x = torch.randn(8, 5, 4, 2)\ny = nn.AdaptiveMaxPool2d(2, return_indices=True)(x)\n', 'y'), undefined);
    assert.equal(await shapeOf('x = torch.randn(8, 5, 4, 2)\ny = nn.AdaptiveAvgPool2d(int(input()))(x)\n', 'y'), '(8, 5, ?, ?)');
    assert.equal(await shapeOf('x = torch.randn(8, 5, 4)\ny = nn.AdaptiveAvgPool3d(1)(x)\n', 'y'), undefined);
  });

  it('the features flattened after the pooling meet the Linear that reads them', async () => {
    const program = (size: string) =>
      `class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(1, 16, 3, stride=2, padding=1)\n        self.pool = nn.AdaptiveAvgPool2d(${size})\n        self.fc = nn.Linear(16 * 4, 10)\n\n    def forward(self, x):\n        x = self.pool(self.conv(x))\n        return self.fc(x.view(x.size(0), -1))\n\n\nout = Net()(torch.randn(2, 1, 64, 32))\n`;
    // 16 channels × 1 band × 4 frames = 64: the Linear fits.
    assert.deepEqual(await codes(program('(1, 4)')), []);
    // Averaging the frames instead keeps the 32 bands: 16 × 32 × 1 features.
    assert.deepEqual(await codes(program('(None, 1)')), ['SL106']);
  });
});
