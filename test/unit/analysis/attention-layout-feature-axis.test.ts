// SL130 says "nothing raises while the sizes fit": it speaks only of data whose feature axis is followed. Windows of raw
// columns whose count nothing gives may not be the model width at all, and then PyTorch raises before attention runs
// (a file's columns read into batch-first windows and given straight to a sequence-first TransformerEncoder: the
// corpus' one such finding could not be shown by a run, which raised first).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const model = (project: boolean) => `import numpy as np
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_cols, d_model=64):
        super().__init__()
        self.proj = nn.Linear(n_cols, d_model)
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=4)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)

    def forward(self, x):
        ${project ? 'x = self.proj(x)' : 'pass'}
        return self.encoder(x)


data = np.loadtxt("series.csv", delimiter=",")
n_cols = data.shape[1]
batch_size, seq_len = 32, 10
windows = torch.randn(batch_size, seq_len, n_cols)
out = Forecaster(n_cols)(windows)
`;

describe('SL130 and a feature axis not followed', () => {
  it('stays silent when batch-first windows of columns nothing counts reach a sequence-first encoder', async () => {
    assert.deepEqual(await codes(model(false)), []);
  });

  it('warns once a Linear maps the same windows to the model width', async () => {
    const result = await run(model(true));
    assert.deepEqual(result.findings.map((f) => f.code), ['SL130']);
    assert.match(result.findings[0].message, /receives batch-first data \(32, 10, 64\)/);
  });
});
