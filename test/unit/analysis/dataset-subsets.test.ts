// torch.utils.data.Subset and random_split keep their dataset's samples: item i of Subset(ds, indices) is
// ds[indices[i]], and random_split(ds, lengths) gives one Subset per length. Batches of a subset are therefore the
// dataset's samples with a batch axis, and a layer sized for other data is reported through them (PyTorch 1.13 raises
// the errors quoted; test/fixtures/attention-reported/q45-torcheeg-117-* is the reported case).
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const at = async (body: string) => (await run(body)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

const subsetProgram = (features: number, split: string) => `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset, random_split

signals = torch.randn(120, 40, 6)
labels = torch.randint(0, 3, (120,))
data = TensorDataset(signals, labels)
${split}
gru = nn.GRU(${features}, 32, batch_first=True)
for x, y in DataLoader(train, batch_size=16, shuffle=True):
    out, h = gru(x)
`;

const datasetProgram = (width: number, split: string) => `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, Subset, random_split


class Recordings(Dataset):
    def __init__(self, n):
        self.frames = torch.randn(n, 3, 250)
        self.targets = torch.randn(n, 1)

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        return self.frames[i], self.targets[i]


conv = nn.Conv1d(${width}, 8, 5)
${split}
for x, t in DataLoader(part, batch_size=8):
    h = conv(x)
`;

describe('Subset and random_split keep the samples of their dataset', () => {
  it('reports a GRU sized for other features through Subset and random_split of a TensorDataset', async () => {
    // input.size(-1) must be equal to input_size. Expected 8, got 6
    for (const split of [
      'train = Subset(data, list(range(100)))',
      'order = torch.randperm(120).tolist()\ntrain = Subset(data, order[:100])',
      'train = Subset(data, torch.arange(100))',
      'train, val = random_split(data, [100, 20])',
      'train, val = random_split(data, [0.8, 0.2])',
    ]) {
      const lines = split.split('\n').length;
      assert.deepEqual(await at(subsetProgram(8, split)), [`SL101@${10 + lines}`], split);
      assert.deepEqual(await at(subsetProgram(6, split)), [], split);
    }
  });

  it("runs a Dataset's own __getitem__ on an index of the subset", async () => {
    // Given groups=1, weight of size [8, 4, 5], expected input[8, 3, 250] to have 4 channels, but got 3 channels instead
    for (const split of ['part = Subset(Recordings(40), [0, 5, 9, 12])', 'part, rest = random_split(Recordings(40), [30, 10])']) {
      assert.deepEqual(await at(datasetProgram(4, split)), ['SL139@21'], split);
      assert.deepEqual(await at(datasetProgram(3, split)), [], split);
    }
  });

  it('knows the length of a subset from its indices and of each part of a split from its length', async () => {
    // mat1 and mat2 shapes cannot be multiplied (3x35 and 5x2)
    const result = await run(`import torch
import torch.nn as nn
from torch.utils.data import Subset, TensorDataset, random_split

data = TensorDataset(torch.randn(50, 4))
a = Subset(data, [1, 2, 3])
b, c = random_split(data, [35, 15])
z = torch.zeros(len(a), len(b))
nn.Linear(5, 2)(z)
`);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL106@9']);
    assert.match(result.findings[0].message, /receives 35 features/);
  });
});
