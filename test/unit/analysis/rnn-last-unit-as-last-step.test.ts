// SL143: `out[:, :, -1]` on a recurrent layer's output, given to a layer, reads one hidden unit at every step instead
// of the last step. test/fixtures/torch-reported/scoutbee-nlp-notebooks-24-* holds the real case with PyTorch 1.13's
// proof that the two readings differ.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const MODEL = (rnn: string, read: string, extra = '') => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = ${rnn}
        self.fc = nn.Linear(20, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
${extra}        return self.fc(${read})

net = Net()
`;

const BATCH_FIRST = 'nn.GRU(8, 20, batch_first=True)';
const SEQ_FIRST = 'nn.LSTM(8, 20)';

describe('SL143 rnn-last-unit-as-last-step', () => {
  it('reports the last unit of every step given to a layer, with the last step as the fix, in both layouts', async () => {
    const batchFirst = await run(`${MODEL(BATCH_FIRST, 'out[:, :, -1]')}y = net(torch.randn(4, 20, 8))\n`);
    assert.deepEqual(batchFirst.findings.map((f) => f.code), ['SL143']);
    const finding = batchFirst.findings[0];
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /last of the 20 hidden units at each of the 20 steps/);
    assert.match(finding.message, /\(batch, seq, features\)/);
    assert.deepEqual(finding.fixes.map((f) => f.edits.map((e) => e.newText)), [['out[:, -1, :]']]);
    // The range is the subscript itself.
    assert.equal(finding.range.start.line, 11);

    const seqFirst = await run(`${MODEL(SEQ_FIRST, 'out[:, :, -1]')}y = net(torch.randn(20, 20, 8))\n`);
    assert.deepEqual(seqFirst.findings.map((f) => f.code), ['SL143']);
    assert.match(seqFirst.findings[0].message, /\(seq, batch, features\)/);
    assert.deepEqual(seqFirst.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['out[-1]']]);
  });

  it('follows the slice through a name and reads out[..., -1] the same way', async () => {
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'last', '        last = out[:, :, -1]\n')}y = net(torch.randn(4, 20, 8))\n`), ['SL143']);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[..., -1]')}y = net(torch.randn(4, 20, 8))\n`), ['SL143']);
  });

  it('stays silent on the last step, other indices, one hidden unit, unknown sizes, non-recurrent tensors and comparisons', async () => {
    const input = 'y = net(torch.randn(4, 20, 8))\n';
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, -1, :]')}${input}`), []);
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, :, 0]')}${input}`), []);
    // Fewer steps than the layer takes: Linear raises (SL106), and that is the finding.
    assert.deepEqual(await codes(`${MODEL(BATCH_FIRST, 'out[:, 3:, -1]')}${input}`), ['SL106']);
    assert.deepEqual(await codes(`${MODEL('nn.GRU(8, 1, batch_first=True)', 'out[:, :, -1]')}${input}`), []);
    assert.deepEqual(await codes(`${MODEL('nn.GRU(8, h, batch_first=True)', 'out[:, :, -1]').replace('def __init__(self):', 'def __init__(self, h):').replace('net = Net()', 'net = Net(H)')}${input}`), []);
    // A Conv1d's (batch, channels, length) output: its last axis is time, and [:, :, -1] is its last step.
    const conv = 'import torch\nimport torch.nn as nn\nconv = nn.Conv1d(8, 20, 3)\nfc = nn.Linear(20, 1)\ny = conv(torch.randn(4, 8, 22))\nz = fc(y[:, :, -1])\n';
    assert.deepEqual(await codes(conv), []);
    // Comparing the two readings uses neither as the other.
    const compare = 'import torch\nimport torch.nn as nn\nrnn = nn.GRU(8, 20, batch_first=True)\nout, _ = rnn(torch.randn(4, 20, 8))\nsame = torch.equal(out[:, :, -1], out[:, -1, :])\n';
    assert.deepEqual(await codes(compare), []);
  });
});
