// torch.nn.init's initialisers return the tensor they fill, so `nn.Parameter(nn.init.xavier_uniform_(torch.empty(d, k)))`
// is a (d, k) weight. Labels from PyTorch 1.13 (the op_shapes.py family `nn.init` checks the shapes on random sizes).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('torch.nn.init initialisers', () => {
  it('give back the tensor they fill, with its shape', async () => {
    assert.equal(await shapeOf('w = nn.init.xavier_uniform_(torch.empty(8, 16))\n', 'w'), '(8, 16)');
    assert.equal(await shapeOf('w = torch.nn.init.normal_(torch.zeros(3, 4, 5), std=0.1)\n', 'w'), '(3, 4, 5)');
    assert.equal(await shapeOf('w = nn.init.constant_(torch.empty(7), 0.5)\n', 'w'), '(7,)');
  });

  it('read the deprecated aliases without the underscore as the same functions', async () => {
    assert.equal(await shapeOf("w = nn.init.kaiming_normal(torch.empty(6, 7), mode='fan_out')\n", 'w'), '(6, 7)');
  });

  it('let a weight built from one reach the forward that uses it', async () => {
    const program = [
      'class Att(nn.Module):',
      '    def __init__(self, d):',
      '        super().__init__()',
      '        self.w = nn.Parameter(nn.init.xavier_uniform_(torch.empty(d, 16)))',
      '        self.v = nn.init.normal_(nn.Parameter(torch.empty(16, 1)), std=0.1)',
      '    def forward(self, x):',
      '        scores = torch.matmul(torch.tanh(torch.matmul(x, self.w)), self.v)',
      '        return scores',
      'm = Att(8)',
      'y = m(torch.randn(4, 5, 8))',
      '',
    ].join('\n');
    assert.equal(await shapeOf(program, 'scores'), '(4, 5, 1)');
  });

  it('leave unknown a rank PyTorch refuses (ValueError in 1.13)', async () => {
    // "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
    assert.equal(await shapeOf('w = nn.init.xavier_uniform_(torch.empty(5))\n', 'w'), undefined);
    // "Only tensors with 2 dimensions are supported"
    assert.equal(await shapeOf('w = nn.init.eye_(torch.empty(3, 4, 5))\n', 'w'), undefined);
    // "Only tensors with 3, 4, or 5 dimensions are supported"
    assert.equal(await shapeOf('w = nn.init.dirac_(torch.empty(3, 4))\n', 'w'), undefined);
  });

  it('drop the values the tensor held before: zeros_ of ids up to 50 indexes a 10-row Embedding', async () => {
    const program = 'emb = nn.Embedding(10, 4)\nids = nn.init.zeros_(torch.full((2, 3), 50).long())\nout = emb(ids)\n';
    assert.equal(await shapeOf(program, 'out'), '(2, 3, 4)');
    assert.deepEqual(await codes(program), []);
  });
});
