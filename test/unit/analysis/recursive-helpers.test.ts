// Recursive helpers and nested comprehensions: a function that calls itself is followed a few calls deep (a config's
// nested dicts made into namespaces, a batch of nested containers moved to a device), and a comprehension in another's
// element (or in a function that element calls) unrolls while their lengths multiply to little. Deeper, it is unknown.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nfrom types import SimpleNamespace\n';

describe('recursive helpers and nested comprehensions', () => {
  it("a config's nested dicts made into namespaces by a recursive comprehension size the model", async () => {
    const program = (features: number): string => `${HEAD}
def to_namespace(d):
    return SimpleNamespace(**{k: to_namespace(v) if isinstance(v, dict) else v for k, v in d.items()})

cfg = to_namespace({'data': {'features': 40, 'steps': 100}, 'model': {'hidden': 64, 'head': {'classes': 5}}})
lstm = nn.LSTM(cfg.data.features, cfg.model.hidden, batch_first=True)
fc = nn.Linear(${features}, cfg.model.head.classes)
x = torch.randn(8, cfg.data.steps, cfg.data.features)
out, _ = lstm(x)
y = fc(out[:, -1])
`;
    assert.equal(await shapeOf(program(64), 'y'), '(8, 5)');
    assert.deepEqual(await codes(program(64)), []);
    assert.deepEqual(await codes(program(40)), ['SL106']);
  });

  it('a recursive move of nested containers keeps every tensor', async () => {
    const body = `${HEAD}
def move(batch, device):
    if isinstance(batch, dict):
        return {k: move(v, device) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return [move(v, device) for v in batch]
    return batch.to(device)

batch = move({'x': torch.randn(4, 7, 3), 'pair': [torch.zeros(4), torch.ones(4, 2)]}, 'cpu')
x = batch['x']
second = batch['pair'][1]
`;
    assert.equal(await shapeOf(body, 'x'), '(4, 7, 3)');
    assert.equal(await shapeOf(body, 'second'), '(4, 2)');
  });

  it('recursion deeper than it follows gives unknown, never a guess', async () => {
    const body = `${HEAD}
def nest(n):
    if n == 0:
        return torch.zeros(3)
    return nest(n - 1).unsqueeze(0)

shallow = nest(1)
deep = nest(6)
`;
    assert.equal(await shapeOf(body, 'shallow'), '(1, 3)');
    assert.equal(await shapeOf(body, 'deep'), undefined);
    assert.deepEqual(await codes(body), []);
  });

  it('nested list comprehensions unroll while their lengths multiply to little', async () => {
    const body = `${HEAD}
grid = [[torch.zeros(2, j + 1) for j in range(3)] for i in range(4)]
row = torch.cat(grid[1], dim=1)
big = [[torch.zeros(2) for j in range(16)] for i in range(16)]
`;
    assert.equal(await shapeOf(body, 'row'), '(2, 6)');
    assert.deepEqual(await codes(body), []);
  });
});
