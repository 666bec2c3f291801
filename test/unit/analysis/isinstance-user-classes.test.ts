// isinstance against a class of the program: one decoding function shared by several model classes picks its path
// with `isinstance(model, Attention)`, and each call runs only the path of the model it is given (PyTorch 1.13 runs
// each model through its own branch; without the decision the RNN model's single state was read as an LSTM's pair).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const MODELS = `
class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.RNN(8, 16, 2, batch_first=True)


class Paired(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.LSTM(8, 16, 2, batch_first=True)


class Attention(Paired):
    def __init__(self):
        super().__init__()
        self.enc = nn.LSTM(8, 16, 2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(32, 16)


class Wider(Attention):
    pass
`;

const DECODE = (test: string, model: string) => `${MODELS}
def encode(model, src):
    is_paired = ${test}
    if isinstance(model, Attention):
        _, (hidden, cell) = model.enc(src)
        hidden = model.bridge(torch.cat((hidden[-2], hidden[-1]), dim=1))
    elif is_paired:
        _, (hidden, cell) = model.enc(src)
    else:
        _, hidden = model.enc(src)
    return hidden


h = encode(${model}, torch.randn(3, 7, 8))
`;

describe('isinstance against classes of the program', () => {
  it('runs only the branch of the class each call is given', async () => {
    for (const test of ['isinstance(model, Paired)', 'isinstance(model, (Paired, Attention))']) {
      assert.deepEqual(await codes(DECODE(test, 'Plain()')), [], test);
      assert.equal(await shapeOf(DECODE(test, 'Plain()'), 'h'), '(2, 3, 16)');
      assert.deepEqual(await codes(DECODE(test, 'Paired()')), []);
      assert.equal(await shapeOf(DECODE(test, 'Paired()'), 'h'), '(2, 3, 16)');
      assert.deepEqual(await codes(DECODE(test, 'Attention()')), []);
      assert.equal(await shapeOf(DECODE(test, 'Attention()'), 'h'), '(3, 16)');
    }
  });

  it('takes an instance of a subclass for an instance of its base', async () => {
    assert.deepEqual(await codes(DECODE('isinstance(model, Paired)', 'Wider()')), []);
    assert.equal(await shapeOf(DECODE('isinstance(model, Paired)', 'Wider()'), 'h'), '(3, 16)');
  });

  it('still reports a bug on the branch the class takes', async () => {
    const body = `${MODELS}
def encode(model, src):
    if isinstance(model, Plain):
        _, (hidden, cell) = model.enc(src)
    else:
        _, (hidden, cell) = model.enc(src)
    return hidden


h = encode(Plain(), torch.randn(3, 7, 8))
`;
    assert.deepEqual(await codes(body), ['SL104']);
  });

  it('takes a layer torch builds for no instance of a class of the program', async () => {
    const body = `${MODELS}
rnn = nn.GRU(8, 16)
y = torch.zeros(1) if isinstance(rnn, Plain) else torch.zeros(2)
`;
    assert.equal(await shapeOf(body, 'y'), '(2,)');
  });

  it('leaves isinstance undecided for a class with a base the analysis cannot follow', async () => {
    const body = `import torch
import torch.nn as nn
from somewhere_unknown import Base


class Plain(nn.Module):
    pass


class Other(Base):
    pass


y = torch.zeros(1) if isinstance(Other(), Plain) else torch.zeros(2)
`;
    assert.equal(await shapeOf(body, 'y'), '(?,)');
  });
});
