// A slice between two shifts of one index of known bounds is a window of their difference, whatever the bounds'
// form: `x[idx + 1:idx + 1 + k]` in a Dataset's __getitem__ (the DataLoader's sampler gives idx in [0, len − 1]),
// `x[t + 2:t + 22]` in a loop. A start that may fall below 0 (`x[t - 1:t + 19]` with t from 0) wraps around from the
// end in Python, so its length is not the difference: that case is not a window.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const DATASET = (linear: number): string => `import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

class Windows(Dataset):
    def __init__(self, data, length):
        self.data = data
        self.length = length

    def __len__(self):
        return len(self.data) - self.length - 1

    def __getitem__(self, idx):
        x = self.data[idx + 1:idx + 1 + self.length]
        y = self.data[self.length + idx]
        return x, y

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 32, batch_first=True)
        self.head = nn.Linear(${linear}, 6)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out.flatten(1))

model = Model()
loader = DataLoader(Windows(torch.randn(500, 6), 30), batch_size=16)
for xb, yb in loader:
    pred = model(xb)
`;

describe('slice windows between shifts of one index', () => {
  it('a window whose start is itself a shift of the sampled index has the length of the difference', async () => {
    assert.equal(await shapeOf(DATASET(960), 'x'), '(30, 6)');
    assert.deepEqual(await codes(DATASET(960)), []);
    // The flattened (batch, 30 × 32) output reaches a Linear built for one step's 32 features.
    assert.deepEqual(await codes(DATASET(32)), ['SL106']);
  });

  it('in a loop: a start shifted up is a window, one shifted below 0 is not', async () => {
    const body = `import torch
x = torch.randn(100, 8)
for t in range(10):
    w = x[t + 2:t + 22]
    u = x[t - 1:t + 19]
`;
    assert.equal(await shapeOf(body, 'w'), '(20, 8)');
    assert.notEqual(await shapeOf(body, 'u'), '(20, 8)');
  });

  it('an index times 1 (a stride of one) is the index itself, so its shifts still bound a window', async () => {
    const body = (stride: number) => `import torch
from torch.utils.data import Dataset, DataLoader

class Strided(Dataset):
    def __init__(self, data, sample_len=50, stride=${stride}):
        self.data = data
        self.sample_len = sample_len
        self.stride = stride
        self.ds_len = (self.data.shape[-1] - self.sample_len) // self.stride

    def __len__(self):
        return self.ds_len

    def __getitem__(self, index):
        start = index * self.stride
        end = start + self.sample_len
        return self.data[..., start:end]

loader = DataLoader(Strided(torch.randn(4, 7, 300)), batch_size=8)
for x in loader:
    w = x
`;
    assert.equal(await shapeOf(body(1), 'w'), '(B, 4, 7, 50)');
    // Another stride gives another index, whose bounds the analysis does not carry: no window is claimed.
    assert.notEqual(await shapeOf(body(2), 'w'), '(B, 4, 7, 50)');
  });
});
