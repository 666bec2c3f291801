// np.shape(a) and np.ndim(a) read a's .shape and .ndim, for a NumPy array and for a tensor alike (NumPy returns
// a.shape itself when a has one: a torch.Size for a tensor). A size taken from it sizes what follows.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const program = (lines: string[]) => ['import numpy as np', 'import torch', ...lines, ''].join('\n');

describe('np.shape and np.ndim of a tensor or an array', () => {
  it('gives a tensor\'s sizes', async () => {
    assert.equal(await shapeOf(program(['x = torch.randn(1, 1, 300)', 'y = x[0].view(np.shape(x[0])[1])']), 'y'), '(300,)');
  });

  it('gives an array\'s sizes and rank', async () => {
    assert.equal(await shapeOf(program(['x = np.random.randn(5, 4)', 'y = torch.zeros(np.shape(x)[1], np.ndim(x))']), 'y'), '(4, 2)');
  });

  it('can be passed whole as a size', async () => {
    assert.equal(await shapeOf(program(['x = torch.randn(2, 3, 4)', 'y = torch.zeros(np.shape(x))']), 'y'), '(2, 3, 4)');
  });

  it('leaves a tensor of unknown rank unknown', async () => {
    const shape = await shapeOf(program(['def f(x):', '    y = torch.zeros(np.shape(x))', '    return y']), 'y');
    assert.notEqual(shape, '(2, 3, 4)');
  });
});
