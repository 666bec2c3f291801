// SL149: the (output, state) tuple an nn.RNN/GRU/LSTM returns used as a tensor. Each reported case raises in
// PyTorch 1.13 (TypeError for a layer or an operator with a tensor, AttributeError for .view/.size); each silent one
// runs (tuple * 2 repeats the tuple, len() counts it, a user module in an nn.Sequential may unpack it, nn.Identity
// passes it on). test/fixtures/torch/SL149_* and the reported pytorch-3349 hold the runs.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

describe('SL149 rnn-output-tuple-as-tensor', () => {
  it('reports the tuple given to a layer, inside an nn.Sequential, combined with a tensor, and read as a tensor', async () => {
    const seq = await run('model = nn.Sequential(nn.LSTM(10, 20), nn.Linear(20, 1))\ny = model(torch.randn(5, 3, 10))\n');
    assert.deepEqual(seq.findings.map((f) => f.code), ['SL149']);
    assert.match(seq.findings[0].message, /nn\.Sequential hands each layer's whole result/);
    assert.deepEqual(await codes('gru = nn.GRU(4, 3)\no = gru(torch.randn(5, 2, 4))\ny = nn.Linear(3, 2)(o)\n'), ['SL149']);
    assert.deepEqual(await codes('lstm = nn.LSTM(4, 4)\nx = torch.randn(5, 2, 4)\no = lstm(x)\nz = x + o\n'), ['SL149']);
    assert.deepEqual(await codes('lstm = nn.LSTM(4, 4)\no = lstm(torch.randn(5, 2, 4))\nn = o.size(0)\n'), ['SL149']);
  });

  it('stays silent on the unpacked output, tuple arithmetic, len(), a user module that unpacks it and nn.Identity', async () => {
    assert.deepEqual(await codes('lstm = nn.LSTM(4, 3)\nout, _ = lstm(torch.randn(5, 2, 4))\ny = nn.Linear(3, 2)(out)\n'), []);
    assert.deepEqual(await codes('lstm = nn.LSTM(4, 3)\no = lstm(torch.randn(5, 2, 4))\na = o * 2\nb = o + o\nn = len(o)\nc = o[0] + 1\nk = o.count(None)\n'), []);
    const pick = 'class Pick(nn.Module):\n    def forward(self, x):\n        out, _ = x\n        return out\n\n';
    assert.deepEqual(await codes(`${pick}seq = nn.Sequential(nn.LSTM(4, 3), Pick(), nn.Linear(3, 2))\ny = seq(torch.randn(5, 2, 4))\n`), []);
    assert.deepEqual(await codes('lstm = nn.LSTM(4, 3)\no = nn.Identity()(lstm(torch.randn(5, 2, 4)))\n'), []);
    // A cell returns tensors (GRUCell) or the (h, c) pair that SL104 follows, never (output, state).
    assert.deepEqual(await codes('cell = nn.GRUCell(4, 3)\nh = cell(torch.randn(2, 4))\ny = nn.Linear(3, 2)(h)\n'), []);
  });
});
