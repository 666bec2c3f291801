// A loop over a dict walks its keys in insertion order (Python 3 semantics; nn.ModuleDict the same).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('a loop over a dict or an nn.ModuleDict', () => {
  it('walks the keys in insertion order, one iteration each', async () => {
    const body = "d = {'a': 3, 'b': 5}\nparts = []\nfor k in d:\n    parts.append(torch.zeros(d[k]))\nx = parts[0]\ny = parts[1]\n";
    assert.equal(await shapeOf(body, 'x'), '(3,)');
    assert.equal(await shapeOf(body, 'y'), '(5,)');
  });

  it('runs each module of an nn.ModuleDict with its own layers: a softmax over one channel is seen', async () => {
    const program = (dim: number) =>
      'class M(nn.Module):\n' +
      '    def __init__(self, c):\n' +
      '        super().__init__()\n' +
      `        self.heads = nn.ModuleDict({k: nn.Sequential(nn.Conv1d(c, 1, 1), nn.Softmax(dim=${dim})) for k in ['a', 'b']})\n\n` +
      '    def forward(self, x):\n' +
      '        return [self.heads[key](x) for key in ["a"]] + [self.heads[key](x) for key in self.heads]\n\n\n' +
      'class N(nn.Module):\n' +
      '    def __init__(self, c):\n' +
      '        super().__init__()\n' +
      `        self.heads = nn.ModuleDict({'a': nn.Sequential(nn.Conv1d(c, 1, 1), nn.Softmax(dim=${dim})), 'b': nn.Identity()})\n\n` +
      '    def forward(self, x):\n' +
      '        outs = []\n' +
      '        for key in self.heads:\n' +
      '            if key == "a":\n' +
      '                outs.append(self.heads[key](x))\n' +
      '        return outs\n\n\n' +
      'y = N(16)(torch.randn(4, 16, 5))\n';
    assert.deepEqual(await codes(program(1)), ['SL127']);
    assert.deepEqual(await codes(program(2)), []);
  });

  it('keeps a loop over a dict it does not fully know as a loop not unrolled', async () => {
    const body = "import json\nimport torch\nd = json.load(open('sizes.json'))\nfor k in d:\n    x = torch.zeros(3)\ny = x\n";
    assert.equal(await shapeOf(body, 'y'), '(3,)');
  });
});
