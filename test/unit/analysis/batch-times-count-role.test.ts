// A batch size times a count that is no time axis (`b * (h // width)`, einops' `(b h1)`) is a batch again, so SL130 reads
// the layout of windowed tokens (test/fixtures/attention-reported/aematter-3-*); a batch times a length is neither.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const windows = (batchFirst: string, rows: string) => `import torch
import torch.nn as nn


class Strips(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 2${batchFirst})

    def forward(self, src):
        b, c, h, w = src.shape
        x = src.permute(0, 2, 3, 1).reshape(${rows}, 5 * w, c)
        return self.attn(x, x, x)[0]


out = Strips()(torch.randn(2, 32, 20, 20))
`;

describe('a batch size times a count is a batch', () => {
  it('reads (b * strips, tokens, c) as batch-first data for a sequence-first attention layer (SL130)', async () => {
    const result = await run(windows('', 'b * (h // 5)'));
    assert.deepEqual(result.findings.map((f) => f.code), ['SL130']);
    assert.match(result.findings[0].message, /receives batch-first data \(8, 100, 32\)/);
  });

  it('stays silent with batch_first=True, and gives no role to a batch times a length', async () => {
    assert.deepEqual(await codes(windows(', batch_first=True', 'b * (h // 5)')), []);
    assert.deepEqual(await codes(windows('', 'b * seq_len').replace('b, c, h, w = src.shape', 'b, c, h, w = src.shape\n        seq_len = h // 5')), []);
  });
});
