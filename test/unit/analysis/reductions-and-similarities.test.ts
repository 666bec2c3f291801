// Reductions read by their own signatures (std/var's unbiased, norm's p), repeat_interleave, cosine_similarity,
// pairwise_distance, masked_fill's broadcasting and zip over an operand not followed. The shapes PyTorch gives on
// known inputs are in test/oracle/op-shapes.json (op-table.test.ts); these are the cases PyTorch decides at run time,
// which must stay unknown, and the findings that must not appear.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('reductions by their own signatures', () => {
  it('reads std and var as (dim, unbiased, keepdim): a second positional True is unbiased, not keepdim', async () => {
    const src = `${HEAD}x = torch.randn(3, 4, 5)\na = x.std(1, True)\nb = x.var(1, True, True)\nc = torch.std(x, keepdim=True, dim=-1)\nd = torch.var(x, (0, 1))\n`;
    assert.equal(await shapeOf(src, 'a'), '(3, 5)');
    assert.equal(await shapeOf(src, 'b'), '(3, 1, 5)');
    assert.equal(await shapeOf(src, 'c'), '(3, 4, 1)');
    assert.equal(await shapeOf(src, 'd'), '(5,)');
  });

  it('reads a lone bool of std as unbiased: every axis goes (not axis 1)', async () => {
    const src = `${HEAD}x = torch.randn(3, 4, 5)\na = x.std(True)\nb = torch.var(x, False)\n`;
    assert.equal(await shapeOf(src, 'a'), '()');
    assert.equal(await shapeOf(src, 'b'), '()');
  });

  it('reads norm as (p, dim, keepdim): x.norm(2) is the norm of every element, not a reduction over axis 2', async () => {
    const src = `${HEAD}x = torch.randn(3, 4, 5)\na = x.norm(2)\nb = x.norm(2, 1)\nc = torch.norm(x, 2, -1, True)\nd = x.norm(dim=None, keepdim=True)\n`;
    assert.equal(await shapeOf(src, 'a'), '()');
    assert.equal(await shapeOf(src, 'b'), '(3, 5)');
    assert.equal(await shapeOf(src, 'c'), '(3, 4, 1)');
    assert.equal(await shapeOf(src, 'd'), '(1, 1, 1)');
  });

  it('leaves the rank unknown when keepdim, or what std takes first, is a value not known', async () => {
    const src = `${HEAD}def f(keep, first):\n    x = torch.randn(3, 4, 5)\n    a = x.sum(1, keep)\n    b = x.std(first)\n    c = torch.mean(x, -1, keep)\n    return a\n`;
    assert.equal(await shapeOf(src, 'a'), undefined);
    assert.equal(await shapeOf(src, 'b'), undefined);
    assert.equal(await shapeOf(src, 'c'), undefined);
  });

  it('reports no axis out of range for std(True) on a 1-D tensor, nor for norm(2) on a 1-D tensor', async () => {
    assert.deepEqual(await codes(`${HEAD}x = torch.randn(5)\na = x.std(True)\nb = x.norm(2)\nc = torch.norm(x, 3)\n`), []);
  });
});

describe('whole reductions of a value not known', () => {
  it('gives a 0-D tensor for torch.sum(x) and the other whole reductions, whatever x is (PyTorch takes only a tensor there)', async () => {
    const src = `${HEAD}def f(batch):\n    x = batch['scores']\n    a = torch.sum(x)\n    b = torch.mean(x)\n    c = torch.argmax(x)\n    d = torch.norm(x)\n    e = torch.max(x)\n    return a\n`;
    for (const name of ['a', 'b', 'c', 'd', 'e']) assert.equal(await shapeOf(src, name), '()');
  });

  it('leaves the result unknown when other arguments decide it, or for logsumexp, which needs a dim', async () => {
    const src = `${HEAD}def f(batch, other):\n    x = batch['scores']\n    a = torch.sum(x, 1)\n    b = torch.max(x, other)\n    c = torch.mean(x, dim=-1)\n    d = torch.logsumexp(x)\n    e = torch.sum(x, dtype=torch.float)\n    return a\n`;
    for (const name of ['a', 'b', 'c', 'd', 'e']) assert.equal(await shapeOf(src, name), undefined);
  });

  it('reports the 0.3-era loss.data[0] on a whole reduction of a batch read from a data loop', async () => {
    const src = `${HEAD}def train(loader, model):\n    for batch in loader:\n        loss = torch.mean(model(batch))\n        total = loss.data[0]\n`;
    assert.deepEqual(await codes(src), ['SL123']);
  });

  it('leaves a method reduction of a value not known alone: x.sum() of a NumPy array is no tensor', async () => {
    const src = `${HEAD}def f(batch):\n    x = batch['scores']\n    a = x.sum()\n    return a[0]\n`;
    assert.equal(await shapeOf(src, 'a'), undefined);
    assert.deepEqual(await codes(src), []);
  });
});

