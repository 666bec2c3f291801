// An `if` whose test is `a or b` / `a and b` takes its branch when one side settles the whole, even while the other
// side's truth (and so the value of the whole) is unknown: `if self.training or self.eval_size is None:` runs its
// body whatever mode the module is in.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const branch = (test: string) =>
  ['flag = torch.rand(1).item() > 0.5', 'size = None', `if ${test}:`, '    y = torch.zeros(2, 3)', 'else:', '    y = torch.zeros(4, 5, 6)', 'z = y', ''].join('\n');

describe('conditions settled by one side of or / and', () => {
  it('takes the then-branch of `unknown or True`', async () => {
    assert.equal(await shapeOf(branch('flag or size is None'), 'z'), '(2, 3)');
  });

  it('takes the else-branch of `unknown and False`', async () => {
    assert.equal(await shapeOf(branch('flag and size is not None'), 'z'), '(4, 5, 6)');
  });

  it('takes the then-branch of `True or unknown`', async () => {
    assert.equal(await shapeOf(branch('size is None or flag'), 'z'), '(2, 3)');
  });

  it('leaves `unknown or False` undecided', async () => {
    const shape = await shapeOf(branch('flag or size is not None'), 'z');
    assert.notEqual(shape, '(2, 3)');
    assert.notEqual(shape, '(4, 5, 6)');
  });
});
