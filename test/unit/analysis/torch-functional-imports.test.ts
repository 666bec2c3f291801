// torch.functional defines einsum, split, cdist and the other functions torch exports under the same names, and
// imports torch.nn.functional as F: `from torch.functional import F` and `from torch.functional import einsum` are
// what torch.nn.functional and torch.einsum are (PyTorch 1.13: `torch.functional.F is torch.nn.functional`).
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('imports from torch.functional', () => {
  it('reads its F as torch.nn.functional and its functions as torch\'s', async () => {
    const body = 'import torch\nfrom torch.functional import F\nx = torch.randn(3, 5, 8)\n';
    assert.equal(await shapeOf(`${body}y = F.softmax(F.relu(x), dim=-1)\n`, 'y'), '(3, 5, 8)');
    assert.equal(await shapeOf(`${body}y = F.linear(x, torch.randn(4, 8))\n`, 'y'), '(3, 5, 4)');
    assert.equal(await shapeOf('import torch\nfrom torch.functional import einsum\ny = einsum("bij,bjk->bik", torch.randn(2, 3, 4), torch.randn(2, 4, 5))\n', 'y'), '(2, 3, 5)');
    // A name torch.functional does not define as torch's stays unknown.
    assert.equal(await shapeOf('import torch\nfrom torch.functional import Tensor2\ny = Tensor2(torch.randn(2, 3))\n', 'y'), undefined);
  });
});
