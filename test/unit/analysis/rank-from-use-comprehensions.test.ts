// Ranks proven by use inside list comprehensions over containers of layers (the text CNN's
// `[F.relu(conv(x)).squeeze(3) for conv in self.convs]`) and through nn.LSTMCell's (h, c): an element proves
// anything only once it ran, that is when the container surely holds an item or when a later torch.cat / torch.stack
// of the list (which PyTorch 1.13 refuses on an empty list: "torch.cat(): expected a non-empty list of Tensors",
// "stack expects a non-empty TensorList") runs on every normal run of the body.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

/** A text CNN over kernel sizes nobody in the file gives (`ks` may be empty), its forward uncalled; `body` is its end. */
const TEXT_CNN = (convs: string, body: string): string =>
  `import torch
import torch.nn as nn
import torch.nn.functional as F
class TextCNN(nn.Module):
    def __init__(self, ks):
        super().__init__()
        self.embed = nn.Embedding(100, 8)
        self.convs = ${convs}
        self.fc = nn.Linear(12, 2)
    def forward(self, x):
        e = self.embed(x)
        e = e.unsqueeze(1)
        h = [F.relu(conv(e)).squeeze(3) for conv in self.convs]
${body
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
`;

/** How many axes a shape label has, or undefined when its rank is unknown. */
function rankOf(shape: string | undefined): number | undefined {
  if (shape === undefined || shape.startsWith('(…')) return undefined;
  return shape.replace(/^\(|\)$/g, '').split(',').filter((s) => s.trim()).length;
}

const OVER_KS = 'nn.ModuleList([nn.Conv2d(1, 4, (k, 8)) for k in ks])';

