// Values through control flow, generators, methods and call sites; ranks that a call alone tells.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

describe('value flow', () => {
  it('iterates a generator function as the values it yields', async () => {
    const body = 'def windows(n, dim):\n    for _ in range(n):\n        yield torch.randn(32, 60, dim)\n\nfor z in windows(2, 4):\n    w = z\n';
    assert.equal(await shapeOf(body, 'w'), '(32, 60, 4)');
  });

  it('gives a generator that yields different shapes no shape, and a plain call of it no value', async () => {
    const body = 'def gen():\n    yield torch.randn(2, 3)\n    yield torch.randn(4, 5, 6)\n\nfor z in gen():\n    w = z\n';
    assert.equal(await shapeOf(body, 'w'), undefined);
  });

  it('keeps the rank where two branches assign tensors of one rank, each size known only where both agree', async () => {
    const body = 'import random\nimport torch\nimport torch.nn as nn\nif random.random() > 0.5:\n    x = torch.randn(4, 10, 3)\nelse:\n    x = torch.randn(4, 12, 3)\ny = x\n';
    assert.equal(await shapeOf(body, 'y'), '(4, ?, 3)');
  });

  it('forgets the shape where branches disagree on the rank', async () => {
    const body = 'import random\nimport torch\nimport torch.nn as nn\nif random.random() > 0.5:\n    x = torch.randn(4, 3)\nelse:\n    x = torch.randn(4, 12, 3)\ny = x.view(-1)\n';
    assert.equal(await shapeOf(body, 'y'), '(?,)');
  });

  it('joins a function that returns different shapes on different paths', async () => {
    const body = 'import random\nimport torch\ndef pick(flag):\n    if flag:\n        return torch.zeros(2, 5)\n    return torch.zeros(3, 5)\n\ny = pick(random.random() > 0.5)\n';
    assert.equal(await shapeOf(body, 'y'), '(?, 5)');
  });

  it('widens id bounds over branches: either path may hold the larger ids', async () => {
    const body = 'import random\nimport torch\nimport torch.nn as nn\nemb = nn.Embedding(10, 4)\nif random.random() > 0.5:\n    ids = torch.randint(0, 5, (2, 3))\nelse:\n    ids = torch.randint(0, 20, (2, 3))\nout = emb(ids)\n';
    assert.ok((await codes(body)).includes('SL108'));
  });

  it('knows bmm and mm results are 3-D and 2-D even when an operand\'s rank is not', async () => {
    const body = 'class M(nn.Module):\n    def forward(self, q, k):\n        if self.training:\n            s = torch.bmm(q, k.transpose(1, 2))\n            t = q.mm(torch.randn(5, 7))\n            return s, t\n';
    assert.equal(await shapeOf(body, 's'), '(?, ?, ?)');
    assert.equal(await shapeOf(body, 't'), '(?, 7)');
  });

  it('knows the rank of permute, expand, view and new on values the analysis cannot otherwise follow', async () => {
    const body = 'import mystery\nimport torch\nimport torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n        h = mystery.encode(x)\n        a = h.permute(1, 0, 2)\n        b = h.view(h.size(0), -1)\n        c = h.new(3, 4).zero_()\n        d = h.expand(2, -1, 8)\n        return a, b, c, d\n';
    assert.equal(await shapeOf(body, 'a'), '(?, ?, ?)');
    assert.equal(await shapeOf(body, 'b'), '(?, ?)');
    assert.equal(await shapeOf(body, 'c'), '(3, 4)');
    assert.equal(await shapeOf(body, 'd'), '(2, ?, 8)');
  });

  it('permutes the known trailing sizes of an input whose rank only the permutation tells', async () => {
    const body = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 16)\n    def forward(self, x):\n        h = self.fc(x)\n        y = h.permute(2, 0, 1)\n        return y\n';
    assert.equal(await shapeOf(body, 'y'), '(16, x.size(0), x.size(1))');
  });

  it('gives max-over-time pooling with the kernel as the length one step', async () => {
    const body = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nx = torch.randn(4, 8, 10)\ny = F.max_pool1d(x, x.size(2)).squeeze(2)\nclass M(nn.Module):\n    def forward(self, h):\n        h = h.transpose(1, 2)\n        z = F.max_pool1d(torch.tanh(self.conv(h)), 3)\n        return z\n';
    assert.equal(await shapeOf(body, 'y'), '(4, 8)');
  });

  it('reads x.shape[k] and x.size()[k] as x.size(k): a size not known keeps its axis, so pooling over it leaves one step', async () => {
    // The convolved length (x.size(1) - 2) is not known; the convolution reads axis 0, x.size(0), as the batch: shown B.
    const body = (kernel: string) => `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv1d(8, 16, 3)\n    def forward(self, x):\n        h = self.conv(x.permute(0, 2, 1))\n        y = F.max_pool1d(h, ${kernel}).squeeze(2)\n        return y\n`;
    for (const kernel of ['h.size(2)', 'h.shape[2]', 'h.size()[2]', 'h.shape[-1]']) assert.equal(await shapeOf(body(kernel), 'y'), '(B, 16)', kernel);
    // Sizes sliced off the tensor's are not its own axes.
    assert.equal(await shapeOf(body('h.shape[1:][1]'), 'y'), undefined);
  });

  it('leaves one step where a convolution kernel spans the whole named axis (Kim-CNN over embeddings), so squeeze(3) keeps the rank', async () => {
    // embed_dim is a parameter nobody passes in this file: the embeddings' width and the kernel's are the same symbol.
    // The Conv2d reads axis 0, text.size(1), as the batch: shown B.
    const body = (kernel: string) => `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass CNN(nn.Module):\n    def __init__(self, vocab, embed_dim, n_filters, other):\n        super().__init__()\n        self.embedding = nn.Embedding(vocab, embed_dim)\n        self.convs = nn.ModuleList([nn.Conv2d(1, n_filters, ${kernel}) for k in (3, 4, 5)])\n    def forward(self, text):\n        e = self.embedding(text.permute(1, 0)).unsqueeze(1)\n        c = F.relu(self.convs[0](e))\n        y = c.squeeze(3)\n        return y\n`;
    assert.equal(await shapeOf(body('(k, embed_dim)'), 'c'), '(B, n_filters, ?, 1)');
    assert.equal(await shapeOf(body('(k, embed_dim)'), 'y'), '(B, n_filters, ?)');
    assert.equal(await shapeOf(body('kernel_size=(k, embed_dim), stride=(1, 2)'), 'y'), '(B, n_filters, ?)');
    // Another symbol, padding or dilation along that axis: its size is not known to be 1, so neither is the rank after squeeze.
    assert.equal(await shapeOf(body('(k, other)'), 'y'), undefined);
    assert.equal(await shapeOf(body('(k, embed_dim), padding=(0, 1)'), 'c'), '(B, n_filters, ?, ?)');
    assert.equal(await shapeOf(body('(k, embed_dim), dilation=(1, 2)'), 'c'), '(B, n_filters, ?, ?)');
  });

  it('keeps a named length through a stride-1 window padded by half its span, and nowhere else', async () => {
    const body = (layer: string) => `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass Block(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.n = n\n        self.m = ${layer}\n    def forward(self):\n        h = self.m(torch.randn(4, 8, self.n))\n        y = F.max_pool1d(h, self.n).squeeze(2)\n        return y\n`;
    for (const layer of ['nn.Conv1d(8, 16, 5, padding=2)', 'nn.Conv1d(8, 16, 3, padding=2, dilation=2)', "nn.Conv1d(8, 16, 4, padding='same')", 'nn.Conv1d(8, 16, 1)']) {
      assert.equal(await shapeOf(body(layer), 'h'), '(4, 16, n)', layer);
      assert.equal(await shapeOf(body(layer), 'y'), '(4, 16)', layer);
    }
    assert.equal(await shapeOf(body('nn.MaxPool1d(3, stride=1, padding=1)'), 'y'), '(4, 8)');
    // n + 2 − 2 = n only by padding 1 for a kernel of 3: padding 2 gives n + 2, stride 2 about n / 2, 'same' with stride 2 raises.
    for (const layer of ['nn.Conv1d(8, 16, 3, padding=2)', 'nn.Conv1d(8, 16, 3, stride=2, padding=1)', 'nn.MaxPool1d(3, padding=1)', 'nn.Conv1d(8, 16, 4, padding=1)']) {
      assert.equal(await shapeOf(body(layer), 'h'), layer.includes('Conv') ? '(4, 16, ?)' : '(4, 8, ?)', layer);
      assert.equal(await shapeOf(body(layer), 'y'), undefined, layer);
    }
  });

  it('rounds a functional pooled length up under ceil_mode=True, and leaves it unknown when the mode is', async () => {
    const body = 'import random\nimport torch\nimport torch.nn.functional as F\nx = torch.randn(4, 8, 10)\ny = F.max_pool1d(x, 3, ceil_mode=True)\nz = F.max_pool1d(x, 3, ceil_mode=random.random() > 0.5)\n';
    assert.equal(await shapeOf(body, 'y'), '(4, 8, 4)');
    assert.equal(await shapeOf(body, 'z'), '(4, 8, ?)');
  });

  it('pools 2-D feature maps with F.max_pool2d / F.avg_pool2d: one window for both axes or a pair, stride defaulting to the window', async () => {
    const body = 'import torch\nimport torch.nn.functional as F\nx = torch.randn(2, 3, 10, 7)\na = F.max_pool2d(x, 2)\nb = F.avg_pool2d(x, (3, 2), stride=(1, 2), padding=(1, 0))\nc = F.max_pool2d(x, 3, stride=1, padding=1, ceil_mode=True)\nd = F.avg_pool2d(x[0], 2)\n';
    assert.equal(await shapeOf(body, 'a'), '(2, 3, 5, 3)');
    assert.equal(await shapeOf(body, 'b'), '(2, 3, 10, 3)');
    assert.equal(await shapeOf(body, 'c'), '(2, 3, 10, 7)');
    assert.equal(await shapeOf(body, 'd'), '(3, 5, 3)');
  });

  it('gives adaptive 2-D pooling its output size, None keeping that axis', async () => {
    const body = 'import torch\nimport torch.nn.functional as F\nx = torch.randn(2, 3, 10, 7)\na = F.adaptive_avg_pool2d(x, (None, 4))\nb = F.adaptive_max_pool2d(x, 1)\nc = F.adaptive_max_pool2d(x, 1, return_indices=True)\n';
    assert.equal(await shapeOf(body, 'a'), '(2, 3, 10, 4)');
    assert.equal(await shapeOf(body, 'b'), '(2, 3, 1, 1)');
    assert.equal(await shapeOf(body, 'c'), undefined);
  });

  it('leaves one row when a 2-D window is the height read off the feature map, whatever that height is', async () => {
    const body = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nconv = nn.Conv2d(1, 5, (3, 8))\nn = int(torch.randint(3, 9, (1,)).item())\nh = conv(torch.randn(4, 1, n, 20))\np = F.max_pool2d(h, kernel_size=(h.size(2), 1)).squeeze(2)\nr = F.max_pool2d(h, (h.size(2), 3), padding=(1, 1))\n';
    assert.equal(await shapeOf(body, 'h'), '(4, 5, ?, 13)');
    assert.equal(await shapeOf(body, 'p'), '(4, 5, 13)');
    // Padded, the window leaves 1 or 2 rows depending on the height: not known.
    assert.equal(await shapeOf(body, 'r'), '(4, 5, ?, 5)');
  });

  it('gives torch.eye and np.eye n rows of m columns, m defaulting to n, and leaves an eye of unreadable size unknown', async () => {
    const body = 'import numpy as np\nimport torch\na = torch.eye(4)\nb = torch.eye(3, 5)\nc = np.eye(6, M=2)\nd = torch.eye(torch.randn(2, 2))\n';
    assert.equal(await shapeOf(body, 'a'), '(4, 4)');
    assert.equal(await shapeOf(body, 'b'), '(3, 5)');
    assert.equal(await shapeOf(body, 'c'), '(6, 2)');
    assert.equal(await shapeOf(body, 'd'), undefined);
  });

  it('indexes with a list of ints as with a 1-D int64 tensor: one-hot rows np.eye(n)[ids] stacked into a batch', async () => {
    const body = 'import numpy as np\nimport torch\nx = torch.randn(5, 7)\na = x[[0, 2, 2]]\nb = x[:, [1, 6]]\nrows = [np.eye(7)[[1, 2, 3]] for _ in range(4)]\nbatch = torch.FloatTensor(rows)\nmask = x[[True, False, True, True, False]]\n';
    assert.equal(await shapeOf(body, 'a'), '(3, 7)');
    assert.equal(await shapeOf(body, 'b'), '(5, 2)');
    assert.equal(await shapeOf(body, 'batch'), '(4, 3, 7)');
    // A list of bools is a mask: how many rows it keeps is data.
    assert.notEqual(await shapeOf(body, 'mask'), '(5, 7)');
  });

  it('looks a key up in a dict comprehension as its value (ints from enumerate, even over a set), and forgets that once a key it cannot name is written', async () => {
    const body = 'import numpy as np\nimport torch\nwords = list(set("i like dog i love coffee".split()))\nword_dict = {w: i for i, w in enumerate(words)}\nids = [word_dict[w] for w in ["i", "like"]]\na = np.eye(5)[ids]\nother = {w: i for i, w in enumerate(words)}\nfor w in words:\n    other[w] = w.upper()\nb = np.eye(5)[[other[w] for w in ["i", "like"]]]\n';
    assert.equal(await shapeOf(body, 'a'), '(2, 5)');
    assert.equal(await shapeOf(body, 'b'), undefined);
  });

  it('gives torch.FloatTensor of a list of arrays their common rank when their sizes are not known (PyTorch raises unless they agree)', async () => {
    const body = 'import numpy as np\nimport torch\nn = int(torch.randint(4, 9, (1,)).item())\nrows = []\nfor ids in [[1, 2], [3, 0]]:\n    rows.append(np.eye(n)[ids])\nbatch = torch.FloatTensor(rows)\nragged = np.array([np.zeros(n), np.zeros((n, 2))])\n';
    assert.equal(await shapeOf(body, 'batch'), '(2, 2, ?)');
    assert.equal(await shapeOf(body, 'ragged'), undefined);
  });

  it('takes a cell\'s batch from its 2-D state when the input\'s rank is unknown', async () => {
    const body = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.cell = nn.GRUCell(10, 20)\n    def forward(self, x):\n        h = torch.zeros(3, 20)\n        h2 = self.cell(x, h)\n        return h2\n';
    assert.equal(await shapeOf(body, 'h2'), '(3, 20)');
  });

  it('knows an input is 3-D once its size() is unpacked into three names (from the start of the body, whose every run reaches that line), keeping its known trailing sizes', async () => {
    const body = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 16)\n    def forward(self, x, y):\n        before = x.transpose(1, 2)\n        b, t, d = x.size()\n        after = x.transpose(1, 2)\n        h = self.fc(y)\n        n, m = h.size()\n        g = h.unsqueeze(0)\n        return after, g\n';
    assert.equal(await shapeOf(body, 'before'), '(x.size(0), x.size(2), x.size(1))');
    assert.equal(await shapeOf(body, 'after'), '(x.size(0), x.size(2), x.size(1))');
    assert.equal(await shapeOf(body, 'g'), '(1, y.size(0), 16)');
  });

  it('refines no rank from .shape of a value that may not be a tensor, and keeps the known last size of one that is', async () => {
    const body = 'import torch\nimport torch.nn as nn\nimport pandas as pd\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 16)\n    def forward(self, x):\n        df = pd.read_csv(x)\n        rows, cols = df.shape\n        u = df.transpose(0, 1)\n        h = self.fc(x)\n        a, b = h.size()\n        v = h.transpose(0, 1)\n        return u, v\n';
    assert.equal(await shapeOf(body, 'u'), undefined);
    assert.equal(await shapeOf(body, 'v'), '(16, x.size(0))');
  });

  it('compares, masks and selects: eq broadcasts to bool, masked_select is 1-D, nonzero is (n, rank), select drops an axis', async () => {
    const body = 'ids = torch.randint(0, 9, (4, 7))\nm = ids.eq(0)\nk = torch.ne(ids, torch.zeros(1, 7))\nv = ids.masked_select(m)\nnz = ids.nonzero()\nrow = ids.select(1, 0)\nany_row = m.any(1, keepdim=True)\nflat = ids.ravel()\n';
    assert.equal(await shapeOf(body, 'm'), '(4, 7)');
    assert.equal(await shapeOf(body, 'k'), '(4, 7)');
    assert.equal(await shapeOf(body, 'v'), '(?,)');
    assert.equal(await shapeOf(body, 'nz'), '(?, 2)');
    assert.equal(await shapeOf(body, 'row'), '(4,)');
    assert.equal(await shapeOf(body, 'any_row'), '(4, 1)');
    assert.equal(await shapeOf(body, 'flat'), '(28,)');
  });
});

