// SL104 on `pair[-1]` of an LSTM's (h_n, c_n): the GRU idiom h_n[-1] carried over gives c_n where the last layer's
// hidden state was meant. An assignment to a name that says it holds a cell state takes c_n on purpose, as `pair[1]`
// does. PyTorch 1.13: `states[-1]` is `states[1]`, c_n of shape (num_layers, batch, hidden), and the encoder below
// bridges all its layers' cell states to a (3, 16) decoder state.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const encoder = (line: string) =>
  'import torch\nimport torch.nn as nn\n' +
  'class Encoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
  '        self.lstm = nn.LSTM(8, 16, num_layers=2, batch_first=True)\n        self.bridge = nn.Linear(32, 16)\n' +
  `    def forward(self, x):\n        _, states = self.lstm(x)\n        ${line}\n        return self.bridge(picked.reshape(x.size(0), -1))\n` +
  'enc = Encoder()\ny = enc(torch.randn(3, 5, 8))\n';

describe('SL104 pair[-1] bound to a cell state', () => {
  it('leaves pair[-1] assigned to a name that says it holds a cell state', async () => {
    for (const name of ['final_cell_states', 'cell', 'c_n', 'cn', 'c', 'enc_cell']) {
      assert.deepEqual(await codes(encoder(`${name} = states[-1].permute(1, 0, 2)\n        picked = ${name}`)), [], name);
    }
  });

  it('still reports pair[-1] taken for the last hidden state', async () => {
    assert.deepEqual(await codes(encoder('picked = states[-1].permute(1, 0, 2)')), ['SL104']);
    assert.deepEqual(await codes(encoder('last_hidden = states[-1]\n        picked = last_hidden.permute(1, 0, 2)')), ['SL104']);
    assert.deepEqual(await codes(encoder('concat = states[-1].permute(1, 0, 2)\n        picked = concat')), ['SL104']);
  });
});
