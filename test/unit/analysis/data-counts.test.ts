// Sizes the data decides (the rows a boolean mask selects, np.where / nonzero / unique counts): each evaluation mints a
// symbol of its own (shapes/dim.ts dataCountDim), kept wherever that value flows and never shared with another count.
// It is shown as a size not known (`?`): the tests read its identity from what the rules say.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const shapes = async (body: string, ...names: string[]): Promise<(string | undefined)[]> => {
  const result = await run(body);
  return names.map((name) => {
    const sites = result.tensors.filter((t) => t.name === name);
    return sites[sites.length - 1]?.shape;
  });
};
const codesOf = async (body: string): Promise<string[]> => (await run(body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code);

describe('data-dependent counts', () => {
  const masked = (heads: string) =>
    `x = torch.randn(2, 64, 512)\nmask = torch.rand(2, 64) > 0.5\nv = x[~mask].reshape(2, -1, 512)\nB, N, C = v.shape\nqkv = nn.Linear(512, 1536)\nq = qkv(v).reshape(B, N, 3, ${heads})\n`;

  it('keeps the rows a mask selects through a view and shape unpacking: a reshape off by a known factor is refused', async () => {
    const found = (await run(masked('6, 85'))).findings.filter((f) => f.code === 'SL122');
    assert.deepEqual(found.map((f) => f.range.start.line + 1), [8]);
    assert.match(found[0].message, /3072 elements per N against 3060/);
    assert.deepEqual(await codesOf(masked('8, 64')), []);
  });

  it('gives two masks two counts: they never cancel or compare equal', async () => {
    const body = `x = torch.randn(10, 1536)\na = x[torch.rand(10) > 0.5]\nb = x[torch.rand(10) > 0.5]\nn = b.size(0)\nc = a.reshape(n, 3, 6, 85)\nd = a + b\n`;
    const [a, b] = await shapes(body, 'a', 'b');
    assert.equal(a, '(?, 1536)');
    assert.equal(b, '(?, 1536)');
    assert.deepEqual(await codesOf(body), []);
    // The same mask's rows, read again through their count, are refused at 1530 per row.
    assert.deepEqual(await codesOf(body.replace('n = b.size(0)', 'n = a.size(0)')), ['SL122']);
  });

  it('gives each call of a function its own count (a run that mints one is not replayed)', async () => {
    const body = `def sel(x, m):\n    return x[m]\n\nx = torch.randn(10, 4)\nm1 = torch.rand(10) > 0.5\nm2 = torch.rand(10) > 0.5\na = sel(x, m1)\nb = sel(x, m2)\nc = a.reshape(b.size(0), 3)\n`;
    assert.deepEqual(await codesOf(body), []);
    assert.deepEqual(await codesOf(body.replace('a.reshape(b.size(0)', 'a.reshape(a.size(0)')), ['SL122']);
  });

  it('leaves a count minted in a loop unknown where the passes join', async () => {
    const body = `x = torch.randn(10, 4)\ny = x[x.sum(-1) > 0]\nfor step in range(len(sys.argv)):\n    y = y[y.sum(-1) > 0]\nz = y.reshape(y.size(0), 3)\nw = x[x.sum(-1) > 0]\nfor step in range(len(sys.argv)):\n    w = w\nu = w.reshape(w.size(0), 3)\n`;
    const found = (await run(`import sys\nimport torch\n${body}`)).findings.filter((f) => f.code === 'SL122');
    // A count the loop does not mint again stays itself (line 11); one it mints is no longer itself (line 7).
    assert.deepEqual(found.map((f) => f.range.start.line + 1), [11]);
  });

  it('takes a count minted in a loop for itself within the pass, and for no size once the loop ended', async () => {
    const body = `import sys\nimport torch\nx = torch.randn(10, 4)\nfor step in range(len(sys.argv)):\n    y = x[x.sum(-1) > step]\n    if step == 0:\n        first = y\n    bad = y.reshape(y.size(0), 3)\nafter = first.reshape(y.size(0), 3)\n`;
    const found = (await run(body)).findings.filter((f) => f.code === 'SL122');
    assert.deepEqual(found.map((f) => f.range.start.line + 1), [8]);
  });

  it('shares one count between the outputs of one evaluation: nonzero(as_tuple=True), np.where, unique with counts', async () => {
    const body = `import numpy as np\nimport torch\nt = torch.randint(0, 5, (3, 4))\nr, c = t.nonzero(as_tuple=True)\nu, k = torch.unique(t, return_counts=True)\ni, j = np.where(np.zeros((3, 4)) > 0)\n`;
    const refused = async (tail: string) => (await run(body + tail)).findings.filter((f) => f.code === 'SL122').length;
    assert.equal(await refused('z = r.reshape(c.size(0), 2)\n'), 1);
    assert.equal(await refused('z = u.reshape(k.size(0), 2)\n'), 1);
    assert.equal(await refused('z = torch.as_tensor(i).reshape(len(j), 2)\n'), 1);
    // Two evaluations' counts are not one.
    assert.equal(await refused('z = u.reshape(r.size(0), 2)\n'), 0);
  });

  it('reads an np.where count on both sides of a reshape as a regroup (SL120), and two counts as nothing', async () => {
    const program = (second: string) =>
      `import numpy as np\nimport torch\nimport torch.nn as nn\nlstm = nn.LSTM(3, 5, num_layers=2)\nstates = np.zeros((32, 2, 5), dtype=np.float32)\nidx = np.where(np.random.rand(32) > 0.5)[0]\nother = np.where(np.random.rand(32) > 0.5)[0]\nh = torch.as_tensor(states[idx].reshape(2, len(${second}), -1))\nobs = torch.randn(4, len(idx), 3)\nout, _ = lstm(obs, (h, h))\n`;
    const found = (await run(program('idx'))).findings.filter((f) => f.code === 'SL120');
    assert.deepEqual(found.map((f) => f.range.start.line + 1), [8]);
    assert.deepEqual((await run(program('other'))).findings.filter((f) => f.code === 'SL120'), []);
    const swapped = `import numpy as np\nimport torch\nimport torch.nn as nn\nlstm = nn.LSTM(3, 5, num_layers=2)\nstates = np.zeros((32, 2, 5), dtype=np.float32)\nidx = np.where(np.random.rand(32) > 0.5)[0]\nh = torch.as_tensor(states[idx].swapaxes(0, 1))\nobs = torch.randn(4, len(idx), 3)\nout, _ = lstm(obs, (h, h))\n`;
    assert.deepEqual(await codesOf(swapped), []);
  });
});
