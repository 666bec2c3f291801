// How shapes flow through layers and tensor operations.
import { strict as assert } from 'node:assert';
import { analyzer, run, shapeOf } from './helpers';

describe('shape inference', () => {
  it('infers a batch-first GRU output (5, 7, 20) and h_n (1, 5, 20) from (5, 7, 10)', async () => {
    const src = 'gru = nn.GRU(input_size=10, hidden_size=20, batch_first=True)\nout, h_n = gru(torch.randn(5, 7, 10))\n';
    assert.equal(await shapeOf(src, 'out'), '(5, 7, 20)');
    assert.equal(await shapeOf(src, 'h_n'), '(1, 5, 20)');
  });

  it('infers a sequence-first bidirectional two-layer LSTM with (h_n, c_n)', async () => {
    const src = 'lstm = nn.LSTM(8, 16, num_layers=2, bidirectional=True)\nout, (h, c) = lstm(torch.randn(12, 4, 8))\n';
    assert.equal(await shapeOf(src, 'out'), '(12, 4, 32)');
    assert.equal(await shapeOf(src, 'h'), '(4, 4, 16)');
    assert.equal(await shapeOf(src, 'c'), '(4, 4, 16)');
  });

  it('projects h_n to proj_size but keeps c_n at hidden_size', async () => {
    const src = 'lstm = nn.LSTM(8, 64, proj_size=16, batch_first=True)\nout, (h, c) = lstm(torch.randn(2, 5, 8))\n';
    assert.equal(await shapeOf(src, 'out'), '(2, 5, 16)');
    assert.equal(await shapeOf(src, 'h'), '(1, 2, 16)');
    assert.equal(await shapeOf(src, 'c'), '(1, 2, 64)');
  });

  it('follows Embedding, indexing of the last step and Linear', async () => {
    const src = 'emb = nn.Embedding(1000, 64)\nrnn = nn.RNN(64, 32, batch_first=True)\nfc = nn.Linear(32, 3)\nx = torch.randint(0, 1000, (8, 20))\ne = emb(x)\nout, h = rnn(e)\nlogits = fc(out[:, -1, :])\n';
    assert.equal(await shapeOf(src, 'e'), '(8, 20, 64)');
    assert.equal(await shapeOf(src, 'logits'), '(8, 3)');
  });

  it('resolves view with -1, permute, transpose, unsqueeze, squeeze and flatten', async () => {
    const src = 'x = torch.randn(4, 6, 10)\na = x.view(-1, 10)\nb = x.permute(1, 0, 2)\nc = x.transpose(1, 2)\nd = x.unsqueeze(0)\ne = d.squeeze(0)\nf = x.flatten(1)\ng = x.reshape(4, -1)\n';
    assert.equal(await shapeOf(src, 'a'), '(24, 10)');
    assert.equal(await shapeOf(src, 'b'), '(6, 4, 10)');
    assert.equal(await shapeOf(src, 'c'), '(4, 10, 6)');
    assert.equal(await shapeOf(src, 'd'), '(1, 4, 6, 10)');
    assert.equal(await shapeOf(src, 'e'), '(4, 6, 10)');
    assert.equal(await shapeOf(src, 'f'), '(4, 60)');
    assert.equal(await shapeOf(src, 'g'), '(4, 60)');
  });

  it('reads arguments, operands and tuples continued with a backslash as if on one line', async () => {
    const src = 'x = torch.randn(4, 6, 10)\na = x.view(4, \\\n          -1)\nb = torch.cat((x, \\\n    x), dim=2)\nn = 3 + \\\n    2\nc = x[:, :n]\n';
    assert.equal(await shapeOf(src, 'a'), '(4, 60)');
    assert.equal(await shapeOf(src, 'b'), '(4, 6, 20)');
    assert.equal(await shapeOf(src, 'c'), '(4, 5, 10)');
  });

  it('resolves cat, stack and reductions over a dim', async () => {
    const src = 'h = torch.randn(2, 3, 16)\na = torch.cat((h[-2], h[-1]), dim=1)\nb = torch.stack([h[0], h[1]], dim=0)\nc = h.mean(dim=1)\nd, idx = h.max(dim=2)\ne = h.sum(1, keepdim=True)\n';
    assert.equal(await shapeOf(src, 'a'), '(3, 32)');
    assert.equal(await shapeOf(src, 'b'), '(2, 3, 16)');
    assert.equal(await shapeOf(src, 'c'), '(2, 16)');
    assert.equal(await shapeOf(src, 'd'), '(2, 3)');
    assert.equal(await shapeOf(src, 'e'), '(2, 1, 16)');
  });

  it('keeps a symbolic batch through a model whose input is only known inside forward', async () => {
    const src = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(100, 12)\n        self.gru = nn.GRU(12, 7, batch_first=True)\n    def forward(self, x):\n        e = self.emb(x)\n        out, h = self.gru(e)\n        return out\n';
    assert.equal(await shapeOf(src, 'e'), '(…, 12)');
    assert.equal(await shapeOf(src, 'out'), '(B, T, 7)');
  });

  it('pads sequences and unpacks a packed RNN output back to a tensor', async () => {
    const src = 'from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence\nimport torch\nimport torch.nn as nn\nseqs = [torch.randn(5, 3), torch.randn(2, 3)]\npadded = pad_sequence(seqs, batch_first=True)\nlstm = nn.LSTM(3, 4, batch_first=True)\npacked = pack_padded_sequence(padded, torch.tensor([5, 2]), batch_first=True)\nout, (h, c) = lstm(packed)\nunpacked, lengths = pad_packed_sequence(out, batch_first=True)\n';
    assert.equal(await shapeOf(src, 'padded'), '(2, 5, 3)');
    assert.equal(await shapeOf(src, 'unpacked'), '(2, 5, 4)');
    assert.equal(await shapeOf(src, 'h'), '(1, 2, 4)');
  });

  it('applies nn.Sequential layers in order', async () => {
    const src = 'head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 4))\ny = head(torch.randn(8, 32))\n';
    assert.equal(await shapeOf(src, 'y'), '(8, 4)');
  });
});

