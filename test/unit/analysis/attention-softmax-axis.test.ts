// SL153: softmax weights summed by a product over another axis than the one the softmax normalised (silent in PyTorch
// 1.13 when the axes have one length; test/fixtures/torch/SL153_* and the reported labml-146 show each query's weights
// over the keys not summing to 1).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const F = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const QKV = 'q = torch.randn(2, 7, 16)\nk = torch.randn(2, 7, 16)\nv = torch.randn(2, 7, 16)\nscores = torch.bmm(q, k.transpose(1, 2))\n';

describe('SL153 attention-softmax-axis', () => {
  it('reports weights normalised over the rows and summed over the columns by bmm, matmul, @ and einsum', async () => {
    const result = await run(`${F}${QKV}w = F.softmax(scores, dim=1)\nout = torch.bmm(w, v)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL153']);
    assert.equal(result.findings[0].range.start.line, 7);
    assert.match(result.findings[0].message, /over axis 1, of size 7, but torch\.bmm \(line 9\) sums these weights over axis 2/);
    assert.deepEqual(await codes(`${F}${QKV}w = scores.softmax(-2)\nout = w @ v\n`), ['SL153']);
    assert.deepEqual(await codes(`${F}${QKV}w = F.dropout(torch.softmax(scores, 1), 0.1)\nout = torch.matmul(w, v)\n`), ['SL153']);
    assert.deepEqual(await codes(`${F}${QKV}sm = nn.Softmax(dim=1)\ndrop = nn.Dropout(0.1)\nout = drop(sm(scores)).bmm(v)\n`), ['SL153']);
    assert.deepEqual(await codes(`${F}${QKV}w = torch.einsum('bid,bjd->bij', q, k).softmax(dim=1)\nout = torch.einsum('bij,bjd->bid', w, v)\n`), ['SL153']);
  });

  it('stays silent where the weights are summed over the axis they were normalised over', async () => {
    assert.deepEqual(await codes(`${F}${QKV}w = F.softmax(scores, dim=-1)\nout = torch.bmm(w, v)\nout2 = w @ v\n`), []);
    assert.deepEqual(await codes(`${F}${QKV}w = torch.einsum('bid,bjd->bij', q, k).softmax(dim=2)\nout = torch.einsum('bij,bjd->bid', w, v)\n`), []);
    // Moved first: the transposed weights are summed over the axis the softmax normalised.
    assert.deepEqual(await codes(`${F}${QKV}w = F.softmax(scores, dim=1)\nout = torch.bmm(w.transpose(1, 2), v)\n`), []);
    // On the right of the product the weights are summed over their rows.
    assert.deepEqual(await codes(`${F}${QKV}w = F.softmax(scores, dim=1)\nout = torch.bmm(v.transpose(1, 2), w)\n`), []);
    // Normalised again over the other axis (slot attention), or changed by arithmetic: other weights.
    assert.deepEqual(await codes(`${F}${QKV}w = F.softmax(scores, dim=1) + 1e-8\nw = w / w.sum(dim=-1, keepdim=True)\nout = torch.bmm(w, v)\n`), []);
    assert.deepEqual(await codes(`${F}${QKV}w = F.softmax(scores, dim=1).masked_fill(scores > 0, 0.0)\nout = torch.bmm(w, v)\n`), []);
  });

  it('leaves axes of one, mixture weights and an unknown axis alone', async () => {
    // (B, L, 1) weights over the steps, then summed with the states after unsqueeze/transposes: no row axis summed.
    assert.deepEqual(await codes(`${F}h = torch.randn(4, 9, 32)\na = F.softmax(torch.randn(4, 9, 1), dim=1)\nctx = torch.bmm(a.transpose(1, 2), h)\nb = a @ torch.randn(4, 1, 32)\n`), []);
    // Attention over attention: column-wise weights times the averaged row-wise weights, a (B, Q, 1) vector.
    assert.deepEqual(await codes(`${F}m = torch.bmm(torch.randn(2, 9, 8), torch.randn(2, 8, 5))\nalpha = F.softmax(m, dim=1)\nbeta = F.softmax(m, dim=2).mean(dim=1)\ns = torch.bmm(alpha, beta.unsqueeze(2))\n`), []);
    assert.deepEqual(await codes(`${F}w = F.softmax(torch.randn(4, 3), dim=1)\nexperts = torch.randn(4, 3, 8)\nmix = torch.einsum('be,bed->bd', w, experts)\n`), []);
    assert.deepEqual(await codes(`${F}def f(scores, v, d):\n    w = F.softmax(scores, dim=d)\n    return torch.bmm(w, v)\n`), []);
  });

  it('follows the weights through unsqueeze, transpose, permute and squeeze to the operand a product sums', async () => {
    // (letters, words) scores normalised over the words, turned (words, letters, 1) and summed over the letters.
    const result = await run(`${F}s = torch.randn(3, 10)\nw = F.softmax(s, 1)\nv = torch.randn(10, 16, 3)\nout = torch.bmm(v, w.unsqueeze(-1).transpose(1, 0))\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL153']);
    assert.equal(result.findings[0].range.start.line, 4);
    assert.match(result.findings[0].message, /over axis 0, of size 10, but torch\.bmm \(line 7\) sums these weights over axis 1: .*normalise over the axis the product sums/);
    assert.deepEqual(await codes(`${F}s = torch.randn(3, 10)\nw = F.softmax(s, 0)\nv = torch.randn(10, 16, 3)\nout = torch.bmm(v, w.unsqueeze(-1).transpose(1, 0))\n`), []);
    // Normalised across the batch of matrices, on the left.
    assert.deepEqual(await codes(`${F}w = torch.softmax(torch.randn(8, 5, 7), dim=0)\nout = w @ torch.randn(8, 7, 4)\n`), ['SL153']);
    assert.deepEqual(await codes(`${F}w = F.softmax(torch.randn(4, 1, 9), dim=0).squeeze(1)\nout = torch.bmm(w.unsqueeze(1), torch.randn(4, 9, 8))\n`), ['SL153']);
    // Moved back onto the summed axis.
    assert.deepEqual(await codes(`${F}w = F.softmax(torch.randn(4, 1, 9), dim=2).squeeze(1)\nout = torch.bmm(w.unsqueeze(1), torch.randn(4, 9, 8))\n`), []);
    assert.deepEqual(await codes(`${F}w = F.softmax(torch.randn(2, 6, 6), dim=-1)\nout = torch.bmm(torch.randn(2, 4, 6), w.permute(0, 2, 1))\n`), []);
  });

  it('leaves right-hand weights normalised over their columns alone: a transition matrix read row by row', async () => {
    assert.deepEqual(await codes(`${F}alpha = F.softmax(torch.randn(4, 6), dim=-1)\ntrans = F.softmax(torch.randn(6, 6), dim=-1)\nnxt = alpha @ trans\n`), []);
    assert.deepEqual(await codes(`${F}out = torch.bmm(torch.randn(5, 4, 6), F.softmax(torch.randn(5, 6, 6), dim=2))\n`), []);
  });
});