describe('ranks proven by use in comprehensions over layers', () => {
  it('proves token ids 2-D when the list the convolutions built is joined by torch.cat (a Conv2d takes 3 or 4 axes; squeeze(3) needs 4)', async () => {
    const source = TEXT_CNN(OVER_KS, 'p = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in h]\nz = torch.cat(p, 1)\nreturn self.fc(z)');
    assert.equal(await shapeOf(source, 'e'), '(x.size(0), 1, x.size(1), 8)');
  });

  it('also through torch.stack of the list itself', async () => {
    const source = TEXT_CNN(OVER_KS, 'z = torch.stack(h, 1)\nreturn z');
    assert.equal(rankOf(await shapeOf(source, 'e')), 4);
  });

  it('also when the comprehension is written inside the join, or joined through a comprehension over it', async () => {
    const inline = TEXT_CNN(OVER_KS, 'z = torch.cat([F.relu(conv(e)).squeeze(3).mean(2) for conv in self.convs], 1)\nreturn z').replace('        h = [F.relu(conv(e)).squeeze(3) for conv in self.convs]\n', '');
    assert.equal(rankOf(await shapeOf(inline, 'e')), 4);
    const through = TEXT_CNN(OVER_KS, 'z = torch.cat([i.mean(2) for i in h], 1)\nreturn z');
    assert.equal(rankOf(await shapeOf(through, 'e')), 4);
    const unjoined = TEXT_CNN(OVER_KS, 'z = sum([i.mean(2) for i in h])\nreturn z');
    assert.equal(rankOf(await shapeOf(unjoined, 'e')), undefined);
  });

  it('follows a layer the comprehension passes to a helper method (self.conv_and_pool(out, conv)), the ids read from a tuple', async () => {
    const source = `import torch
import torch.nn as nn
import torch.nn.functional as F
class TextCNN(nn.Module):
    def __init__(self, ks):
        super().__init__()
        self.embedding = nn.Embedding(100, 8)
        self.convs = nn.ModuleList([nn.Conv2d(1, 4, (k, 8)) for k in ks])
    def conv_and_pool(self, x, conv):
        x = F.relu(conv(x)).squeeze(3)
        x = F.max_pool1d(x, x.size(2)).squeeze(2)
        return x
    def forward(self, x):
        emb = self.embedding(x[0])
        out = emb.unsqueeze(1)
        out = torch.cat([self.conv_and_pool(out, conv) for conv in self.convs], 1)
        return out
`;
    assert.equal(rankOf(await shapeOf(source, 'emb')), 3);
    // The helper's own use of a name it rebinds proves nothing for the layer it was given.
    const rebound = source.replace('x = F.relu(conv(x)).squeeze(3)', 'conv = self.embedding\n        x = F.relu(conv(x)).squeeze(3)');
    assert.equal(rankOf(await shapeOf(rebound, 'emb')), undefined);
  });

  it('proves nothing when the list is never joined: with no kernel sizes the element never runs', async () => {
    const source = TEXT_CNN(OVER_KS, 'return h');
    assert.equal(rankOf(await shapeOf(source, 'e')), undefined);
  });

  it('proves nothing when the list may have grown before the join (an append can make an empty list non-empty)', async () => {
    const source = TEXT_CNN(OVER_KS, 'h.append(e.mean(3))\nz = torch.cat(h, 1)\nreturn z');
    assert.equal(rankOf(await shapeOf(source, 'e')), undefined);
  });

  it('proves nothing when code not read before the join may have grown the list (a loop, a slice assignment, a lambda, a try)', async () => {
    for (const between of ['for k in range(2):\n    h.append(e.mean(3))', 'h[:] = [e.mean(3)]', 'grow = lambda: h.append(e.mean(3))\ngrow()', 'try:\n    h.append(e.mean(3))\nexcept ValueError:\n    pass', 'h.append(*[e.mean(3)])']) {
      const source = TEXT_CNN(OVER_KS, `${between}\nz = torch.cat(h, 1)\nreturn z`);
      assert.equal(rankOf(await shapeOf(source, 'e')), undefined, between);
    }
  });

  it('proves nothing when the join runs only on some paths', async () => {
    const source = TEXT_CNN(OVER_KS, 'if x.is_cuda:\n    return h\nz = torch.cat(h, 1)\nreturn z');
    assert.equal(rankOf(await shapeOf(source, 'e')), undefined);
  });

  it('proves the rank without a join when the container surely holds convolutions', async () => {
    const source = TEXT_CNN('nn.ModuleList([nn.Conv2d(1, 4, (3, 8)), nn.Conv2d(1, 4, (5, 8))])', 'return h');
    assert.equal(rankOf(await shapeOf(source, 'e')), 4);
  });

  it('proves nothing over layers of different kinds or a comprehension with a condition', async () => {
    const mixed = TEXT_CNN('nn.ModuleList([nn.Conv2d(1, 4, (3, 8)), nn.Linear(8, 8)])', 'z = torch.cat(h, 1)\nreturn z');
    assert.equal(rankOf(await shapeOf(mixed, 'e')), undefined);
    const filtered = TEXT_CNN(OVER_KS, 'g = [F.relu(conv(e)).squeeze(3) for conv in self.convs if conv.kernel_size[0] > 1]\nz = torch.cat(g, 1)\nreturn z').replace('        h = [F.relu(conv(e)).squeeze(3) for conv in self.convs]\n', '');
    assert.equal(rankOf(await shapeOf(filtered, 'e')), undefined);
  });
});

describe('ranks proven by use through nn.LSTMCell', () => {
  const CELL = (forward: string): string =>
    `import torch\nimport torch.nn as nn\nclass Step(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.cell = nn.LSTMCell(8, 16)\n    def forward(self, x, state):\n${forward
      .split('\n')
      .map((l) => `        ${l}`)
      .join('\n')}\n`;

  it('h and c follow the input\'s rank (1 or 2 axes): h indexed [:, 0] makes the input 2-D', async () => {
    const source = CELL('z = x.float()\nh, c = self.cell(x, state)\nfirst = h[:, 0]\nreturn first, c');
    assert.equal(rankOf(await shapeOf(source, 'z')), 2);
  });

  it('the cell state read as [1] proves the same', async () => {
    const source = CELL('z = x.float()\nc = self.cell(x, state)[1]\nw = c.t()\nq = c[:, 1:]\nreturn w, q');
    assert.equal(rankOf(await shapeOf(source, 'z')), 2);
  });

  it('one axis read proves nothing: an unbatched 1-D input runs too', async () => {
    const source = CELL('z = x.float()\nh, c = self.cell(x, state)\nn = h.size(0)\nreturn n');
    assert.equal(rankOf(await shapeOf(source, 'z')), undefined);
  });
});
