// DataLoader(TensorDataset of 282 rows, batch_size=100) without drop_last ends on a batch of 82: a state built for 100
// sequences raises "Expected hidden[0] size (2, 82, 50), got [2, 100, 50]" there (SL103; PyTorch 1.13, see
// test/fixtures/torch-reported/lstm-sentiment-4-*).
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const loader = (rows: number, extra: string) => `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

lstm = nn.LSTM(16, 50, 2, batch_first=True)
data = TensorDataset(torch.randn(${rows}, 20, 16), torch.randint(0, 2, (${rows},)))
loader = DataLoader(data, shuffle=True, batch_size=100${extra})
h = (torch.zeros(2, 100, 50), torch.zeros(2, 100, 50))
for x, y in loader:
    out, h = lstm(x, h)
    h = tuple(e.detach() for e in h)
`;

describe('SL103 on a state built for the full batch of a DataLoader whose last batch is smaller', () => {
  it('reports 282 samples in batches of 100 without drop_last: the last batch holds 82', async () => {
    const result = await run(loader(282, ''));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL103@10']);
    assert.match(result.findings[0].message, /h_0 of shape \(2, 82, 50\).*got \(2, 100, 50\).*last batch holds 82/);
    assert.deepEqual(result.findings[0].fixes, []);
  });

  it('stays silent with drop_last=True, with a length batch_size divides, and with a sampler', async () => {
    assert.deepEqual(await codes(loader(282, ', drop_last=True')), []);
    assert.deepEqual(await codes(loader(400, '')), []);
    assert.deepEqual(await codes(loader(282, ', batch_sampler=None')), []);
  });
});

// DataLoader(dataset, batch_size=1): BatchSampler(sampler, 1, drop_last) yields one index at a time, so every batch,
// the last one too and whatever sampler orders the samples, holds one sample. A (1, 1) prediction squeezed with
// squeeze() is then 0-d against a (1,) target: PyTorch 1.13 warns "Using a target size (torch.Size([1])) that is
// different to the input size (torch.Size([]))" (test/fixtures/torch-reported/q15-glupredkit-45-*).
describe('DataLoader batches of batch_size=1', () => {
  const program = (loaderArgs: string, squeeze = 'squeeze()') => `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

data = TensorDataset(torch.randn(20, 12, 3), torch.randn(20))
loader = DataLoader(data, ${loaderArgs})
lstm = nn.LSTM(3, 50, batch_first=True)
linear = nn.Linear(50, 1)
for x, y in loader:
    out, _ = lstm(x)
    pred = linear(out[:, -1, :]).${squeeze}
    loss = nn.MSELoss()(pred, y)
`;

  it('gives every batch a batch axis of 1, written as a keyword or positionally, with shuffle or a sampler', async () => {
    assert.equal(await shapeOf(program('batch_size=1, shuffle=True'), 'x'), '(1, 12, 3)');
    assert.equal(await shapeOf(program('1, True'), 'x'), '(1, 12, 3)');
    assert.equal(await shapeOf(program('batch_size=1, sampler=RandomSampler(data)'), 'x'), '(1, 12, 3)');
    assert.equal(await shapeOf(program('batch_size=1, drop_last=True'), 'y'), '(1,)');
  });

  it('keeps the batch a symbol for other sizes, a batch_sampler, or a batch_size it does not see', async () => {
    for (const args of ['batch_size=2', 'batch_size=1, batch_sampler=None', 'batch_size=int(input())', 'shuffle=True']) {
      const shape = await shapeOf(program(args), 'x');
      assert.ok(shape !== undefined && !shape.startsWith('(1,'), `${args}: ${shape}`);
    }
  });

  it('reports a squeeze() that leaves a 0-d prediction against the (1,) target, and not squeeze(1)', async () => {
    const result = await run(program('batch_size=1, shuffle=True'));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL115@12']);
    assert.match(result.findings[0].message, /input \(\).*target \(1,\)/);
    assert.deepEqual(await codes(program('batch_size=1, shuffle=True', 'squeeze(1)')), []);
    assert.deepEqual(await codes(program('batch_size=4, shuffle=True')), []);
  });
});
