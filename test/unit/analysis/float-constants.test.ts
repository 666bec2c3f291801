// math.pi, np.pi, torch.pi (and e, tau, inf, nan) are Python floats: a tensor made of one is 0-D, and arithmetic with
// one keeps a tensor's shape. Before, they were read as modules, so `torch.tensor(2.0 / torch.pi)` (GELU's tanh
// approximation) had no rank, nor did anything computed with it.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const PROGRAM = (forward: string): string =>
  `import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nfrom math import pi, inf\nclass M(nn.Module):\n    def forward(self, x):\n${forward.split('\n').map((l) => `        ${l}`).join('\n')}\n`;

describe('float constants of math, NumPy and torch', () => {
  it('makes 0-D tensors of them, whichever module they come from', async () => {
    const body = PROGRAM('a = torch.tensor(math.pi)\nb = torch.tensor(2.0 / np.pi)\nc = torch.tensor(torch.e)\nd = torch.tensor(pi * 2)\nreturn a, b, c, d');
    for (const name of ['a', 'b', 'c', 'd']) assert.equal(await shapeOf(body, name), '()', name);
  });

  it('keeps the shape of a tensor multiplied by one, and GELU written with torch.pi keeps its input shape', async () => {
    const body = PROGRAM('t = torch.randn(2, 5, 8)\nu = t * math.tau\ng = 0.5 * t * (1 + torch.tanh(torch.sqrt(torch.tensor(2.0 / torch.pi)) * (t + 0.044715 * torch.pow(t, 3))))\nm = t.masked_fill(t > 0, -inf)\nreturn u, g, m');
    assert.equal(await shapeOf(body, 'u'), '(2, 5, 8)');
    assert.equal(await shapeOf(body, 'g'), '(2, 5, 8)');
    assert.equal(await shapeOf(body, 'm'), '(2, 5, 8)');
    assert.deepEqual((await run(body)).findings.map((f) => f.code), []);
  });
});
