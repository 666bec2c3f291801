// torch.meshgrid: N tensors of at most one axis give N grids of shape (s1, …, sN); indexing='xy' swaps the first two
// sizes (checked against PyTorch 1.13 by test/oracle/op_shapes.py, op "meshgrid").
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('torch.meshgrid', () => {
  it("gives (len(a), len(b)) grids with indexing='ij'", async () => {
    const body = "a = torch.zeros(4)\nb = torch.zeros(6)\ny, z = torch.meshgrid(a, b, indexing='ij')\n";
    assert.equal(await shapeOf(body, 'y'), '(4, 6)');
    assert.equal(await shapeOf(body, 'z'), '(4, 6)');
  });

  it("swaps the first two sizes with indexing='xy'", async () => {
    assert.equal(await shapeOf("y, z = torch.meshgrid(torch.zeros(4), torch.zeros(6), indexing='xy')\n", 'y'), '(6, 4)');
  });

  it('takes one list of tensors, and a 0-D one as size 1, defaulting to ij', async () => {
    assert.equal(await shapeOf('y, z, w = torch.meshgrid([torch.zeros(3), torch.tensor(2.), torch.zeros(5)])\n', 'w'), '(3, 1, 5)');
  });

  it('leaves the grids unknown for an input of two axes', async () => {
    assert.notEqual(await shapeOf('y, z = torch.meshgrid(torch.zeros(3, 2), torch.zeros(4))\n', 'y'), '(3, 4)');
  });
});
