// lerp, addcmul and addcdiv: the tensor and both operands broadcast together, so the result may be larger than the
// tensor (`randn(3).lerp(randn(2, 3), 0.5)` is (2, 3) in PyTorch 1.13); their in-place forms keep the tensor's shape.
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, shapeOf } from './helpers';

const PROGRAM = (forward: string): string => moduleProgram('', forward);

describe('lerp, addcmul and addcdiv', () => {
  it('broadcast the tensor with both operands, method or function', async () => {
    const body = PROGRAM('m = torch.randn(8)\nb = torch.randn(4, 8)\na = m.lerp(b, 0.5)\nc = torch.addcmul(m, b, torch.randn(3, 1, 1))\nd = m.addcdiv(m, m.abs() + 1)\nreturn a, c, d');
    assert.equal(await shapeOf(body, 'a'), '(4, 8)');
    assert.equal(await shapeOf(body, 'c'), '(3, 4, 8)');
    assert.equal(await shapeOf(body, 'd'), '(8,)');
  });

  it('an in-place blend keeps the tensor\'s shape, as a running average does', async () => {
    const body = PROGRAM('avg = torch.zeros(4, 8)\nbatch = torch.randn(4, 8)\nr = avg.lerp_(batch.mean(0), 0.1)\ns = avg.addcmul_(batch, batch, value=0.5)\nreturn r, s');
    assert.equal(await shapeOf(body, 'r'), '(4, 8)');
    assert.equal(await shapeOf(body, 's'), '(4, 8)');
  });

  it('a view of the blended (4, 8) as (4, 8) is right, as (3, 8) is reported (the tensor alone would be (8,))', async () => {
    const make = (rows: number): string => PROGRAM(`m = torch.randn(8)\na = m.lerp(torch.randn(4, 8), 0.5)\nv = a.view(${rows}, 8)\nreturn v`);
    assert.deepEqual(await codes(make(4)), []);
    assert.deepEqual(await codes(make(3)), ['SL122']);
  });
});
