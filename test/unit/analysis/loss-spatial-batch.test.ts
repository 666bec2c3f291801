// SL115 on CrossEntropyLoss/NLLLoss given (N, C, d1, …) scores whose N is not the target's first axis. PyTorch 1.13
// (checked for both losses): (2, 8, 3) scores against (8,) ids, (4, 5, 7) against (3, 7) or (3,), and (4, 5, 7, 2)
// against (3, 7, 2) all raise "Expected input batch_size (N) to match target batch_size (M)"; (2, 8, 3) against (2,)
// raises "Expected target size [2, 3], got [2]" instead (the batch agrees: another check).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('SL115 on scores of three or more axes whose batch is not the target\'s', () => {
  it('reports a recurrent state kept whole by a squeeze that did nothing, naming its num_layers × directions axis', async () => {
    const body = `${HEAD}gru = nn.GRU(4, 16, num_layers=2, batch_first=True)\nproj = nn.Linear(16, 3)\n_, h = gru(torch.randn(8, 12, 4))\nloss = nn.CrossEntropyLoss()(proj(h.squeeze()), torch.randint(0, 3, (8,)))\n`;
    const result = await run(body);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL115']);
    assert.match(result.findings[0].message, /Expected input batch_size \(2\) to match target batch_size \(8\)/);
    assert.match(result.findings[0].message, /num_layers × directions \(2\), not the batch: take the last layer's state, h_n\[-1\]/);
    assert.deepEqual(await codes(body.replace('h.squeeze()', 'h[-1]')), []);
  });

  it('compares the first axes whatever the target\'s rank, for both losses', async () => {
    assert.deepEqual(await codes(`${HEAD}l = F.cross_entropy(torch.randn(4, 5, 7), torch.randint(0, 5, (3, 7)))\n`), ['SL115']);
    assert.deepEqual(await codes(`${HEAD}l = nn.NLLLoss()(torch.randn(4, 5, 7, 2), torch.randint(0, 5, (3, 7, 2)))\n`), ['SL115']);
    assert.deepEqual(await codes(`${HEAD}l = F.nll_loss(torch.randn(4, 5, 7), torch.randint(0, 5, (3,)))\n`), ['SL115']);
  });

  it('stays silent when the batches agree or one is not known, and on float targets of the scores\' rank', async () => {
    assert.deepEqual(await codes(`${HEAD}l = F.cross_entropy(torch.randn(4, 5, 7), torch.randint(0, 5, (4, 7)))\n`), []);
    assert.deepEqual(await codes(`${HEAD}def f(y):\n    return F.cross_entropy(torch.randn(4, 5, 7), y)\n`), []);
    assert.deepEqual(await codes(`${HEAD}l = F.cross_entropy(torch.randn(4, 5, 7), torch.rand(3, 5, 7))\n`), []);
  });
});
