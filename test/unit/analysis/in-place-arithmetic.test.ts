// Augmented assignment on a tensor writes in place: the target keeps its shape and dtype whatever the right operand
// is (PyTorch 1.13 raises "output with shape [2, 3] doesn't match the broadcast shape [4, 2, 3]" rather than grow it).
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('augmented assignment on tensors (in place)', () => {
  it('keeps the target\'s shape when the right operand is not known', async () => {
    const body = 'def f(residual):\n    q = torch.randn(4, 9, 32)\n    q += residual\n    return q\nout = f(object())\n';
    assert.equal(await shapeOf(body, 'q'), '(4, 9, 32)');
    const scaled = 'def f(scale):\n    x = torch.randn(2, 5)\n    x *= scale\n    y = x\n    return y\nz = f(3)\n';
    assert.equal(await shapeOf(scaled, 'y'), '(2, 5)');
  });

  it('keeps it where an out-of-place sum would broadcast wider, and through attributes', async () => {
    assert.equal(await shapeOf('a = torch.zeros(5, 1)\nb = a + torch.zeros(5, 7)\n', 'b'), '(5, 7)');
    const cls = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.acc = torch.zeros(3, 4)\n    def forward(self, x):\n        self.acc += x\n        total = self.acc\n        return total\nm = M()\ny = m(torch.randn(3, 4))\n';
    assert.equal(await shapeOf(cls, 'total'), '(3, 4)');
  });

  it('leaves matmul (no in-place form), lists and numbers to ordinary arithmetic', async () => {
    assert.equal(await shapeOf('q = torch.randn(4, 8)\nq @= torch.randn(8, 3)\nr = q\n', 'r'), '(4, 3)');
    assert.equal(await shapeOf('s = 0\ns += torch.randn(6, 2)\nt = s\n', 't'), '(6, 2)');
  });
});
