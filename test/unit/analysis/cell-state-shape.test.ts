// SL103 on one step of nn.RNNCell / nn.GRUCell / nn.LSTMCell: the state is (batch, hidden_size), or (hidden_size,) for a 1-D input.
// Each reported case raises in PyTorch 1.13 with the words quoted in the message.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function sl103(body: string): Promise<string[]> {
  return (await run(body)).findings.filter((f) => f.code === 'SL103').map((f) => f.message);
}

describe('SL103 on recurrent cells', () => {
  it('reports an LSTMCell state wider than hidden_size, as PyTorch words it', async () => {
    const found = await sl103('cell = nn.LSTMCell(10, 256)\nx = torch.zeros(32, 10)\nh, c = cell(x, (torch.zeros(32, 512), torch.zeros(32, 512)))\n');
    assert.equal(found.length, 1);
    assert.match(found[0], /h_0 of shape \(32, 256\).*got \(32, 512\).*hidden0 has inconsistent hidden_size: got 512, expected 256/);
  });

  it('reports a GRUCell state whose batch differs from the input', async () => {
    const found = await sl103('cell = nn.GRUCell(10, 256)\nh = cell(torch.zeros(32, 10), torch.zeros(16, 256))\n');
    assert.equal(found.length, 1);
    assert.match(found[0], /Input batch size 32 doesn't match hidden0 batch size 16/);
  });

  it('reports a 1-D RNNCell state of another size with a 1-D input', async () => {
    const found = await sl103('cell = nn.RNNCell(10, 256)\nh = cell(torch.zeros(10), torch.zeros(100))\n');
    assert.equal(found.length, 1);
    assert.match(found[0], /hidden0 has inconsistent hidden_size: got 100, expected 256/);
  });

  it('accepts (batch, hidden_size), (hidden_size,) for a 1-D input, no state, and an unknown batch of the right width', async () => {
    const src = [
      'l = nn.LSTMCell(10, 256)',
      'g = nn.GRUCell(10, 256)',
      'def step(x, n):',
      '    return g(x, torch.zeros(n, 256))',
      'a = l(torch.zeros(32, 10), (torch.zeros(32, 256), torch.zeros(32, 256)))',
      'b = g(torch.zeros(10), torch.zeros(256))',
      'c = g(torch.zeros(32, 10))',
      'd = step(torch.zeros(32, 10), 32)',
    ].join('\n');
    assert.deepEqual(await sl103(src), []);
  });

  it('leaves a pair given to a GRUCell to SL104, not SL103', async () => {
    assert.deepEqual(await sl103('cell = nn.GRUCell(10, 256)\nh = cell(torch.zeros(32, 10), (torch.zeros(32, 512), torch.zeros(32, 512)))\n'), []);
  });
});

describe('SL103 on a call written over several lines', () => {
  it('lands on the line the call starts on (where PyTorch 1.13 points), and on the state itself when both share a line', async () => {
    // run() puts two import lines before the body: the call on the body's line 4 is the file's line 6.
    const lines = async (body: string) => (await run(body)).findings.filter((f) => f.code === 'SL103').map((f) => f.range.start.line + 1);
    const head = 'rnn = nn.GRU(8, 16, num_layers=2)\nx = torch.zeros(5, 4, 8)\nh = torch.zeros(2, 3, 16)\n';
    assert.deepEqual(await lines(`${head}out, hn = rnn(\n    x,\n    h,\n)\n`), [6]);
    assert.deepEqual(await lines(`${head}out, hn = rnn(x,\n               h)\n`), [6]);
    assert.deepEqual(await lines(`${head}out, hn = rnn(x, h)\n`), [6]);
    assert.deepEqual(await lines(`${head}cell = nn.GRUCell(8, 16)\nh1 = cell(\n    x[0], torch.zeros(2, 16))\n`), [7]);
    assert.deepEqual(await lines(`${head}out, hn = rnn(\n    x,\n    torch.zeros(2, 4, 16),\n)\n`), []);
  });
});
