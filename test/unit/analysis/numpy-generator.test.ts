// numpy.random.Generator (`rng = np.random.default_rng(seed)`): its methods draw arrays of the size they are given,
// as np.random's functions do; test/oracle/op_shapes.py checks them on random sizes ('np-random-generator').
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const HEAD = 'import numpy as np\nimport torch\nrng = np.random.default_rng(0)\n';

describe('numpy.random.Generator', () => {
  for (const [expr, shape] of [
    ['rng.uniform(0.0, 1.0, size=6)', '(6,)'],
    ['rng.normal(size=(3, 4))', '(3, 4)'],
    ['rng.random((2, 5))', '(2, 5)'],
    ['rng.standard_normal(7)', '(7,)'],
    ['rng.integers(0, 10, size=(2, 3))', '(2, 3)'],
    ['rng.integers(1, 4, size=5, endpoint=True)', '(5,)'],
    ['np.random.default_rng().normal(0, 1, (4,))', '(4,)'],
  ] as const) {
    it(`${expr} → ${shape}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(${expr})\n`, 'y'), shape);
    });
  }

  it('leaves unknown a draw without a size whose parameters are arrays (their broadcast shape is not followed)', async () => {
    assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(rng.normal(np.zeros(3), 1.0))\n`, 'y'), undefined);
  });

  it('gives one int, not an array, for integers without a size', async () => {
    assert.equal(await shapeOf(`${HEAD}n = rng.integers(4, 10)\ny = torch.zeros(n, 3)\n`, 'y'), '(?, 3)');
  });
});
