// In-place methods that change a tensor's shape change what its name holds: `x.t_()`, `h.unsqueeze_(0)`, but not
// through `.data` (the shapes below are what PyTorch 1.13 gives); those not modelled leave the name unknown.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('in-place reshapes', () => {
  it('give the receiver the shape the out-of-place method gives', async () => {
    assert.equal(await shapeOf('x = torch.randn(3, 5)\nx.t_()\ny = x + 0\n', 'y'), '(5, 3)');
    // x.data is another tensor over x's storage: reshaping it in place leaves x's shape.
    assert.equal(await shapeOf('x = torch.randn(3, 5)\nx.data.unsqueeze_(0)\ny = x + 0\n', 'y'), '(3, 5)');
    assert.equal(await shapeOf('x = torch.randn(3, 5)\nd = x.data\nd.unsqueeze_(0)\ny = d + 0\n', 'y'), '(1, 3, 5)');
    assert.equal(await shapeOf('x = torch.randn(3, 1, 5)\nx.squeeze_()\ny = x + 0\n', 'y'), '(3, 5)');
    assert.equal(await shapeOf('x = torch.randn(2, 3, 4)\nx.transpose_(0, 2)\ny = x + 0\n', 'y'), '(4, 3, 2)');
    const attr = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.h = torch.zeros(4, 8)\n    def forward(self):\n        self.h.unsqueeze_(0)\n        return self.h\ny = M()()\n';
    assert.equal(await shapeOf(attr, 'y'), '(1, 4, 8)');
  });

  it('leave the receiver unknown where the new shape is not modelled', async () => {
    assert.equal(await shapeOf('x = torch.randn(3, 5)\nx.resize_(2, 2)\ny = x + 0\n', 'y'), undefined);
    // Not a shape change: the name keeps its shape.
    assert.equal(await shapeOf('x = torch.randn(3, 5)\nx.add_(1)\ny = x + 0\n', 'y'), '(3, 5)');
  });
});
