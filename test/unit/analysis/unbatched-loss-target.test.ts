// SL115 on (C,) scores, one unbatched sample: PyTorch 1.13 takes a 0-d class id. Checked on (5,) scores: a (1, 1) or
// (1, 5) target raises "0D or 1D target tensor expected, multi-target not supported" (NLLLoss and CrossEntropyLoss), a
// (1,) or (2,) target "size mismatch (got input: [5], target: [1])"; a 0-d id, a float (5,) probability target
// (CrossEntropyLoss) and a (5,) long target (NLLLoss accepts it) run. test/fixtures/torch-reported/
// practical-pytorch-78-nll-target-viewed-as-column* hold the reported case.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const T = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nscores = F.log_softmax(torch.randn(1, 5), dim=1)\n';

describe('SL115 on the (C,) scores of one unbatched sample', () => {
  it('reports a target of two axes and a one-axis target of another length', async () => {
    const column = await run(`${T}loss = nn.NLLLoss()(scores[0], torch.LongTensor([3]).view(-1, 1))\n`);
    assert.deepEqual(column.findings.map((f) => f.code), ['SL115']);
    assert.match(column.findings[0].message, /one unbatched sample.*multi-target not supported/);
    const short = await run(`${T}loss = F.cross_entropy(scores[0], torch.tensor([3]))\n`);
    assert.deepEqual(short.findings.map((f) => f.code), ['SL115']);
    assert.match(short.findings[0].message, /size mismatch \(got input: \[5\], target: \[1\]\)/);
    assert.deepEqual(await codes(`${T}loss = F.cross_entropy(scores[0], torch.rand(1, 5))\n`), ['SL115']);
  });

  it('stays silent on a 0-d class id, on (C,) probabilities and on the batched scores', async () => {
    assert.deepEqual(await codes(`${T}a = nn.NLLLoss()(scores[0], torch.tensor(3))\nb = F.cross_entropy(scores[0], torch.rand(5))\nc = nn.NLLLoss()(scores, torch.LongTensor([3]))\nd = nn.NLLLoss()(scores[0], torch.randint(0, 5, (5,)))\n`), []);
  });
});
