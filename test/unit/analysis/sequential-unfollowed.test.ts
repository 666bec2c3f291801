// An nn.Sequential whose children the analysis did not see is not the identity: crnn.pytorch fills its `cnn` with
// add_module calls inside a nested helper, so passing the input through made a (B, C, H, W) image look like the
// feature map and its permute(2, 0, 1) look wrong. (That helper is followed now; a child added under a name the
// analysis cannot compute, here from a function of another file, still leaves the container unknown.)
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('nn.Sequential filled where the analysis does not follow', () => {
  it('gives an unknown output, and no finding on what the real children would give', async () => {
    const body = [
      'class CRNN(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        cnn = nn.Sequential()',
      '        def conv_relu(i):',
      "            cnn.add_module(make_name(i), nn.Conv2d(3, 8, (32, 3)))",
      '        conv_relu(0)',
      '        self.cnn = cnn',
      '    def forward(self, x):',
      '        conv = self.cnn(x)',
      '        conv = conv.squeeze(2)',
      '        return conv.permute(2, 0, 1)',
      'y = CRNN()(torch.randn(4, 3, 32, 32))',
      '',
    ].join('\n');
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'conv'), undefined);
  });

  it('still applies the children it sees', async () => {
    assert.equal(await shapeOf('seq = nn.Sequential(nn.Linear(4, 6), nn.ReLU())\ny = seq(torch.randn(2, 4))\n', 'y'), '(2, 6)');
  });
});
