// SL152: the last step of a bidirectional recurrent output, given to a layer as the sequence's summary, holds the
// reverse direction after one step. test/fixtures/torch-reported/yunjey-149-* holds the reported case and
// test/fixtures/torch/SL152_* the layouts, each with PyTorch 1.13's proof that the reverse half is not its final state.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const MODEL = (rnn: string, read: string, extra = '', fcIn = 40) => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = ${rnn}
        self.fc = nn.Linear(${fcIn}, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
${extra}        return self.fc(${read})

net = Net()
`;

const BATCH_FIRST = 'nn.GRU(8, 20, batch_first=True, bidirectional=True)';
const SEQ_FIRST = 'nn.LSTM(8, 20, bidirectional=True)';
const BATCH = 'y = net(torch.randn(4, 12, 8))\n';

describe('SL152 bidirectional-last-step', () => {
  it('reports the last step of both directions given to a layer, with the joined final states as the fix, in both layouts', async () => {
    const batchFirst = await run(`${MODEL(BATCH_FIRST, 'out[:, -1, :]')}${BATCH}`);
    assert.deepEqual(batchFirst.findings.map((f) => f.code), ['SL152']);
    const finding = batchFirst.findings[0];
    assert.equal(finding.severity, 'information');
    assert.match(finding.message, /first 20 features are the forward direction's final state, but its last 20 come from the reverse direction after one step/);
    assert.match(finding.message, /its final state is out\[:, 0, 20:\]/);
    assert.deepEqual(finding.fixes.map((f) => f.edits.map((e) => e.newText)), [['torch.cat((out[:, -1, :20], out[:, 0, 20:]), 1)']]);
    assert.equal(finding.range.start.line, 11);
    assert.ok(finding.related.some((r) => /bidirectional=True/.test(r.message)));

    const seqFirst = await run(`${MODEL(SEQ_FIRST, 'out[-1]')}${BATCH}`);
    assert.deepEqual(seqFirst.findings.map((f) => f.code), ['SL152']);
    assert.deepEqual(seqFirst.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['torch.cat((out[-1, :, :20], out[0, :, 20:]), 1)']]);
  });

  it('follows the output through a name, a move, a copy, an activation and dropout, and reads the last index written as a number', async () => {
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'last', '        last = out.to("cpu").contiguous()[:, -1]\n')}${BATCH}`), ['SL152']);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'self.drop(torch.relu(out)[:, 11, :])').replace("self.fc = nn.Linear(40, 1)", 'self.fc = nn.Linear(40, 1)\n        self.drop = nn.Dropout(0.1)')}${BATCH}`), ['SL152']);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'self.norm(out)[:, -1, :]').replace("self.fc = nn.Linear(40, 1)", 'self.fc = nn.Linear(40, 1)\n        self.norm = nn.LayerNorm(40)')}${BATCH}`), ['SL152']);
  });

  it('stays silent on one direction, a half of the features, other steps, one step, steps reordered or mixed, and comparisons', async () => {
    assert.deepEqual(await codes(`${MODEL('nn.GRU(8, 20, batch_first=True)', 'out[:, -1, :]', '', 20)}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, -1, :20]', '', 20)}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'torch.cat((out[:, -1, :20], out[:, 0, 20:]), 1)')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, 0, :]')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, 5, :]')}${BATCH}`), []);
    // Sequence-first, out[-1] on a batch-first output is the last sequence, not a step.
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[-1]')}y = net(torch.randn(4, 12, 8))\n`).then((c) => c.filter((x) => x === 'SL152')), []);
    // One step: its reverse half is the reverse direction's final state.
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, -1, :]')}y = net(torch.randn(4, 1, 8))\n`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out.flip(1)[:, -1, :]')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out.cumsum(1)[:, -1, :]')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'torch.flip(out, [1])[:, -1, :]')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'torch.softmax(out, 1)[:, -1, :]')}${BATCH}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, '(out + 1)[:, -1, :]')}${BATCH}`), []);
    const compare = 'import torch\nimport torch.nn as nn\nrnn = nn.GRU(8, 20, batch_first=True, bidirectional=True)\nout, h = rnn(torch.randn(4, 12, 8))\nsame = torch.allclose(out[:, -1, :], torch.cat((h[0], h[1]), 1))\n';
    assert.deepEqual(await codes(compare), []);
  });
});
