// Semantics that real reported bugs and real model files needed: size lists built from x.size(), star arguments,
// axes merged by a view, torch.unique, and what pad_sequence's padding value puts into the ids.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const torchPrelude = 'import torch\nimport torch.nn as nn\nfrom torch.nn.utils.rnn import pad_sequence\n';

describe('size lists and star arguments', () => {
  it('x.view(-1, *sizes) with sizes not known has no shape: the visible -1 alone is not the answer', async () => {
    const body = `${torchPrelude}x = torch.randn(16, 10, 12, 64)\ndef f(sizes):\n    return x.view(-1, *sizes)\ny = f(unknown_sizes)\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('x.view(-1, *x.shape[2:]) spreads the known trailing sizes', async () => {
    const body = `${torchPrelude}x = torch.randn(16, 10, 12, 64)\ny = x.view(-1, *x.shape[2:])\n`;
    assert.equal(await shapeOf(body, 'y'), '(160, 12, 64)');
  });

  it('[-1] + list(x.size())[-2:] is a size list a view reads', async () => {
    const body = `${torchPrelude}x = torch.randn(16, 10, 12, 64)\ns = list(x.size())\ny = x.view([-1] + s[-2:])\n`;
    assert.equal(await shapeOf(body, 'y'), '(160, 12, 64)');
  });

  it('a slice of a known list with a bound not known is a list of unknown length, not its items', async () => {
    const body = `${torchPrelude}x = torch.randn(16, 10, 12, 64)\ns = list(x.size())\ny = x.view(-1, *s[k:])\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
  });
});

describe('axes merged by a view keep the batch', () => {
  const encoder = 'layer = nn.TransformerEncoderLayer(d_model=64, nhead=8)\nenc = nn.TransformerEncoder(layer, num_layers=1)\n';

  it('(batch × seq, fields, hidden) rows into a sequence-first encoder attend across samples: SL130', async () => {
    const body = `${torchPrelude}${encoder}batch_size, seq_len = 16, 10\nx = torch.randn(batch_size, seq_len, 12, 64)\ny = enc(x.view(-1, 12, 64))\n`;
    assert.ok((await codes(body)).includes('SL130'));
  });

  it('the same rows moved to axis 1 draw nothing', async () => {
    const body = `${torchPrelude}${encoder}batch_size, seq_len = 16, 10\nx = torch.randn(batch_size, seq_len, 12, 64)\ny = enc(x.view(-1, 12, 64).permute(1, 0, 2))\n`;
    assert.deepEqual(await codes(body), []);
  });

  it('(batch, 1, features) into a sequence-first layer attends across the batch on purpose: no SL130', async () => {
    const body = `${torchPrelude}batch_size = 32\nlayer = nn.TransformerEncoderLayer(512, 4, 512, 0.5)\nx = torch.randn(batch_size, 512)\ny = layer(x.unsqueeze(1)).squeeze(1)\n`;
    assert.ok(!(await codes(body)).includes('SL130'));
  });

  it('a view that merges axes after the batch gives the merged axis no batch role', async () => {
    const body = `${torchPrelude}${encoder}seq_len = 10\nx = torch.randn(seq_len, 4, 3, 64)\ny = enc(x.view(seq_len, -1, 64))\n`;
    assert.deepEqual(await codes(body), []);
  });
});

describe('torch.unique and unique_consecutive', () => {
  it('give one axis of unknown length in the input dtype', async () => {
    const body = `${torchPrelude}x = torch.tensor([[3, 3, 7], [9, 9, 12]])\ny = torch.unique_consecutive(x)\n`;
    assert.equal(await shapeOf(body, 'y'), '(?,)');
  });

  it('return the inverse in the input shape and the counts along the unknown axis', async () => {
    const body = `${torchPrelude}x = torch.tensor([[3, 3, 7], [9, 9, 12]])\ny, inv, counts = x.unique(return_inverse=True, return_counts=True)\n`;
    assert.equal(await shapeOf(body, 'y'), '(?,)');
    assert.equal(await shapeOf(body, 'inv'), '(2, 3)');
    assert.equal(await shapeOf(body, 'counts'), '(?,)');
  });

  it('with dim keep the other axes', async () => {
    const body = `${torchPrelude}x = torch.tensor([[3, 3, 7], [9, 9, 12]])\ny, inv = torch.unique(x, dim=1, return_inverse=True)\n`;
    assert.equal(await shapeOf(body, 'y'), '(2, ?)');
    assert.equal(await shapeOf(body, 'inv'), '(3,)');
  });

  it('keep the ids: deduplicated ids past the table still draw SL108', async () => {
    const body = `${torchPrelude}ids = torch.tensor([3, 3, 7, 12])\nemb = nn.Embedding(10, 4)\nout = emb(torch.unique(ids))\n`;
    assert.ok((await codes(body)).includes('SL108'));
  });
});

