// Python's shifts and bitwise operators on ints (<< >> & | ^), as Python 3 computes them (values checked there).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('ints shifted and combined bit by bit', () => {
  it('computes a size written as a shift, in a conditional expression too', async () => {
    assert.equal(await shapeOf('n = 40 << 5\nx = torch.zeros(n)\n', 'x'), '(1280,)');
    assert.equal(await shapeOf('d = 41\nn = (d - 1) << 5 if d % 2 else d << 5\nx = torch.zeros(n)\n', 'x'), '(1280,)');
    assert.equal(await shapeOf('n = 10\nn <<= 5\nx = torch.zeros(n)\n', 'x'), '(320,)');
  });

  it('floors a right shift as Python does, negative ints included', async () => {
    assert.equal(await shapeOf('x = torch.zeros(2560 >> 2)\n', 'x'), '(640,)');
    assert.equal(await shapeOf('x = torch.zeros((-5 >> 1) + 10)\n', 'x'), '(7,)');
    assert.equal(await shapeOf('x = torch.zeros((-7 >> 100) + 3)\n', 'x'), '(2,)');
  });

  it('computes &, | and ^ of ints, and of bools as bools', async () => {
    assert.equal(await shapeOf('x = torch.zeros(12 & 10, 12 | 3, 12 ^ 10)\n', 'x'), '(8, 15, 6)');
    assert.equal(await shapeOf('x = torch.zeros(True << 1)\n', 'x'), '(2,)');
    assert.equal(await shapeOf('flag = True & False\nx = torch.zeros(3) if flag else torch.zeros(5)\n', 'x'), '(5,)');
    assert.equal(await shapeOf('flag = True ^ False\nx = torch.zeros(3) if flag else torch.zeros(5)\n', 'x'), '(3,)');
  });

  it('leaves a shift past 2^53 or by a negative count unknown', async () => {
    for (const size of ['1 << 70', '1 << 53', '1 << -1']) {
      const shape = await shapeOf(`x = torch.zeros(${size})\n`, 'x');
      assert.ok(shape === undefined || !/\d/.test(shape), `${size}: ${shape}`);
    }
  });

  it('an LSTM built for (features >> 2) * 128 features is compared with what a 2-pool convolution stack leaves', async () => {
    const build = 'lstm = nn.LSTM((40 >> 2) << 7, 64, batch_first=True)\n';
    assert.ok((await codes(`${build}out, _ = lstm(torch.randn(2, 30, 2560))\n`)).includes('SL101'));
    assert.deepEqual(await codes(`${build}out, _ = lstm(torch.randn(2, 30, 1280))\n`), []);
  });
});
