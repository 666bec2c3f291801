// torch.baddbmm(input, batch1, batch2) is input + batch1 @ batch2: (b, n, m) @ (b, m, p) gives (b, n, p), input
// broadcast to it. A scoring step of a sequential recommender (item weights times the user's vector, plus item biases).
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, shapeOf } from './helpers';

const PROGRAM = (forward: string): string => moduleProgram('', forward);

describe('baddbmm', () => {
  it('gives the batched product\'s shape, the bias broadcast to it, function or method', async () => {
    const body = PROGRAM('w = torch.randn(6, 5, 16)\nb = torch.randn(6, 5, 1)\nu = torch.randn(6, 16)\ns = torch.baddbmm(b, w, u.unsqueeze(2)).squeeze(2)\nt = b.baddbmm(w, u.unsqueeze(2), beta=0.5)\nreturn s, t');
    assert.equal(await shapeOf(body, 's'), '(6, 5)');
    assert.equal(await shapeOf(body, 't'), '(6, 5, 1)');
  });

  it('an operand not followed keeps the rank, with what the other operands tell', async () => {
    const body = PROGRAM('w = torch.randn(6, 5, 16)\ns = torch.baddbmm(x, w, x)\nreturn s');
    assert.equal(await shapeOf(body, 's'), '(6, 5, ?)');
  });

  it('a view of the scores as (6, 5) is right, as (5, 5) is reported', async () => {
    const make = (rows: number): string => PROGRAM(`w = torch.randn(6, 5, 16)\nb = torch.zeros(1)\ns = torch.baddbmm(b, w, torch.randn(6, 16, 1))\nv = s.view(${rows}, 5)\nreturn v`);
    assert.deepEqual(await codes(make(6)), []);
    assert.deepEqual(await codes(make(5)), ['SL122']);
  });
});
