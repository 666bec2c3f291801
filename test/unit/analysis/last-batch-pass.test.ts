// A DataLoader over a dataset of known length that batch_size does not divide (no drop_last) ends on a smaller batch.
// A loop over it gets one more pass with the batch at that size, so what breaks only there is reported, saying so:
// squeeze() of a (1, T, 1) score drops the batch of a one-sample last batch, and matmul((T, 1), (1, T, H)) raises
// "mat1 and mat2 shapes cannot be multiplied" in PyTorch 1.13 (test/fixtures/attention-reported/q50-neuralclassifier-81-*).
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const attention = (samples: number, extra = '') => `import torch
from torch.utils.data import DataLoader, TensorDataset

score = torch.nn.Linear(32, 1)
data = TensorDataset(torch.randn(${samples}, 7, 32), torch.randint(0, 3, (${samples},)))
loader = DataLoader(data, batch_size=16${extra})
for x, y in loader:
    alpha = torch.softmax(score(x), 1).squeeze().unsqueeze(1)
    pooled = torch.matmul(alpha, x)
`;

describe('the last batch of a DataLoader gets a pass of its own', () => {
  it('reports an op that fails only on a one-sample last batch, naming the batch in the message', async () => {
    const result = await run(attention(33));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL121@9']);
    assert.match(result.findings[0].message, /inner sizes differ \(1 against 7\).*on the last batch: the DataLoader at line 6 splits 33 samples into batches of 16 without drop_last, so its last batch holds 1\)/);
  });

  it('stays silent when the last batch holds more than one sample, with drop_last, and when batch_size divides', async () => {
    assert.deepEqual(await codes(attention(34)), []);
    assert.deepEqual(await codes(attention(33, ', drop_last=True')), []);
    assert.deepEqual(await codes(attention(32)), []);
  });

  it('keeps the full batches in hovers: the loop variable is still the batch symbol', async () => {
    assert.equal(await shapeOf(attention(33), 'x'), '(B, 7, 32)');
    assert.equal(await shapeOf(attention(33), 'pooled'), undefined);
  });

  it('lets squeeze() keep a batch axis whose batches and last batch all hold two or more', async () => {
    assert.equal(await shapeOf(attention(34), 'alpha'), '(B, 1, 7)');
    assert.equal(await shapeOf(attention(34), 'pooled'), '(B, 1, 32)');
    // A batch that may be one sample (no length known) leaves squeeze()'s rank unknown.
    assert.equal(await shapeOf(attention(32), 'alpha'), undefined);
  });

  it('keeps a last batch through a join only when both paths end on the same one', async () => {
    const program = (a: number, b: number) => `import random
import torch
from torch.utils.data import DataLoader, TensorDataset

first = DataLoader(TensorDataset(torch.randn(${a}, 7, 1)), batch_size=16)
second = DataLoader(TensorDataset(torch.randn(${b}, 7, 1)), batch_size=16)
loader = first if random.random() > 0.5 else second
for (x,) in loader:
    s = x.squeeze()
`;
    assert.equal(await shapeOf(program(34, 34), 's'), '(B, 7)');
    // 32 samples in batches of 16 say nothing of a last batch: a batch of that loader may hold one sample.
    assert.equal(await shapeOf(program(34, 32), 's'), undefined);
    assert.equal(await shapeOf(program(34, 35), 's'), undefined);
  });

  it('follows a loop that skips the last batch: no state is fed to it there', async () => {
    const loop = (guard: string) => `import torch
from torch.utils.data import DataLoader, TensorDataset

gru = torch.nn.GRU(8, 4, batch_first=True)
loader = DataLoader(TensorDataset(torch.randn(33, 5, 8)), batch_size=16)
h = torch.zeros(1, 16, 4)
for (x,) in loader:
${guard}
`;
    assert.deepEqual(await codes(loop('    if x.size(0) != 16:\n        continue\n    out, h = gru(x, h)')), []);
    assert.deepEqual(await codes(loop('    if x.shape[0] < 16:\n        break\n    out, h = gru(x, h)')), []);
    assert.deepEqual(await codes(loop('    if x.shape[0] == 16:\n        out, h = gru(x, h)')), []);
    assert.deepEqual(await codes(loop('    if x.size(0) > 16:\n        continue\n    out, h = gru(x, h)')), ['SL103']);
  });

  it('runs the pass from what the loop carried: a state built for batch_size is reported once, by SL103', async () => {
    const result = await run(`import torch
from torch.utils.data import DataLoader, TensorDataset

gru = torch.nn.GRU(8, 4, batch_first=True)
loader = DataLoader(TensorDataset(torch.randn(33, 5, 8)), batch_size=16)
h = torch.zeros(1, 16, 4)
for (x,) in loader:
    out, h = gru(x, h)
    h = h.detach()
`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL103@8']);
    assert.match(result.findings[0].message, /last batch holds 1/);
  });
});

// pack_padded_sequence pads back to the longest length: lengths whose values are at least 20 leave at least 20 steps,
// which squeeze() keeps and which a size of 1 cannot meet in matmul (PyTorch 1.13: "mat1 and mat2 shapes cannot be
// multiplied (8x242 and 1x242)" for one sequence of 242 steps).
describe('a padded length known to be at least some size', () => {
  const packed = (low: number) => `import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

lengths = torch.randint(${low}, 257, (1,))
x = torch.randn(1, 256, 8)
sorted_lengths, order = torch.sort(lengths, descending=True)
out, _ = pad_packed_sequence(pack_padded_sequence(x[order], sorted_lengths, batch_first=True), batch_first=True)
q = out.sum(2).squeeze()
z = torch.matmul(q.unsqueeze(1), out)
`;

  it('keeps the steps through squeeze() and reports the matmul, saying the least size', async () => {
    assert.equal(await shapeOf(packed(20), 'q'), '(T,)');
    const result = await run(packed(20));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL121@9']);
    assert.match(result.findings[0].message, /inner sizes differ \(1 against T \(at least 20\)\)/);
  });

  it('says nothing when a length may be 1', async () => {
    assert.equal(await shapeOf(packed(1), 'q'), undefined);
    assert.deepEqual(await codes(packed(1)), []);
  });

  it('keeps value bounds through torch.sort, whose values are the input reordered', async () => {
    const result = await run(`import torch
emb = torch.nn.Embedding(50, 8)
ids = torch.randint(0, 100, (8,))
s, _ = torch.sort(ids)
e = emb(s)
`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL108@5']);
  });
});
