// Ops whose result rank PyTorch fixes whatever the sizes: bmm and mm with an operand the analysis cannot follow (it is
// a tensor of the rank they take, or PyTorch raises), and transpose with axes that are not known (two axes swap, the
// rank stays).
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const PROGRAM = (forward: string, params = 'x'): string =>
  `import torch\nimport torch.nn as nn\nclass M(nn.Module):\n    def __init__(self, cfg):\n        super().__init__()\n        self.memory = cfg.memory\n    def forward(self, ${params}):\n${forward
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\n`;

describe('ranks kept with an operand or an axis the analysis cannot follow', () => {
  it('torch.bmm and Tensor.bmm of a known 3-D tensor and an unknown value are 3-D, with the sizes the known side tells', async () => {
    const body = PROGRAM('a = x.permute(0, 2, 1)\nc = torch.bmm(a, self.memory)\nd = a.bmm(self.memory)\ne = torch.bmm(self.memory, a)\nreturn c, d, e');
    assert.equal(await shapeOf(body, 'c'), '(x.size(0), x.size(2), ?)');
    assert.equal(await shapeOf(body, 'd'), '(x.size(0), x.size(2), ?)');
    assert.equal(await shapeOf(body, 'e'), '(x.size(0), ?, x.size(1))');
  });

  it('torch.mm of a known 2-D tensor and an unknown value is 2-D', async () => {
    const body = PROGRAM('a = x.permute(1, 0)\nm = torch.mm(a, self.memory)\nreturn m');
    assert.equal(await shapeOf(body, 'm'), '(x.size(1), ?)');
  });

  it('bmm of two unknown values stays unknown (nothing says either is a tensor)', async () => {
    const body = PROGRAM('c = torch.bmm(self.memory, self.memory)\nreturn c');
    assert.equal(await shapeOf(body, 'c'), undefined);
  });

  it('transpose with an axis read at run time keeps the rank, every size unknown', async () => {
    const body = PROGRAM('a = x.permute(0, 2, 1)\nt = a.transpose(axis, a.dim() - 1)\nreturn t', 'x, axis');
    assert.equal(await shapeOf(body, 't'), '(?, ?, ?)');
  });

  it('reports nothing on a correct attention step whose memory the file cannot see', async () => {
    const body = PROGRAM('q = x.permute(0, 2, 1)\nscores = torch.bmm(q, self.memory)\nw = torch.softmax(scores, dim=-1)\nctx = torch.bmm(w, self.memory.transpose(1, 2))\nreturn ctx');
    const result = await run(body);
    assert.deepEqual(result.findings.map((f) => f.code), []);
  });
});
