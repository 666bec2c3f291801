// SL163: a recurrent layer or cell run one step at a time in a loop, never given back the state it returns, starts
// every step from zeros (PyTorch 1.13: the output after the loop depends on the last step alone; see
// test/fixtures/torch/SL163_*).
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const sl163 = async (body: string) => (await codes(body)).filter((c) => c === 'SL163').length;

describe('SL163 rnn-state-dropped-between-steps', () => {
  it('flags an LSTM given x.unsqueeze(0), one step, in a loop that never passes its state back', async () => {
    const body = [
      'lstm = nn.LSTM(8, 16)',
      'xs = torch.randn(5, 3, 8)',
      'hidden = None',
      'for t in range(5):',
      '    out, hidden = lstm(xs[t].unsqueeze(0))',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 1);
  });

  it('flags a GRUCell stepping through a sequence without its state', async () => {
    const body = ['cell = nn.GRUCell(8, 16)', 'h = torch.zeros(3, 16)', 'for x in torch.randn(5, 3, 8):', '    h = cell(x)', ''].join('\n');
    assert.equal(await sl163(body), 1);
  });

  it('stays silent when the state is passed back', async () => {
    const body = ['lstm = nn.LSTM(8, 16)', 'xs = torch.randn(5, 3, 8)', 'hidden = None', 'for t in range(5):', '    out, hidden = lstm(xs[t].unsqueeze(0), hidden)', ''].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('stays silent on a first step taken without a state when the later ones get it', async () => {
    const body = [
      'cell = nn.LSTMCell(8, 16)',
      'state = None',
      'for t, x in enumerate(torch.randn(5, 3, 8)):',
      '    if state is None:',
      '        state = cell(x)',
      '    else:',
      '        state = cell(x, state)',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('reads the loop\'s calls, not its text: a string naming the call with the state does not give the state back', async () => {
    const body = [
      'cell = nn.GRUCell(8, 16)',
      'h = torch.zeros(3, 16)',
      'for x in torch.randn(5, 3, 8):',
      "    print('cell(x, h) would keep the state')",
      '    h = cell(x)',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 1);
  });

  it('stays silent when the state reaches the layer inside another argument (a keyword, a tuple)', async () => {
    const body = [
      'lstm = nn.LSTM(8, 16)',
      'xs = torch.randn(5, 3, 8)',
      'out, (h, c) = lstm(xs[0].unsqueeze(0))',
      'for t in range(1, 5):',
      '    out, (h, c) = lstm(xs[t].unsqueeze(0))',
      '    out, (h, c) = lstm(xs[t].unsqueeze(0), hx=(h.detach(), c))',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('stays silent on whole sequences run one batch per iteration', async () => {
    const body = ['lstm = nn.LSTM(8, 16, batch_first=True)', 'for i in range(3):', '    out, hidden = lstm(torch.randn(4, 10, 8))', ''].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('stays silent on a loop over stacked cells, each called once', async () => {
    const body = [
      'cells = nn.ModuleList([nn.GRUCell(8, 8) for _ in range(3)])',
      'x = torch.randn(4, 8)',
      'for i in range(3):',
      '    cell = cells[i]',
      '    h = cell(x)',
      'for cell in cells:',
      '    h = cell(x)',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('stays silent when the state is thrown away on purpose (`_`)', async () => {
    const body = ['lstm = nn.LSTM(8, 16)', 'for t in range(5):', '    out, _ = lstm(torch.randn(1, 3, 8))', ''].join('\n');
    assert.equal(await sl163(body), 0);
  });

  it('stays silent on a forward called from a training loop: the loop is not the forward\'s', async () => {
    const body = [
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.lstm = nn.LSTM(8, 16)',
      '    def forward(self, x):',
      '        out, hidden = self.lstm(x)',
      '        return out',
      'm = M()',
      'for step in range(3):',
      '    y = m(torch.randn(1, 4, 8))',
      '',
    ].join('\n');
    assert.equal(await sl163(body), 0);
  });

  describe('a function that returns the state it was given, not the layer\'s new one', () => {
    const model = (call: string, ret: string, extra: string[] = []) =>
      [
        'class Step(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.gru = nn.GRU(8, 16)',
        '    def forward(self, x, hidden):',
        ...extra,
        `        ${call}`,
        `        ${ret}`,
        'm = Step()',
        'h = torch.zeros(1, 3, 16)',
        'for t in range(5):',
        '    y, h = m(torch.randn(1, 3, 8), h)',
        '',
      ].join('\n');

    it('flags a new state bound to a name never read while the given one is returned', async () => {
      assert.equal(await sl163(model('out, new_h = self.gru(x, hidden)', 'return out, hidden')), 1);
    });

    it('flags a cell\'s new state dropped the same way', async () => {
      const body = [
        'cell = nn.GRUCell(8, 16)',
        'def step(x, h):',
        '    h2 = cell(x, h)',
        '    return h',
        'h = torch.zeros(3, 16)',
        'for x in torch.randn(5, 3, 8):',
        '    h = step(x, h)',
        '',
      ].join('\n');
      assert.equal(await sl163(body), 1);
    });

    it('stays silent when the new state is returned', async () => {
      assert.equal(await sl163(model('out, hidden = self.gru(x, hidden)', 'return out, hidden')), 0);
    });

    it('stays silent when the new state is read', async () => {
      assert.equal(await sl163(model('out, new_h = self.gru(x, hidden)', 'return out + new_h[-1], hidden')), 0);
    });

    it('stays silent when the given name is rebound before it is returned', async () => {
      assert.equal(await sl163(model('out, new_h = self.gru(x, hidden)', 'return out, hidden', ['        hidden = hidden.detach()'])), 0);
    });

    it('stays silent on a new state bound to an underscore name', async () => {
      assert.equal(await sl163(model('out, _h = self.gru(x, hidden)', 'return out, hidden')), 0);
    });
  });
});
