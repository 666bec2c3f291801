// A module chosen by a setting the analysis cannot read (`nn.LSTM(...) if cell == 'lstm' else nn.GRU(...)`, an
// `if`/`else` in __init__, a ModuleList read at a loop index) is one of its alternatives: its output is what every
// alternative's output agrees on, and no rule reads the call, since an alternative may never be taken.
// pad_packed_sequence gives 1-D lengths whatever it unpacks.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const TAGGER = (init: string, forward: string, input = 'torch.zeros(4, 7, dtype=torch.long)'): string => `import torch
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.emb = nn.Embedding(100, 8)
${init.split('\n').map((l) => `        ${l}`).join('\n')}

    def forward(self, x):
${forward.split('\n').map((l) => `        ${l}`).join('\n')}

t = Tagger(CONFIG)
y = t(${input})
`;

const IFEXP = "self.rnn = nn.LSTM(8, 16, batch_first=True) if config.cell == 'lstm' else nn.GRU(8, 16, batch_first=True)";
const IFSTMT = "if config.cell == 'lstm':\n    self.rnn = nn.LSTM(8, 16, batch_first=True)\nelif config.cell == 'gru':\n    self.rnn = nn.GRU(8, 16, batch_first=True)\nelse:\n    self.rnn = nn.RNN(8, 16, batch_first=True)";

const NET = (init: string, forward: string, input = 'torch.zeros(2, 8)', classes = ''): string => `import torch
import torch.nn as nn

