// NumPy's element-wise functions, reductions and products as functions of the module, and the array methods whose
// meaning differs from a tensor's (max/min give values alone, repeat repeats each entry, transpose permutes). Shapes
// follow NumPy (test/oracle/op_shapes.py checks them through torch.from_numpy); what NumPy decides from values the
// analysis cannot see stays unknown, and torch.from_numpy gives a tensor with a tensor's methods.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import numpy as np\nimport torch\nimport torch.nn as nn\n';

describe('NumPy functions and array methods', () => {
  it('normalises features per column and feeds them to a model: the Linear is checked against the columns', async () => {
    const program = (features: number): string => `${HEAD}
raw = np.random.rand(500, 12)
mu = np.mean(raw, axis=0)
sigma = np.std(raw, axis=0, keepdims=True)
scaled = np.clip((raw - mu) / (sigma + 1e-8), -5, 5)
logged = np.log1p(np.abs(scaled))
x = torch.from_numpy(logged.astype(np.float32))
model = nn.Linear(${features}, 1)
y = model(x)
`;
    assert.equal(await shapeOf(program(12), 'mu'), '(12,)');
    assert.equal(await shapeOf(program(12), 'sigma'), '(1, 12)');
    assert.equal(await shapeOf(program(12), 'logged'), '(500, 12)');
    assert.equal(await shapeOf(program(12), 'y'), '(500, 1)');
    assert.deepEqual(await codes(program(12)), []);
    assert.deepEqual(await codes(program(10)), ['SL106']);
  });

  it('binary functions broadcast, where broadcasts its three operands, dot and matmul multiply', async () => {
    const body = `${HEAD}
a = np.random.rand(4, 3)
b = np.maximum(a, 0)
c = np.greater(a, np.ones(3))
d = np.where(a > 0.5, a, 0.0)
e = np.dot(a, np.random.rand(3, 7))
f = np.matmul(np.random.rand(2, 4, 3), np.random.rand(3, 5))
g = np.linalg.pinv(np.random.rand(6, 2))
n = np.linalg.norm(a, axis=1)
`;
    assert.equal(await shapeOf(body, 'b'), '(4, 3)');
    assert.equal(await shapeOf(body, 'c'), '(4, 3)');
    assert.equal(await shapeOf(body, 'd'), '(4, 3)');
    assert.equal(await shapeOf(body, 'e'), '(4, 7)');
    assert.equal(await shapeOf(body, 'f'), '(2, 4, 5)');
    assert.equal(await shapeOf(body, 'g'), '(2, 6)');
    assert.equal(await shapeOf(body, 'n'), '(4,)');
  });

  it('np.repeat repeats each entry, np.tile pads the shorter of shape and repeats, np.ravel flattens', async () => {
    const body = `${HEAD}
a = np.random.rand(2, 3)
r = np.repeat(a, 2, axis=1)
flat = np.repeat(a, 3)
t = np.tile(a, (2, 1, 2))
v = np.ravel(a)
`;
    assert.equal(await shapeOf(body, 'r'), '(2, 6)');
    assert.equal(await shapeOf(body, 'flat'), '(18,)');
    assert.equal(await shapeOf(body, 't'), '(2, 2, 6)');
    assert.equal(await shapeOf(body, 'v'), '(6,)');
  });

  it("an array's max, repeat and transpose are NumPy's, and from_numpy's tensor has a tensor's", async () => {
    const body = `${HEAD}
a = np.random.rand(6, 5, 2)
peak = a.max(0)
first = peak[0]
rep = a.repeat(2, 0)
moved = a.transpose(2, 0, 1)
t = torch.from_numpy(a)
values, where = t.max(0)
tiled = t.repeat(2, 1, 1)
`;
    assert.equal(await shapeOf(body, 'peak'), '(5, 2)');
    assert.equal(await shapeOf(body, 'first'), '(2,)');
    assert.equal(await shapeOf(body, 'rep'), '(12, 5, 2)');
    assert.equal(await shapeOf(body, 'moved'), '(2, 6, 5)');
    assert.equal(await shapeOf(body, 'values'), '(5, 2)');
    assert.equal(await shapeOf(body, 'tiled'), '(12, 5, 2)');
  });

  it('a whole-array reduction is a NumPy scalar, a number that sizes an array; a value the analysis cannot see stays unknown', async () => {
    const body = `${HEAD}
lengths = np.random.randint(1, 30, size=16)
longest = np.max(lengths)
batch = np.zeros((16, longest))
picked = np.where(lengths > 10)
unknown = np.mean(np.load('x.npy'), axis=0)
`;
    assert.equal(await shapeOf(body, 'batch'), '(16, ?)');
    assert.equal(await shapeOf(body, 'unknown'), undefined);
    assert.deepEqual(await codes(body), []);
  });

  it("an array's resize works in place and gives None; an empty list given to NumPy is not read as an empty array", async () => {
    const program = (input: number): string => `${HEAD}
steps = np.linspace(0, np.pi, 20)
data = np.sin(steps)
data.resize((20, 1))
x = torch.Tensor(data).unsqueeze(0)
rnn = nn.RNN(${input}, 10, batch_first=True)
out, h = rnn(x, None)
history = {'bleu': []}
recent = np.mean(history['bleu'][-10:], axis=0)
`;
    assert.equal(await shapeOf(program(1), 'x'), '(1, 20, 1)');
    assert.equal(await shapeOf(program(1), 'out'), '(1, 20, 10)');
    assert.equal(await shapeOf(program(1), 'recent'), undefined);
    assert.deepEqual(await codes(program(1)), []);
    assert.deepEqual(await codes(program(3)), ['SL101']);
  });
});