describe('the padding value of pad_sequence reaches the ids', () => {
  const seqs = 'seqs = [torch.unique_consecutive(row) for row in torch.tensor([[3, 3, 7], [5, 6, 7]]).unbind(0)]\n';

  it('padding_value=-1 into an Embedding is a negative id: SL108', async () => {
    const body = `${torchPrelude}${seqs}emb = nn.Embedding(100, 4)\nout = emb(pad_sequence(seqs, batch_first=True, padding_value=-1))\n`;
    assert.ok((await codes(body)).includes('SL108'));
  });

  it('padding_value equal to the vocabulary size is past the table: SL108', async () => {
    const body = `${torchPrelude}VOCAB = 100\n${seqs}emb = nn.Embedding(VOCAB, 4)\nout = emb(pad_sequence(seqs, batch_first=True, padding_value=VOCAB))\n`;
    assert.ok((await codes(body)).includes('SL108'));
  });

  it('a padding value inside the table draws nothing', async () => {
    const body = `${torchPrelude}${seqs}emb = nn.Embedding(100, 4, padding_idx=99)\nout = emb(pad_sequence(seqs, batch_first=True, padding_value=99))\n`;
    assert.deepEqual(await codes(body), []);
  });

  it('-1 padding filled with a real id before the Embedding draws nothing', async () => {
    const body = `${torchPrelude}${seqs}emb = nn.Embedding(100, 4)\np = pad_sequence(seqs, batch_first=True, padding_value=-1)\nout = emb(p.masked_fill(p == -1, 0))\n`;
    assert.deepEqual(await codes(body), []);
  });

  it('sequences of one known length are not padded: -1 never appears', async () => {
    const body = `${torchPrelude}emb = nn.Embedding(100, 4)\np = pad_sequence([torch.tensor([1, 2]), torch.tensor([3, 4])], padding_value=-1)\nout = emb(p)\n`;
    assert.deepEqual(await codes(body), []);
  });
});

describe('a MultiheadAttention query and key laid out the other way', () => {
  const mha = 'attn = nn.MultiheadAttention(embed_dim=64, num_heads=4)\n';

  it('batch-first query and keys into a sequence-first layer: batches differ on axis 1, agree on axis 0: SL130, an error with the flag', async () => {
    const result = await run(`${torchPrelude}${mha}q = torch.randn(1, 1, 64)\nk = torch.randn(1, 23, 64)\nout, w = attn(q, k, k)\n`);
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL130', 'error', 7]]);
    assert.match(result.findings[0].message, /query \(1, 1, 64\) has 1 and key \(1, 23, 64\) has 23, so PyTorch raises when it splits the key into heads.*both agree on axis 0 \(1\), so the data is batch-first/);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.title), ['Set batch_first=True']);
  });

  it('a query and keys that differ on both axes hold different batches: SL141, not a layout', async () => {
    assert.deepEqual(await codes(`${torchPrelude}${mha}q = torch.randn(1, 1, 64)\nk = torch.randn(196, 4, 64)\nout, w = attn(q, k, k)\n`), ['SL141']);
    assert.deepEqual(await codes(`${torchPrelude}attn = nn.MultiheadAttention(64, 4, batch_first=True)\nq = torch.randn(1, 1, 64)\nk = torch.randn(1, 23, 64)\nout, w = attn(q, k, k)\n`), []);
  });
});

