// SL145: a float given as a size to view/reshape. PyTorch 1.13 raises a TypeError (test/fixtures/torch/SL145_* and
// the reported lstnet-2 hold the runs).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

describe('SL145 view-float-size', () => {
  it('reports a float size given one by one, as a tuple or list, or to torch.reshape, with int() as the fix', async () => {
    const result = await run('x = torch.randn(4, 6)\nn = 24 / 2\ny = x.view(2, n)\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL145']);
    assert.match(result.findings[0].message, /float 12\.0 \(n\) as size 2.*found element of type float at pos 2/);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['int(n)']]);
    assert.deepEqual(await codes('x = torch.randn(4, 6)\ny = x.reshape((4 / 2, 12))\n'), ['SL145']);
    assert.deepEqual(await codes('x = torch.randn(4, 6)\ny = torch.reshape(x, [2, 6 * 2.0])\n'), ['SL145']);
    assert.deepEqual(await codes('import math\nimport torch\nx = torch.randn(4, 9)\ny = x.view(4, math.sqrt(9), 3)\n'), ['SL145']);
  });

  it('stays silent on int sizes, on // and int(), on view(dtype), and where a size is not known', async () => {
    assert.deepEqual(await codes('x = torch.randn(4, 6)\ny = x.view(2, 24 // 2)\nz = x.reshape(int(4 / 2), -1)\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 6)\ny = x.view(torch.float16)\n'), []);
    assert.deepEqual(await codes('def f(x, a, b):\n    return x.view(a / b, -1)\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 6)\nsizes = [2, 12]\ny = x.view(*sizes)\n'), []);
  });
});
