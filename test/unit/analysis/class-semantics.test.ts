// isinstance on layers, @property getters, @staticmethod, @classmethod and property setters: the class semantics that decide which
// branch of a model runs (`if self.use_lstm:` reading a GRU's single state as (h, c) only on the LSTM path).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { TORCH_NN_CLASSES, subclassPairs, torchLayerIsInstance } from '../../../src/analysis/layers/torch/classes';
import { codes, shapeOf } from './helpers';

const ENCODER = (rnn: string, test: string) => `
class Base(nn.Module):
    @property
    def use_lstm(self):
        if hasattr(self, 'rnn'):
            return isinstance(self.rnn, nn.LSTM)
        raise AttributeError('no rnn selected')


class Encoder(Base):
    def __init__(self, rnn=${rnn}):
        super().__init__()
        self.rnn = rnn(8, 16)

    def forward(self, x):
        out, hidden = self.rnn(x)
        if ${test}:
            hidden = (hidden[0].index_select(1, torch.tensor([0])), hidden[1].index_select(1, torch.tensor([0])))
        else:
            hidden = hidden.index_select(1, torch.tensor([0]))
        return out, hidden


out, hidden = Encoder()(torch.randn(5, 3, 8))
`;

describe('class semantics: isinstance on layers, properties, static methods', () => {
  it('decides isinstance of a layer against torch.nn classes, base classes included', async () => {
    assert.deepEqual(await codes(ENCODER('nn.GRU', 'isinstance(self.rnn, nn.LSTM)')), []);
    assert.deepEqual(await codes(ENCODER('nn.GRU', 'self.use_lstm')), []);
    assert.equal(await shapeOf(ENCODER('nn.GRU', 'self.use_lstm'), 'hidden'), '(1, 1, 16)');
    assert.deepEqual(await codes(ENCODER('nn.LSTM', 'self.use_lstm')), []);
    // Without the decision both paths run, and the GRU's single state would be read as (h, c).
    assert.deepEqual(await codes(ENCODER('nn.GRU', 'self.rnn.hidden_size > int(input())')), ['SL125']);
    assert.equal(torchLayerIsInstance('LSTM', 'RNNBase'), true);
    assert.equal(torchLayerIsInstance('GRU', 'LSTM'), false);
    assert.equal(torchLayerIsInstance('GRU', 'Module'), true);
    assert.equal(torchLayerIsInstance('GRU', 'MyCell'), undefined);
  });

  it('runs a property getter on read, keeps the getter when a setter follows, and calls a static method without self', async () => {
    const body = `
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self._hidden = 32
        self.fc = nn.Linear(10, self.hidden)

    @property
    def hidden(self):
        return self._hidden

    @hidden.setter
    def hidden(self, value):
        self._hidden = value

    @staticmethod
    def widen(x, times):
        return torch.cat([x] * times, dim=1)

    def forward(self, x):
        return self.widen(self.fc(x), 2)


y = Model()(torch.randn(4, 10))
`;
    assert.equal(await shapeOf(body, 'y'), '(4, 64)');
  });

  it('calls a @classmethod with the class it was read from, from the class or an instance', async () => {
    const body = `
class Encoder(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)

    @classmethod
    def from_config(cls, config):
        return cls(config['vocab'], config['dim'])

    def forward(self, x):
        return self.embed(x)


enc = Encoder.from_config({'vocab': 100, 'dim': 16})
y = enc(torch.randint(0, 100, (4, 7)))
twin = enc.from_config({'vocab': 50, 'dim': 8})
z = twin(torch.randint(0, 50, (4, 7)))
`;
    assert.equal(await shapeOf(body, 'y'), '(4, 7, 16)');
    assert.equal(await shapeOf(body, 'z'), '(4, 7, 8)');
  });

  it('follows layers cloned with copy.deepcopy into a ModuleList, each copy with its own attributes', async () => {
    const body = `
import copy
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.scale = 1

    def forward(self, x):
        return self.proj(x) * self.scale


def clones(module, n):
    return nn.ModuleList([copy.deepcopy(module) for _ in range(n)])


class Stack(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.layers = clones(Block(dim), n)
        self.layers[0].scale = 2

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


y = Stack(32, 3)(torch.randn(4, 10, 32))
a = Block(8)
b = copy.copy(a)
b.scale = 3
z = torch.zeros(a.scale)
`;
    assert.equal(await shapeOf(body, 'y'), '(4, 10, 32)');
    assert.equal(await shapeOf(body, 'z'), '(1,)');
  });

  it('has the torch.nn classes and subclasses PyTorch 1.13 has', function () {
    let listed: string;
    try {
      listed = execFileSync('/usr/bin/python3', ['-c', [
        'import inspect, torch.nn as nn',
        'names = sorted(n for n in dir(nn) if inspect.isclass(getattr(nn, n)) and issubclass(getattr(nn, n), nn.Module) and n != "Module")',
        'print(" ".join(names))',
        'print(" ".join(sorted(a + "<" + b for a in names for b in names if a != b and issubclass(getattr(nn, a), getattr(nn, b)))))',
      ].join('\n')], { encoding: 'utf8' });
    } catch (e) {
      if (process.env.CI) throw e;
      this.skip();
    }
    const [names, pairs] = listed.trim().split('\n');
    assert.deepEqual([...TORCH_NN_CLASSES].sort(), names.split(' '));
    assert.deepEqual(subclassPairs().map(([a, b]) => `${a}<${b}`).sort(), pairs.split(' '));
  });
});
