// SL172: a loss given values of another kind than it takes. nn.NLLLoss computes -input[target] and takes
// log-probabilities (on softmax probabilities or raw scores PyTorch 1.13 runs and the loss goes negative); nn.BCELoss
// takes probabilities and raises "all elements of input should be between 0 and 1" on a raw score outside [0, 1].
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const F = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const sl172 = async (body: string) => (await codes(F + body)).filter((c) => c === 'SL172');

describe('SL172 loss-input-kind', () => {
  it('joins what two returned tuples hold item by item: a sigmoid on one path and a log_softmax on the other is neither', async () => {
    const body = 'import sys\nfc = nn.Linear(8, 4)\ndef f(x):\n    if sys.argv[1]:\n        out = torch.sigmoid(fc(x))\n        return out, x\n    else:\n        return F.log_softmax(fc(x), 1), x\ny, _ = f(torch.randn(3, 8))\nloss = nn.NLLLoss()(y, torch.randint(0, 4, (3,)))\n';
    assert.deepEqual(await sl172(body), []);
    assert.deepEqual(await sl172(body.replace('F.log_softmax(fc(x), 1)', 'torch.softmax(fc(x), 1)')), ['SL172']);
  });

  it('forgets what a tensor holds once an in-place op or out= writes over it', async () => {
    const head = 'fc = nn.Linear(8, 1)\no = fc(torch.randn(4, 8))\n';
    const tail = 'loss = nn.BCELoss()(o, torch.rand(4, 1))\n';
    assert.deepEqual(await sl172(head + tail), ['SL172']);
    for (const write of ['o.sigmoid_()', 'torch.sigmoid_(o)', 'o.clamp_(0, 1)', 'o.data.sigmoid_()', 'torch.sigmoid(o.detach(), out=o)']) {
      assert.deepEqual(await sl172(`${head}${write}\n${tail}`), [], write);
    }
    assert.deepEqual(await sl172(`${head}o.unsqueeze_(0)\n${tail}`), ['SL172']);
  });

  it('reports NLLLoss given raw scores or probabilities, and BCELoss given raw scores or log-probabilities', async () => {
    const found = (await run(`${F}fc = nn.Linear(8, 4)\ny = torch.randint(0, 4, (3,))\nloss = nn.NLLLoss()(fc(torch.randn(3, 8)), y)\n`)).findings;
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['SL172', 'warning']]);
    assert.match(found[0].message, /^NLLLoss \(line 6\) gets fc\(torch\.randn\(3, 8\)\) \(3, 4\), the raw scores a Linear layer gave at line 6, where NLLLoss takes log-probabilities/);
    assert.deepEqual(await sl172('fc = nn.Linear(8, 4)\np = F.softmax(fc(torch.randn(3, 8)), dim=1)\nloss = F.nll_loss(p, torch.randint(0, 4, (3,)))\n'), ['SL172']);
    assert.deepEqual(await sl172('net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\nloss = nn.NLLLoss()(net(torch.randn(3, 8)).detach(), torch.randint(0, 4, (3,)))\n'), ['SL172']);
    const bce = (await run(`${F}fc = nn.Linear(8, 1)\nout = fc(torch.randn(5, 8)).view(-1)\nloss = nn.BCELoss()(out, torch.rand(5))\n`)).findings;
    assert.deepEqual(bce.map((f) => [f.code, f.severity]), [['SL172', 'error']]);
    assert.match(bce[0].message, /all elements of input should be between 0 and 1/);
    assert.deepEqual(await sl172('fc = nn.Linear(8, 3)\nlogp = fc(torch.randn(5, 8)).log_softmax(1)\nloss = F.binary_cross_entropy(logp, torch.rand(5, 3))\n'), ['SL172']);
  });

  it('reports CrossEntropyLoss and BCEWithLogitsLoss given probabilities, which they squash a second time', async () => {
    const ce = (await run(`${F}fc = nn.Linear(8, 4)\np = torch.softmax(fc(torch.randn(3, 8)), dim=1)\nloss = nn.CrossEntropyLoss()(p, torch.randint(0, 4, (3,)))\n`)).findings;
    assert.deepEqual(ce.map((f) => [f.code, f.severity, f.range.start.line]), [['SL172', 'warning', 5]]);
    assert.match(ce[0].message, /^CrossEntropyLoss \(line 6\) gets p \(3, 4\), the probabilities a softmax gave at line 5, where CrossEntropyLoss takes raw scores/);
    assert.match(ce[0].message, /here 0\.74 for its 4 classes/);
    assert.deepEqual(await sl172('net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\nloss = F.cross_entropy(net(torch.randn(3, 8)), torch.randint(0, 4, (3,)))\n'), ['SL172']);
    const bce = (await run(`${F}fc = nn.Linear(8, 1)\nout = torch.sigmoid(fc(torch.randn(5, 8))).view(-1)\nloss = nn.BCEWithLogitsLoss()(out, torch.rand(5))\n`)).findings;
    assert.deepEqual(bce.map((f) => [f.code, f.severity]), [['SL172', 'warning']]);
    assert.match(bce[0].message, /predictions stay between 0\.5 and 0\.73/);
    assert.deepEqual(await sl172('fc = nn.Linear(8, 1)\nloss = F.binary_cross_entropy_with_logits(nn.Sigmoid()(fc(torch.randn(5, 8))), torch.rand(5, 1))\n'), ['SL172']);
    // Raw scores and log-probabilities are what CrossEntropyLoss may take (log_softmax of log_softmax is itself).
    const y = 'y = torch.randint(0, 4, (3,))\nfc = nn.Linear(8, 4)\nx = torch.randn(3, 8)\n';
    assert.deepEqual(await sl172(`${y}loss = nn.CrossEntropyLoss()(F.log_softmax(fc(x), 1), y)\n`), []);
    assert.deepEqual(await sl172(`${y}loss = F.cross_entropy(fc(x), y)\n`), []);
    // A sigmoid's values as class scores may be meant as bounded scores: only a softmax taken twice is reported.
    assert.deepEqual(await sl172(`${y}loss = nn.CrossEntropyLoss()(torch.sigmoid(fc(x)), y)\n`), []);
    // Probabilities on one path only (a model that returns the softmax when not training): not known.
    assert.deepEqual(await sl172(`${y}def f(training):\n    s = fc(x)\n    return s if training else s.softmax(1)\nloss = nn.CrossEntropyLoss()(f(True), y)\n`), []);
  });

  it('stays quiet on log-probabilities for NLLLoss and probabilities for BCELoss, however they were made', async () => {
    const y = 'y = torch.randint(0, 4, (3,))\nfc = nn.Linear(8, 4)\nx = torch.randn(3, 8)\n';
    assert.deepEqual(await sl172(`${y}loss = F.nll_loss(F.log_softmax(fc(x), dim=1), y)\n`), []);
    assert.deepEqual(await sl172(`${y}loss = nn.NLLLoss()(torch.log(F.softmax(fc(x), dim=1)), y)\n`), []);
    assert.deepEqual(await sl172(`${y}s = fc(x)\nloss = nn.NLLLoss()(s - s.logsumexp(1, keepdim=True), y)\n`), []);
    assert.deepEqual(await sl172(`${y}net = nn.Sequential(nn.Linear(8, 4), nn.LogSoftmax(dim=1))\nloss = nn.NLLLoss()(net(x), y)\n`), []);
    assert.deepEqual(await sl172(`${y}loss = nn.CrossEntropyLoss()(fc(x), y)\n`), []);
    assert.deepEqual(await sl172('fc = nn.Linear(8, 1)\nloss = nn.BCELoss()(torch.sigmoid(fc(torch.randn(5, 8))).squeeze(1), torch.rand(5))\n'), []);
    assert.deepEqual(await sl172('fc = nn.Linear(8, 1)\nloss = nn.BCEWithLogitsLoss()(fc(torch.randn(5, 8)).squeeze(1), torch.rand(5))\n'), []);
    // Raw scores on one path, log-probabilities on the other: not known which reaches the loss.
    assert.deepEqual(await sl172(`${y}def f(flag):\n    s = fc(x)\n    out = s if flag else F.log_softmax(s, dim=1)\n    return nn.NLLLoss()(out, y)\n`), []);
    // A value made from scores by arithmetic is no longer known to be scores.
    assert.deepEqual(await sl172(`${y}loss = nn.NLLLoss()(fc(x) * 0.5, y)\n`), []);
  });
});

