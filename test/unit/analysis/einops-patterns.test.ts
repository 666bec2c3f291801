// einops' rearrange, repeat, reduce and einsum: the pattern fixes the result's rank (einops raises on an input it does
// not fit), and the sizes are those the input and the keyword lengths bind to each name. What einops refuses stays
// unknown. (einops is not in the PyTorch oracle: these follow its documented grammar.)
import { strict as assert } from 'node:assert';
import { parseSide } from '../../../src/analysis/ops/einops';
import { run, shapeOf } from './helpers';

const PROGRAM = (forward: string, params = 'x'): string =>
  `import torch\nimport torch.nn as nn\nfrom einops import rearrange, repeat, reduce, einsum\nimport einops\nclass M(nn.Module):\n    def __init__(self, cfg):\n        super().__init__()\n        self.memory = cfg.memory\n    def forward(self, ${params}):\n${forward.split('\n').map((l) => `        ${l}`).join('\n')}\n`;

describe('einops patterns', () => {
  it('reads names, numbers, groups and the ellipsis, and refuses what the grammar does not allow', () => {
    assert.deepEqual(parseSide('b (h d) ... 1 ()'), [
      { kind: 'name', name: 'b' },
      { kind: 'group', items: [{ kind: 'name', name: 'h' }, { kind: 'name', name: 'd' }] },
      { kind: 'ellipsis' },
      { kind: 'number', value: 1 },
      { kind: 'group', items: [] },
    ]);
    assert.equal(parseSide('b (h (d))'), undefined);
    assert.equal(parseSide('b ... ...'), undefined);
    assert.equal(parseSide('b (h'), undefined);
    assert.equal(parseSide('b h)'), undefined);
    assert.equal(parseSide('b, h'), undefined);
  });

  it('rearrange splits and merges axes, with lengths from the input and the keywords', async () => {
    const body = PROGRAM('a = torch.randn(2, 10, 64)\nq = rearrange(a, \'b n (h d) -> b h n d\', h=8)\nm = rearrange(q, \'b h n d -> (b h) n d\')\nf = einops.rearrange(a, \'b n c -> b (n c)\')\nreturn q, m, f');
    assert.equal(await shapeOf(body, 'q'), '(2, 8, 10, 8)');
    assert.equal(await shapeOf(body, 'm'), '(16, 10, 8)');
    assert.equal(await shapeOf(body, 'f'), '(2, 640)');
  });

  it('rearrange with an ellipsis keeps the axes it matches; without one the pattern alone gives the rank', async () => {
    const body = PROGRAM('a = torch.randn(2, 3, 4, 5)\ne = rearrange(a, \'... h w -> ... (h w)\')\nu = rearrange(self.memory, \'b n (h d) -> b h n d\', h=4)\nv = rearrange(x, \'... d -> d ...\')\nreturn e, u, v');
    assert.equal(await shapeOf(body, 'e'), '(2, 3, 20)');
    assert.equal(await shapeOf(body, 'v'), undefined);
    const unknownInput = PROGRAM('u = rearrange(self.memory, \'b n (h d) -> b h n d\', h=4)\nreturn u');
    // self.memory is not followed: nothing says it is a tensor.
    assert.equal(await shapeOf(unknownInput, 'u'), undefined);
    const partly = PROGRAM('a = x.view(x.size(0), -1)\nb = a * self.memory\nu = rearrange(b, \'b (h d) -> b h d\', h=4)\nreturn u');
    assert.equal(await shapeOf(partly, 'u'), '(?, 4, ?)');
  });

  it('repeat adds the axes named on the right with their keyword lengths; reduce drops those it does not name', async () => {
    const body = PROGRAM('a = torch.randn(3, 5)\nr = repeat(a, \'h w -> b h w\', b=4)\ns = repeat(a, \'h w -> h (w k) 1\', k=2)\nt = reduce(a, \'h w -> h\', \'mean\')\nk = reduce(a, \'h w -> h ()\', reduction=\'max\')\nreturn r, s, t, k');
    assert.equal(await shapeOf(body, 'r'), '(4, 3, 5)');
    assert.equal(await shapeOf(body, 's'), '(3, 10, 1)');
    assert.equal(await shapeOf(body, 't'), '(3,)');
    assert.equal(await shapeOf(body, 'k'), '(3, 1)');
  });

  it('einops.einsum names the result axes with words, sizes from the operands', async () => {
    const body = PROGRAM('a = torch.randn(2, 7, 16)\nb = torch.randn(2, 9, 16)\ns = einsum(a, b, \'b i d, b j d -> b i j\')\nreturn s');
    assert.equal(await shapeOf(body, 's'), '(2, 7, 9)');
  });

  it('what einops refuses stays unknown: a rank the pattern does not fit, lengths that do not divide, names that differ', async () => {
    const body = PROGRAM('a = torch.randn(2, 10, 64)\nw = rearrange(a, \'b n -> n b\')\nd = rearrange(a, \'b n (h d) -> b h n d\', h=7)\nn = rearrange(a, \'b n c -> b n\')\nr = repeat(a, \'b n c -> b n c k\')\nreturn w, d, n, r');
    for (const name of ['w', 'd', 'n', 'r']) assert.equal(await shapeOf(body, name), undefined, name);
    assert.deepEqual((await run(body)).findings.map((f) => f.code), []);
  });

  it('einops.layers.torch.Rearrange and Reduce apply their pattern, alone or inside nn.Sequential', async () => {
    const source = `import torch\nimport torch.nn as nn\nfrom einops.layers.torch import Rearrange, Reduce\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.split = Rearrange('b n (h d) -> b h n d', h=4)\n        self.pool = nn.Sequential(Reduce('b c h w -> b c', 'mean'), nn.Linear(3, 5))\n    def forward(self, x):\n        a = torch.randn(2, 10, 64)\n        s = self.split(a)\n        i = torch.randn(2, 3, 8, 8)\n        p = self.pool(i)\n        return s, p\n`;
    assert.equal(await shapeOf(source, 's'), '(2, 4, 10, 16)');
    assert.equal(await shapeOf(source, 'p'), '(2, 5)');
  });
});
