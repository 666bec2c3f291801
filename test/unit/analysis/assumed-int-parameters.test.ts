// A parameter of a function or module nothing calls with a known argument is taken for an int (a size such as
// hidden_size), but that is an assumption: a caller may pass a list or an array there. What reads the value as data
// (`torch.tensor(adj_mat)`, `np.array(adj_mat)`) must not take it for one number, or a graph layer's adjacency matrix
// becomes a 0-d tensor and its matmul a false error.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const prelude = 'import numpy as np\nimport torch\nimport torch.nn as nn\n';

const graphLayer = (extra: string) => `${prelude}
class GraphConv(nn.Module):
    def __init__(self, adj_mat, input_dim, output_dim):
        super().__init__()
        self.adj = torch.tensor(adj_mat, dtype=torch.float32)
        self.W = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.W(torch.matmul(self.adj, x))
${extra}`;

describe('an int only assumed for a parameter nothing calls', () => {
  it('torch.tensor(adj_mat) of a constructor parameter not followed is no 0-d tensor: no SL121 on its matmul', async () => {
    assert.deepEqual(await codes(graphLayer('')), []);
  });

  it('the same layer built with one number as its matrix: torch.tensor(3) is 0-d and matmul raises, SL121', async () => {
    const body = graphLayer('layer = GraphConv(3, 4, 8)\ny = layer(torch.randn(2, 5, 3, 4))\n');
    assert.ok((await codes(body)).includes('SL121'));
  });

  it('the same layer built with a 3 × 3 matrix draws nothing', async () => {
    const body = graphLayer('layer = GraphConv([[0, 1, 0], [1, 0, 1], [0, 1, 0]], 4, 8)\ny = layer(torch.randn(2, 5, 3, 4))\n');
    assert.deepEqual(await codes(body), []);
  });

  it('np.array and torch.as_tensor of such a parameter have no known shape; a literal number still does', async () => {
    const body = `${prelude}
class M(nn.Module):
    def __init__(self, table, size):
        super().__init__()
        self.a = np.array(table)
        self.b = torch.as_tensor(table)
        self.c = torch.tensor(size)
        self.d = torch.tensor(2.0)

    def forward(self, x):
        p = torch.matmul(self.a, x)
        q = torch.matmul(self.b, x)
        r = torch.matmul(self.c, x)
        s = torch.matmul(self.d, x)
        return p, q, r, s
`;
    const lines = (await run(body)).findings.filter((f) => f.code === 'SL121').map((f) => body.split('\n')[f.range.start.line].trim());
    // Only the literal 2.0 is surely one number; `size` is a parameter too, so its matmul is not reported either.
    assert.deepEqual(lines, ['s = torch.matmul(self.d, x)']);
  });

  it('torch.Tensor(adj) of such a parameter may be a size or data: no shape, and no SL121 on torch.mm', async () => {
    const layer = `${prelude}
class A(nn.Module):
    def __init__(self, adj):
        super().__init__()
        self.adj = torch.Tensor(adj)

    def forward(self, x):
        return torch.mm(self.adj, x)
`;
    assert.deepEqual(await codes(layer), []);
    // Built with one number, torch.Tensor(5) is a (5,) vector and torch.mm raises "self must be a matrix".
    assert.ok((await codes(`${layer}y = A(5)(torch.randn(5, 3))\n`)).includes('SL121'));
    // Built with a 2 x 2 matrix, the product is (2, 3): nothing.
    assert.deepEqual(await codes(`${layer}y = A([[0.0, 1.0], [1.0, 0.0]])(torch.randn(2, 3))\n`), []);
  });

  const sizedLayer = (init: string) => `${prelude}
class Attn(nn.Module):
    def __init__(self, method, hidden_size):
        super().__init__()
${init.split('\n').map((l) => '        ' + l).join('\n')}
        self.v = nn.Parameter(torch.FloatTensor(hidden_size))

    def forward(self, x):
        return torch.mm(self.v, x)
`;

  it('a parameter the constructor gives nn.Linear as a size is an int: torch.FloatTensor(hidden_size) is (hidden_size,)', async () => {
    // PyTorch 1.13: nn.Linear raises for a list, tuple, float, array or 1-d tensor there, so every built layer has an
    // int; torch.FloatTensor(5) is then a (5,) vector and torch.mm raises "self must be a matrix".
    const body = sizedLayer('self.attn = nn.Linear(hidden_size * 2, hidden_size)');
    assert.equal(await shapeOf(body, 'self.v'), '(hidden_size,)');
    assert.ok((await codes(body)).includes('SL121'));
    const keyword = sizedLayer('self.rnn = nn.GRU(input_size=4, hidden_size=hidden_size)');
    assert.equal(await shapeOf(keyword, 'self.v'), '(hidden_size,)');
  });

  it('no such proof from a layer built only on a branch, after a possible return, or of a rebound parameter', async () => {
    const twins = [
      "if method == 'general':\n    self.attn = nn.Linear(hidden_size, hidden_size)",
      "if method is None:\n    return\nself.attn = nn.Linear(hidden_size, hidden_size)",
      'self.attn = nn.Linear(hidden_size, hidden_size) if method else None',
      'hidden_size = [hidden_size]\nself.attn = nn.Linear(4, 4)',
      'self.attn = nn.Linear(hidden_size, 4)\nfor hidden_size in method:\n    pass',
      // nn.BatchNorm1d takes a list for num_features without complaint.
      'self.norm = nn.BatchNorm1d(hidden_size)',
    ];
    for (const init of twins) {
      const body = sizedLayer(init);
      assert.equal(await shapeOf(body, 'self.v'), undefined, init);
      assert.deepEqual(await codes(body), [], init);
    }
  });

  it('an int the program computes stays one number: torch.tensor(len(xs)) is 0-d', async () => {
    const body = `${prelude}xs = [1, 2, 3]\ny = torch.tensor(len(xs))\n`;
    assert.equal(await shapeOf(body, 'y'), '()');
  });

  it('a parameter given a known int by a call is that int: torch.tensor(n) is 0-d', async () => {
    const body = `${prelude}def f(n):\n    return torch.tensor(n)\ny = f(4)\n`;
    assert.equal(await shapeOf(body, 'y'), '()');
  });
});
