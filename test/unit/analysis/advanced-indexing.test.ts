// Indexing with one int64 tensor (PyTorch's advanced indexing): the index's shape takes the place of the axis it indexes.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('indexing with an integer tensor', () => {
  it('replaces axis 0 by the index shape: x[idx] is idx.shape + x.shape[1:]', async () => {
    assert.equal(await shapeOf('x = torch.zeros(5, 512)\ny = x[torch.arange(32)]\n', 'y'), '(32, 512)');
    assert.equal(await shapeOf('x = torch.zeros(2, 3, 4)\nj = torch.zeros(6, 7, dtype=torch.long)\ny = x[j]\n', 'y'), '(6, 7, 3, 4)');
  });

  it('replaces axis 1 for x[:, idx], after integers select and None inserts (x[0, :, j], x[None, j])', async () => {
    const src = 'x = torch.zeros(2, 3, 4, 5)\nj = torch.zeros(2, 3, dtype=torch.long)\na = x[:, j]\nb = x[0, :, j]\nc = x[None, j]\nd = x[..., j]\n';
    assert.equal(await shapeOf(src, 'a'), '(2, 2, 3, 4, 5)');
    assert.equal(await shapeOf(src, 'b'), '(3, 2, 3, 5)');
    assert.equal(await shapeOf(src, 'c'), '(1, 2, 3, 3, 4, 5)');
    assert.equal(await shapeOf(src, 'd'), '(2, 3, 4, 2, 3)');
  });

  it('follows the indices of sort and argsort: h[unsort_idx] keeps the batch', async () => {
    const src = 'lengths = torch.randint(1, 9, (32,))\n_, order = lengths.sort(descending=True)\n_, unsort = order.sort()\nh = torch.zeros(32, 512)[unsort]\ng = torch.zeros(7, 3)[torch.zeros(7).argsort()]\n';
    assert.equal(await shapeOf(src, 'h'), '(32, 512)');
    assert.equal(await shapeOf(src, 'g'), '(7, 3)');
  });

  it('leaves unknown a bool or uint8 mask, whose length depends on the data, and two index tensors', async () => {
    const src = 'x = torch.zeros(4, 5)\nj = torch.zeros(3, dtype=torch.long)\na = x[x > 0]\nb = x[(x > 0).byte()]\nc = x[j, j]\nd = x[torch.zeros(4, dtype=torch.uint8)]\n';
    for (const name of ['a', 'b', 'c', 'd']) {
      const shape = await shapeOf(src, name);
      assert.ok(shape === undefined || !/\d/.test(shape), `${name}: ${shape}`);
    }
  });
});
