// SL116 on one step of nn.RNNCell / nn.GRUCell / nn.LSTMCell: the input is 2-D (batch, input_size) or 1-D
// (input_size,). PyTorch 1.13 asserts that before it reads the state, e.g.
// `AssertionError: LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor`.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function found(body: string): Promise<{ code: string; message: string; line: number }[]> {
  return (await run(body)).findings.map((f) => ({ code: f.code, message: f.message, line: f.range.start.line + 1 }));
}

describe('SL116 on recurrent cells', () => {
  it('reports a whole 3-D sequence given to an LSTMCell inside a module, on the call, in PyTorch\'s words', async () => {
    const src = [
      'import torch',
      'import torch.nn as nn',
      'class Stepper(nn.Module):',
      '    def __init__(self, n_in, n_hid):',
      '        super().__init__()',
      '        self.cell = nn.LSTMCell(n_in, n_hid)',
      '    def forward(self, x, h, c):',
      '        h2, c2 = self.cell(x, (h, c))',
      '        return h2, c2',
      'm = Stepper(4, 12)',
      'seq = torch.randn(30, 8, 4)',
      'h2, c2 = m(seq, torch.zeros(1, 8, 12), torch.zeros(1, 8, 12))',
    ].join('\n');
    const all = await found(src);
    assert.equal(all.length, 1, JSON.stringify(all));
    assert.equal(all[0].code, 'SL116');
    assert.equal(all[0].line, 8);
    assert.match(all[0].message, /LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor/);
    assert.match(all[0].message, /\(30, 8, 4\)/);
  });

  it('reports GRUCell and RNNCell given 3-D or 0-D input, with or without a state', async () => {
    const a = await found('import torch\nimport torch.nn as nn\ng = nn.GRUCell(5, 7)\nh = g(torch.randn(2, 3, 5))\n');
    assert.deepEqual(a.map((f) => f.code), ['SL116']);
    assert.match(a[0].message, /GRUCell: Expected input to be 1-D or 2-D but received 3-D tensor/);
    const b = await found('import torch\nimport torch.nn as nn\nr = nn.RNNCell(5, 7)\nh = r(torch.randn(2, 3, 5), torch.zeros(2, 7))\n');
    assert.deepEqual(b.map((f) => f.code), ['SL116']);
    const c = await found('import torch\nimport torch.nn as nn\nr = nn.RNNCell(1, 7)\nh = r(torch.tensor(1.0))\n');
    assert.deepEqual(c.map((f) => f.code), ['SL116']);
    assert.match(c[0].message, /received 0-D tensor/);
  });

  it('accepts one step at a time (2-D), an unbatched 1-D step, and input of unknown rank', async () => {
    const src = [
      'import torch',
      'import torch.nn as nn',
      'cell = nn.LSTMCell(4, 12)',
      'seq = torch.randn(30, 8, 4)',
      'h, c = torch.zeros(8, 12), torch.zeros(8, 12)',
      'for t in range(seq.size(0)):',
      '    h, c = cell(seq[t], (h, c))',
      'g = nn.GRUCell(4, 12)',
      'v = g(torch.randn(4))',
      'def step(x):',
      '    return g(x)',
    ].join('\n');
    assert.deepEqual(await found(src), []);
  });
});
