// Where numbers come from: imports, constants, arithmetic, configs, defaults and instantiation sites.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const GRU_SEED = 'gru = nn.GRU(input_size=50, hidden_size=100)\nx = torch.randn(32, 10, 100)\nout, h = gru(x)\n';

describe('values and imports', () => {
  it('catches the seed example with a message naming both sides and their lines', async () => {
    const { findings } = await run(GRU_SEED);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.code, 'SL101');
    assert.equal(f.severity, 'error');
    assert.equal(f.range.start.line, 4);
    assert.equal(f.message, 'GRU expects input_size=50 (line 3) but receives 100 features per step (torch.randn(32, 10, 100), line 4)');
    assert.deepEqual(f.related.map((r) => r.range.start.line), [2, 3]);
  });

  for (const [style, header, ctor] of [
    ['import torch.nn as nn', 'import torch\nimport torch.nn as nn\n', 'nn.GRU'],
    ['from torch import nn', 'import torch\nfrom torch import nn\n', 'nn.GRU'],
    ['from torch.nn import GRU', 'import torch\nfrom torch.nn import GRU, LSTM\n', 'GRU'],
    ['import torch', 'import torch\n', 'torch.nn.GRU'],
    ['from torch.nn.modules.rnn import GRU', 'import torch\nfrom torch.nn.modules.rnn import GRU\n', 'GRU'],
    ['from torch.nn.modules import GRU', 'import torch\nfrom torch.nn.modules import GRU\n', 'GRU'],
    ['import torch.nn.modules as M', 'import torch\nimport torch.nn.modules as M\n', 'M.GRU'],
  ] as const) {
    it(`resolves layers imported with ${style}`, async () => {
      assert.deepEqual(await codes(`${header}g = ${ctor}(50, 100)\nout, h = g(torch.randn(32, 10, 100))\n`), ['SL101']);
    });
  }

  it('takes a class derived from torch.nn.modules.Module for an nn.Module: its forward is counted in the coverage', async () => {
    const body = 'import torch\nfrom torch.nn.modules import Module\nclass Net(Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(4, 3)\n    def forward(self, x):\n        y = self.fc(x)\n        return y\nnet = Net()\nout = net(torch.randn(2, 4))\n';
    const { coverage } = (await run(body)) as unknown as { coverage: { names: number; fullyKnown: number } };
    assert.equal(coverage.names, 1);
    assert.equal(coverage.fullyKnown, 1);
  });

  it('does not mistake an unrelated GRU class for torch.nn.GRU', async () => {
    assert.deepEqual(await codes('import torch\nfrom mylib import GRU\ng = GRU(50, 100)\nout, h = g(torch.randn(32, 10, 100))\n'), []);
  });

  it('reads module constants, arithmetic and len() of literal lists', async () => {
    const src = 'VOCAB = ["a", "b", "c"]\nEMB = 16\nHID = EMB * 2\nemb = nn.Embedding(len(VOCAB) + 1, EMB)\nrnn = nn.GRU(HID, 8)\nout, h = rnn(emb(torch.tensor([[1, 2, 3]])))\n';
    const { findings } = await run(src);
    assert.deepEqual(findings.map((f) => f.code), ['SL101']);
    assert.match(findings[0].message, /input_size=32 .* receives 16 features per step \(embedding_dim=16/);
  });

  it('reads a bool in arithmetic as the int Python makes of it', async () => {
    const src = 'BIDIRECTIONAL = True\nh = torch.randn(4, 3, 8)\nv = h.view(2, BIDIRECTIONAL + 1, 3, 8)\n';
    assert.equal(await shapeOf(src, 'v'), '(2, 2, 3, 8)');
  });

  it('gives list.index an int not known, not None', async () => {
    const src = 'TOKENS = ["<pad>", "<unk>"]\nPAD = TOKENS.index("<pad>")\nids = torch.randint(0, 9, (4, 7))\nmask = ids.eq(PAD)\n';
    assert.equal(await shapeOf(src, 'mask'), '(4, 7)');
  });

  it('reads literal dict configs and dataclass-style defaults', async () => {
    const src = 'cfg = {"embed": 64, "hidden": 128}\nclass Config:\n    hidden = 256\nc = Config()\nrnn = nn.LSTM(cfg["embed"], c.hidden, batch_first=True)\nfc = nn.Linear(cfg["hidden"], 2)\nout, (h, _) = rnn(torch.randn(4, 9, 64))\ny = fc(out[:, -1, :])\n';
    const { findings } = await run(src);
    assert.deepEqual(findings.map((f) => f.code), ['SL106']);
    assert.match(findings[0].message, /in_features=128 .* receives 256 features/);
  });

  it('feeds an instantiation site into the constructor and checks forward with the call site\'s tensor', async () => {
    const src = [
      'class Model(nn.Module):',
      '    def __init__(self, vocab_size, embed_dim=32, hidden=64):',
      '        super().__init__()',
      '        self.emb = nn.Embedding(vocab_size, embed_dim)',
      '        self.rnn = nn.GRU(100, hidden, batch_first=True)',
      '    def forward(self, x):',
      '        out, h = self.rnn(self.emb(x))',
      '        return out',
      'model = Model(vocab_size=5000, embed_dim=128)',
      'y = model(torch.randint(0, 5000, (2, 7)))',
    ].join('\n');
    const { findings } = await run(src);
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL101@9']);
    assert.match(findings[0].message, /receives 128 features per step \(embedding_dim=128/);
  });

  it('stays silent when a size is only known at run time', async () => {
    const src = 'import sys\nimport torch\nimport torch.nn as nn\nn_in = int(sys.argv[1])\nrnn = nn.GRU(n_in, 8)\nout, h = rnn(torch.randn(3, 2, 5))\nh0 = torch.zeros(1, x.size(0), 8)\n';
    assert.deepEqual(await codes(src), []);
  });

  it('follows a value through if/else only where both branches agree', async () => {
    const agree = 'if flag:\n    n = 10\nelse:\n    n = 10\nrnn = nn.GRU(n, 4)\nout, h = rnn(torch.randn(3, 2, 12))\n';
    const differ = 'if flag:\n    n = 10\nelse:\n    n = 12\nrnn = nn.GRU(n, 4)\nout, h = rnn(torch.randn(3, 2, 12))\n';
    assert.deepEqual(await codes(agree), ['SL101']);
    assert.deepEqual(await codes(differ), []);
  });

  it('follows a Dataset through DataLoader batches into forward', async () => {
    const src = [
      'from torch.utils.data import DataLoader, Dataset',
      'import torch',
      'import torch.nn as nn',
      'class Ds(Dataset):',
      '    def __getitem__(self, i):',
      '        return torch.randn(6), torch.tensor(1)',
      'emb = nn.Embedding(10, 4)',
      'for x, y in DataLoader(Ds(), batch_size=2):',
      '    e = emb(x)',
    ].join('\n');
    const { findings, tensors } = await run(src);
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL110@9']);
    assert.equal(tensors.find((t) => t.name === 'y')?.shape, '(B,)');
  });

  it('follows a TensorDataset of numpy features through DataLoader batches into forward', async () => {
    const src = [
      'import numpy as np',
      'import torch',
      'import torch.nn as nn',
      'from torch.utils.data import TensorDataset, DataLoader',
      'features = np.zeros((len(reviews), 200), dtype=int)',
      'data = TensorDataset(torch.from_numpy(features), torch.from_numpy(np.array(labels)))',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.emb = nn.Embedding(1000, 16)',
      '        self.lstm = nn.LSTM(32, 8, batch_first=True)',
      '    def forward(self, x):',
      '        e = self.emb(x.long())',
      '        out, _ = self.lstm(e)',
      '        return out',
      'net = Net()',
      'for inputs, labels in DataLoader(data, batch_size=50, shuffle=True):',
      '    out = net(inputs)',
    ].join('\n');
    const { findings, tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'inputs')?.shape, '(B, 200)');
    assert.equal(tensors.find((t) => t.name === 'e')?.shape, '(B, 200, 16)');
    assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL101@14']);
    // The labels' rank is not known, so their batch is not either.
    assert.equal(tensors.find((t) => t.name === 'labels')?.shape ?? '(…)', '(…)');
  });

  it('runs a collate_fn defined in the file on a list of samples', async () => {
    const src = [
      'import torch',
      'from torch.utils.data import TensorDataset, DataLoader',
      'from torch.nn.utils.rnn import pad_sequence',
      'ds = TensorDataset(torch.randint(0, 9, (30, 7)), torch.randn(30, 3))',
      'def collate(items):',
      '    xs = torch.stack([it[0] for it in items])',
      '    return xs, pad_sequence([it[1] for it in items], batch_first=True)',
      'for x, y in DataLoader(ds, batch_size=4, collate_fn=collate):',
      '    pass',
    ].join('\n');
    const { tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'x' && t.range.start.line === 7)?.shape, '(?, 7)');
    assert.equal(tensors.find((t) => t.name === 'y' && t.range.start.line === 7)?.shape, '(B, T)');
  });

  it('gives a collate_fn a list of one sample when batch_size=1 is written, and of unknown length otherwise', async () => {
    const body = (batchSize: number) => [
      'import numpy as np',
      'import torch',
      'from torch.utils.data import DataLoader, Dataset',
      'class Clips(Dataset):',
      '    def __len__(self):',
      '        return 6',
      '    def __getitem__(self, i):',
      '        return {"x": torch.randn(5, 3), "y": i}',
      'def collate(batch):',
      '    xs = []',
      '    for sample in batch:',
      '        xs.append(sample["x"])',
      '    return xs',
      `for xs in DataLoader(Clips(), batch_size=${batchSize}, collate_fn=collate):`,
      '    feats = torch.from_numpy(np.asarray([t.numpy().T for t in xs]))',
      '    w = torch.softmax(feats.squeeze(), 1)',
    ].join('\n');
    // One clip per batch: (1, 3, 5), and squeeze() leaves a 2-D (3, 5), so softmax over dim 1 is fine.
    const one = await run(body(1));
    assert.equal(one.tensors.find((t) => t.name === 'feats')?.shape, '(1, 3, 5)');
    assert.deepEqual(one.findings.map((f) => f.code), []);
    // Two or three clips a batch (6 = 2 * 3): the list's length is not 1, and is not guessed.
    const two = await run(body(2));
    assert.equal(two.tensors.find((t) => t.name === 'feats')?.shape, '(?, 3, 5)');
    assert.deepEqual(two.findings.map((f) => f.code), []);
  });

  it('runs a collate_fn on samples it cannot see, and leaves batches unknown when keyword arguments are hidden', async () => {
    const src = [
      'import torch',
      'from torch.utils.data import DataLoader, TensorDataset',
      'from torch.nn.utils.rnn import pad_sequence',
      'from torchtext.datasets import Multi30k',
      'def collate(batch):',
      '    xs = [torch.cat((torch.tensor([2]), torch.tensor(s))) for s, t in batch]',
      '    return pad_sequence(xs, padding_value=1)',
      'for x in DataLoader(Multi30k(split="train"), batch_size=4, collate_fn=collate):',
      '    pass',
      'ds = TensorDataset(torch.randn(30, 7))',
      'for (y,) in DataLoader(ds, batch_size=4):',
      '    pass',
      'for (z,) in DataLoader(ds, **opts):',
      '    pass',
    ].join('\n');
    const { tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'x' && t.range.start.line === 7)?.shape, '(T, B)');
    assert.equal(tensors.find((t) => t.name === 'y')?.shape, '(B, 7)');
    assert.equal(tensors.find((t) => t.name === 'z')?.shape ?? '(…)', '(…)');
  });

  it('runs the __call__ of an object given as collate_fn, and reads a legacy constructor with a tensor size', async () => {
    const src = [
      'import torch',
      'from torch.utils.data import Dataset, DataLoader',
      'class Words(Dataset):',
      '    def __init__(self, rows):',
      '        self.rows = rows',
      '    def __getitem__(self, i):',
      '        return torch.LongTensor(self.rows[i]), torch.randn(80, 5)',
      '    def __len__(self):',
      '        return len(self.rows)',
      'class PadCollate:',
      '    def __init__(self, pad):',
      '        self.pad = pad',
      '    def __call__(self, batch):',
      '        lengths, order = torch.sort(torch.LongTensor([len(x[0]) for x in batch]), dim=0, descending=True)',
      '        ids = torch.LongTensor(len(batch), lengths[0])',
      '        ids.fill_(self.pad)',
      '        feats = torch.FloatTensor(len(batch), 80, max([x[1].size(1) for x in batch]))',
      '        return ids, lengths, feats',
      'for ids, lengths, feats in DataLoader(Words(load()), batch_size=8, collate_fn=PadCollate(0)):',
      '    pass',
      'class NoCall:',
      '    pass',
      'for other in DataLoader(Words(load()), batch_size=8, collate_fn=NoCall()):',
      '    pass',
    ].join('\n');
    const { tensors } = await run(src);
    const at = (name: string) => tensors.find((t) => t.name === name && t.range.start.line === 18)?.shape;
    // lengths[0] is a 0-d integer tensor: PyTorch reads it as a size, whose value is not known here.
    assert.equal(at('ids'), '(?, ?)');
    assert.equal(at('lengths'), '(?,)');
    assert.equal(at('feats'), '(?, 80, ?)');
    assert.equal(tensors.find((t) => t.name === 'other'), undefined);
  });

  it('collates the samples a batch_sampler picks as any batch', async () => {
    const src = [
      'import torch',
      'from torch.utils.data import TensorDataset, DataLoader, BatchSampler, RandomSampler',
      'ds = TensorDataset(torch.randint(0, 9, (30, 7)), torch.randn(30, 3))',
      'sampler = BatchSampler(RandomSampler(ds), batch_size=4, drop_last=False)',
      'for x, y in DataLoader(ds, batch_sampler=sampler):',
      '    pass',
    ].join('\n');
    const { tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'x')?.shape, '(B, 7)');
    assert.equal(tensors.find((t) => t.name === 'y')?.shape, '(B, 3)');
  });

  it('collates a dict sample key by key', async () => {
    const src = [
      'import numpy as np',
      'import torch',
      'from torch.utils.data import Dataset, DataLoader',
      'class Pairs(Dataset):',
      '    def __init__(self, lines, maxlen):',
      '        self.data = []',
      '        for line in lines:',
      "            self.data.append({'ids': np.zeros(maxlen, dtype='int64'), 'label': 1, 'text': line})",
      '    def __getitem__(self, i):',
      '        return self.data[i]',
      '    def __len__(self):',
      '        return len(self.data)',
      'for batch in DataLoader(Pairs(read(), 80), batch_size=16):',
      "    ids = batch['ids']",
      "    label = batch['label']",
      "    text = batch['text']",
    ].join('\n');
    const { tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'ids')?.shape, '(B, 80)');
    assert.equal(tensors.find((t) => t.name === 'label')?.shape, '(B,)');
    // default_collate gives a list of strings for strings: not a tensor.
    assert.equal(tensors.find((t) => t.name === 'text'), undefined);
  });

  it('leaves a DataLoader batch unknown when its collate_fn is not followed or batching is off with one', async () => {
    const src = [
      'import torch',
      'from torch.utils.data import TensorDataset, DataLoader',
      'from mylib import collate',
      'ds = TensorDataset(torch.randn(30, 7), torch.randn(30, 3))',
      'for x, y in DataLoader(ds, batch_size=4, collate_fn=collate):',
      '    pass',
      'for a, b in DataLoader(ds, batch_size=None):',
      '    pass',
    ].join('\n');
    const { tensors } = await run(src);
    assert.equal(tensors.find((t) => t.name === 'x'), undefined);
    assert.equal(tensors.find((t) => t.name === 'a')?.shape, '(7,)');
  });
});