describe('a convolution reads axis 0 of a batched input as the batch', () => {
  const patches = (mha: string, tokens: string) =>
    `${torchPrelude}embed = nn.Conv2d(3, 64, kernel_size=4, stride=4)\nattn = ${mha}\nx = torch.rand(8, 3, 32, 32)\nt = ${tokens}\nout, _ = attn(t, t, t)\n`;

  it('(batch, patches, dim) tokens from a Conv2d feature map into a sequence-first MultiheadAttention: SL130', async () => {
    const result = await run(patches('nn.MultiheadAttention(64, 4)', 'embed(x).flatten(2).transpose(1, 2)'));
    assert.deepEqual(result.findings.map((f) => [f.code, f.range.start.line + 1]), [['SL130', 8]]);
  });

  it('the same tokens into a batch_first=True layer draw nothing', async () => {
    assert.deepEqual(await codes(patches('nn.MultiheadAttention(64, 4, batch_first=True)', 'embed(x).flatten(2).transpose(1, 2)')), []);
  });

  it('the tokens permuted to (patches, batch, dim) for the sequence-first layer draw nothing', async () => {
    assert.deepEqual(await codes(patches('nn.MultiheadAttention(64, 4)', 'embed(x).flatten(2).permute(2, 0, 1)')), []);
  });

  it('a Conv1d output (batch, channels, length) permuted to (batch, length, channels) into a sequence-first LSTM: SL102', async () => {
    const body = `${torchPrelude}conv = nn.Conv1d(40, 64, 3, padding=1)\nlstm = nn.LSTM(64, 128)\nx = torch.randn(16, 40, 100)\nout, _ = lstm(conv(x).permute(0, 2, 1))\n`;
    assert.ok((await codes(body)).includes('SL102'));
  });

  it('an unbatched (channels, length) input to a Conv1d gives no axis a batch role', async () => {
    const body = `${torchPrelude}conv = nn.Conv1d(40, 64, 3, padding=1)\nlstm = nn.LSTM(100, 128)\nx = torch.randn(40, 100)\nout, _ = lstm(conv(x).unsqueeze(1))\n`;
    assert.deepEqual(await codes(body), []);
  });
});

describe('len() of a tensor\'s shape', () => {
  it('len(x.shape) and len(x.size()) are the rank', async () => {
    assert.equal(await shapeOf(`${torchPrelude}x = torch.zeros(3, 4)\ny = torch.zeros(len(x.shape), len(x.size()))\n`, 'y'), '(2, 2)');
  });

  it('a branch under len(x.shape) > 1 is not run for a 1-D tensor: its squeeze(dim=1) draws nothing', async () => {
    const body = `${torchPrelude}lengths = torch.LongTensor([1])\nif len(lengths.shape) > 1:\n    lengths = lengths.squeeze(dim=1)\n`;
    assert.deepEqual(await codes(body), []);
  });
});

