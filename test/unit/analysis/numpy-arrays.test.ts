// NumPy's joining and axis functions (np.stack, np.concatenate, np.vstack, np.hstack, np.expand_dims, np.squeeze,
// np.reshape, np.transpose, np.argmax, np.zeros_like) follow NumPy's own rules; test/oracle/op_shapes.py checks them
// on random shapes ('np-join', 'np-axes'). Here: what NumPy's rules leave unknown stays unknown, where they differ
// from PyTorch's, and a bug they let the analysis see.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const HEAD = 'import json\nimport numpy as np\nimport torch\nimport torch.nn as nn\nrows = json.load(open("rows.json"))\n';

describe('NumPy arrays joined and reshaped', () => {
  for (const [expr, shape, why] of [
    ['np.stack([np.zeros((2, 3)), np.ones((2, 3))], axis=-1)', '(2, 3, 2)', 'stack on a new last axis'],
    ['np.vstack([np.zeros(4), np.ones((3, 4))])', '(4, 4)', 'vstack raises a 1-D array to one row'],
    ['np.hstack([np.zeros(4), np.ones(2)])', '(6,)', 'hstack joins 1-D arrays end to end'],
    ['np.hstack([np.zeros((2, 4)), np.ones((2, 1))])', '(2, 5)', 'hstack joins matrices along their columns'],
    ['np.column_stack((np.zeros(5), np.ones(5)))', '(5, 2)', 'column_stack makes 1-D arrays columns'],
    ['np.column_stack([np.zeros(3), np.ones((3, 4))])', '(3, 5)', 'column_stack keeps a matrix and joins along axis 1'],
    ['np.concatenate([np.zeros((2, 3)), np.ones(4)], axis=None)', '(10,)', 'concatenate(axis=None) flattens every array'],
    ['np.stack([[1, 2, 3], [4, 5, 6]])', '(2, 3)', 'lists of numbers are arrays'],
    ['np.expand_dims(np.zeros((2, 3)), axis=(0, 3))', '(1, 2, 3, 1)', 'expand_dims with a tuple of axes of the result'],
    ['np.squeeze(np.zeros((2, 1, 3)), axis=1)', '(2, 3)', 'squeeze of an axis of size 1'],
    ['np.transpose(np.zeros((2, 3, 4)))', '(4, 3, 2)', 'transpose without axes reverses them (PyTorch needs two)'],
    ['np.argmax(np.zeros((2, 3)), axis=-1)', '(2,)', 'argmax along an axis'],
    ['np.reshape(np.zeros((2, 3)), (-1, 1)).copy()', '(6, 1)', 'reshape, then an array copy'],
    ['np.cumsum(np.zeros((2, 3)))', '(6,)', 'cumsum without an axis flattens first'],
    ['np.cumprod(np.zeros((2, 3)), axis=-1)', '(2, 3)', 'cumprod along an axis keeps the shape'],
    ['50 + np.cumsum(np.random.RandomState(0).randn(120))', '(120,)', "a RandomState's randn is np.random.randn"],
  ] as const) {
    it(`${why}: ${expr} → ${shape}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(${expr})\n`, 'y'), shape);
    });
  }

  it('squeezes a named axis of unknown size away, as NumPy raises unless it is 1 (PyTorch would keep it)', async () => {
    assert.equal(await shapeOf(`${HEAD}a = np.zeros((2, len(rows), 3))\ny = torch.from_numpy(np.squeeze(a, axis=1))\n`, 'y'), '(2, 3)');
    assert.equal(await shapeOf(`${HEAD}a = torch.zeros(2, len(rows), 3)\ny = torch.squeeze(a, 1)\n`, 'y'), undefined);
  });

  it('leaves unknown what NumPy decides from sizes or values it cannot see', async () => {
    // squeeze() of an axis of unknown size; the arrays of data read at run time; argmax without an axis is a scalar.
    assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(np.squeeze(np.zeros((2, len(rows)))))\n`, 'y'), undefined);
    assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(np.stack(rows))\n`, 'y'), undefined);
    // Joined to a (2, 3) array, the array read at run time has its rank and its other sizes, or NumPy raises.
    assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(np.concatenate([np.zeros((2, 3)), np.asarray(rows)]))\n`, 'y'), '(?, 3)');
    assert.equal(await shapeOf(`${HEAD}y = np.argmax(np.zeros((2, 3)))\nz = torch.zeros(y)\n`, 'z'), undefined);
    // An axis of size 2 named to squeeze makes NumPy raise: nothing is claimed after it.
    assert.equal(await shapeOf(`${HEAD}y = torch.from_numpy(np.squeeze(np.zeros((2, 3)), axis=0))\n`, 'y'), undefined);
  });

  it('keeps a mixed int and float join of unknown dtype (NumPy promotes it)', async () => {
    const { tensors } = await run(`${HEAD}y = torch.from_numpy(np.concatenate([np.zeros(2), np.arange(3)]))\n`);
    const y = tensors.filter((t) => t.name === 'y').pop();
    assert.equal(y?.shape, '(5,)');
    assert.doesNotMatch(y?.markdown ?? '', /· (float32|int64)/);
  });

  it('sees float ids stacked into a batch reach an Embedding (SL110), and not once they are long', async () => {
    const program = (cast: string) => `${HEAD}emb = nn.Embedding(50, 8)\nids = np.array([3, 7, 9])\nbatch = np.stack([ids])\nx = torch.from_numpy(batch).${cast}()\ny = emb(x)\n`;
    assert.deepEqual(await codes(program('float')), ['SL110']);
    assert.deepEqual(await codes(program('long')), []);
    assert.equal(await shapeOf(program('long'), 'y'), '(1, 3, 8)');
  });
});
