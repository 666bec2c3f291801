// SL123's axis ranges against what PyTorch 1.13 did with the same axis (the `axes` of test/oracle/product-errors.json,
// written by test/oracle/product_errors.py: tensor methods given one random axis on tensors of rank 0 to 4).
import { strict as assert } from 'node:assert';
import { Value, intOrUnknown } from '../../../src/analysis/values/value';
import { axisOutOfRange, joinAxisTensor, methodAxes } from '../../../src/analysis/rules/torch/sl123-dim-out-of-range';
import { intDim } from '../../../src/analysis/shapes/dim';
import { codes, productErrorCases, run } from './helpers';

interface AxisCase {
  x: number[];
  method: string;
  dim: number;
  raises?: string;
}

const axes = productErrorCases<AxisCase>('axes');

interface JoinCase {
  op: 'cat' | 'stack';
  shapes: number[][];
  dim: number;
  raises?: string;
}

const joins = productErrorCases<JoinCase>('joins');

/** SL123's verdict on a join of tensors of several ranks: PyTorch's words, or undefined. */
function joinVerdict(shapes: (number[] | undefined)[], op: 'cat' | 'stack', dim: number): string | undefined {
  const stacks = op === 'stack';
  const at = joinAxisTensor(shapes.map((s) => s?.map((n) => intDim(n))), stacks);
  if (at === undefined) return undefined;
  const out = axisOutOfRange(shapes[at]!.length, { at: [0], keywords: [], inserts: stacks ? true : undefined }, [intOrUnknown(dim)], new Map());
  return out && `IndexError: Dimension out of range (expected to be in range of [${out.range[0]}, ${out.range[1]}], but got ${out.axis})`;
}

/** The arguments the oracle passed, with the axis where the method reads it. */
function argsOf(c: AxisCase): Value[] {
  const dim = intOrUnknown(c.dim);
  if (c.method === 'transpose') return [intOrUnknown(0), dim];
  if (['split', 'chunk', 'topk', 'norm'].includes(c.method)) return [intOrUnknown(c.method === 'chunk' || c.method === 'norm' ? 2 : 1), dim];
  return [dim];
}