describe('hover data', () => {
  it('describes a layer constructor with its arguments and the shapes of its calls in this file', async () => {
    const { layers } = await run('gru = nn.GRU(input_size=10, hidden_size=20, batch_first=True)\nout, h_n = gru(torch.randn(5, 7, 10))\n');
    assert.equal(layers.length, 1);
    const md = layers[0].markdown;
    assert.match(md, /input \(batch, seq, 10\) → output \(batch, seq, 20\), h_n \(1, batch, 20\)/);
    assert.match(md, /\| `input_size` \| 10 \| features per time step/);
    assert.match(md, /`gru\(torch\.randn\(5, 7, 10\)\)` \(line 4\): \(5, 7, 10\) → output \(5, 7, 20\), h_n \(1, 5, 20\)/);
  });

  it("lists a layer's first three different calls in call order, a repeated call once and a call without shapes not at all", async () => {
    const inputs = ['torch.randn(2, 8)', 'torch.randn(2, 8)', 'mystery()', 'torch.randn(3, 8)', 'torch.randn(4, 8)', 'torch.randn(5, 8)'];
    const { layers } = await run(`fc = nn.Linear(8, 4)\ndef f(x):\n    return fc(x)\n${inputs.map((x) => `y = f(${x})\n`).join('')}`);
    assert.deepEqual(layers[0].markdown.split('**In this file**\n')[1].split('\n'), [
      '- `fc(x)` (line 5): (2, 8) → (2, 4)',
      '- `fc(x)` (line 5): (3, 8) → (3, 4)',
      '- `fc(x)` (line 5): (4, 8) → (4, 4)',
    ]);
  });

  it("keeps a layer's first different calls when more calls come than it waits to build", async () => {
    const inputs = [...Array.from({ length: 40 }, () => 'torch.randn(2, 8)'), 'torch.randn(6, 8)', 'torch.randn(7, 8)', 'torch.randn(9, 8)'];
    const { layers } = await run(`fc = nn.Linear(8, 4)\ndef f(x):\n    return fc(x)\n${inputs.map((x) => `y = f(${x})\n`).join('')}`);
    assert.deepEqual(layers[0].markdown.split('**In this file**\n')[1].split('\n'), [
      '- `fc(x)` (line 5): (2, 8) → (2, 4)',
      '- `fc(x)` (line 5): (6, 8) → (6, 4)',
      '- `fc(x)` (line 5): (7, 8) → (7, 4)',
    ]);
  });

  it("gives a layer call's line where the call is after lines are inserted above it", async () => {
    const source = 'import torch\nimport torch.nn as nn\nfc = nn.Linear(8, 4)\n\ndef f():\n    return fc(torch.randn(2, 8))\n\ny = f()\n';
    const doc = (await analyzer()).open(source, 'snippet.py');
    try {
      const result = doc.update([{ rangeOffset: 0, rangeLength: 0, text: '\n\n' }], `\n\n${source}`);
      const fc = result.layers.find((l) => l.kind === 'Linear')!;
      assert.match(fc.markdown, /`fc\(torch\.randn\(2, 8\)\)` \(line 8\): \(2, 8\) → \(2, 4\)/);
    } finally {
      doc.dispose();
    }
  });

  it('explains where each dimension of a tensor came from', async () => {
    const { tensors } = await run('emb = nn.Embedding(100, 16)\nx = torch.randint(0, 100, (4, 9))\ne = emb(x)\n');
    const e = tensors.find((t) => t.name === 'e')!;
    assert.equal(e.shape, '(4, 9, 16)');
    assert.match(e.markdown, /dim 2: \*\*16\*\* \(features\) — from `embedding_dim=16, line 3`/);
    assert.match(e.markdown, /dim 0: \*\*4\*\* — from `torch\.randint\(0, 100, \(4, 9\)\), line 4`/);
  });
});
