// Python's max() and min() over one tensor walk its first axis and give back one of its rows (comparing rows of more
// than one element raises), so the result has the row's shape: `max(lengths)` of a 1-D tensor is a 0-D tensor.
// Shapes checked in PyTorch 1.13: max(torch.tensor([4, 3, 2])) is (), min(torch.randn(5, 1)) is (1,).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import torch\nimport sys\n';

describe('max() and min() of one tensor', () => {
  it('give a row of the tensor', async () => {
    const body = `${HEAD}lengths = torch.tensor([4, 3, 2])\nm = max(lengths)\nn = min(torch.randn(5, 1))\n`;
    assert.equal(await shapeOf(body, 'm'), '()');
    assert.equal(await shapeOf(body, 'n'), '(1,)');
  });

  it('the row can size a tensor, its value not known', async () => {
    const body = `${HEAD}lengths = torch.randint(1, 9, (int(sys.argv[1]),))\nlongest = max(lengths)\nz = torch.zeros(3, longest)\nfor i in range(longest):\n    pass\n`;
    assert.equal(await shapeOf(body, 'z'), '(3, ?)');
    assert.deepEqual(await codes(body), []);
  });

  it('with a key or a default, or over a tensor of unknown rank, stays unknown', async () => {
    const body = `${HEAD}t = torch.load(sys.argv[1])\na = max(t)\nb = max(torch.randn(4), key=abs)\n`;
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.equal(await shapeOf(body, 'b'), undefined);
  });
});