describe('SL123 dim-out-of-range: axis arguments against PyTorch', () => {
  it(`reports exactly the axes PyTorch refused on tensors of 1 to 4 axes, in its words (${axes.length} cases)`, () => {
    assert.ok(axes.filter((c) => c.x.length > 0 && c.raises).length >= 100);
    for (const c of axes) {
      const spec = methodAxes(c.method);
      assert.ok(spec, `${c.method} has no axis arguments`);
      const out = axisOutOfRange(c.x.length, spec, argsOf(c), new Map());
      const what = `torch.randn(${c.x}).${c.method}(… ${c.dim})`;
      if (!c.raises || c.x.length === 0) {
        // A 0-D tensor is left alone; nothing PyTorch ran is reported.
        assert.equal(out, undefined, `${what}: ${c.raises ? 'a 0-D tensor' : 'PyTorch ran it'}, SL123 says axis ${out?.axis}`);
        continue;
      }
      assert.ok(out, `${what}: PyTorch raised ${c.raises}, SL123 found nothing`);
      assert.equal(`IndexError: Dimension out of range (expected to be in range of [${out.range[0]}, ${out.range[1]}], but got ${out.axis})`, c.raises, what);
    }
  });

  it(`checks a join of tensors of several ranks against the tensor PyTorch wraps its axis with (${joins.length} cases)`, () => {
    const refused = joins.filter((c) => c.raises?.startsWith('IndexError: Dimension out of range'));
    assert.ok(refused.length >= 30 && refused.some((c) => c.op === 'cat' && c.shapes[0].length === 1 && c.shapes[0][0] === 0));
    for (const c of joins) {
      const what = `torch.${c.op}(${JSON.stringify(c.shapes)}, dim=${c.dim})`;
      const verdict = joinVerdict(c.shapes, c.op, c.dim);
      if (c.raises?.startsWith('IndexError: Dimension out of range')) assert.equal(verdict, c.raises, what);
      else assert.equal(verdict, undefined, `${what}: PyTorch ${c.raises ? `raised ${c.raises}` : 'ran it'}, SL123 says ${verdict}`);
      // With one tensor's rank hidden, SL123 says the same or nothing.
      for (let i = 0; i < c.shapes.length; i++) {
        const hidden = joinVerdict(c.shapes.map((s, k) => (k === i ? undefined : s)), c.op, c.dim);
        if (hidden !== undefined) assert.equal(hidden, verdict, `${what} with tensor ${i} unknown`);
      }
    }
  });

  it('checks the axis of a join of several ranks on the tensor PyTorch wraps it with, and only there', async () => {
    assert.deepEqual(await codes('a = torch.randn(3)\nb = torch.randn(1, 8)\ny = torch.cat((a, b), 1)\n'), ['SL123']);
    assert.deepEqual(await codes('h = torch.randn(3, 8)\nb = torch.randn(1, 8)\ny = torch.cat((h[:, 0], b), 1)\n'), ['SL123']);
    assert.deepEqual(await codes('e = torch.randn(0)\nb = torch.randn(1, 8)\ny = torch.cat((e, b), 1)\n'), []);
    assert.deepEqual(await codes('def f(n):\n    a = torch.randn(n)\n    return torch.cat((a, torch.randn(1, 8)), 1)\n'), []);
    assert.deepEqual(await codes('b = torch.randn(1, 8)\na = torch.randn(3)\ny = torch.stack((a, b), 2)\nz = torch.cat((b, a), 2)\n'), ['SL123', 'SL123']);
  });

  it('reads permute lengths, cat axes and too many indices, and stays silent where the rank is not known', async () => {
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = x.permute(1, 0, 2)\n'), ['SL123']);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = torch.cat([x, x], dim=2)\n'), ['SL123']);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = torch.stack([x, x], dim=2)\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = x[:, -1, :]\n'), ['SL123']);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = x[None, :, 0]\nz = x[..., 0]\n'), []);
    assert.deepEqual(await codes('import json\nx = torch.tensor(json.load(open("d.json")))\ny = x[:, -1, :].sum(3)\n'), []);
    // PyTorch 1.13: "invalid index of a 0-dim tensor" for the 0.3-era loss.data[0], and for an element of a 1-D tensor.
    assert.deepEqual(await codes('loss = nn.MSELoss()(torch.randn(3), torch.randn(3))\nv = loss.data[0]\n'), ['SL123']);
    assert.deepEqual(await codes('t = torch.randn(3)\nfor x in t:\n    v = x[0]\n'), ['SL123']);
    // x.shape and x.size() are tuples: an entry past them is Python's "tuple index out of range" (PyTorch 1.13).
    assert.deepEqual(await codes('x = torch.randn(4, 7)\nn = x.shape[2]\n'), ['SL123']);
    assert.deepEqual(await codes('x = torch.randn(4, 7, 3)\nn = x.size()[-4]\nm = x.shape[1:][2]\n'), ['SL123', 'SL123']);
    assert.deepEqual(await codes('x = torch.randn(4, 7, 3)\nn = x.shape[-3] + x.size()[2] + x.shape[1:][1]\n'), []);
    assert.deepEqual(await codes('def f(x):\n    return x.shape[5]\n'), []);
    // NumPy's axis= (which PyTorch takes too) reduces one axis, not all: the mean of a 2-D array over axis 0 is 1-D.
    assert.deepEqual(await codes('import numpy as np\nraw = np.zeros((100, 14))\nmean = raw[:80].mean(axis=0)\nraw -= mean\nv = mean[1]\n'), []);
  });

  it('reports list() or tuple() of a 0-D tensor (PyTorch 1.13: "iteration over a 0-d tensor"), and only of a 0-D one', async () => {
    // A count per row squeezed with a batch of one loses the batch axis; with two rows it stays a vector.
    assert.deepEqual(await codes('x = torch.zeros(1, 7).long()\nn = list(7 - x.eq(0).sum(1).squeeze())\n'), ['SL123']);
    assert.deepEqual(await codes('x = torch.zeros(2, 7).long()\nn = list(7 - x.eq(0).sum(1).squeeze())\n'), []);
    assert.deepEqual(await codes('x = torch.zeros(1, 7).long()\nn = list(7 - x.eq(0).sum(1))\n'), []);
    assert.deepEqual(await codes('t = torch.randn(3).sum()\nn = tuple(t)\n'), ['SL123']);
    assert.deepEqual(await codes('import numpy as np\na = np.zeros((4, 3)).sum()\nn = list(a)\n'), ['SL123']);
    // A rank not known, or a value that is not a tensor, is left alone.
    assert.deepEqual(await codes('def f(t):\n    return list(t.squeeze())\n'), []);
    assert.deepEqual(await codes('n = list(range(3))\nm = tuple([1, 2])\n'), []);
  });
  it("names numpy, in numpy's words (numpy 1.24 with PyTorch 1.13), for an index on x.numpy()", async () => {
    const message = async (src: string) => (await run(src)).findings.map((f) => f.message);
    const [scalar] = await message('loss = nn.MSELoss()(torch.randn(3), torch.randn(3))\nv = loss.data.cpu().numpy()[0]\n');
    assert.match(scalar, /numpy raises "too many indices for array: array is 0-dimensional, but 1 were indexed"/);
    assert.doesNotMatch(scalar, /PyTorch|0-dim tensor/);
    const [matrix] = await message('x = torch.zeros(3)\nv = x.numpy()[None, 0, 1]\n');
    assert.match(matrix, /numpy raises "too many indices for array: array is 1-dimensional, but 2 were indexed"/);
    // An index item the file cannot count (a name may be an int or an array): numpy's count is not quoted.
    const [named] = await message('def f(i):\n    loss = nn.MSELoss()(torch.randn(3), torch.randn(3))\n    return loss.numpy()[i, 0]\n');
    assert.match(named, /numpy raises "too many indices for array: array is 0-dimensional, …"/);
    // The tensor itself still gets PyTorch's words.
    const [tensor] = await message('loss = nn.MSELoss()(torch.randn(3), torch.randn(3))\nv = loss.data[0]\n');
    assert.match(tensor, /PyTorch raises "invalid index of a 0-dim tensor/);
  });
});
