// Ops whose result rank PyTorch fixes whatever the sizes: bmm and mm with an operand the analysis cannot follow (it is
// a tensor of the rank they take, or PyTorch raises), and transpose with axes that are not known (two axes swap, the
// rank stays).
import { strict as assert } from 'node:assert';
import { moduleProgram, run, shapeOf } from './helpers';

const PROGRAM = (forward: string, params = 'x'): string => moduleProgram('', forward, { params, cfg: true });

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

  it('torch.addmm is 2-D with a product operand not followed, sizes from the operands and the added bias', async () => {
    const body = PROGRAM('bias = torch.zeros(16)\na = torch.addmm(bias, self.memory, self.memory)\nw = torch.randn(5, 7)\nb = torch.addmm(torch.zeros(3, 1), self.memory, w)\nreturn a, b');
    assert.equal(await shapeOf(body, 'a'), '(?, 16)');
    assert.equal(await shapeOf(body, 'b'), '(3, 7)');
  });

  it('torch.addmm of values none of which is known to be a tensor stays unknown', async () => {
    const body = PROGRAM('a = torch.addmm(self.memory, self.memory, self.memory)\nreturn a');
    assert.equal(await shapeOf(body, 'a'), undefined);
  });

  it('torch.einsum has the rank its output subscripts give, with an operand not followed', async () => {
    const body = PROGRAM('q = x.view(4, 2, 8, 16)\ns = torch.einsum(\'ibnd,jbnd->ijbn\', (q, self.memory))\nt = torch.einsum(\'...d,jd->...j\', self.memory, q[0, 0])\nreturn s, t');
    assert.equal(await shapeOf(body, 's'), '(4, ?, 2, 8)');
    assert.equal(await shapeOf(body, 't'), undefined);
  });

  it('F.glu halves a size not known as a number into an unknown one, keeping the rank', async () => {
    const body = PROGRAM('h = x.permute(0, 2, 1)\ng = torch.nn.functional.glu(h, dim=1)\nreturn g');
    assert.equal(await shapeOf(body, 'g'), '(x.size(0), ?, x.size(1))');
  });

  it('expand reads a one-element integer tensor among the sizes as one size not known', async () => {
    const body = PROGRAM('lengths = torch.randint(1, 5, (x.size(0),))\nlongest = lengths.max()\nm = torch.arange(5).unsqueeze(0).expand(x.size(0), longest)\nreturn m');
    assert.equal(await shapeOf(body, 'm'), '(x.size(0), ?)');
  });

  it('a loss function\'s reduction not known leaves its result unknown; reduce=False gives one loss per sample', async () => {
    const body = PROGRAM('s = x.view(6, 4)\nt = torch.zeros(6).long()\na = torch.nn.functional.cross_entropy(s, t, reduction=self.memory)\nb = torch.nn.functional.cross_entropy(s, t, reduce=False)\nc = torch.nn.functional.nll_loss(s, t, size_average=False)\nreturn a, b, c');
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.equal(await shapeOf(body, 'b'), '(6,)');
    assert.equal(await shapeOf(body, 'c'), '()');
  });

  it('F.pad keeps the rank with pads not known, and grows the axes whose pads are known', async () => {
    const body = PROGRAM('h = x.view(2, 3, 4)\na = torch.nn.functional.pad(h, self.memory)\nb = torch.nn.functional.pad(h, pad=(1, 2, k, 0), value=0)\nreturn a, b', 'x, k');
    assert.equal(await shapeOf(body, 'a'), '(?, ?, ?)');
    assert.equal(await shapeOf(body, 'b'), '(2, ?, 7)');
  });

  it('view and reshape given separate sizes have as many axes as sizes, with an attribute the analysis cannot read among them', async () => {
    const body = PROGRAM('h = x.permute(0, 2, 1)\na = h.view(-1, self.heads, 8)\nb = h.reshape(h.size(0), self.heads, -1, 2)\nreturn a, b');
    assert.equal(await shapeOf(body, 'a'), '(?, ?, 8)');
    assert.equal(await shapeOf(body, 'b'), '(x.size(0), ?, ?, 2)');
  });

  it('view given one value it cannot read, or a tensor method among its sizes, stays unknown', async () => {
    const body = PROGRAM('h = x.permute(0, 2, 1)\na = h.view(self.heads)\nb = h.view(-1, h.size)\nreturn a, b');
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.equal(await shapeOf(body, 'b'), undefined);
  });
});