class Mine(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.lin = nn.Linear(8, n)

    def forward(self, x):
        return self.lin(x)
${classes}
class Net(nn.Module):
    def __init__(self, flag, n):
        super().__init__()
${init.split('\n').map((l) => `        ${l}`).join('\n')}

    def forward(self, x):
${forward.split('\n').map((l) => `        ${l}`).join('\n')}

n = Net(FLAG, N)
z = n(${input})
`;

describe('layers chosen by a setting not known', () => {
  it("an LSTM or a GRU by a conditional expression: the output both give, the state they disagree on unknown", async () => {
    const body = TAGGER(IFEXP, 'out, state = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 16)');
    assert.equal(await shapeOf(body, 'state'), undefined);
  });

  it('an LSTM, a GRU or an RNN by an if/elif/else in __init__', async () => {
    const body = TAGGER(IFSTMT, 'out, _ = self.rnn(self.emb(x))\nlast = out[:, -1]\nreturn last');
    assert.equal(await shapeOf(body, 'last'), '(4, 16)');
  });

  it('alternatives whose sizes differ keep the rank with that size unknown', async () => {
    const body = TAGGER("self.rnn = nn.LSTM(8, 16, batch_first=True, bidirectional=True) if config.bi else nn.LSTM(8, 16, batch_first=True)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, ?)');
  });

  it('a batch-first and a seq-first LSTM: equal sizes, no role claimed', async () => {
    const body = TAGGER("self.rnn = nn.LSTM(8, 8, batch_first=True) if config.bf else nn.LSTM(8, 8)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    const result = await run(body);
    const out = result.tensors.filter((t) => t.name === 'out').pop();
    assert.equal(out?.shape, '(4, 7, 8)');
  });

  it('no rule reads a call of alternatives: an input size only one of them refuses gives no finding', async () => {
    // The same input into the LSTM alone is an error (SL101): the alternatives' call is what mutes it.
    const alone = TAGGER('self.rnn = nn.LSTM(6, 16, batch_first=True)', 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.ok((await codes(alone)).includes('SL101'));
    const either = TAGGER("self.rnn = nn.LSTM(6, 16, batch_first=True) if config.cell == 'lstm' else nn.GRU(8, 16, batch_first=True)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.deepEqual(await codes(either), []);
  });

  it("an attribute all alternatives have reads as far as they agree; one some lack is unknown", async () => {
    const body = TAGGER(IFEXP, 'h = torch.zeros(1, x.size(0), self.rnn.hidden_size)\nreturn h');
    assert.equal(await shapeOf(body, 'h'), '(1, 4, 16)');
  });

  it('isinstance of one of several layers is decided only when all alternatives agree', async () => {
    const body = TAGGER(IFEXP, 'if isinstance(self.rnn, nn.LSTM):\n    s = torch.zeros(1)\nelse:\n    s = torch.zeros(2)\nif isinstance(self.rnn, nn.Linear):\n    u = torch.zeros(1)\nelse:\n    u = torch.zeros(2)\nreturn s');
    const result = await run(body);
    assert.deepEqual(result.tensors.filter((t) => t.name === 's').map((t) => t.shape), ['(1,)', '(2,)']);
    assert.deepEqual(result.tensors.filter((t) => t.name === 'u').map((t) => t.shape), ['(2,)']);
  });

  it('a user module on one path and a layer on the other: each runs, and the output is what both give', async () => {
    const body = NET('self.f = Mine(4) if flag else nn.Linear(8, 4)', 'y = self.f(x)\nreturn y');
    assert.equal(await shapeOf(body, 'y'), '(2, 4)');
  });

  it('a Sequential built in an if and a Linear in its else join as alternatives', async () => {
    const body = NET('if flag:\n    self.head = nn.Sequential(nn.BatchNorm1d(8), nn.Linear(8, 3))\nelse:\n    self.head = nn.Linear(8, 3)', 'y = self.head(x)\nreturn y');
    assert.equal(await shapeOf(body, 'y'), '(2, 3)');
  });

  it('two user modules whose outputs differ in a size keep the rank, that size unknown', async () => {
    const body = NET('if flag:\n    self.f = Mine(4)\nelse:\n    self.f = Mine(6)', 'y = self.f(x)\nreturn y');
    assert.equal(await shapeOf(body, 'y'), '(2, ?)');
  });

  it("a ModuleList's item at a loop index, the items built apart (a first block, then others): their join", async () => {
    const init = 'self.blocks = nn.ModuleList()\nself.blocks.append(nn.Sequential(nn.Linear(8, 8), nn.ReLU()))\nfor _ in range(n - 1):\n    self.blocks.append(Mine(8))';
    const body = NET(init, 'h = x\nfor i in range(len(self.blocks)):\n    h = self.blocks[i](h)\nreturn h');
    assert.equal(await shapeOf(body, 'h'), '(2, 8)');
  });

  it('no finding comes from an alternative that may not be taken: a user module that would raise is muted, its output unknown', async () => {
    // Mine(4) alone on a 6-feature input raises (SL106's mismatch); as one alternative it reports nothing and the join is unknown.
    const alone = NET('self.f = Mine(4)', 'y = self.f(x)\nreturn y', 'torch.zeros(2, 6)');
    assert.ok((await codes(alone)).length > 0);
    const either = NET('self.f = Mine(4) if flag else nn.Linear(6, 4)', 'y = self.f(x)\nreturn y', 'torch.zeros(2, 6)');
    assert.deepEqual(await codes(either), []);
    assert.equal(await shapeOf(either, 'y'), undefined);
  });

  it('a rule reading the joined output fires only where every alternative gives the same fault', async () => {
    // Both alternatives give 4 features; a Linear(5, ...) after them is wrong whichever ran, and is reported once.
    const both = NET('self.f = Mine(4) if flag else nn.Linear(8, 4)\nself.g = nn.Linear(5, 2)', 'y = self.f(x)\nw = self.g(y)\nreturn w');
    assert.ok((await codes(both)).length > 0);
    // One alternative gives 5 features, the Linear(5, ...)'s own: the joined size is unknown and nothing is reported.
    const one = NET('self.f = Mine(4) if flag else nn.Linear(8, 5)\nself.g = nn.Linear(5, 2)', 'y = self.f(x)\nw = self.g(y)\nreturn w');
    assert.deepEqual(await codes(one), []);
    assert.equal(await shapeOf(one, 'y'), '(2, ?)');
  });

  it("an attribute of a user module that is one of alternatives is not read from the layers' arguments", async () => {
    const body = NET('self.f = Mine(4) if flag else nn.Linear(8, 4)', 's = torch.zeros(self.f.in_features)\nreturn s');
    assert.equal(await shapeOf(body, 's'), undefined);
  });

  it('isinstance of a user module among the alternatives is not decided (it may extend the type asked)', async () => {
    const body = NET('self.f = Mine(4) if flag else nn.Linear(8, 4)', 'if isinstance(self.f, nn.Linear):\n    s = torch.zeros(1)\nelse:\n    s = torch.zeros(2)\nreturn s');
    const result = await run(body);
    assert.deepEqual(result.tensors.filter((t) => t.name === 's').map((t) => t.shape), ['(1,)', '(2,)']);
  });
});

describe('callables chosen by a setting not known', () => {
  it('a layer class picked by a conditional expression, then built: each class is built and applied', async () => {
    const body = TAGGER("cell = nn.LSTM if config.cell == 'lstm' else nn.GRU\nself.rnn = cell(8, 16, batch_first=True)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 16)');
  });

  it('a layer class set on self in if/else, then built', async () => {
    const body = TAGGER("if config.cell == 'lstm':\n    self.rnn_cell = nn.LSTM\nelse:\n    self.rnn_cell = nn.GRU\nself.rnn = self.rnn_cell(8, 16, batch_first=True, bidirectional=True)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 32)');
  });

  it('user module classes picked in if/else, then built: the output both give', async () => {
    const other = '\nclass Other(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.n = n\n\n    def forward(self, x):\n        return torch.zeros(x.size(0), self.n)\n';
    const body = NET('block = Mine if flag else Other\nself.f = block(4)', 'y = self.f(x)\nreturn y', 'torch.zeros(2, 8)', other);
    assert.equal(await shapeOf(body, 'y'), '(2, 4)');
  });

  it('an activation function picked in if/else is called as each', async () => {
    const body = TAGGER("self.out = torch.sigmoid if config.sig else torch.tanh", 'y = self.out(self.emb(x))\nreturn y');
    assert.equal(await shapeOf(body, 'y'), '(4, 7, 8)');
  });

  it('classes a generator yields, each picked apart by the same setting, are one choice: each item is it', async () => {
    // Each call of the helper gives a choice of its own, the same one: the generator's items are that choice.
    const helper = "\ndef pick(cfg):\n    return nn.LSTM if cfg.cell == 'lstm' else nn.GRU\n\ndef cells(cfg):\n    yield pick(cfg)\n    yield pick(cfg)\n";
    const body = TAGGER('for cell in cells(config):\n    self.rnn = cell(8, 16, batch_first=True)', 'out, _ = self.rnn(self.emb(x))\nreturn out').replace('class Tagger', `${helper}\nclass Tagger`);
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 16)');
  });

  it('building a class that is one of several reports nothing, and one that raises makes the layer unknown', async () => {
    // A float size raises when the LSTM is built (SL158); picked against nn.GRU, the construction is muted.
    const alone = TAGGER('self.rnn = nn.LSTM(16 / 2, 16, batch_first=True)', 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.ok((await codes(alone)).includes('SL158'));
    const body = TAGGER("cell = nn.LSTM if config.cell == 'lstm' else nn.GRU\nself.rnn = cell(16 / 2, 16, batch_first=True)", 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'out'), undefined);
  });
});

describe('pad_packed_sequence of a value not followed', () => {
  it('gives lengths of one axis', async () => {
    const body = `import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_packed_sequence

class Encoder(nn.Module):
    def forward(self, packed):
        out, lengths = pad_packed_sequence(packed, batch_first=True)
        return lengths
`;
    const result = await run(body);
    const lengths = result.tensors.filter((t) => t.name === 'lengths').pop();
    assert.equal(lengths?.shape, '(?,)');
  });
});

// An attribute set on the paths of an if/else the analysis cannot decide holds what those paths give it where they
// meet: a placeholder overwritten on every path is gone, a path that raises gives nothing, and None set on one path
// (`nn.Linear(...) if c else None`) is one of the values: calling it is the other value's call (calling None raises),
// while `is None` stays undecided.
const RNN_BY_CELL = "self.rnn = None\nif config.cell == 'lstm':\n    self.rnn = nn.LSTM(8, 16, batch_first=True)\nelse:\n    self.rnn = nn.GRU(8, 16, batch_first=True)";

describe('attributes set on paths not decided', () => {
  it('a None placeholder overwritten on both paths of an if/else is gone: the layers both paths set are called', async () => {
    const body = TAGGER(RNN_BY_CELL, 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 16)');
  });

  it('a placeholder overwritten in each branch of a nested if/elif/else is gone', async () => {
    const init = "self.rnn = None\nif config.cell == 'lstm':\n    self.rnn = nn.LSTM(8, 16, batch_first=True)\nelif config.cell == 'gru':\n    self.rnn = nn.GRU(8, 16, batch_first=True)\nelse:\n    self.rnn = nn.RNN(8, 16, batch_first=True)";
    const body = TAGGER(init, 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, 16)');
  });

  it('a path that raises sets nothing: the attribute holds what the other path set', async () => {
    // Joined with the GRU set before the if, the LSTM's state (a tuple) would be unknown.
    const init = "self.rnn = nn.GRU(8, 16, batch_first=True)\nif config.cell == 'lstm':\n    self.rnn = nn.LSTM(8, 16, batch_first=True)\nelse:\n    raise ValueError(config.cell)";
    const body = TAGGER(init, 'out, (h, c) = self.rnn(self.emb(x))\nreturn h');
    assert.equal(await shapeOf(body, 'h'), '(1, 4, 16)');
  });

  it('an attribute one path leaves as it was joins the old value with the new one', async () => {
    const init = "self.rnn = nn.LSTM(8, 16, batch_first=True)\nif config.bi:\n    self.rnn = nn.LSTM(8, 16, batch_first=True, bidirectional=True)";
    const body = TAGGER(init, 'out, _ = self.rnn(self.emb(x))\nreturn out');
    assert.equal(await shapeOf(body, 'out'), '(4, 7, ?)');
  });

  it('a layer or None by a conditional expression: calling it is the layer’s call', async () => {
    const body = TAGGER('self.proj = nn.Linear(8, 3) if config.project else None', 'p = self.proj(self.emb(x))\nreturn p');
    assert.equal(await shapeOf(body, 'p'), '(4, 7, 3)');
  });

  it('a layer set in one branch and None in the other: calling it is the layer’s call', async () => {
    const body = TAGGER('if config.project:\n    self.proj = nn.Linear(8, 3)\nelse:\n    self.proj = None', 'p = self.proj(self.emb(x))\nreturn p');
    assert.equal(await shapeOf(body, 'p'), '(4, 7, 3)');
  });

  it('a layer or None is not decided by `is None`: both branches run and join', async () => {
    const forward = 'h = self.emb(x)\nif self.proj is None:\n    z = h.sum(-1)\nelse:\n    z = self.proj(h)\nw = z\nreturn w';
    const body = TAGGER('self.proj = nn.Linear(8, 3) if config.project else None', forward);
    assert.equal(await shapeOf(body, 'w'), undefined);
    const same = TAGGER('self.proj = nn.Linear(8, 8) if config.project else None', 'h = self.emb(x)\nif self.proj is not None:\n    h = self.proj(h)\nz = h\nreturn z');
    assert.equal(await shapeOf(same, 'z'), '(4, 7, 8)');
  });

  it('a layer or None is checked as the layer is: a feature size it refuses is reported', async () => {
    const alone = TAGGER('self.proj = nn.Linear(6, 3)', 'p = self.proj(self.emb(x))\nreturn p');
    const orNone = TAGGER('self.proj = nn.Linear(6, 3) if config.project else None', 'p = self.proj(self.emb(x))\nreturn p');
    const found = await codes(alone);
    assert.ok(found.length > 0);
    assert.deepEqual(await codes(orNone), found);
  });
});
