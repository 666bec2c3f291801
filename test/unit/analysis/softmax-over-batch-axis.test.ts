// SL151: a softmax over the batch axis of a recurrent model's data (silent in PyTorch 1.13: the probabilities sum to 1
// across the batch; test/fixtures/torch/SL151_* and the reported world-models-10 and visdial-starter-1 show it).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const F = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('SL151 softmax-over-batch-axis', () => {
  it('reports the batch axis of seq-first and batch-first outputs, through a Linear and as a method', async () => {
    const result = await run(`${F}lstm = nn.LSTM(20, 40)\nout, _ = lstm(torch.randn(12, 8, 20))\np = F.softmax(nn.Linear(40, 6)(out), dim=1)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL151']);
    assert.match(result.findings[0].message, /axis 1 .* its batch axis/);
    assert.deepEqual(await codes(`${F}gru = nn.GRU(5, 7, batch_first=True)\nout, _ = gru(torch.randn(3, 9, 5))\np = out.log_softmax(0)\n`), ['SL151']);
  });

  it('stays silent over the classes or the steps, on a one-sample batch and without a batch axis', async () => {
    assert.deepEqual(await codes(`${F}lstm = nn.LSTM(20, 40)\nout, _ = lstm(torch.randn(12, 8, 20))\na = F.softmax(out, dim=-1)\nb = F.softmax(out, dim=0)\n`), []);
    assert.deepEqual(await codes(`${F}lstm = nn.LSTM(20, 40)\nout, _ = lstm(torch.randn(12, 1, 20))\np = F.softmax(out, dim=1)\n`), ['SL127']);
    assert.deepEqual(await codes(`${F}x = torch.randn(8, 6)\np = F.softmax(x, dim=0)\n`), []);
  });

  it('makes no claim on a batch axis assumed for a recurrent output whose input rank is not known', async () => {
    // One sentence's ids, of a rank the analysis does not know: PyTorch 1.13 runs the LSTM unbatched, (3, 32), so
    // after unsqueeze(0) axis 1 holds the positions and the weights are (1, 3, 1).
    const sentence = (ids: string) => `import json
${F}

class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(50, 16)
        self.lstm = nn.LSTM(16, 16, batch_first=True, bidirectional=True)

    def forward(self, x):
        out, (_, _) = self.lstm(self.embedding(x))
        return out


encoder = Encoder()
energy = nn.Linear(32, 1)
ids = ${ids}
encodings = encoder(ids).unsqueeze(0)
weights = torch.softmax(energy(encodings), dim=1)
`;
    assert.deepEqual(await codes(sentence('torch.tensor(json.loads("[3, 4, 5]"))')), []);
    // Ids known to be batched (4 sentences of 3): the same softmax runs over the batch.
    assert.deepEqual(await codes(sentence('torch.randint(0, 50, (4, 3))')), ['SL151']);
  });
});
