// torch.nn.utils.weight_norm(module) and spectral_norm(module) (and their parametrizations forms) return the module
// they are given, its weight reparametrised: the wrapped layer is checked and applied as the layer itself. Shapes are
// what PyTorch 1.13 gives.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('weight_norm and spectral_norm', () => {
  it('return the layer they wrap, however they are imported', async () => {
    const body = [
      'import torch',
      'import torch.nn as nn',
      'from torch.nn.utils import weight_norm',
      'from torch.nn.utils.parametrizations import spectral_norm',
      'conv = weight_norm(nn.Conv1d(8, 16, 3, padding=2, dilation=1))',
      'a = conv(torch.randn(2, 8, 20))',
      'b = nn.utils.spectral_norm(nn.Linear(8, 4))(torch.randn(5, 8))',
      'c = spectral_norm(nn.Linear(8, 4))(torch.randn(5, 8))',
      "d = nn.utils.weight_norm(nn.Linear(8, 4), name='weight')(torch.randn(5, 8))",
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'a'), '(2, 16, 22)');
    assert.equal(await shapeOf(body, 'b'), '(5, 4)');
    assert.equal(await shapeOf(body, 'c'), '(5, 4)');
    assert.equal(await shapeOf(body, 'd'), '(5, 4)');
  });

  it('leave the wrapped layer\'s checks in place', async () => {
    // Linear(8, 4) given 6 features: PyTorch raises "mat1 and mat2 shapes cannot be multiplied (5x6 and 8x4)".
    assert.deepEqual(await codes('lin = nn.utils.weight_norm(nn.Linear(8, 4))\ny = lin(torch.randn(5, 6))\n'), ['SL106']);
  });

  it('give unknown for anything but a module', async () => {
    assert.equal(await shapeOf('m = nn.utils.weight_norm(make_layer())\ny = m(torch.randn(5, 8))\n', 'y'), undefined);
  });
});
