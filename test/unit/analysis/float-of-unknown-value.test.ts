// A Python float whose value the analysis cannot read (math.sqrt of a size not known, float() of a tensor's item,
// / between ints, d ** 0.5 of a size) is still a float: a scalar, so the tensor it scales keeps its shape. Its value
// is never taken for a number, and what Python's rules do not make a float (a negative int to a fractional power,
// a value not followed) stays unknown.
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, run, shapeOf } from './helpers';

const HEAD = 'import math\nimport json\nimport numpy as np\nimport torch\ns = json.load(open("s.json"))\nn = len(s)\nx = torch.randn(2, 3)\n';

describe('floats of unknown value', () => {
  for (const [scale, why] of [
    ['math.sqrt(n)', 'math.sqrt of an int not known'],
    ['math.sqrt(s)', 'math.sqrt of a value not followed (math gives a float or raises)'],
    ['float(s)', 'float() of a value not followed'],
    ['np.sqrt(n)', "NumPy's sqrt of a Python int"],
    ['n / 2', 'true division of ints'],
    ['1.0 / math.sqrt(n)', 'a float divided by one not known'],
    ['-math.log(n)', 'a negated float'],
    ['abs(float(n))', 'abs of a float'],
    ['max(float(n), 1.0)', 'max of floats'],
    ['float(n) ** 2', 'a float to an int power'],
    ['torch.randn(n, 3).size(0) ** 0.5', 'the size of an axis not known, to a fractional power'],
    ['math.sqrt(n) if s else 0.5', 'either of two floats'],
  ] as const) {
    it(`scales a tensor and keeps its shape: ${why} (x * (${scale}))`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = x * (${scale})\n`, 'y'), '(2, 3)');
    });
  }

  it('turns an integer tensor into float32, as PyTorch does', async () => {
    const { tensors } = await run(`${HEAD}ids = torch.randint(0, 5, (2, 3))\ny = ids * math.sqrt(n)\n`);
    const y = tensors.filter((t) => t.name === 'y').pop();
    assert.equal(y?.shape, '(2, 3)');
    assert.match(y?.markdown ?? '', /· float32/);
  });

  it('scales attention scores by the square root of a size named by a parameter of a class never built', async () => {
    const program = 'import math\n' + moduleProgram('self.temperature = d_k ** 0.5\nself.scale = 1 / math.sqrt(d_k)', 'q = torch.randn(2, 4, 5, 8)\nscores = torch.matmul(q, q.transpose(-2, -1)) / self.temperature\ny = scores * self.scale', { params: '' })
      .replace('def __init__(self):', 'def __init__(self, d_k):');
    assert.equal(await shapeOf(program, 'scores'), '(2, 4, 5, 5)');
    assert.equal(await shapeOf(program, 'y'), '(2, 4, 5, 5)');
  });

  it('gives an int from int() of a float not known, a size of unknown value', async () => {
    assert.equal(await shapeOf(`${HEAD}y = torch.zeros(int(math.sqrt(n)), 3)\n`, 'y'), '(?, 3)');
  });

  it('is a float, not None: `is None` is decided', async () => {
    assert.equal(await shapeOf(`${HEAD}f = math.sqrt(n)\nif f is None:\n    y = torch.zeros(1)\nelse:\n    y = torch.zeros(2, 2)\n`, 'y'), '(2, 2)');
  });

  it('never compares two floats of unknown value as equal', async () => {
    assert.equal(await shapeOf(`${HEAD}a = math.sqrt(n)\nb = math.sqrt(len(s) + 1)\ny = torch.zeros(3) if a == b else torch.zeros(4)\n`, 'y'), '(?,)');
  });

  for (const [scale, why] of [
    ['(n - 5) ** 0.5', 'an int that may be negative, to a fractional power (complex in Python)'],
    ['s ** 0.5', 'a value not followed, to a power (it may be a tensor)'],
    ['np.sqrt(s)', "NumPy's sqrt of a value not followed (an array for an array)"],
    ['max(float(n), 1)', 'max of a float not known and an int (either may be picked)'],
  ] as const) {
    it(`stays unknown where Python's rules do not make a float: ${why}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = x * (${scale})\n`, 'y'), '(…, 2, 3)');
    });
  }

  it('reads .item() of a floating-point tensor as a float, and .tolist() as nested lists of floats', async () => {
    assert.equal(await shapeOf(`${HEAD}y = x / x.abs().max().item()\n`, 'y'), '(2, 3)');
    const { tensors } = await run(`${HEAD}y = torch.tensor(x.tolist())\n`);
    const y = tensors.filter((t) => t.name === 'y').pop();
    assert.equal(y?.shape, '(2, 3)');
    assert.match(y?.markdown ?? '', /· float32/);
  });

  it('leaves .item() of a bool tensor, or of a tensor of unknown dtype, unknown', async () => {
    assert.equal(await shapeOf(`${HEAD}y = x * (x > 0).all().item()\n`, 'y'), '(…, 2, 3)');
    assert.equal(await shapeOf(`${HEAD}t = torch.from_numpy(np.load("t.npy"))\ny = x * t.sum().item()\n`, 'y'), '(…, 2, 3)');
  });

  it("links a tensor's sizes unpacked or listed to their axes, as x.size(i) does: a pool spans the whole axis", async () => {
    const head = `${HEAD}z = torch.randn(2, 3, n)\n`;
    assert.equal(await shapeOf(`${head}b, c, t = z.size()\ny = torch.nn.functional.max_pool1d(z, t)\n`, 'y'), '(2, 3, 1)');
    assert.equal(await shapeOf(`${head}t = list(z.shape)[2]\ny = torch.nn.functional.avg_pool1d(z, t)\n`, 'y'), '(2, 3, 1)');
    assert.equal(await shapeOf(`${head}b, c, t = z.size()\ny = z / t ** 0.5\n`, 'y'), '(2, 3, ?)');
  });

  it('reports nothing on a view given a float of unknown value (its value is not known to name)', async () => {
    assert.deepEqual(await codes(`${HEAD}y = torch.randn(4, 6).view(4, n / 1)\n`), []);
  });
});
