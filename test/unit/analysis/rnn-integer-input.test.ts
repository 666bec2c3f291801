// SL144: a recurrent layer or cell given an integer or boolean tensor. PyTorch 1.13 raises on the dtypes
// (test/fixtures/torch/SL144_* and the reported pytorch-99998 hold the runs).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

describe('SL144 rnn-integer-input', () => {
  it('reports integer and boolean input to recurrent layers and cells, with .float() as the fix', async () => {
    const result = await run('lstm = nn.LSTM(1, 8)\nx = torch.zeros(5, 3, 1).long()\nout, _ = lstm(x)\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL144']);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['x.float()']]);
    assert.deepEqual(await codes('cell = nn.GRUCell(4, 8)\nh = cell(torch.randn(2, 4) > 0)\n'), ['SL144']);
    assert.deepEqual(await codes('rnn = nn.RNN(3, 8, batch_first=True)\nout, h = rnn(torch.randint(0, 9, (2, 7, 3)))\n'), ['SL144']);
  });

  it('stays silent on float input, on ids through an Embedding, and where the dtype is not known', async () => {
    assert.deepEqual(await codes('lstm = nn.LSTM(1, 8)\nout, _ = lstm(torch.zeros(5, 3, 1).long().float())\n'), []);
    assert.deepEqual(await codes('emb = nn.Embedding(50, 4)\ngru = nn.GRU(4, 8)\nout, _ = gru(emb(torch.randint(0, 50, (5, 3))))\n'), []);
    assert.deepEqual(await codes('gru = nn.GRU(4, 8)\ndef f(x):\n    return gru(x)\n'), []);
    assert.deepEqual(await codes('lstm = nn.LSTM(1, 8)\nout, _ = lstm(torch.zeros(5, 3, 1, dtype=torch.float64))\n'), []);
  });
});
