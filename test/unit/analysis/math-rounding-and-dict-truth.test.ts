// math.floor, math.ceil and math.trunc give ints as Python 3 does, and a dict that lists its keys has a truth value:
// the sizes a speech model computes from its audio configuration (`conf = audio_conf or {}`, then
// `int(math.floor((sample_rate * window_size) / 2) + 1)` rows per frame). Values checked in Python 3.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('math roundings and the truth of a dict', () => {
  it('rounds a known float to an int with floor, ceil and trunc, and keeps an int as it is', async () => {
    assert.equal(await shapeOf('import torch\nimport math\nx = torch.zeros(math.floor(7.5), math.ceil(7.2), math.trunc(7.9), math.floor(4))\n', 'x'), '(7, 8, 7, 4)');
    assert.equal(await shapeOf('import torch\nimport math\nx = torch.zeros(math.floor(True) + 2)\n', 'x'), '(3,)');
  });

  it('gives an int of unknown value for a float whose value is not known: the tensor it sizes is 1-D', async () => {
    assert.equal(await shapeOf('import torch\nimport math\ndef f(rate):\n    return torch.zeros(math.ceil(rate / 3))\nx = f(float(input()))\n', 'x'), '(?,)');
  });

  it('computes the features a strided convolution stack leaves from a sample rate and a window length', async () => {
    const program = (rate: number) => `import torch
import torch.nn as nn
import math
audio_conf = {'sample_rate': ${rate}, 'window_size': 0.02}
conf = audio_conf or {}
sample_rate = conf.get('sample_rate', 8000)
window_size = conf.get('window_size', 0.02)
n = int(math.floor((sample_rate * window_size) / 2) + 1)
n = int(math.floor(n + 2 * 20 - 41) / 2 + 1)
n = int(math.floor(n + 2 * 10 - 21) / 2 + 1)
rnn = nn.LSTM(n * 32, 64)
out, _ = rnn(torch.randn(81, 1, 6048))
`;
    assert.ok((await codes(program(16000))).includes('SL101'), '1312 features expected, 6048 given');
    assert.deepEqual(await codes(program(16000).replace('6048', '1312')), []);
  });

  it('takes a dict that lists a key for true and leaves an empty one undecided', async () => {
    assert.equal(await shapeOf("conf = {'n': 5} or {'n': 3}\nx = torch.zeros(conf['n'])\n", 'x'), '(5,)');
    assert.equal(await shapeOf("conf = {'n': 5}\nx = torch.zeros(2) if conf else torch.zeros(3)\n", 'x'), '(2,)');
    const empty = await shapeOf('conf = {}\nx = torch.zeros(2) if conf else torch.zeros(3)\n', 'x');
    assert.ok(empty === undefined || empty === '(3,)' || !/\d\)/.test(empty), `${empty}`);
  });
});
