// SL165: a recurrent layer or cell fed, as its input, the cell state an LSTM or LSTMCell returned instead of its output h
// (PyTorch 1.13 runs it: h and c have the same shape; see test/fixtures/torch/SL165_*).
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const sl165 = async (body: string) => (await codes(body)).filter((c) => c === 'SL165').length;

const stacked = (input: string) =>
  [
    'cell1 = nn.LSTMCell(1, 8)',
    'cell2 = nn.LSTMCell(8, 8)',
    'h1, c1, h2, c2 = torch.zeros(2, 8), torch.zeros(2, 8), torch.zeros(2, 8), torch.zeros(2, 8)',
    'for x in torch.randn(5, 2, 1):',
    '    h1, c1 = cell1(x, (h1, c1))',
    `    h2, c2 = cell2(${input}, (h2, c2))`,
    '',
  ].join('\n');

describe('SL165 lstm-cell-state-as-input', () => {
  it("flags a cell stacked on an LSTMCell that reads the lower cell's c", async () => {
    assert.equal(await sl165(stacked('c1')), 1);
  });

  it("stays silent when the stacked cell reads the lower cell's h", async () => {
    assert.equal(await sl165(stacked('h1')), 0);
  });

  it("flags an nn.LSTM's c_n given to a GRU as its input", async () => {
    const body = ['lstm = nn.LSTM(4, 8)', 'gru = nn.GRU(8, 8)', 'out, (h, c) = lstm(torch.randn(5, 2, 4))', 'y, _ = gru(c)', ''].join('\n');
    assert.equal(await sl165(body), 1);
  });

  it('stays silent on a cell state handed on as a state (an encoder c_n starting a decoder)', async () => {
    const body = [
      'enc = nn.LSTM(4, 8)',
      'dec = nn.LSTM(4, 8)',
      'out, (h, c) = enc(torch.randn(5, 2, 4))',
      'y, _ = dec(torch.randn(3, 2, 4), (h, c))',
      '',
    ].join('\n');
    assert.equal(await sl165(body), 0);
  });

  it('stays silent on a tensor computed from the cell state (it is no longer the state as it came out)', async () => {
    assert.equal(await sl165(stacked('torch.tanh(c1)')), 0);
  });
});
