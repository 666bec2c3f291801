// DataLoader(TensorDataset of 282 rows, batch_size=100) without drop_last ends on a batch of 82: a state built for 100
// sequences raises "Expected hidden[0] size (2, 82, 50), got [2, 100, 50]" there (SL103; PyTorch 1.13, see
// test/fixtures/torch-reported/lstm-sentiment-4-*).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

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
