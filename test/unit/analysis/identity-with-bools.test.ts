// `x is True` / `x is False`: True and False are the only two bools, so an identity test against one of them is
// decided when x is a known bool (`self.use_gru is True` with use_gru=True), and is False when x is a known int,
// float or string (`1 is True` is False in Python). A flag of unknown value stays undecided.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const branch = (setup: string, test: string) =>
  ['import torch', setup, `if ${test}:`, '    y = torch.zeros(2, 3)', 'else:', '    y = torch.zeros(4, 5, 6)', 'z = y', ''].join('\n');

describe('identity tests against True and False', () => {
  it('takes the then-branch of `flag is True` with flag = True', async () => {
    assert.equal(await shapeOf(branch('flag = True', 'flag is True'), 'z'), '(2, 3)');
  });

  it('takes the else-branch of `flag is True` with flag = False', async () => {
    assert.equal(await shapeOf(branch('flag = False', 'flag is True'), 'z'), '(4, 5, 6)');
  });

  it('takes the then-branch of `flag is not False` with flag = True', async () => {
    assert.equal(await shapeOf(branch('flag = True', 'flag is not False'), 'z'), '(2, 3)');
  });

  it('takes the else-branch of `1 is True`: an int is never a bool', async () => {
    assert.equal(await shapeOf(branch('flag = 1', 'flag is True'), 'z'), '(4, 5, 6)');
  });

  it('decides an attribute set from a constructor argument', async () => {
    const source = [
      'import torch',
      'import torch.nn as nn',
      'class Stack(nn.Module):',
      '    def __init__(self, use_gru):',
      '        super().__init__()',
      '        self.use_gru = use_gru',
      '    def forward(self, x):',
      '        if self.use_gru is True:',
      '            y = torch.zeros(2, 3)',
      '        else:',
      '            y = torch.zeros(4, 5, 6)',
      '        return y',
      'z = Stack(True)(torch.zeros(1))',
      '',
    ].join('\n');
    assert.equal(await shapeOf(source, 'z'), '(2, 3)');
  });

  it('leaves `flag is True` undecided when flag is not known', async () => {
    const shape = await shapeOf(branch('flag = torch.rand(1).item() > 0.5', 'flag is True'), 'z');
    assert.notEqual(shape, '(2, 3)');
    assert.notEqual(shape, '(4, 5, 6)');
  });
});
