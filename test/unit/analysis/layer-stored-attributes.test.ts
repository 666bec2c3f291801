// A torch layer's attribute is what PyTorch stores, not always the argument as given: convolutions keep kernel_size,
// stride, padding and dilation as n-tuples (`conv.stride[0]` is known), AvgPool1d too, and a pooling's stride left
// None is its kernel_size.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const sized = (layer: string, read: string) => `m = ${layer}\nn = ${read}\ny = torch.zeros(n)\n`;

describe('layer attributes PyTorch stores', () => {
  it('a convolution keeps its sizes as one entry per spatial axis', async () => {
    assert.equal(await shapeOf(sized('nn.Conv2d(3, 64, 7, stride=2, padding=3)', 'm.stride[0] + m.stride[1] + len(m.stride)'), 'y'), '(6,)');
    assert.equal(await shapeOf(sized('nn.Conv1d(3, 8, 5)', 'len(m.kernel_size) + m.kernel_size[0] + m.dilation[0]'), 'y'), '(7,)');
    assert.equal(await shapeOf(sized('nn.Conv3d(3, 8, [1, 3, 3])', 'm.kernel_size[2] + len(m.padding)'), 'y'), '(6,)');
    assert.equal(await shapeOf(sized('nn.ConvTranspose2d(3, 8, 3, stride=2, output_padding=1)', 'm.output_padding[1] + m.stride[0]'), 'y'), '(3,)');
  });

  it('a padding given as a string stays one, and a size not known gives nothing', async () => {
    assert.equal(await shapeOf(sized('nn.Conv1d(3, 8, 3, padding="same")', '4 if m.padding == "same" else 5'), 'y'), '(4,)');
    assert.ok(['(?,)', undefined].includes(await shapeOf(sized('nn.Conv2d(3, 8, int(input()))', 'm.kernel_size[0]'), 'y')));
  });

  it('a pooling keeps what it was given, its stride defaulting to the kernel size; AvgPool1d keeps tuples', async () => {
    assert.equal(await shapeOf(sized('nn.MaxPool2d(3, stride=2, padding=1)', 'm.stride + m.kernel_size'), 'y'), '(5,)');
    assert.equal(await shapeOf(sized('nn.MaxPool2d(3)', 'm.stride'), 'y'), '(3,)');
    assert.equal(await shapeOf(sized('nn.AvgPool2d(2)', 'm.stride'), 'y'), '(2,)');
    assert.equal(await shapeOf(sized('nn.AvgPool1d(3)', 'm.stride[0] + len(m.kernel_size)'), 'y'), '(4,)');
  });

  it('a size halved under `if conv.stride[0] == 2` sizes what is built from it', async () => {
    const program = (size: number) =>
      `class Net(nn.Module):\n    def __init__(self, resolution=(${size}, ${size})):\n        super().__init__()\n        self.resolution = list(resolution)\n        self.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3)\n        if self.conv1.stride[0] == 2:\n            self.resolution[0] /= 2\n        self.pos = nn.Parameter(torch.randn(1, 8, int(self.resolution[0])))\n\n    def forward(self, x):\n        x = self.conv1(x).mean(dim=3)\n        return x + self.pos\n\n\nout = Net()(torch.randn(2, 3, 32, 32))\n`;
    assert.deepEqual(await codes(program(32)), []);
    assert.deepEqual(await codes(program(224)), ['SL119']);
  });
});
