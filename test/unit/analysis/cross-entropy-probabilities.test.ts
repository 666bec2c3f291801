// SL113, probability targets: CrossEntropyLoss given a float target of the logits' shape reads it as class
// probabilities over axis 1 (PyTorch 1.10+). On a layer's (batch, seq, classes) scores that axis holds the steps.
// test/fixtures/torch-reported/everybody-compose-49-* holds the real case with PyTorch 1.13's proof that the loss
// differs from the per-step cross-entropy.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const head = `import torch
import torch.nn as nn
import torch.nn.functional as F
lstm = nn.LSTM(8, 32, batch_first=True)
fc = nn.Linear(32, 10)
out, _ = lstm(torch.randn(4, 16, 8))
logits = fc(out)
y = torch.randint(0, 10, (4, 16))
`;

describe('SL113 cross-entropy over probability targets', () => {
  it('warns on a one-hot target of (batch, seq, classes) scores, module and function forms, with a flattening fix', async () => {
    const result = await run(`${head}loss = nn.CrossEntropyLoss()(logits, F.one_hot(y, 10).float())\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL113']);
    const finding = result.findings[0];
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /probabilities over axis 1, here the 16 steps, while the 10 classes/);
    assert.deepEqual(finding.fixes.map((f) => f.edits.map((e) => e.newText)), [['logits.reshape(-1, logits.size(-1))', 'F.one_hot(y, 10).float().reshape(-1, F.one_hot(y, 10).float().size(-1))']]);
    assert.deepEqual(await codes(`${head}t = F.one_hot(y, 10).float()\nloss = F.cross_entropy(logits, t)\n`), ['SL113']);
    // Seq-first scores: axis 1 is the batch.
    const seqFirst = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nlstm = nn.LSTM(8, 32)\nfc = nn.Linear(32, 10)\nout, _ = lstm(torch.randn(16, 4, 8))\nlogits = fc(out)\nt = F.one_hot(torch.randint(0, 10, (16, 4)), 10).float()\nloss = F.cross_entropy(logits, t)\n`;
    const r = await run(seqFirst);
    assert.deepEqual(r.findings.map((f) => f.code), ['SL113']);
    assert.match(r.findings[0].message, /the 4 samples/);
  });

  it('stays silent where the classes are on axis 1, the target holds ids, the dtype or roles are not known, or the loss is NLLLoss', async () => {
    assert.deepEqual(await codes(`${head}t = F.one_hot(y, 10).float()\nloss = F.cross_entropy(logits.permute(0, 2, 1), t.permute(0, 2, 1))\n`), []);
    assert.deepEqual(await codes(`${head}loss = F.cross_entropy(logits.reshape(-1, 10), F.one_hot(y, 10).float().reshape(-1, 10))\n`), []);
    assert.deepEqual(await codes(`${head}loss = F.cross_entropy(logits.permute(0, 2, 1), y)\n`), []);
    // A target made elsewhere: float of that shape, but nothing says which axis holds what in the logits either.
    assert.deepEqual(await codes('import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(torch.randn(4, 16, 10), torch.rand(4, 16, 10))\n'), []);
    // NLLLoss takes no probabilities (PyTorch raises on the float target's dtype): nothing is said of axis 1.
    const nll = await run(`${head}loss = F.nll_loss(F.log_softmax(logits, -1), F.one_hot(y, 10).float())\n`);
    assert.ok(nll.findings.every((f) => !/probabilities/.test(f.message)));
    assert.deepEqual(await codes(`${head}def f(t):\n    return F.cross_entropy(logits, t)\n`), []);
  });
});
