// `assert <test>` lets the code after it run only where the test held, as the branch of an `if` whose other branch
// raises: `assert x.dim() == 3` gives x of unknown rank that rank, and `assert h == 1` of a size read from a tensor
// (`b, c, h, w = conv.size()`) makes that axis 1, so `conv.squeeze(2)` (a CRNN's feature map of height 1) drops it.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const program = (forward: string, params = 'x') => `import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Conv2d(1, 512, 3, 1, 1)

    def forward(self, ${params}):
${forward.split('\n').map((l) => '        ' + l).join('\n')}
`;

describe('narrowing by assert', () => {
  it('gives a tensor of unknown rank the rank the assert compares (dim(), ndim, len(shape), each side of and)', async () => {
    assert.equal(await shapeOf(program('assert x.dim() == 3\ny = x.sum(-1)\nreturn y'), 'y'), '(x.size(0), x.size(1))');
    assert.equal(await shapeOf(program("assert x.ndim == 4, 'not 4-D'\ny = x.mean(1)\nreturn y"), 'y'), '(x.size(0), x.size(2), x.size(3))');
    assert.equal(await shapeOf(program('assert len(x.shape) == 2\ny = x.exp()\nreturn y'), 'y'), '(x.size(0), x.size(1))');
    assert.equal(await shapeOf(program('assert x.dim() == 2 and x.size(1) == 4\ny = x.exp()\nreturn y'), 'y'), '(x.size(0), x.size(1))');
  });

  it('says nothing from a != or an or', async () => {
    assert.equal(await shapeOf(program('assert x.dim() != 3\ny = x.exp()\nreturn y'), 'y'), undefined);
    assert.equal(await shapeOf(program('assert x.dim() == 3 or x.dim() == 2\ny = x.exp()\nreturn y'), 'y'), undefined);
  });

  it('reports an axis past the rank the assert gives (PyTorch 1.13: IndexError, dimension out of range)', async () => {
    assert.ok((await codes(program("assert x.dim() == 2, 'expects (batch, features)'\nreturn x.transpose(1, 2)"))).includes('SL123'));
    assert.deepEqual(await codes(program("assert x.dim() == 3, 'expects (batch, time, features)'\nreturn x.transpose(1, 2)")), []);
  });

  it('makes a size read from a tensor the number the assert compares it to: the CRNN squeeze(2) of height 1', async () => {
    const crnn = (check: string) => program(`conv = self.cnn(x)\nb, c, h, w = conv.size()\n${check}\nseq = conv.squeeze(2)\nreturn seq`);
    assert.equal(await shapeOf(crnn("assert h == 1, 'the height of conv must be 1'"), 'seq'), '(B, 512, x.size(3))');
    assert.equal(await shapeOf(crnn('assert 1 == h'), 'seq'), '(B, 512, x.size(3))');
    // Without it (or with a test that says nothing of h), squeeze(2) may or may not drop the axis.
    assert.equal(await shapeOf(crnn('pass'), 'seq'), undefined);
    assert.equal(await shapeOf(crnn('assert h >= 1'), 'seq'), undefined);
  });
});