describe('module.__call__(x) and a layer compared with a plain value', () => {
  it('calls the module as module(x) does', async () => {
    const body = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4)\n    def forward(self, x):\n        return self.fc(x)\nm = M()\n';
    assert.equal(await shapeOf(`${body}a = m.__call__(torch.randn(3, 8))\n`, 'a'), '(3, 4)');
    assert.equal(await shapeOf('fc = nn.Linear(8, 4)\na = fc.__call__(torch.randn(3, 8))\n', 'a'), '(3, 4)');
  });

  it('takes a layer as never equal to a string, a number or None (nn.Module defines no __eq__)', async () => {
    const body = 'def make(criterion=""):\n    if criterion == "":\n        criterion = nn.L1Loss()\n    return criterion\nc = make(nn.MSELoss())\na = c(torch.randn(3, 4), torch.randn(3, 4))\n';
    assert.equal(await shapeOf(body, 'a'), '()');
    // An L1Loss given mismatched sizes would be reported; MSELoss the same: what counts here is that the MSELoss given
    // is the one kept, which BCELoss's SL172 shows.
    const bce = 'def make(criterion=""):\n    if criterion == "":\n        criterion = nn.L1Loss()\n    return criterion\nc = make(nn.BCELoss())\nfc = nn.Linear(8, 1)\nloss = c(fc(torch.randn(5, 8)).view(-1), torch.rand(5))\n';
    assert.deepEqual(await sl172(bce), ['SL172']);
    assert.deepEqual(await sl172(bce.replace('if criterion == "":', 'if criterion != "":')), []);
  });
});
