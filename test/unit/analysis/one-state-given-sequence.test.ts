// SL104 on a GRU, an RNN or their cells given a tuple or list of tensors as the state: they take one tensor, and
// PyTorch 1.13 raises for any sequence, whatever its length (nn.GRU/nn.RNN: AttributeError: 'tuple' object has no
// attribute 'dim'; GRUCell/RNNCell: TypeError, hx must be Tensor). A one-element tuple arises when a state is kept
// wrapped, `(h,)`, so that a GRU's and an LSTM's states are stored alike.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const program = (layer: string, x: string, state: string) =>
  `import torch\nimport torch.nn as nn\nrnn = ${layer}\nx = ${x}\n` +
  `h1 = ${layer.includes('Cell') ? 'torch.zeros(3, 16)' : 'torch.zeros(1, 3, 16)'}\nout = rnn(x, ${state})\n`;

describe('SL104 one-state layer given a sequence of tensors', () => {
  it('reports a one-element tuple or list, and a triple, given to GRU, RNN and their cells', async () => {
    for (const [layer, x] of [['nn.GRU(8, 16)', 'torch.randn(5, 3, 8)'], ['nn.RNN(8, 16)', 'torch.randn(5, 3, 8)'],
      ['nn.GRUCell(8, 16)', 'torch.randn(3, 8)'], ['nn.RNNCell(8, 16)', 'torch.randn(3, 8)']]) {
      for (const state of ['(h1,)', '[h1]', '(h1, h1, h1)', '(h1, h1)']) {
        assert.deepEqual(await codes(program(layer, x, state)), ['SL104'], `${layer} ${state}`);
      }
    }
  });

  it('reports the wrapped state kept on an object and read back', async () => {
    const src = 'import torch\nimport torch.nn as nn\nclass State(object):\n    def __init__(self, s):\n' +
      '        if not isinstance(s, tuple):\n            self.hidden = (s,)\n        else:\n            self.hidden = s\n' +
      'gru = nn.GRU(8, 16)\nst = State(torch.zeros(1, 3, 16))\nout, h = gru(torch.randn(5, 3, 8), st.hidden)\n';
    assert.deepEqual(await codes(src), ['SL104']);
  });

  it('leaves the tensor itself and an item taken from a sequence', async () => {
    for (const state of ['h1', '(h1,)[0]', 'states[0]', 'list(states)[-1]']) {
      const src = program('nn.GRU(8, 16)', 'torch.randn(5, 3, 8)', state).replace('out = rnn', 'states = [h1] * n\nout = rnn');
      assert.deepEqual(await codes(src.replace('import torch\n', 'import torch\nimport sys\nn = len(sys.argv)\n')), [], state);
    }
  });
});

// An LSTM or LSTMCell takes exactly the pair (h_0, c_0). PyTorch 1.13: nn.LSTM given (h,) or [h] raises IndexError
// (it reads hx[1]), given three tensors RuntimeError "lstm expects two hidden states"; LSTMCell RuntimeError
// "lstm_cell expects two hidden states" for one or three.
describe('SL104 LSTM given a sequence of tensors that is not the pair', () => {
  it('reports one tensor or three, in a tuple or a list, given to LSTM and LSTMCell', async () => {
    for (const [layer, x] of [['nn.LSTM(8, 16)', 'torch.randn(5, 3, 8)'], ['nn.LSTMCell(8, 16)', 'torch.randn(3, 8)']]) {
      for (const state of ['(h1,)', '[h1]', '(h1, h1, h1)']) {
        assert.deepEqual(await codes(program(layer, x, state)), ['SL104'], `${layer} ${state}`);
      }
    }
  });

  it('leaves the pair, as a tuple or a list, and a sequence of unknown length', async () => {
    for (const [layer, x] of [['nn.LSTM(8, 16)', 'torch.randn(5, 3, 8)'], ['nn.LSTMCell(8, 16)', 'torch.randn(3, 8)']]) {
      for (const state of ['(h1, h1)', '[h1, h1]', 'tuple(states)']) {
        const src = program(layer, x, state).replace('out = rnn', 'states = [h1] * n\nout = rnn');
        assert.deepEqual(await codes(src.replace('import torch\n', 'import torch\nimport sys\nn = len(sys.argv)\n')), [], `${layer} ${state}`);
      }
    }
  });
});