describe('the layout of a recurrent output is the layout its input axes had', () => {
  const grus = (second: string) =>
    `${torchPrelude}a = nn.GRU(32, 16, batch_first=True, bidirectional=True)\nb = nn.GRU(32, 16, ${second}bidirectional=True)\nx = torch.randn(4, 9, 32)\nh, _ = a(x)\n`;

  it('a batch-first GRU\'s output, through an element-wise function, into a sequence-first GRU: SL102 at the second call', async () => {
    const result = await run(`${grus('')}y, _ = b(torch.relu(h))\n`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL102@8']);
  });

  it('the same output straight into a sequence-first GRU: SL102', async () => {
    assert.deepEqual(await codes(`${grus('')}y, _ = b(h)\n`), ['SL102']);
  });

  it('into a batch-first GRU, or transposed into a sequence-first one, draws nothing', async () => {
    assert.deepEqual(await codes(`${grus('batch_first=True, ')}y, _ = b(h)\n`), []);
    assert.deepEqual(await codes(`${grus('')}y, _ = b(h.transpose(0, 1))\n`), []);
  });

  const misread = `${torchPrelude}batch_size, seq_len = 4, 9\nx = torch.randn(batch_size, seq_len, 32)\na = nn.GRU(32, 16)\nh, _ = a(x)\n`;

  it('a sequence-first GRU that read batch-first data the other way: its output still holds the samples on axis 0', async () => {
    // The call is reported; a batch-first GRU after it reads the axes as they are, a sequence-first one misreads them again.
    assert.deepEqual(await codes(`${misread}b = nn.GRU(16, 8, batch_first=True)\ny, _ = b(h)\n`), ['SL102']);
    const again = await run(`${misread}b = nn.GRU(16, 8)\ny, _ = b(h)\n`);
    assert.deepEqual(again.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL102@7', 'SL102@9']);
  });

  it('indexing that output at its last step per the misread layout repeats nothing: out[:, -1] of it is (batch, features)', async () => {
    assert.deepEqual(await codes(`${misread}last = h[:, -1, :]\n`), ['SL102']);
    assert.equal(await shapeOf(`${misread}last = h[:, -1, :]\n`, 'last'), '(4, 16)');
  });
});

describe('a str key on a tensor', () => {
  // forward reads its batch as a dict of tensors; a demo under __main__ passes one float tensor instead, which
  // PyTorch refuses at batch['ids'] (IndexError): the ids are not known, not a float tensor.
  const model =
    `${torchPrelude}class Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(10, 4)\n` +
    `    def forward(self, batch):\n        ids = batch['ids']\n        return self.emb(ids)\n\nmodel = Tagger()\n`;

  it('gives nothing known: the Embedding after it is not told of float ids', async () => {
    assert.deepEqual(await codes(`${model}y = model(torch.rand(3, 5))\n`), []);
    assert.equal(await shapeOf(`${torchPrelude}x = torch.rand(3, 5)\nids = x['ids']\n`, 'ids'), undefined);
  });

  it('keeps what a dict of tensors gives, and the float ids a real index takes', async () => {
    assert.deepEqual(await codes(`${model}y = model({'ids': torch.rand(3, 5)})\n`), ['SL110']);
    assert.deepEqual(await codes(`${model.replace("batch['ids']", 'batch[0]')}y = model(torch.rand(3, 5))\n`), ['SL110']);
  });
});

describe('a recurrent output read along its batch axis, the data layout not known', () => {
  const lstm = 'lstm = nn.LSTM(35, 64, batch_first=True)\n';

  it('offers the flag as well as the index: time-first windows into a batch_first layer read at out[-1]', async () => {
    const result = await run(`${torchPrelude}${lstm}x = torch.randn(3, 8, 35)\nout, _ = lstm(x)\nlast = out[-1, :, :]\n`);
    assert.deepEqual(result.findings.map((f) => [f.code, f.range.start.line + 1]), [['SL102', 7]]);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.title), ['Use out[:, -1, :]', 'Set batch_first=False (if the data is sequence-first)']);
    // The edit is on the layer's constructor (line 4), where batch_first=True is written.
    const edits = result.findings[0].fixes[1].edits;
    assert.deepEqual(edits.map((e) => e.range.start.line + 1), [4]);
    assert.match(edits[0].newText, /False/);
  });

  it('data known to be batch-first leaves only the index to fix', async () => {
    const result = await run(`${torchPrelude}${lstm}batch_size, seq_len = 8, 3\nx = torch.randn(batch_size, seq_len, 35)\nout, _ = lstm(x)\nlast = out[-1, :, :]\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL102']);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.title), ['Use out[:, -1, :]']);
  });
});

describe('a branch under a test of a rank the analysis does not know', () => {
  // A decoder step that embeds its memory when it is given ids (2-D) rather than features (3-D): the features the
  // analysis followed, of unknown rank, are the input the other branch is not for.
  const decoder = (test: string, forward = 'return self.step(self.fc(x).transpose(0, 1))'): string =>
    `${torchPrelude}class Dec(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(100, 16)\n        self.fc = nn.Linear(16, 16)\n    def step(self, feats):\n        if ${test}:\n            feats = self.emb(feats.transpose(0, 1))\n        return self.fc(feats)\n    def forward(self, x):\n        ${forward}\n`;

  it('does not take the dtype of features of unknown rank for that of the other kind of input (no SL110)', async () => {
    assert.deepEqual(await codes(decoder('feats.dim() != 3')), []);
    assert.deepEqual(await codes(decoder('feats.ndim == 2')), []);
    assert.deepEqual(await codes(decoder('len(feats.shape) == 2')), []);
  });

  it('still reports float features of known rank that the branch does take, and float ids without a rank test', async () => {
    assert.deepEqual(await codes(decoder('feats.dim() == 2', 'return self.step(torch.randn(4, 16))')), ['SL110']);
    assert.deepEqual(await codes(decoder('flag', 'return self.step(self.fc(x).transpose(0, 1))')), ['SL110']);
  });

  it('knows the dtype again past the statement where each branch left the name as it was, or left the statement', async () => {
    const after = (branch: string): string => `${torchPrelude}emb = nn.Embedding(100, 16)\nfc = nn.Linear(16, 16)\ndef f(x):\n    h = fc(x)\n    ${branch}\n    return emb(h)\n`;
    assert.deepEqual(await codes(after('if h.dim() == 2:\n        print(h)')), ['SL110']);
    assert.deepEqual(await codes(after('if h.dim() != 3:\n        raise ValueError(h.shape)')), ['SL110']);
  });
});