describe('starred items in tuples and lists', () => {
  it('spreads a known shape into a tuple: reshape((*x.shape, n))', async () => {
    const body = 'import numpy as np\nx = np.zeros((4, 6))\ny = np.zeros((24, 3)).reshape((*x.shape, 3))\n';
    assert.equal(await shapeOf(body, 'y'), '(4, 6, 3)');
  });

  it('gives a tuple with a starred unknown no length, so a reshape by it has no rank (never 0-D)', async () => {
    const body = 'import numpy as np\nimport torch\ndef ohe(arr, n):\n    one_hot = np.zeros((arr.size, n), dtype=np.float32)\n    one_hot = one_hot.reshape((*arr.shape, n))\n    return one_hot\n';
    assert.equal(await shapeOf(body, 'one_hot'), '(?, ?)');
  });
});

describe('pretrained tables', () => {
  it('sizes Embedding.from_pretrained from the weights, through a NumPy array cast with astype', async () => {
    const body = 'import numpy as np\nimport torch\nimport torch.nn as nn\nglove = np.random.rand(5000, 100).astype(np.float32)\nemb = nn.Embedding.from_pretrained(torch.from_numpy(glove))\nx = emb(torch.randint(0, 5000, (4, 7)))\n';
    assert.equal(await shapeOf(body, 'x'), '(4, 7, 100)');
  });

  it('checks ids against a pretrained table\'s rows', async () => {
    const body = 'emb = nn.Embedding.from_pretrained(torch.randn(50, 8), padding_idx=0)\nx = emb(torch.randint(0, 60, (4, 7)))\n';
    assert.ok((await codes(body)).includes('SL108'));
  });
});

