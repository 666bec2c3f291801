// torch.arange with float bounds or keyword arguments, and torch.linspace / torch.logspace / np.linspace: the count
// PyTorch and NumPy give (ceil((end - start) / step); steps; NumPy's 50 unless num is given). A mel filter bank and a
// DCT matrix built from them have known sizes, so the layers they feed are checked.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\n';

describe('ranges of floats and evenly spaced points', () => {
  it('arange counts float bounds and keyword steps', async () => {
    const body = `${HEAD}
a = torch.arange(float(40))
b = torch.arange(0, 1, 0.25)
c = torch.arange(0, 10, step=3)
d = torch.arange(start=2, end=5)
e = torch.arange(0.5, 3)
`;
    assert.equal(await shapeOf(body, 'a'), '(40,)');
    assert.equal(await shapeOf(body, 'b'), '(4,)');
    assert.equal(await shapeOf(body, 'c'), '(4,)');
    assert.equal(await shapeOf(body, 'd'), '(3,)');
    assert.equal(await shapeOf(body, 'e'), '(3,)');
  });

  it('a DCT matrix from float ranges and a mel bank from linspace size an MFCC front end', async () => {
    const program = (channels: number): string => `${HEAD}
def dct_matrix(n_mfcc, n_mels):
    n = torch.arange(float(n_mels))
    k = torch.arange(float(n_mfcc)).unsqueeze(1)
    return torch.cos(math.pi / float(n_mels) * (n + 0.5) * k).t()

freqs = torch.linspace(0, 8000, 257)
points = torch.linspace(0.0, 2840.0, 64 + 2)
bank = (points.unsqueeze(0) - freqs.unsqueeze(1))[:, 1:-1]
spec = torch.randn(8, 100, 257)
mels = spec @ bank
mfcc = (mels @ dct_matrix(20, 64)).transpose(1, 2)
conv = nn.Conv1d(${channels}, 32, 3)
y = conv(mfcc)
grid = np.linspace(0, 1)
`;
    assert.equal(await shapeOf(program(20), 'mels'), '(8, 100, 64)');
    assert.equal(await shapeOf(program(20), 'mfcc'), '(8, 20, 100)');
    assert.equal(await shapeOf(program(20), 'grid'), '(50,)');
    assert.deepEqual(await codes(program(20)), []);
    assert.deepEqual(await codes(program(64)), ['SL139']);
  });
});
