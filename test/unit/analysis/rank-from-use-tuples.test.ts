// Ranks proven by use through ops that give tuples of tensors (sort, topk, chunk, max/min over an axis), through
// index_select, and from the axis squeeze(d) needs: each rule is checked against PyTorch 1.13 by the rankDemands of
// test/oracle/op-shapes.json (rank-from-use.test.ts runs them all); these are the programs real models write.
import { strict as assert } from 'node:assert';
import { moduleProgram, run, shapeOf } from './helpers';

const MODEL = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, functional: true });

/** How many axes a shape label has, or undefined when its rank is unknown. */
function rankOf(shape: string | undefined): number | undefined {
  if (shape === undefined || shape.startsWith('(…')) return undefined;
  return shape.replace(/^\(|\)$/g, '').split(',').filter((s) => s.trim()).length;
}

describe('ranks proven by use through tuple results, index_select and squeeze(d)', () => {
  it('sort: values and indices keep the input\'s rank, both ways', async () => {
    const body = MODEL('pass', 'z = x.float()\nv, idx = x.sort(dim=1, descending=True)\ny = v.permute(1, 0, 2)\nreturn y, idx');
    assert.equal(rankOf(await shapeOf(body, 'z')), 3);
    assert.equal(rankOf(await shapeOf(body, 'idx')), 3);
  });

  it('torch.sort(...)[1] and topk indices keep the rank', async () => {
    const body = MODEL('pass', 'z = x.float()\norder = torch.sort(x, 0)[1]\nw = order.t()\nk = x.topk(2)[1]\nreturn w, k');
    assert.equal(rankOf(await shapeOf(body, 'z')), undefined, 't() takes 0, 1 or 2 axes: no single rank');
    const exact = MODEL('pass', 'z = x.float()\norder = torch.sort(x, 0)[1]\nw = torch.mm(order.float(), order.float().t())\nk = x.topk(2)[1]\nreturn w, k');
    assert.equal(rankOf(await shapeOf(exact, 'z')), 2);
    assert.equal(rankOf(await shapeOf(exact, 'k')), 2);
  });

  it('chunk: the gates of a hand-written LSTM cell follow the projection\'s rank, and chunk(4, 1) needs two axes', async () => {
    const body = MODEL('self.w = nn.Linear(8, 32)', 'gates = self.w(x)\ni, f, g, o = gates.chunk(4, 1)\nc = torch.sigmoid(f) * torch.tanh(g)\nh = torch.bmm(i, o.transpose(1, 2))\nreturn h');
    assert.equal(rankOf(await shapeOf(body, 'gates')), 3);
    assert.equal(rankOf(await shapeOf(body, 'i')), 3);
  });

  it('max over an axis removes it; over a tensor argument (element-wise) it proves nothing', async () => {
    const body = MODEL('pass', 'z = x.float()\nscores, best = x.max(2)\nm = torch.mm(scores, scores.t())\nreturn m, best');
    assert.equal(rankOf(await shapeOf(body, 'z')), 3);
    assert.equal(rankOf(await shapeOf(body, 'best')), 2);
    const elementwise = MODEL('pass', 'z = x.float()\na, b = torch.max(x, y)\nm = torch.mm(a, a.t())\nreturn m', 'x, y');
    assert.equal(rankOf(await shapeOf(elementwise, 'z')), undefined);
  });

  it('index_select keeps the input\'s rank and needs a vector index', async () => {
    const body = MODEL('pass', 'z = x.float()\nj = idx.long()\nn = idx.size(0)\ny = x.index_select(0, idx)\nout = y.permute(1, 0, 2)\nreturn out, n', 'x, idx');
    assert.equal(rankOf(await shapeOf(body, 'z')), 3);
    assert.equal(rankOf(await shapeOf(body, 'j')), 1);
  });

  it('squeeze(3) on a Conv2d output (3 or 4 axes) makes the input 4-D, and the ids behind it 2-D', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.conv = nn.Conv2d(1, 4, (3, 8))', 'e = self.emb(x)\nc = e.unsqueeze(1)\ny = F.relu(self.conv(c)).squeeze(3)\nreturn y');
    assert.equal(rankOf(await shapeOf(body, 'e')), 3);
    assert.equal(rankOf(await shapeOf(body, 'c')), 4);
  });

  it('squeeze(0) and squeeze(-1) prove nothing (a 0-D tensor takes them)', async () => {
    const body = MODEL('pass', 'z = x.float()\na = x.squeeze(0)\nb = x.squeeze(-1)\nreturn a, b');
    assert.equal(rankOf(await shapeOf(body, 'z')), undefined);
  });

  it('reports nothing on a correct hand-written LSTM cell whose input rank only its use proves', async () => {
    const body = MODEL('self.ih = nn.Linear(8, 64)\nself.hh = nn.Linear(16, 64)', 'gates = self.ih(x) + self.hh(h)\ni, f, g, o = gates.chunk(4, 1)\nc2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)\nh2 = torch.sigmoid(o) * torch.tanh(c2)\nreturn h2, c2', 'x, h, c');
    const result = await run(body);
    assert.deepEqual(result.findings.map((f) => f.code), []);
  });
});