describe('loops and conditions', () => {
  it('runs a for loop without else once per pass, never its body again as the else', async () => {
    const body = 'outs = []\nfor i in range(24):\n    outs.append(torch.zeros(3, 16))\ny = torch.stack(outs, dim=1)\n';
    assert.equal(await shapeOf(body, 'y'), '(3, 24, 16)');
  });

  it('joins an attribute set under a condition that may not hold with the one another path set', async () => {
    const body = 'class M(nn.Module):\n    def __init__(self, cell):\n        super().__init__()\n        if cell == "LSTM":\n            self.rnn = nn.LSTM(4, 8)\n        if cell == "GRU":\n            self.rnn = nn.GRU(4, 8)\n    def forward(self, x):\n        h0 = torch.zeros(1, 2, 8)\n        c0 = torch.zeros(1, 2, 8)\n        out, h = self.rnn(x, (h0, c0))\n        return out\n';
    assert.deepEqual(await codes(body), []);
  });

  it('flags an LSTM given one tensor as its state, and a GRU given a pair, but not a parameter it only assumed', async () => {
    assert.ok((await codes('lstm = nn.LSTMCell(4, 8)\nh = torch.zeros(2, 8)\nh1, c1 = lstm(torch.randn(2, 4), h)\n')).includes('SL104'));
    assert.ok((await codes('gru = nn.GRU(4, 8)\nh = torch.zeros(1, 2, 8)\nout, h1 = gru(torch.randn(3, 2, 4), (h, h))\n')).includes('SL104'));
    assert.deepEqual(await codes('class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(4, 8)\n    def forward(self, x, hidden):\n        return self.lstm(x, hidden)\n'), []);
  });

  it('compares a 3-D state\'s layer axis with num_layers even when the input\'s rank is unknown', async () => {
    const body = 'import mystery\nimport torch\nimport torch.nn as nn\nlstm = nn.LSTM(6, 8, num_layers=2)\nx = mystery.load()\nh = torch.zeros(1, 3, 8)\nout, _ = lstm(x, (h, h))\n';
    assert.ok((await codes(body)).includes('SL103'));
  });

  describe('ids through cat, stack, enumerate and zip', () => {
    const head = 'import torch\nimport torch.nn as nn\n';

    it('cat keeps the ids of its inputs: sampled ids appended to a sequence reach the Embedding fed back', async () => {
      const body = head + 'emb = nn.Embedding(65, 128)\nidx = torch.zeros((1, 1), dtype=torch.long)\nnxt = torch.multinomial(torch.softmax(torch.randn(1, 128), -1), 1)\nidx = torch.cat((idx, nxt), dim=1)\nout = emb(idx)\n';
      assert.ok((await codes(body)).includes('SL108'));
    });

    it('argmax over a generator\'s scores gives ids below its vocabulary: a narrower Embedding fed them is too small', async () => {
      const body = head + 'gen = nn.Linear(32, 1000)\nsmall = nn.Embedding(500, 16)\nscores = gen(torch.randn(4, 7, 32))\nnxt = scores[:, -1].argmax(-1, keepdim=True)\nfeat = small(nxt)\n';
      const result = await run(body);
      assert.deepEqual(result.findings.map((f) => f.code), ['SL108']);
      // A bound on what argmax picks, not an id known to be there.
      assert.match(result.findings[0].message, /ids can reach 999/);
      assert.deepEqual(await codes(body.replace('nn.Embedding(500, 16)', 'nn.Embedding(1000, 16)')), []);
      // max's indices too; an axis not known gives no bound.
      assert.deepEqual(await codes(body.replace('scores[:, -1].argmax(-1, keepdim=True)', 'scores.max(dim=2)[1]')), ['SL108']);
      assert.deepEqual(await codes(body.replace('nn.Linear(32, 1000)', 'nn.Linear(32, int(input()))')), []);
      // topk's indices (PyTorch 1.13: the top 5 of 50 scores fed to a 40-row table raise IndexError) and argsort's.
      assert.deepEqual(await codes(body.replace('scores[:, -1].argmax(-1, keepdim=True)', 'scores.topk(5, dim=-1)[1]')), ['SL108']);
      assert.deepEqual(await codes(body.replace('scores[:, -1].argmax(-1, keepdim=True)', 'scores.argsort(-1)')), ['SL108']);
    });

    it('stack of ids from one range keeps that range for every slice', async () => {
      const body = head + 'emb = nn.Embedding(10, 4)\nx = torch.stack([torch.randint(0, 40, (8, 1)) for _ in range(3)], dim=1)\nout = emb(x[:, 1, :])\n';
      assert.ok((await codes(body)).includes('SL108'));
    });

    it('a slice of a stack of different ranges keeps no bounds: the part taken may hold only the small ids', async () => {
      const body = head + 'emb = nn.Embedding(10, 4)\nx = torch.stack([torch.randint(0, n, (8, 1)) for n in [10, 20]], dim=1)\nout = emb(x[:, 0, :])\nwhole = nn.Embedding(10, 4)(x)\n';
      assert.deepEqual((await run(body)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL108@6']);
    });

    it('enumerate pairs each index with its item, zip pairs items up to the shortest', async () => {
      assert.equal(await shapeOf(head + 'xs = [torch.zeros(2, 3), torch.zeros(4, 5)]\nfor i, x in enumerate(xs):\n    if i == 1:\n        y = x\n', 'y'), '(4, 5)');
      assert.equal(await shapeOf(head + 'for a, b in zip([torch.zeros(2, 3)], [torch.zeros(4, 5), torch.zeros(6)]):\n    y = b\n', 'y'), '(4, 5)');
    });

    it('enumerate over a ModuleList in a comprehension calls each layer on its own input', async () => {
      const body = head + 'embs = nn.ModuleList([nn.Embedding(n, 1) for n in [10, 20, 30]])\nx = torch.randint(0, 40, (8, 3, 1))\nouts = [emb(x[:, i, :]) for i, emb in enumerate(embs)]\n';
      assert.ok((await codes(body)).includes('SL108'));
      const fine = head + 'embs = nn.ModuleList([nn.Embedding(n, 1) for n in [10, 20, 30]])\nx = torch.randint(0, 10, (8, 3, 1))\nouts = [emb(x[:, i, :]) for i, emb in enumerate(embs)]\n';
      assert.deepEqual(await codes(fine), []);
    });

    it('zip(*batch) in a collate_fn splits samples whose count is not known into one tuple per item', async () => {
      const body = head + 'from torch.utils.data import DataLoader, Dataset\nfrom torch.nn.utils.rnn import pad_sequence\nclass Reviews(Dataset):\n    def __init__(self, n):\n        self.items = [(torch.randint(1, 300, (5 + i % 7,)), i % 3) for i in range(n)]\n    def __len__(self):\n        return len(self.items)\n    def __getitem__(self, i):\n        return self.items[i]\ndef collate(batch):\n    seqs, labels = zip(*batch)\n    return pad_sequence(seqs, batch_first=True), torch.tensor(labels)\ngru = nn.GRU(32, 64)\nemb = nn.Embedding(300, 32)\nfor x, y in DataLoader(Reviews(40), batch_size=8, collate_fn=collate):\n    h, _ = gru(emb(x))\n';
      assert.equal(await shapeOf(body, 'x'), '(B, T)');
      assert.equal(await shapeOf(body, 'y'), '(?,)');
      // (B, T) ids padded batch-first reach a sequence-first GRU (PyTorch 1.13 reads the batch as steps).
      assert.deepEqual(await codes(body), ['SL102']);
      assert.deepEqual(await codes(body.replace('nn.GRU(32, 64)', 'nn.GRU(32, 64, batch_first=True)')), []);
    });

    it('zip of sequences of unknown length pairs what their items are like', async () => {
      const body = head + 'def f(n):\n    xs = [torch.zeros(2, 3) for _ in range(n)]\n    ys = [torch.zeros(4) for _ in range(n)]\n    for a, b in zip(xs, ys):\n        y = b\n    return y\nz = f(int(input()))\n';
      assert.equal(await shapeOf(body, 'z'), '(4,)');
    });
  });

  describe('a statement in which PyTorch raises ends the function run there (checked in PyTorch 1.13: the TypeError or RuntimeError of the first)', () => {
    const head = 'import torch\nimport torch.nn as nn\n\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(128, 64)\n        self.b = nn.Linear(128, 64)\n        self.c = nn.Linear(64, 8)\n\n';
    const lines = async (body: string): Promise<string[]> => (await run(body)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

    it('what follows the raise in its block is not reported', async () => {
      const body = `${head}    def forward(self, x):\n        f = self.a(x)\n        g = self.b(x)\n        return self.c(f * g)\n\n\nout = M()(torch.randn(4, 64))\n`;
      assert.deepEqual(await lines(body), ['SL106@13']);
    });

    it('a path that raises leaves the others to go on', async () => {
      const body = `${head}    def forward(self, x, wide):\n        if wide:\n            h = self.a(x)\n        else:\n            h = x\n        return self.a(h)\n\n\nimport random\nout = M()(torch.randn(4, 64), random.random() < 0.5)\n`;
      // The first path raises at line 14; the other gives x, 64 wide, to a Linear of 128 at line 17.
      assert.deepEqual(await lines(body), ['SL106@14', 'SL106@17']);
    });

    it('top-level statements are each still checked', async () => {
      assert.deepEqual(await lines('import torch\nimport torch.nn as nn\nfc = nn.Linear(128, 64)\na = fc(torch.randn(2, 64))\nb = fc(torch.randn(2, 32))\n'), ['SL106@4', 'SL106@5']);
    });
  });

  describe('an id bound the values reach, and one they only may reach (messages say which)', () => {
    const head = 'import torch\nimport torch.nn as nn\nfrom torch.nn.utils.rnn import pad_sequence\nemb = nn.Embedding(10, 4)\n';
    const message = async (body: string): Promise<string> => {
      const result = await run(head + body);
      assert.deepEqual(result.findings.map((f) => f.code), ['SL108']);
      return result.findings[0].message;
    };

    it('ids written out are there: "holds ids up to"', async () => {
      assert.match(await message('x = torch.tensor([[1, 2, 10]])\nv = emb(x)\n'), /this input holds ids up to 10/);
      assert.match(await message('x = torch.full((2, 3), 12, dtype=torch.long)\nv = emb(x)\n'), /holds ids up to 12/);
      // Put together with other ids, the part that holds the greatest is there.
      assert.match(await message('x = torch.cat([torch.full((2, 1), 10, dtype=torch.long), torch.randint(0, 5, (2, 3))], dim=1)\nv = emb(x)\n'), /holds ids up to 10/);
      // Padding that some shorter sequence certainly gets.
      assert.match(await message('x = pad_sequence([torch.tensor([1, 2, 3]), torch.tensor([4])], batch_first=True, padding_value=-1)\nv = emb(x)\n'), /receives negative ids \(down to -1\)/);
    });

    it('ids drawn, picked, taken in part or on one path only may reach it: "can reach"', async () => {
      assert.match(await message('x = torch.randint(0, 11, (4, 5))\nv = emb(x)\n'), /this input's ids can reach 10/);
      assert.match(await message('x = torch.randn(3, 40).argmax(-1)\nv = emb(x)\n'), /ids can reach 39/);
      // A slice of written-out ids need not hold the greatest of them.
      assert.match(await message('x = torch.tensor([[1, 2], [3, 11]])[0]\nv = emb(x)\n'), /ids can reach 11/);
      // A value from one of two paths.
      assert.match(await message('import random\nx = torch.tensor([1, 2]) if random.random() < 0.5 else torch.tensor([1, 12])\nv = emb(x)\n'), /ids can reach 12/);
      // Padding of sequences whose lengths are not all known may not be there.
      assert.match(await message('seqs = [torch.tensor([1, 2]) for _ in range(int(input()))]\nx = pad_sequence(seqs, batch_first=True, padding_value=-1)\nv = emb(x)\n'), /can receive negative ids \(down to -1\)/);
    });
  });

  describe('a vocabulary looked up with a word the analysis cannot name (PyTorch 1.13: the padded batch raises IndexError in the Embedding)', () => {
    const head = 'import torch\nimport torch.nn as nn\n';
    const vocab = 'corpus = ["the cat sat on the mat", "the dog ate my homework"]\nw2i = {}\nfor sent in corpus:\n    for w in sent.split():\n        if w not in w2i:\n            w2i[w] = len(w2i)\n';

    it('gives one of its ids, between the least and the greatest, so a pad id equal to its size reaches the Embedding', async () => {
      const body = `${head}${vocab}PAD = len(w2i)\nemb = nn.Embedding(len(w2i), 8)\nseqs = [[w2i[w] for w in s.split()] for s in corpus]\nL = max(len(s) for s in seqs)\nbatch = torch.tensor([s + [PAD] * (L - len(s)) for s in seqs])\nout = emb(batch)\n`;
      const result = await run(body);
      assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL108@14']);
      // The nested comprehension unrolls, so the padded batch is known to hold the pad id.
      assert.match(result.findings[0].message, /num_embeddings=9 .* holds ids up to 9/);
      assert.equal(await shapeOf(body, 'batch'), '(2, 6)');
      // The table sized for the pad id: no finding.
      assert.deepEqual(await codes(body.replace('nn.Embedding(len(w2i), 8)', 'nn.Embedding(len(w2i) + 1, 8)')), []);
    });

    it('a dict comprehension over a vocabulary written in the file holds each word\'s id: ids that start at 2 pass a table of len(words) rows', async () => {
      const body = `${head}words = ["<pad>", "<unk>", "hello", "world", "foo", "bar"]\nstoi = {w: i + 2 for i, w in enumerate(words)}\nemb = nn.Embedding(len(words), 4)\nids = torch.tensor([stoi[w] for w in ["hello", "world"]])\nv = emb(ids)\n`;
      assert.deepEqual(await codes(body), []);
      const result = await run(body.replace('["hello", "world"]', '["hello", "bar"]'));
      assert.deepEqual(result.findings.map((f) => f.code), ['SL108']);
      assert.match(result.findings[0].message, /num_embeddings=6 .* ids up to 7/);
      // A filter not known, or keys it cannot name, leave the dict a summary of its values.
      assert.deepEqual(await codes(body.replace('for i, w in enumerate(words)}', 'for i, w in enumerate(words) if keep(w)}')), []);
    });

    it('a set of words is iterated in an order of its own: its enumeration is not paired word by word', async () => {
      const body = `${head}words = "the cat sat on the mat".split()\nw2i = {w: i for i, w in enumerate(set(words))}\nemb = nn.Embedding(5, 4)\nv = emb(torch.tensor([w2i["mat"]]))\n`;
      // Each word's id is one of 0..4 (a table of 5 rows fits it), whichever Python picks.
      assert.deepEqual(await codes(body), []);
      const sorted = body.replace('enumerate(set(words))', 'enumerate(sorted(set(words)))').replace('nn.Embedding(5, 4)', 'nn.Embedding(1, 4)');
      // Sorted, "mat" is id 1: a one-row table is too small.
      assert.deepEqual(await codes(sorted), ['SL108']);
    });

    it('setdefault writes a key it names (a vocabulary built word by word), so len(vocab) as the pad id is one past the table', async () => {
      const body = `${head}vocab = {"<pad>": 0, "<unk>": 1}\nfor w in "the cat sat on the mat".split():\n    vocab.setdefault(w, len(vocab))\nPAD = len(vocab)\nemb = nn.Embedding(len(vocab), 8)\nsents = [["the", "cat"], ["on", "the", "mat"]]\nL = max(len(s) for s in sents)\nids = torch.tensor([[vocab[w] for w in s] + [PAD] * (L - len(s)) for s in sents])\nv = emb(ids)\n`;
      const result = await run(body);
      assert.deepEqual(result.findings.map((f) => f.code), ['SL108']);
      assert.match(result.findings[0].message, /num_embeddings=7 .* holds ids up to 7/);
      assert.deepEqual(await codes(body.replace('PAD = len(vocab)', 'PAD = 0')), []);
    });

    it('.get with a default joins the default in; a dict that may hold other keys gives nothing', async () => {
      const get = `${head}w2i = {"a": 0, "b": 1, "c": 2}\nemb = nn.Embedding(3, 4)\nwords = input().split()\nids = torch.tensor([w2i.get(w, 3) for w in words])\nout = emb(ids)\n`;
      assert.deepEqual(await codes(get), ['SL108']);
      assert.deepEqual(await codes(get.replace('w2i.get(w, 3)', 'w2i.get(w, 2)')), []);
      const partial = `${head}w2i = {"a": 0, "b": 1, "c": 2}\nw2i.update(more)\nemb = nn.Embedding(3, 4)\nids = torch.tensor([w2i[w] for w in input().split()])\nout = emb(ids)\n`;
      assert.deepEqual(await codes(partial), []);
    });
  });

  describe('sequences of numbers whose values are not followed', () => {
    const head = 'import string\nimport torch\n';

    it('a comprehension over a sequence of known length has that many items', async () => {
      const body = head + 'chars = string.printable\nids = torch.LongTensor([chars.index(c) for c in "the quick brown fox"])\n';
      assert.equal(await shapeOf(body, 'ids'), '(19,)');
    });

    it('LongTensor of a comprehension of ints of unknown count is 1-D, of anything else unknown', async () => {
      assert.equal(await shapeOf(head + 'def f(s):\n    return torch.LongTensor([string.printable.find(c) for c in s])\nt = f(input())\n', 't'), '(?,)');
      assert.equal(await shapeOf(head + 'import mystery\ndef f(s):\n    return torch.LongTensor([mystery.encode(c) for c in s])\nt = f(input())\n', 't'), undefined);
    });

    it('indexing by a loop variable over a range takes one item: the axis goes', async () => {
      const body = head + 'x = torch.zeros(20, 5)\nfor i in range(20):\n    row = x[i]\n';
      assert.equal(await shapeOf(body, 'row'), '(5,)');
      assert.equal(await shapeOf(head + 'def f(n):\n    x = torch.zeros(20, 5)\n    for i in range(n):\n        y = x[i]\n    return y\nr = f(int(input()))\n', 'r'), '(5,)');
    });

    it('a 0-d target from indexing a 1-D tensor of ids against a (1, C) output is SL115', async () => {
      const body = head + 'import torch.nn as nn\nids = torch.LongTensor([string.printable.index(c) for c in "hello world, again!"])\nout = torch.randn(1, 100)\nloss = 0\nfor c in range(18):\n    loss += nn.CrossEntropyLoss()(out, ids[c])\n';
      assert.ok((await codes(body)).includes('SL115'));
      assert.deepEqual(await codes(body.replace('ids[c])', 'ids[c].view(1))')), []);
    });
  });

  describe('argparse defaults as argparse gives them (checked by running the same program in Python 3 with PyTorch 1.13)', () => {
    const program = (action: string) => `import argparse\nimport torch\nimport torch.nn as nn\np = argparse.ArgumentParser()\np.add_argument('--uni', action='${action}', dest='bi')\np.add_argument('--hidden', type=int, default='20')\np.add_argument('--lr', type=float, default='1e-3')\nargs = p.parse_args([])\nrnn = nn.LSTM(10, args.hidden, batch_first=True, bidirectional=args.bi)\nfc = nn.Linear(args.hidden, 2)\nout, _ = rnn(torch.randn(3, 5, 10))\ny = fc(out[:, -1])\n`;

    it("store_false without a default is True: the LSTM is bidirectional and the Linear's 20 meets 40 features (PyTorch: mat1 and mat2 shapes cannot be multiplied (3x40 and 20x2))", async () => {
      // With SL152's information on out[:, -1] of the bidirectional output, which is not what this test is about.
      assert.deepEqual(await codes(program('store_false')), ['SL105', 'SL152']);
    });

    it('store_true without a default is False: nothing to report', async () => {
      assert.deepEqual(await codes(program('store_true')), []);
    });

    // A DataLoader's batch_size from argparse: with a batch, adj[0] is one (5, 5) matrix and torch.sum(first, 1) is
    // fine; with batch_size=None the loader does not batch, adj[0] is a row and PyTorch raises "Dimension out of
    // range (expected to be in range of [-1, 0], but got 1)". Each variant was run in Python 3 with PyTorch 1.13.
    const loader = (setup: string, line = '[]') =>
      `import argparse\nimport numpy as np\nimport torch\nfrom torch.utils.data import Dataset, DataLoader\nclass Graphs(Dataset):\n    def __len__(self):\n        return 4\n    def __getitem__(self, idx):\n        return {'adj': np.zeros((5, 5))}\nparser = argparse.ArgumentParser()\n${setup}\nargs = parser.parse_args(${line})\nloader = DataLoader(Graphs(), batch_size=args.batch_size)\nfor data in loader:\n    adj = data['adj'].float()\n    first = adj[0]\n    degrees = torch.sum(first, 1)\n`;

    it('set_defaults gives the value of an argument added without a default, before or after it', async () => {
      assert.deepEqual(await codes(loader("parser.add_argument('--batch_size', dest='batch_size', type=int)\nparser.set_defaults(batch_size=2)")), []);
      assert.deepEqual(await codes(loader("parser.set_defaults(batch_size=2)\nparser.add_argument('--batch_size', type=int)")), []);
      // set_defaults overrides a default given before it (argparse: 2).
      assert.equal(await shapeOf("import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument('--batch_size', type=int, default=3)\np.set_defaults(batch_size=2)\nargs = p.parse_args()\nx = torch.zeros(args.batch_size, 4)\n", 'x'), '(2, 4)');
    });

    it('an argument without any default is None: the loader does not batch and torch.sum(first, 1) is SL123', async () => {
      assert.deepEqual(await codes(loader("parser.add_argument('--batch_size', dest='batch_size', type=int)")), ['SL123']);
    });

    it('a required or positional argument, or a command line the analysis does not read, gives unknown values, never None', async () => {
      assert.deepEqual(await codes(loader("parser.add_argument('--batch_size', type=int, required=True)", "['--batch_size', '2']")), []);
      assert.deepEqual(await codes(loader("parser.add_argument('batch_size', type=int)", "['2']")), []);
      assert.deepEqual(await codes(loader("parser.add_argument('--batch_size', type=int)", "['--batch_size', '2']")), []);
      assert.deepEqual(await codes(loader("parser.add_argument('--batch_size', type=int)\nparser.set_defaults(**config)".replace('config', 'dict(input())'))), []);
    });

    it('a string default goes through type=float', async () => {
      assert.equal(await shapeOf("import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument('--scale', type=float, default='2.0')\nargs = p.parse_args()\nx = torch.zeros(3, int(args.scale))\n", 'x'), '(3, 2)');
    });
  });

  describe('comprehensions with if filters (lengths checked in PyTorch 1.13 by the exec oracle cases comprehension_if and dict_comprehension)', () => {
    it('keeps the items whose filter is known true: the cat has as many columns as items kept', async () => {
      const body = 'x = torch.randn(3, 7)\ny = torch.cat([a * (i + 1) for i, a in enumerate(x.split(1, dim=1)) if i % 2 == 0 and i != 2], 1)\n';
      assert.equal(await shapeOf(body, 'y'), '(3, 3)');
    });

    it('a filter not known for some item leaves the count unknown, never the unfiltered count', async () => {
      const body = 'import random\nx = torch.randn(3, 7)\ny = torch.cat([a for a in x.split(1, dim=1) if random.random() > 0.5], 1)\n';
      const shape = await shapeOf(body, 'y');
      assert.ok(shape === undefined || /^\(3, \?\)$/.test(shape), String(shape));
    });

    it('a conditional element is not a filter: every item is kept', async () => {
      const body = 'x = torch.randn(3, 4)\ny = torch.stack([a if i else -a for i, a in enumerate(x.unbind(1))], 1)\n';
      assert.equal(await shapeOf(body, 'y'), '(3, 4)');
    });

    it("sees the calls in a filter and a dict comprehension's key", async () => {
      const body = 'rnn = nn.GRU(8, 4)\nkeep = [t for t in range(3) if rnn(torch.randn(5, 2, 6))[0].sum() > 0]\nd = {rnn(torch.randn(5, 2, 6))[1].size(0): 1 for _ in range(2)}\n';
      assert.deepEqual((await codes(body)).filter((c) => c === 'SL101').length, 2);
    });
  });

  describe('the second iteration of a loop that certainly runs twice', () => {
    const head = 'import torch\nimport torch.nn as nn\n';

    it('starts from exactly what the first left: a 2-D step fed back into an LSTM with 3-D states is SL116', async () => {
      const body = head + 'lstm = nn.LSTM(8, 16, batch_first=True)\nemb = nn.Embedding(50, 8)\nx = torch.randn(1, 1, 8)\nstate = None\nfor i in range(20):\n    out, state = lstm(x, state)\n    x = emb(out.squeeze(1).argmax(1))\n';
      assert.ok((await codes(body)).includes('SL116'));
      assert.deepEqual(await codes(body.replace('emb(out.squeeze(1).argmax(1))', 'emb(out.squeeze(1).argmax(1)).unsqueeze(1)')), []);
    });

    it('joins with the state before the loop when the loop may stop early', async () => {
      const body = head + 'import random\nlstm = nn.LSTM(8, 16, batch_first=True)\nemb = nn.Embedding(50, 8)\nx = torch.randn(1, 1, 8)\nstate = None\nfor i in range(20):\n    out, state = lstm(x, state)\n    if random.random() > 0.5:\n        break\n    x = emb(out.squeeze(1).argmax(1))\n';
      assert.ok(!(await codes(body)).includes('SL116'));
    });
  });

  describe('a list appended to in a loop that is not unrolled', () => {
    const head = 'import random\nimport torch\nimport torch.nn as nn\nouts = []\n';
    const stacked = (loop: string) => head + loop + 'y = torch.stack(outs, dim=1)\n';

    it('holds one item per step when every step appends once: 19 decoder steps from range(1, 20)', async () => {
      assert.equal(await shapeOf(stacked('for t in range(1, 20):\n    outs.append(torch.randn(4, 7))\n'), 'y'), '(4, 19, 7)');
    });

    it('counts two appends per step, and the items already there', async () => {
      const body = 'import torch\nouts = [torch.randn(4, 7)]\nfor t in range(30):\n    outs.append(torch.randn(4, 7))\n    outs.append(torch.randn(4, 7))\ny = torch.stack(outs, dim=1)\n';
      assert.equal(await shapeOf(body, 'y'), '(4, 61, 7)');
    });

    it('leaves the length unknown when a step may not append (a condition it cannot decide, or continue)', async () => {
      assert.equal(await shapeOf(stacked('for t in range(20):\n    if random.random() > 0.5:\n        outs.append(torch.randn(4, 7))\n'), 'y'), '(4, ?, 7)');
      assert.equal(await shapeOf(stacked('for t in range(20):\n    if t == 3:\n        continue\n    outs.append(torch.randn(4, 7))\n'), 'y'), '(4, ?, 7)');
    });

    it('leaves the length unknown when the loop rebinds or empties the list, or appends through a helper or a nested loop', async () => {
      assert.notEqual(await shapeOf(stacked('for t in range(20):\n    outs = []\n    outs.append(torch.randn(4, 7))\n'), 'y'), '(4, 20, 7)');
      assert.equal(await shapeOf(stacked('for t in range(20):\n    outs.append(torch.randn(4, 7))\n    if len(outs) > 5:\n        outs.pop(0)\n'), 'y'), '(4, ?, 7)');
      assert.equal(await shapeOf(stacked('def add(xs):\n    xs.append(torch.randn(4, 7))\n\nfor t in range(20):\n    add(outs)\n'), 'y'), '(4, ?, 7)');
      assert.equal(await shapeOf(stacked('for t in range(20):\n    for k in range(random.randint(1, 3)):\n        outs.append(torch.randn(4, 7))\n'), 'y'), '(4, ?, 7)');
    });

    it('leaves the length unknown for a loop whose length is not known', async () => {
      assert.equal(await shapeOf(stacked('for t in range(random.randint(5, 40)):\n    outs.append(torch.randn(4, 7))\n'), 'y'), '(4, ?, 7)');
    });

    it('lets a loss see decoder steps one fewer than the unshifted targets (SL115), and the shifted ones agree', async () => {
      const body = head + 'q = torch.randint(0, 50, (8, 12))\nfor t in range(1, q.size(1)):\n    outs.append(torch.log_softmax(torch.randn(8, 50), dim=1))\npred = torch.stack(outs, dim=1)\nloss = nn.NLLLoss()(pred.view(-1, pred.size(2)), q.view(-1))\n';
      assert.ok((await codes(body)).includes('SL115'));
      assert.deepEqual(await codes(body.replace('q.view(-1))', 'q[:, 1:].contiguous().view(-1))')), []);
    });
  });

  describe('a view that folds a recurrent state\'s layer axis into the batch', () => {
    const body = 'import torch\nimport torch.nn as nn\nlstm = nn.LSTM(1, 2, num_layers=2, batch_first=True)\nfc = nn.Linear(2, 1)\nx = torch.randn(95, 4, 1)\n_, (h, c) = lstm(x)\ny = fc(h.view(-1, 2))\nloss = nn.MSELoss()(y, torch.randn(95, 1))\n';

    it('is named where the size meets the batch: SL115 says which view folded the layers in', async () => {
      const finding = (await run(body)).findings.find((f) => f.code === 'SL115');
      assert.ok(finding);
      assert.match(finding.message, /190 = 2 × 95/);
      assert.match(finding.message, /h\.view\(-1, 2\)/);
    });

    it('is not a finding by itself: a view back to (layers, batch, size) after a Linear is a bridge', async () => {
      const bridge = body.replace('loss = nn.MSELoss()(y, torch.randn(95, 1))\n', 'z = y.view(2, 95, 1)\n');
      assert.deepEqual(await codes(bridge), []);
    });

    it('the last layer\'s state, h[-1], folds nothing', async () => {
      const fixed = body.replace('h.view(-1, 2)', 'h[-1]');
      assert.deepEqual(await codes(fixed), []);
    });
  });
});
