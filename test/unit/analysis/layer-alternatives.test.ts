// A layer chosen by a setting the analysis cannot read (`nn.LSTM(...) if cell == 'lstm' else nn.GRU(...)`, or an
// `if`/`else` in __init__) is one of its alternatives: its output is what every alternative's output agrees on, and no
// rule reads the call, since an alternative may never be taken. pad_packed_sequence gives 1-D lengths whatever it unpacks.
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

  it('a layer a user module may stand for does not join (its forward is code, not a shape rule)', async () => {
    const body = `import torch
import torch.nn as nn

class Mine(nn.Module):
    def forward(self, x):
        return x

class Net(nn.Module):
    def __init__(self, flag):
        super().__init__()
        self.f = Mine() if flag else nn.Linear(8, 8)

    def forward(self, x):
        y = self.f(x)
        return y

n = Net(FLAG)
z = n(torch.zeros(2, 8))
`;
    assert.equal(await shapeOf(body, 'y'), undefined);
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
