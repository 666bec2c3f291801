// SL115 on CrossEntropyLoss/NLLLoss given (N, C) scores and a target of two or more axes other than the scores' own
// shape. PyTorch 1.13 (checked on (8, 5) scores): targets (8, 1), (8, 2) and (8, 1, 1) raise "0D or 1D target tensor
// expected, multi-target not supported" for both losses, (4, 1) raises the batch-size ValueError, and a float (8, 5)
// target is CrossEntropyLoss's class probabilities. test/fixtures/torch/SL115_lstm_classifier_label_column* hold a run.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const F = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nlogits = torch.randn(8, 5)\n';

describe('SL115 on a multi-target CrossEntropyLoss/NLLLoss target', () => {
  it('reports a column of class ids and rows of another width, with a squeeze(1) fix for the column', async () => {
    const result = await run(`${F}y = torch.randint(0, 5, (8, 1))\nloss = nn.CrossEntropyLoss()(logits, y)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL115']);
    assert.match(result.findings[0].message, /multi-target not supported/);
    assert.equal(result.findings[0].fixes[0]?.edits[0].newText, 'y.squeeze(1)');
    assert.deepEqual(await codes(`${F}l = nn.NLLLoss()(F.log_softmax(logits, 1), torch.randint(0, 5, (8, 2)))\n`), ['SL115']);
    assert.deepEqual(await codes(`${F}l = F.cross_entropy(logits, torch.randint(0, 5, (8, 1, 1)))\n`), ['SL115']);
    const batch = await run(`${F}l = F.cross_entropy(logits, torch.randint(0, 5, (4, 1)))\n`);
    assert.match(batch.findings[0]?.message ?? '', /batch size 4/);
  });

  it('stays silent on class probabilities of the scores\' shape, on 1-D ids and where the classes are not known', async () => {
    assert.deepEqual(await codes(`${F}a = nn.CrossEntropyLoss()(logits, torch.rand(8, 5))\nb = nn.CrossEntropyLoss()(logits, torch.randint(0, 5, (8,)))\n`), []);
    assert.deepEqual(await codes(`${F}def f(scores):\n    return F.cross_entropy(scores, torch.randint(0, 1, (8, 1)))\n`), []);
  });
});
