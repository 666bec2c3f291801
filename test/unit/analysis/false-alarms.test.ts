// Correct programs that once drew errors: an unknown must never become an error, a 0 or a guess.
import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/analysis/findings';
import { codes, run, shapeOf } from './helpers';

const loud = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`);

describe('false alarms on correct code', () => {
  describe('legacy constructors read a sequence as data and ints as sizes', () => {
    it('FloatTensor([1.0, 2.0, 3.0]) is (3,), as torch.tensor would give', async () => {
      assert.equal(await shapeOf('x = torch.FloatTensor([1.0, 2.0, 3.0])\n', 'x'), '(3,)');
    });

    it('torch.Tensor of a list of two same-shaped arrays is (2, n)', async () => {
      const src = 'import numpy as np\nimport torch\na = np.zeros(5)\nb = np.ones(5)\nx = torch.Tensor([a, b])\n';
      assert.equal(await shapeOf(src, 'x'), '(2, 5)');
    });

    it('LongTensor of nested lists keeps their shape and is int64', async () => {
      const result = await run('x = torch.LongTensor([[1, 2, 3], [4, 5, 6]])\n');
      const site = result.tensors.find((t) => t.name === 'x');
      assert.equal(site?.shape, '(2, 3)');
      assert.match(site?.markdown ?? '', /int64/);
    });

    it('FloatTensor(2, 3) with ints is a (2, 3) tensor of that size', async () => {
      assert.equal(await shapeOf('x = torch.FloatTensor(2, 3)\n', 'x'), '(2, 3)');
    });

    it('a bidirectional LSTM fed by FloatTensor data draws no SL103', async () => {
      const src = [
        'lstm = nn.LSTM(1, 8, bidirectional=True, batch_first=True)',
        'seq = torch.FloatTensor([[[0.1], [0.2], [0.3]]])',
        'h0 = torch.zeros(2, 1, 8)',
        'c0 = torch.zeros(2, 1, 8)',
        'out, (h, c) = lstm(seq, (h0, c0))',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
      assert.equal(await shapeOf(src, 'out'), '(1, 3, 16)');
    });
  });

  describe('len() of something not fully known is unknown, never 0', () => {
    it('nn.Embedding(len(word_dict), …) over a dict comprehension draws no SL108', async () => {
      const src = [
        'words = open("vocab.txt").read().split()',
        'word_dict = {w: i for i, w in enumerate(words)}',
        'emb = nn.Embedding(len(word_dict), 16)',
        'ids = torch.LongTensor([[1, 2, 3]])',
        'e = emb(ids)',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('len(set(...)) of values the file cannot see is unknown', async () => {
      const src = [
        'tokens = open("corpus.txt").read().split()',
        'vocab = set(tokens)',
        'emb = nn.Embedding(len(vocab), 16)',
        'e = emb(torch.tensor([[4, 5, 6]]))',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('len() of a dict filled in a loop with keys the file cannot name is unknown (a 2,000-word vocabulary is not 1)', async () => {
      const src = [
        'import torch',
        'import torch.nn as nn',
        'from collections import Counter',
        'def fit(titles):',
        '    counts = Counter()',
        '    for line in titles:',
        "        for word in line.split(' '):",
        '            counts[word] += 1',
        '    word2idx = dict()',
        '    for idx, word in enumerate(counts.most_common(2000)):',
        '        word2idx[word[0]] = idx + 1',
        "    word2idx['UNK'] = 0",
        '    return len(word2idx)',
        'n = fit(open("titles.txt").read().split())',
        'emb = nn.Embedding(n, 16)',
        'e = emb(torch.tensor([[4, 5, 6]]))',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('len() of a dict after update() or setdefault() is unknown', async () => {
      const src = 'vocab = {"<pad>": 0}\nvocab.update(extra)\nemb = nn.Embedding(len(vocab), 4)\ne = emb(torch.tensor([[1, 3]]))\n';
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('len() of a literal dict is still its size', async () => {
      const src = 'vocab = {"<pad>": 0, "a": 1, "b": 2}\nemb = nn.Embedding(len(vocab), 4)\ne = emb(torch.tensor([[1, 3]]))\n';
      assert.deepEqual((await run(src)).findings.map((f) => f.code), ['SL108']);
    });

    it('a set filled by update() in a loop is not empty: len(chars) + 1 is no one-unit softmax (SL208)', async () => {
      const src = [
        'import tensorflow as tf',
        'smiles = ["CCO", "c1ccccc1"]',
        'chars = set()',
        'for s in smiles:',
        '    chars.update(s)',
        'vocab_size = len(chars) + 1',
        'model = tf.keras.Sequential([tf.keras.layers.Embedding(vocab_size, 8), tf.keras.layers.GRU(16, return_sequences=True), tf.keras.layers.Dense(vocab_size, activation="softmax")])',
        'model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('len() after set.add(), list.insert() or list.extend() of an unknown iterable is no longer the length before', async () => {
      for (const grow of ['seen = set()\nseen.add("<pad>")\nseen.add("<unk>")', 'seen = ["<pad>"]\nseen.insert(1, "<unk>")', 'seen = ["<pad>"]\nseen.extend(open("vocab.txt").read().split())']) {
        const src = `${grow}\nemb = nn.Embedding(len(seen), 4)\ne = emb(torch.tensor([[0, 1]]))\n`;
        assert.deepEqual(loud((await run(src)).findings), [], grow);
      }
    });

    it('list.sort() and del seq[i] change which item is first: seq[0] is no longer the old first item', async () => {
      const sorted = 'sizes = [64, 16]\nsizes.sort()\nfc = nn.Linear(sizes[0], 4)\ny = fc(torch.randn(2, 16))\n';
      assert.deepEqual(loud((await run(sorted)).findings), []);
      const deleted = 'dims = [8, 16, 4]\ndel dims[0]\nfc = nn.Linear(dims[0], 2)\ny = fc(torch.randn(3, 16))\n';
      assert.deepEqual(loud((await run(deleted)).findings), []);
    });

    it('list.sort() keeps the length: len() after it is still known', async () => {
      const src = 'ids = [2, 0]\nids.sort()\nemb = nn.Embedding(len(ids), 4)\ne = emb(torch.tensor([[0, 2]]))\n';
      assert.deepEqual((await run(src)).findings.map((f) => f.code), ['SL108']);
    });
  });

  describe('a PackedSequence is a namedtuple', () => {
    const prelude = [
      'import torch',
      'import torch.nn as nn',
      'from torch.nn.utils.rnn import pack_padded_sequence',
      'lstm = nn.LSTM(4, 8, batch_first=True)',
      'x = torch.randn(3, 5, 4)',
      'packed = pack_padded_sequence(x, [5, 3, 2], batch_first=True)',
      'out, _ = lstm(packed)',
    ];

    it('packed[0] is its .data: scoring packed outputs against packed targets draws no SL111', async () => {
      const src = [...prelude, 'targets = pack_padded_sequence(torch.randn(3, 5, 8), [5, 3, 2], batch_first=True)', 'loss = nn.MSELoss()(out[0], targets[0])', ''].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('pack_padded_sequence(...)[0] draws no SL111', async () => {
      const src = [...prelude, 'flat = pack_padded_sequence(x, [5, 3, 2], batch_first=True)[0]', ''].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('out[:, -1, :] on the packed output is still SL111', async () => {
      const src = [...prelude, 'last = out[:, -1, :]', ''].join('\n');
      assert.deepEqual((await run(src)).findings.map((f) => f.code), ['SL111']);
    });
  });

  describe('SL112 only when the lengths are known to be unsorted', () => {
    it('lengths the file cannot see get no finding at all, not even a hint', async () => {
      const src = [
        'from torch.nn.utils.rnn import pack_padded_sequence',
        'def encode(lstm, x, lengths):',
        '    return pack_padded_sequence(x, lengths, batch_first=True)',
        '',
      ].join('\n');
      assert.deepEqual((await run(src)).findings.filter((f) => f.code === 'SL112'), []);
    });

    it('lengths known to be unsorted are an error, as PyTorch raises', async () => {
      const src = 'import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\npacked = pack_padded_sequence(torch.randn(3, 5, 4), [2, 5, 3], batch_first=True)\n';
      const findings = (await run(src)).findings.filter((f) => f.code === 'SL112');
      assert.deepEqual(findings.map((f) => f.severity), ['error']);
    });

    it('lengths sorted with sorted(..., reverse=True) are sorted', async () => {
      const src = 'import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\nlengths = sorted([2, 5, 3], reverse=True)\npacked = pack_padded_sequence(torch.randn(3, 5, 4), lengths, batch_first=True)\n';
      assert.deepEqual((await run(src)).findings.filter((f) => f.code === 'SL112'), []);
    });
  });

  describe('sizes are finite non-negative integers or unknown', () => {
    it('a slice with a bound the analysis cannot evaluate gives an unknown length, never NaN', async () => {
      const src = [
        'series = torch.randn(100, 3)',
        'window = 10',
        'starts = range(0, series.size(0) - window - 1, window // 2)',
        'inputs = torch.stack([series[s:s + window] for s in starts], dim=1)',
        '',
      ].join('\n');
      const shape = await shapeOf(src, 'inputs');
      assert.ok(shape && !shape.includes('NaN'), `got ${shape}`);
      // PyTorch gives (10, 18, 3): the count of range(0, 89, 5) is followed, and so is the window's length, as every
      // start s lies between 0 and 85, so that series[s:s + window] stays inside the 100 rows.
      assert.equal(shape, '(10, 18, 3)');
    });

    it('no message of the bundled examples mentions NaN', async () => {
      const { readdirSync, readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const dir = join(__dirname, '..', '..', '..', '..', 'test', 'examples');
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
        const result = await run(readFileSync(join(dir, name), 'utf8'));
        for (const text of [...result.findings.map((f) => f.message), ...result.tensors.map((t) => t.shape)]) assert.ok(!text.includes('NaN'), `${name}: ${text}`);
      }
    });
  });

  describe('a syntax error inside a tuple leaves its length unknown', () => {
    it('a no-break space between two sizes of Input(shape=...) draws no SL202 (a real notebook has one; Python rejects the line)', async () => {
      const src = [
        'from tensorflow import keras',
        'from tensorflow.keras import layers',
        'inputs = keras.Input(shape=(num_timesteps,\u00a0num_features))',
        'x = layers.LSTM(32)(inputs)',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });
  });

  describe('conversions and fills change what a tensor holds', () => {
    it('ids made by .type(torch.LongTensor) are int64, so an Embedding takes them', async () => {
      const src = 'emb = nn.Embedding(10, 3)\nids = torch.ones(4, 6).type(torch.LongTensor)\nout = emb(ids.view(-1, 6))\n';
      assert.deepEqual(loud((await run(src)).findings), []);
      const site = (await run(src)).tensors.find((t) => t.name === 'ids');
      assert.match(site?.markdown ?? '', /int64/);
    });

    it(".type('torch.cuda.FloatTensor') is float and .to(other) takes the other tensor's dtype", async () => {
      const src = "a = torch.ones(2, 3, dtype=torch.long).type('torch.cuda.FloatTensor')\nb = torch.ones(2).to(torch.zeros(1, dtype=torch.long))\n";
      const result = await run(src);
      assert.match(result.tensors.find((t) => t.name === 'a')?.markdown ?? '', /float32/);
      assert.match(result.tensors.find((t) => t.name === 'b')?.markdown ?? '', /int64/);
    });

    it('a 0/1 mask filled with -inf and 0 is not reported as a 0/1 float mask (SL135)', async () => {
      const src = [
        't = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32)',
        'm = (torch.triu(torch.ones(5, 5)) == 1).transpose(0, 1)',
        "m = m.float().masked_fill(m == 0, float('-inf')).masked_fill(m == 1, float(0.0))",
        'out = t(torch.randn(7, 2, 16), torch.randn(5, 2, 16), tgt_mask=m)',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('a 0/1 float mask that is only copied is still one (SL135 keeps its catch)', async () => {
      const src = [
        't = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32)',
        'm = torch.triu(torch.ones(5, 5)).transpose(0, 1).float().clone().detach()',
        'out = t(torch.randn(7, 2, 16), torch.randn(5, 2, 16), tgt_mask=m)',
        '',
      ].join('\n');
      assert.deepEqual((await run(src)).findings.map((f) => f.code), ['SL135']);
    });
  });
});

describe('loss modules reduce only when asked', () => {
  it("BCEWithLogitsLoss(reduction='none') gives one loss per element, which can be permuted and masked", async () => {
    const src = [
      'class GateLoss(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      "        self.criterion = nn.BCEWithLogitsLoss(reduction='none')",
      '',
      '    def forward(self, pred, target, mask):',
      '        pred = pred.permute(1, 0)',
      '        loss = self.criterion(pred, target)',
      '        loss = loss.permute(1, 0) * mask',
      '        return loss.sum() / mask.sum()',
      '',
      'gate = GateLoss()',
      'per_step = nn.BCEWithLogitsLoss(reduction="none")(torch.randn(4, 7), torch.rand(4, 7))',
      'value = gate(torch.randn(7, 4), torch.rand(4, 7), torch.ones(7, 4))',
      '',
    ].join('\n');
    assert.deepEqual(loud((await run(src)).findings), []);
    assert.equal(await shapeOf(src, 'per_step'), '(4, 7)');
  });

  it('the legacy reduce=False, given by keyword or by position, also keeps the elements', async () => {
    const src = 'a = nn.MSELoss(reduce=False)(torch.randn(3, 5), torch.randn(3, 5))\nb = nn.MSELoss(None, False)(torch.randn(3, 5), torch.randn(3, 5))\nfirst = a[0]\n';
    assert.equal(await shapeOf(src, 'a'), '(3, 5)');
    assert.equal(await shapeOf(src, 'b'), '(3, 5)');
    assert.deepEqual(loud((await run(src)).findings), []);
  });

  it("an unreduced CrossEntropyLoss, or a reduction the file cannot read, is indexed without SL123", async () => {
    const src = [
      'def make(mode):',
      '    return nn.CrossEntropyLoss(reduction=mode)',
      '',
      "per_token = nn.CrossEntropyLoss(reduction='none')(torch.randn(6, 10), torch.randint(0, 10, (6,)))",
      'first = per_token[0]',
      "loss = make(MODE)(torch.randn(6, 10), torch.randint(0, 10, (6,)))",
      'head = loss[0]',
      '',
    ].join('\n');
    assert.deepEqual(loud((await run(src)).findings), []);
  });

  it("the default and 'sum' still reduce to a scalar, whose index PyTorch refuses (SL123 keeps its catch)", async () => {
    const src = [
      "a = nn.NLLLoss(reduction='sum')(torch.randn(6, 10).log_softmax(1), torch.randint(0, 10, (6,)))",
      'b = nn.CrossEntropyLoss()(torch.randn(6, 10), torch.randint(0, 10, (6,)))',
      'x = a.data[0]',
      'y = b.data[0]',
      '',
    ].join('\n');
    const findings = (await run(src)).findings;
    assert.deepEqual(findings.map((f) => f.code), ['SL123', 'SL123']);
    assert.deepEqual(findings.map((f) => f.range.start.line - findings[0].range.start.line), [0, 1]);
  });
});

describe('transparent wrappers', () => {
  it('torch.autograd.Variable(x) is x', async () => {
    const src = 'from torch.autograd import Variable\nimport torch\nx = Variable(torch.randn(4, 7, 3))\n';
    assert.equal(await shapeOf(src, 'x'), '(4, 7, 3)');
  });

  describe('an LSTM state pair read by position', () => {
    it('pair[0] and pair[1] side by side name h_n and c_n on purpose: no SL104', async () => {
      const src = [
        'lstm = nn.LSTM(3, 8, batch_first=True)',
        'x = torch.randn(4, 5, 3)',
        'h_c = None',
        'h_list, c_list = [], []',
        'for t in range(x.size(1)):',
        '    h_c = lstm(x[:, [t], :], h_c)[1]',
        '    h_list.append(h_c[0])',
        '    c_list.append(h_c[1])',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('pair[-1], the GRU idiom h_n[-1] carried over, is still SL104', async () => {
      const src = ['lstm = nn.LSTM(3, 8, batch_first=True)', 'out, hidden = lstm(torch.randn(4, 5, 3))', 'last = hidden[-1]', ''].join('\n');
      const found = loud((await run(src)).findings);
      assert.equal(found.length, 1);
      assert.match(found[0], /^SL104@\d+: hidden holds the LSTM's \(h_n, c_n\) pair .*hidden\[-1\] is c_n/);
    });
  });

  describe('a num_layers that is only a constructor default', () => {
    const encoder = [
      'class Encoder(nn.Module):',
      '    def __init__(self, vocab, hidden, n_layers=1, dropout=0.5):',
      '        super().__init__()',
      '        self.emb = nn.Embedding(vocab, hidden)',
      '        self.gru = nn.GRU(hidden, hidden, n_layers, dropout=dropout)',
      '',
      '    def forward(self, x):',
      '        return self.gru(self.emb(x))',
      '',
    ];

    it('draws no SL114 when no one in the file builds the model: train.py may pass n_layers=2', async () => {
      assert.deepEqual(loud((await run(encoder.join('\n'))).findings), []);
    });

    it('draws SL114 when the file builds it with the default', async () => {
      const found = loud((await run([...encoder, 'enc = Encoder(1000, 64)', ''].join('\n'))).findings);
      assert.equal(found.length, 1);
      assert.match(found[0], /^SL114@/);
    });
  });
});

describe('what a real file does not run, and arguments it cannot see', () => {
  describe('a conditional expression evaluates only the branch its test picks', () => {
    // DialogueRNN's cell: `zeros(…) if g_hist.size()[0] == 0 else g_hist[-1]`, first called with an empty history.
    const cell = [
      '',
      'class Cell(nn.Module):',
      '    def __init__(self, d_in, d_g):',
      '        super().__init__()',
      '        self.d_g = d_g',
      '        self.cell = nn.GRUCell(d_in, d_g)',
      '',
      '    def forward(self, u, g_hist):',
      '        prev = torch.zeros(u.size(0), self.d_g) if g_hist.size()[0] == 0 else g_hist[-1]',
      '        return self.cell(u, prev)',
      '',
      '',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.cell = Cell(10, 20)',
      '',
      '    def forward(self, U):',
      '        g_hist = torch.zeros(0)',
      '        for u in U:',
      '            g = self.cell(u, g_hist)',
      '            g_hist = torch.cat([g_hist, g.unsqueeze(0)], 0)',
      '        return g_hist',
      '',
      '',
      'out = Net()(torch.randn(5, 4, 10))',
      '',
    ];

    it('draws no SL125 for the else branch of an empty history (PyTorch 1.13 runs it: (5, 4, 20))', async () => {
      assert.deepEqual(loud((await run(cell.join('\n'))).findings), []);
    });

    it('still draws SL125 when the branch the test picks reads the empty history', async () => {
      const swapped = cell.join('\n').replace('torch.zeros(u.size(0), self.d_g) if g_hist.size()[0] == 0 else g_hist[-1]', 'g_hist[-1] if g_hist.size()[0] == 0 else torch.zeros(u.size(0), self.d_g)');
      const found = loud((await run(swapped)).findings);
      assert.equal(found.length, 1);
      assert.match(found[0], /^SL125@11:/);
    });

    it('takes its value from the branch picked', async () => {
      assert.equal(await shapeOf('h = torch.zeros(0)\ny = torch.zeros(2, 3) if h.size(0) == 0 else h[-1]\n', 'y'), '(2, 3)');
    });
  });

  describe('type(h) == tuple: the branch where the test fails does not hold the tuple', () => {
    // A repackage_hidden helper that recurses into an LSTM's (h, c) pair and detaches the tensors.
    const predictor = [
      '',
      'class Predictor(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.rnn = nn.LSTM(8, 16, 2)',
      '',
      '    def init_hidden(self, bsz):',
      '        return (torch.zeros(2, bsz, 16), torch.zeros(2, bsz, 16))',
      '',
      '    def repackage_hidden(self, h):',
      '        if type(h) == tuple:',
      '            return tuple(self.repackage_hidden(v) for v in h)',
      '        else:',
      '            return h.detach()',
      '',
      '    def forward(self, x, hidden):',
      '        out, hidden = self.rnn(x, hidden)',
      '        return out, self.repackage_hidden(hidden)',
      '',
      '',
      'model = Predictor()',
      'hidden = model.init_hidden(3)',
      'hidden = model.repackage_hidden(hidden)',
      'out, hidden = model(torch.randn(7, 3, 8), hidden)',
      '',
    ];

    it('draws no SL104 on h.detach() in the else branch (PyTorch 1.13 runs it)', async () => {
      assert.deepEqual(loud((await run(predictor.join('\n'))).findings), []);
    });

    it('still draws SL104 when the test (type(h) == list) fails for the tuple and the else branch runs', async () => {
      const found = loud((await run(predictor.join('\n').replace('type(h) == tuple', 'type(h) == list'))).findings);
      assert.ok(found.some((f) => /^SL104@16:/.test(f)), found.join('\n'));
    });
  });

  describe('a *seq the analysis cannot see hides sizes', () => {
    // DeepSpeech's lookahead layer pads with torch.zeros(context, *(inp.size()[1:])) of an input not followed.
    const lookahead = [
      '',
      'class Lookahead(nn.Module):',
      '    def __init__(self, n_features, context):',
      '        super().__init__()',
      '        self.context = context',
      '        self.weight = nn.Parameter(torch.randn(n_features, context + 1))',
      '',
      '    def forward(self, inp):',
      '        padding = torch.zeros(self.context, *(inp.size()[1:]))',
      '        x = torch.cat((inp, padding), 0)',
      '        x = torch.stack([x[i:i + self.context + 1] for i in range(inp.size(0))])',
      '        x = x.permute(0, 2, 3, 1)',
      '        return torch.mul(x, self.weight).sum(dim=3)',
      '',
      '',
      'class Model(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.lookahead = Lookahead(16, context=2)',
      '',
    ];

    it('torch.zeros(20, *x.size()[1:]) of an x of unknown rank is not 1-D: no SL123 on permute(0, 2, 3, 1)', async () => {
      assert.deepEqual(loud((await run(lookahead.join('\n'))).findings), []);
      assert.equal(await shapeOf('def f(x):\n    p = torch.zeros(20, *x.size()[1:])\n    return p\n', 'p'), undefined);
    });

    it('a known *seq spreads its items where it stands (PyTorch 1.13 shapes)', async () => {
      assert.equal(await shapeOf('t = torch.zeros(3, 4)\np = torch.zeros(2, *t.shape)\n', 'p'), '(2, 3, 4)');
      // Before a plain argument its items come first: (3, 4, 5) in PyTorch, never (5, 3, 4).
      assert.equal(await shapeOf('t = torch.zeros(3, 4)\nq = torch.zeros(*t.shape, 5)\n', 'q'), '(3, 4, 5)');
      assert.equal(await shapeOf('t = torch.zeros(3, 4)\nv = t.view(*t.shape[:1], 2, 2)\n', 'v'), '(3, 2, 2)');
      assert.equal(await shapeOf('t = torch.zeros(6, 4)\nw = t.view(2, *t.shape[1:], -1)\n', 'w'), '(2, 4, 3)');
    });
  });

  describe('a dict display holds the entries of its **mappings, and no fewer', () => {
    // A real protein-structure model builds every layer as LSTM(**{**params["lstm"], **params["lstm2"]}) from a config.
    it('Keras layers built from {**config, **config} of unknown content draw no SL202', async () => {
      const src = [
        'from tensorflow.keras.layers import Input, LSTM, Bidirectional, Dense',
        'def build(params):',
        '    x = Input(shape=(700, 42))',
        '    h1 = Bidirectional(LSTM(**{**params["lstm"], **params["lstm1"]}))(x)',
        '    h2 = Bidirectional(LSTM(**{**params["lstm"], **params["lstm2"]}))(h1)',
        '    return Dense(8)(h2)',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('an unknown **mapping may set bidirectional=True: no SL105 on a Linear sized for two directions', async () => {
      const src = [
        'def make(opts):',
        '    lstm = nn.LSTM(4, 8, **{**opts, "batch_first": True})',
        '    fc = nn.Linear(16, 2)',
        '    out, _ = lstm(torch.zeros(2, 5, 4))',
        '    return fc(out)',
        '',
      ].join('\n');
      assert.deepEqual(loud((await run(src)).findings), []);
    });

    it('known **mappings merge in display order, a later key winning; an unknown one leaves the length unknown', async () => {
      const src = [
        'base = {"n": 2, "m": 4}',
        'd = {**base, "n": 3}',
        'e = {"n": 3, **base}',
        'x = torch.zeros(d["n"], d["m"])',
        'y = torch.zeros(e["n"], len(e))',
        'def f(opts):',
        '    u = {**opts, "n": 3}',
        '    z = torch.zeros(u["n"], len(u))',
        '    return z',
        '',
      ].join('\n');
      assert.equal(await shapeOf(src, 'x'), '(3, 4)');
      assert.equal(await shapeOf(src, 'y'), '(2, 2)');
      assert.equal(await shapeOf(src, 'z'), '(3, ?)');
    });

    it('a stack of Keras LSTMs whose known **config leaves return_sequences False still draws SL202', async () => {
      const src = [
        'from tensorflow.keras.layers import Input, LSTM',
        'base = {"units": 64}',
        'x = Input(shape=(700, 21))',
        'h = LSTM(**{**base, "return_sequences": False})(x)',
        'h = LSTM(**{"return_sequences": True, **base})(h)',
        '',
      ].join('\n');
      assert.deepEqual((await run(src)).findings.filter((f) => f.severity === 'error').map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL202@5']);
    });
  });
});

describe('constructor keywords from a known **mapping', () => {
  it('reach the layer: batch_first given through ** is not taken as its default', async () => {
    const body = 'lstm = nn.LSTM(4, 8, **{"batch_first": True})\nh0 = torch.zeros(1, 2, 8)\nout, _ = lstm(torch.randn(2, 5, 4), (h0, h0))\n';
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'out'), '(2, 5, 8)');
    // Given the other way, the state's batch is wrong and PyTorch 1.13 raises "Expected hidden[0] size (1, 5, 8)".
    assert.deepEqual(await codes(body.replace('True', 'False')), ['SL103']);
    assert.equal(await shapeOf('kw = {"hidden_size": 16}\nrnn = nn.GRU(4, **kw)\nout, h = rnn(torch.randn(3, 2, 4))\n', 'out'), '(3, 2, 16)');
  });
});

describe('globals a function nothing calls reads when some caller would run it', () => {
  // A notebook: a helper written for the first model, never called, and the model's name bound again later to a
  // model of another kind. Python reads `net` when the helper runs, at any time after its def: it may be either model.
  const models = [
    'class Cell(nn.Module):',
    '    def __init__(self, n_in, n_hidden):',
    '        super().__init__()',
    '        self.i2h = nn.Linear(n_in + n_hidden, n_hidden)',
    '',
    '    def forward(self, x, hidden):',
    '        return self.i2h(torch.cat((x, hidden), 1))',
    '',
    'class Seq(nn.Module):',
    '    def __init__(self, n_in, n_hidden):',
    '        super().__init__()',
    '        self.lstm = nn.LSTM(n_in, n_hidden)',
    '',
    '    def forward(self, x, hidden):',
    '        return self.lstm(x, hidden)',
    '',
  ].join('\n');
  const helper = ['def run_steps(batch):', '    hidden = torch.zeros(4, 3)', '    for i in range(batch.size(1)):', '        hidden = net(batch[:, i], hidden)', '    return hidden', ''].join('\n');
  /** Errors and warnings as `code@line`, lines counted in the snippet (run() puts two imports before it). */
  const at = async (src: string) => loud((await run(src)).findings).map((f) => f.split(':')[0].replace(/@(\d+)/, (_, n) => `@${Number(n) - 2}`));

  it('a name bound again after the def reads as what its values agree on, not as the last one', async () => {
    // PyTorch 1.13: the file runs without error (run_steps is never called); called before the rebinding it works.
    const src = `${models}\nnet = Cell(5, 3)\n${helper}\nnet = Seq(5, 3)\nout, state = net(torch.randn(7, 4, 5), (torch.zeros(1, 4, 3), torch.zeros(1, 4, 3)))\n`;
    assert.deepEqual(await at(src), []);
  });

  it('a name that holds one value from the def on keeps it: one tensor given to that LSTM as its state still draws SL104', async () => {
    // Only the LSTM model can be `net` when run_steps runs; PyTorch reads hx[0] and hx[1] of the one tensor and raises.
    assert.deepEqual(await at(`${models}\nnet = Seq(5, 3)\n${helper}`), ['SL104@15']);
    // Bound again before the def, or after it to the same model (train() returns the module itself): the same.
    assert.deepEqual(await at(`${models}\nnet = Cell(5, 3)\nnet = Seq(5, 3)\n${helper}`), ['SL104@15']);
    assert.deepEqual(await at(`${models}\nnet = Seq(5, 3)\n${helper}\nnet = net.train()\n`), ['SL104@15']);
  });
});
