// SL124: class ids against the number of classes the scores have, as PyTorch 1.13 checks them (the fixtures
// test/fixtures/torch/SL124_* carry what PyTorch did); here, the cases where nothing may be said.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nscores = torch.randn(8, 4)\n';

describe('SL124 class-target-out-of-range', () => {
  it('reports ids at or past the class count and negative ids other than ignore_index', async () => {
    assert.deepEqual(await codes(`${HEAD}loss = F.cross_entropy(scores, torch.randint(0, 5, (8,)))\n`), ['SL124']);
    assert.deepEqual(await codes(`${HEAD}loss = nn.NLLLoss()(scores, torch.tensor([0, 1, 2, 3, 4, 0, 0, 0]))\n`), ['SL124']);
    assert.deepEqual(await codes(`${HEAD}loss = F.cross_entropy(scores, torch.full((8,), -1, dtype=torch.long))\n`), ['SL124']);
    assert.deepEqual(await codes(`${HEAD}loss = F.cross_entropy(torch.randn(8, 4, 6), torch.randint(0, 5, (8, 6)))\n`), ['SL124']);
    assert.deepEqual(await codes(`${HEAD}loss = F.cross_entropy(torch.randn(4), torch.tensor(4))\n`), ['SL124']);
  });

  it('stays silent on ids in range, ignore_index, float targets, other layouts and what is not known', async () => {
    const silent = [
      'loss = F.cross_entropy(scores, torch.randint(0, 4, (8,)))',
      'loss = F.cross_entropy(scores, torch.full((8,), -100, dtype=torch.long))',
      'loss = F.cross_entropy(scores, torch.full((8,), 4, dtype=torch.long), ignore_index=4)',
      'loss = nn.CrossEntropyLoss(ignore_index=4)(scores, torch.full((8,), 4, dtype=torch.long))',
      'loss = nn.CrossEntropyLoss(None, None, 4)(scores, torch.full((8,), 4, dtype=torch.long))',
      'loss = F.cross_entropy(scores, torch.full((8,), 4, dtype=torch.long), None, None, 4)',
      'def f(pad):\n    return F.cross_entropy(scores, torch.full((8,), 4, dtype=torch.long), ignore_index=pad)',
      'kw = {"ignore_index": 4}\nloss = F.cross_entropy(scores, torch.full((8,), 4, dtype=torch.long), **kw)',
      'loss = F.cross_entropy(scores, torch.randint(0, 5, (8, 4)).float())',
      'def f(logits):\n    return F.cross_entropy(logits, torch.randint(0, 5, (8,)))',
      'def f(n):\n    return F.cross_entropy(torch.randn(8, n), torch.randint(0, 5, (8,)))',
      'loss = F.mse_loss(scores, torch.randint(0, 5, (8, 4)).float())',
    ];
    for (const code of silent) assert.deepEqual(await codes(`${HEAD}${code}\n`), [], code);
    // (batch, seq, classes) scores: the layout is SL113's finding, and the class axis is not the one read here.
    assert.deepEqual(await codes(`${HEAD}loss = F.cross_entropy(torch.randn(8, 6, 4), torch.randint(0, 5, (8, 6)))\n`), ['SL113']);
  });
});
