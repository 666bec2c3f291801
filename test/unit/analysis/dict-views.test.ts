// keys(), values() and items() of a dict that lists every key give its entries in insertion order, so a loop over
// `d.items()`, a comprehension over them or `SimpleNamespace(**{k: v for k, v in d.items()})` keeps each value. A dict
// whose keys are not all known gives nothing, and a key written with digits (an int, kept as text) is not given.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('dict views', () => {
  it('follows a config through items(), a dict comprehension and SimpleNamespace', async () => {
    const body = `import torch
import torch.nn as nn
from types import SimpleNamespace
defaults = {'vocab': 500, 'dim': 32, 'hidden': 64}
conf = SimpleNamespace(**{k: v for k, v in defaults.items()})
emb = nn.Embedding(conf.vocab, conf.dim)
x = emb(torch.randint(0, 500, (4, 7)))
n = len(defaults.keys())
total = torch.zeros(n, list(defaults.values())[2])
`;
    assert.equal(await shapeOf(body, 'x'), '(4, 7, 32)');
    assert.equal(await shapeOf(body, 'total'), '(3, 64)');
  });

  it('runs each module of an nn.ModuleDict looped over by items() in forward', async () => {
    const program = (features: number): string => `import torch
import torch.nn as nn

class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.LSTM(8, 16, batch_first=True)
        self.heads = nn.ModuleDict({'intent': nn.Linear(16, 5), 'slot': nn.Linear(${features}, 9)})

    def forward(self, x):
        out, _ = self.encoder(x)
        scores = {}
        for name, head in self.heads.items():
            scores[name] = head(out)
        return scores

model = Heads()
y = model(torch.randn(2, 10, 8))
`;
    assert.deepEqual(await codes(program(16)), []);
    assert.deepEqual(await codes(program(32)), ['SL106']);
  });

  it('gives no key written with digits, and nothing for a dict whose keys are not all known', async () => {
    const body = `import torch
ids = {3: 'a', 'b': 4}
keys = list(ids.keys())
k = keys[0]
def build(extra):
    d = dict(extra)
    return list(d.items())
pairs = build(unknown_mapping)
t = torch.zeros(len(pairs))
`;
    assert.equal(await shapeOf(body, 't'), '(?,)');
  });
});
