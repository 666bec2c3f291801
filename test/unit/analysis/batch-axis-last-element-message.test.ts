import { strict as assert } from 'node:assert';
import { run } from './helpers';

// out[:, -1, :] of a sequence-first LSTM fed data of unknown layout: either the index or the layer's flag is wrong, and
// the message says both (a lyrics model fed (64, 3) batch-first windows wanted batch_first=True, not out[-1]).
describe('SL102 on the last element of the batch axis when the data layout is not known', () => {
  it('names the index fix and, failing that, the flag', async () => {
    const result = await run(`import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 32)
    def forward(self, x):
        out, _ = self.lstm(x)
        return out[:, -1, :]
`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL102@8']);
    assert.match(result.findings[0].message, /the last time step is out\[-1, :, :\], unless the data fed to LSTM \(line 5\) is batch-first: then that layer needs batch_first=True$/);
  });
});
