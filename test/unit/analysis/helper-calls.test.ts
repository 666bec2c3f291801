// Values that pass through the program's own helpers: a cheap helper keeps being run after the per-function run limit
// (its result is computed, not given up), and the Python numbers a tensor gives back (`.item()`, `.tolist()`,
// `.numel()`, enumerate's count) are known ints, not unknown values.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const DECODER = (forward: string): string => `import torch
import torch.nn as nn

def to_var(x):
    if torch.cuda.is_available():
        x = x.cuda()
    return x

def best_id(scores):
    _, idx = torch.max(scores, 1)
    return idx.item()

class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(8, 16)
        self.out = nn.Linear(16, 10)

    def forward(self, x):
${forward.split('\n').map((l) => `        ${l}`).join('\n')}

d = Decoder()
y = d(torch.randn(4, 14, 8))
`;

/** The --stats figures of a program (names assigned in forward and what the analysis knows of them). */
async function coverageOf(body: string): Promise<Record<string, unknown>> {
  return (await run(body)).coverage as unknown as Record<string, unknown>;
}

describe('values through user helpers and Python numbers from tensors', () => {
  it('a cheap helper called at every step of a long loop still gives its result after the twelfth call', async () => {
    const body = DECODER('h = to_var(torch.zeros(4, 16))\nfor t in range(14):\n    step = to_var(x[:, t])\n    h = self.cell(step, h)\nlast = to_var(h)\nreturn last');
    assert.equal(await shapeOf(body, 'last'), '(4, 16)');
  });

  it('reports nothing on the decoding loop', async () => {
    const body = DECODER('h = to_var(torch.zeros(4, 16))\nfor t in range(14):\n    step = to_var(x[:, t])\n    h = self.cell(step, h)\nlast = to_var(h)\nreturn last');
    assert.deepEqual((await run(body)).findings.map((f) => f.code), []);
  });

  it('.item() of an integer tensor, .numel() and the count enumerate gives are ints, counted as known values', async () => {
    const body = DECODER('scores = self.out(torch.zeros(1, 16))\nbest = best_id(scores)\nn = scores.numel()\nfor i, row in enumerate(x[0]):\n    k = i\nreturn scores');
    const stats = await coverageOf(body);
    // scores, the helper's _ and idx, best, n, i, row, k: the three tensors known, and best, n, i, k known ints.
    assert.deepEqual([stats.names, stats.rankKnown, stats.knownValues, stats.unknown], [8, 4, 4, 0]);
  });

  it('.item() of a float tensor is a Python float whose value is not known: a value, never a number', async () => {
    const body = DECODER('scores = self.out(torch.zeros(4, 16))\nv = scores.max().item()\nreturn scores');
    const stats = await coverageOf(body);
    assert.deepEqual([stats.knownValues, stats.unknown], [1, 0]);
  });

  it('.tolist() of an integer tensor of known rank is a list of lists of ints', async () => {
    const body = DECODER('ids = torch.zeros(4, 3, dtype=torch.long)\nrows = ids.tolist()\nfirst = rows[0]\nreturn x');
    const stats = await coverageOf(body);
    assert.deepEqual([stats.names, stats.rankKnown, stats.knownValues, stats.unknown], [3, 1, 2, 0]);
  });
});

const ATTENTION = (init: string, forward: string): string => `import torch
import torch.nn as nn

class Attention(nn.Module):
    def __init__(self, enc_dim, trg_dim, method):
        super().__init__()
        self.method = method
${init.split('\n').map((l) => `        ${l}`).join('\n')}

    def forward(self, h, ctx):
${forward.split('\n').map((l) => `        ${l}`).join('\n')}

a = Attention(16, 8, METHOD)
y = a(torch.randn(4, 8), torch.randn(4, 16))
`;

describe('layers built on two paths', () => {
  it('two Linear layers with different input sizes join into a Linear whose output size both give', async () => {
    const body = ATTENTION("if self.method == 'dot':\n    self.out = nn.Linear(2 * trg_dim, trg_dim)\nelse:\n    self.out = nn.Linear(enc_dim + trg_dim, trg_dim)", 'both = torch.cat([h, ctx], 1)\no = self.out(both)\nreturn o');
    assert.equal(await shapeOf(body, 'o'), '(4, 8)');
  });

  it('a join that leaves the input size unknown reports no size mismatch', async () => {
    const body = ATTENTION("if self.method == 'dot':\n    self.out = nn.Linear(2 * trg_dim, trg_dim)\nelse:\n    self.out = nn.Linear(enc_dim + trg_dim, trg_dim)", 'o = self.out(h)\nreturn o');
    assert.deepEqual((await run(body)).findings.map((f) => f.code), []);
  });

  it('layers whose flags differ do not join into one layer, but are alternatives (an LSTM batch-first on one path only): both give (4, 1, 8)', async () => {
    const body = ATTENTION("if self.method == 'dot':\n    self.rnn = nn.LSTM(8, 8, batch_first=True)\nelse:\n    self.rnn = nn.LSTM(8, 8)", 'o, _ = self.rnn(h.unsqueeze(1))\nreturn o');
    assert.equal(await shapeOf(body, 'o'), '(4, 1, 8)');
  });
});

describe("'name' in locals()", () => {
  it('is true for a name bound before the test and false for one not bound yet', async () => {
    const body = "def f(x):\n    y = x\n    r = 'y' in locals()\n    s = 'z' not in locals()\n    return torch.zeros(2) if r and s else None\nv = f(1)\n";
    assert.equal(await shapeOf(body, 'v'), '(2,)');
  });

});