describe('repeat_interleave', () => {
  it('multiplies the axis, or flattens without a dim', async () => {
    const src = `${HEAD}x = torch.randn(3, 4, 5)\na = x.repeat_interleave(2, dim=1)\nb = x.repeat_interleave(2)\nc = torch.repeat_interleave(x, 3, -1)\n`;
    assert.equal(await shapeOf(src, 'a'), '(3, 8, 5)');
    assert.equal(await shapeOf(src, 'b'), '(120,)');
    assert.equal(await shapeOf(src, 'c'), '(3, 4, 15)');
  });

  it('keeps the rank but not the size when the counts are a tensor, or the input is of unknown size', async () => {
    const src = `${HEAD}def f(n, counts):\n    y = torch.randn(3, 4)\n    a = y.repeat_interleave(counts, dim=0)\n    b = torch.randn(n, 4).repeat_interleave(2)\n    c = torch.repeat_interleave(torch.tensor([1, 2]))\n    return a\n`;
    assert.equal(await shapeOf(src, 'a'), '(?, 4)');
    assert.equal(await shapeOf(src, 'b'), '(?,)');
    assert.equal(await shapeOf(src, 'c'), '(?,)');
  });

  it('leaves the shape unknown when the dim is a value not known (None flattens, an int keeps the rank)', async () => {
    const src = `${HEAD}def f(d):\n    x = torch.randn(3, 4, 5)\n    a = x.repeat_interleave(2, d)\n    return a\n`;
    assert.equal(await shapeOf(src, 'a'), undefined);
  });
});

describe('cosine_similarity and pairwise_distance', () => {
  it('broadcast the two operands and remove the axis (dim=1 for cosine, the last for the distance)', async () => {
    const src = `${HEAD}a = torch.randn(2, 1, 5)\nb = torch.randn(3, 5)\nc = F.cosine_similarity(a, b, dim=-1)\nd = F.cosine_similarity(b, b)\ne = F.pairwise_distance(a, b)\nf = F.pairwise_distance(b, b, keepdim=True)\n`;
    assert.equal(await shapeOf(src, 'c'), '(2, 3)');
    assert.equal(await shapeOf(src, 'd'), '(3,)');
    assert.equal(await shapeOf(src, 'e'), '(2, 3)');
    assert.equal(await shapeOf(src, 'f'), '(3, 1)');
  });

  it('keep unknown sizes unknown and report nothing on them', async () => {
    const src = `${HEAD}def f(n, m):\n    a = torch.randn(n, 5)\n    b = torch.randn(m, 5)\n    c = F.cosine_similarity(a, b)\n    d = F.pairwise_distance(a, b)\n    return c, d\n`;
    assert.equal(await shapeOf(src, 'c'), '(?,)');
    assert.equal(await shapeOf(src, 'd'), '(?,)');
    assert.deepEqual(await codes(src), []);
  });
});

describe('masked_fill broadcasting', () => {
  it('widens the result out of place to a mask of more axes, and keeps the shape in place', async () => {
    const src = `${HEAD}x = torch.randn(4, 5)\nm = torch.rand(3, 4, 5) > 0.5\na = x.masked_fill(m, 0)\nb = torch.masked_fill(x, m, 0)\nc = x.masked_fill(m[0], 0)\n`;
    assert.equal(await shapeOf(src, 'a'), '(3, 4, 5)');
    assert.equal(await shapeOf(src, 'b'), '(3, 4, 5)');
    assert.equal(await shapeOf(src, 'c'), '(4, 5)');
  });

  it('leaves the rank unknown out of place when the mask is not followed (it may have more axes), not in place', async () => {
    const src = `${HEAD}def f(mask):\n    x = torch.randn(2, 3, 4)\n    a = x.masked_fill(mask, 0)\n    b = x.masked_fill_(mask, 0)\n    return a\n`;
    assert.equal(await shapeOf(src, 'a'), '(…, 2, 3, 4)');
    assert.equal(await shapeOf(src, 'b'), '(2, 3, 4)');
  });
});

describe('zip over an operand not followed', () => {
  it('still walks the rows of the tensors it zips with', async () => {
    const src = `${HEAD}def f(indices):\n    x = torch.randn(2, 3, 4)\n    for idx, row in zip(indices, x):\n        g = row\n    return g\n`;
    assert.equal(await shapeOf(src, 'row'), '(3, 4)');
  });
});
