// nn.Sequential() written with no argument runs no module: PyTorch's forward returns its input. ResNet-style units
// use it as the shortcut when the sizes already agree (`self.shortcut = nn.Sequential()`), and the unit's output was
// lost there. A Sequential whose children were not seen for another reason stays unknown.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('nn.Sequential built with no argument', () => {
  it('passes its input through', async () => {
    assert.equal(await shapeOf('skip = nn.Sequential()\ny = skip(torch.randn(2, 8, 5, 5))\n', 'y'), '(2, 8, 5, 5)');
  });

  it('keeps a residual unit whose shortcut is empty known, and reports the pooling it reaches', async () => {
    const body = [
      'class Unit(nn.Module):',
      '    def __init__(self, a, b, stride=1):',
      '        super().__init__()',
      '        self.body = nn.Conv2d(a, b, 3, stride=stride, padding=1)',
      '        if a == b:',
      '            self.shortcut = nn.Sequential()',
      '        else:',
      '            self.shortcut = nn.Sequential(nn.Conv2d(a, b, 1, stride=stride))',
      '    def forward(self, x):',
      '        return self.body(x) + self.shortcut(x)',
      'net = nn.Sequential(Unit(3, 8, stride=2), Unit(8, 8))',
      'out = net(torch.randn(2, 3, 8, 8))',
      'pooled = nn.AvgPool2d(8)(out)',
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'out'), '(2, 8, 4, 4)');
    assert.ok((await codes(body)).includes('SL150'));
  });

  it('stays unknown when it was built from a list not known', async () => {
    assert.equal(await shapeOf('def f(layers):\n    seq = nn.Sequential(*layers)\n    return seq(torch.randn(2, 4))\ny = f(make())\n', 'y'), undefined);
  });

  it('applies the children added to it afterwards', async () => {
    assert.equal(await shapeOf('seq = nn.Sequential()\nseq.add_module("fc", nn.Linear(4, 6))\ny = seq(torch.randn(2, 4))\n', 'y'), '(2, 6)');
  });
});
