// Semantics the fiftieth round of held-out reported bugs (NLP code) needed: pooling windows longer than their input
// (SL150), a while loop whose test the analysis decides on every pass, and an item of a parameter only assumed to be
// a tensor. Programs of our own; the pooling cases were run in PyTorch 1.13 on inputs that need a gradient: the
// reported ones raise "Output size is too small", the silent ones run.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const prelude = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('SL150 pooling windows longer than the padded input', () => {
  it('reports functional and layer poolings whose window does not fit, with PyTorch\'s message', async () => {
    const result = await run(`${prelude}x = torch.randn(2, 3, 4)\ny = F.max_pool1d(x, 5)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL150']);
    assert.match(result.findings[0].message, /window of \(5\) over the input \(2, 3, 4\).*Output size is too small/);
    for (const line of [
      'y = F.max_pool1d(torch.randn(2, 3, 4), 3, dilation=2)',
      'y = F.avg_pool1d(torch.randn(2, 3, 4), 5)',
      'y = F.avg_pool1d(torch.randn(3, 4), 5)',
      'y = nn.MaxPool1d(5)(torch.randn(2, 3, 4))',
      'y = nn.MaxPool1d(5, stride=1)(torch.randn(2, 3, 4))',
      'y = nn.MaxPool2d((5, 1))(torch.randn(2, 3, 4, 6))',
      'y = F.max_pool2d(torch.randn(2, 3, 4, 6), (2, 7))',
    ]) assert.deepEqual(await codes(`${prelude}${line}\n`), ['SL150'], line);
  });

  it('stays silent where the window fits, with padding, in ceil mode and where a size is not known', async () => {
    for (const line of [
      'y = F.max_pool1d(torch.randn(2, 3, 4), 5, padding=1)',
      'y = F.max_pool1d(torch.randn(2, 3, 4), 5, padding=2)',
      'y = F.max_pool1d(torch.randn(2, 3, 5), 3, dilation=2)',
      'y = nn.AvgPool1d(4)(torch.randn(2, 3, 4))',
      'y = F.avg_pool2d(torch.randn(2, 3, 4, 6), 4)',
      'y = F.max_pool1d(torch.randn(2, 3, 4), 5, stride=2, ceil_mode=True)',
      'def f(x):\n    return F.max_pool1d(x, 5)',
      'def f(n):\n    return F.max_pool1d(torch.randn(2, 3, n), 5)',
    ]) assert.deepEqual(await codes(`${prelude}${line}\n`), [], line);
  });

  it('reports a max-over-time pooling sized by the channels of a character CNN, not the one sized by its positions', async () => {
    const body = (axis: number) => `${prelude}conv = nn.Conv1d(16, 40, 3, padding=1)\nchars = torch.randn(30, 12, 16)\nconved = conv(chars.permute(0, 2, 1))\npooled = F.max_pool1d(conved, kernel_size=conved.shape[${axis}]).squeeze(2)\n`;
    assert.deepEqual(await codes(body(1)), ['SL150']);
    assert.deepEqual(await codes(body(2)), []);
    assert.equal(await shapeOf(body(2), 'pooled'), '(30, 40)');
  });
});

describe('a while loop whose test is decided on every pass', () => {
  it('runs pass after pass on known sizes, and what follows reads the size it stopped at', async () => {
    const halve = `${prelude}pool = nn.MaxPool1d(3, stride=2)\nx = torch.randn(4, 8, 48)\nwhile x.size(-1) > 2:\n    x = pool(F.pad(x, (0, 1)))\nout = x\n`;
    assert.equal(await shapeOf(halve, 'out'), '(4, 8, 1)');
    assert.deepEqual(await codes(`${halve}y = x.view(4, 16)\n`), ['SL122']);
    assert.deepEqual(await codes(`${halve}y = x.view(4, 8)\n`), []);
  });

  it('counts a known counter, and leaves a loop to the general treatment when its test is not decided or it breaks', async () => {
    assert.equal(await shapeOf(`${prelude}i = 0\nh = torch.zeros(2, 5)\nwhile i < 3:\n    h = torch.cat([h, torch.zeros(2, 5)], 1)\n    i += 1\nout = h\n`, 'out'), '(2, 20)');
    assert.equal(await shapeOf(`${prelude}def f(n):\n    h = torch.zeros(2, 5)\n    while h.size(1) < n:\n        h = torch.cat([h, h], 1)\n    return h\nout = f(7)\n`, 'out'), '(2, 10)');
    const broken = `${prelude}h = torch.zeros(2, 5)\nwhile h.size(1) < 40:\n    h = torch.cat([h, h], 1)\n    if h.sum() > 0:\n        break\ny = h.view(2, 10, 4)\n`;
    assert.deepEqual(await codes(broken), []);
  });
});

describe('an item of a parameter only assumed to be a tensor', () => {
  it('is not reported as one tensor where an LSTM takes its (h, c) pair', async () => {
    const body = `${prelude}class Stack(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnns = nn.ModuleList([nn.LSTM(8, 8) for _ in range(2)])\n\n    def forward(self, x, hiddens):\n        for i, rnn in enumerate(self.rnns):\n            x, _ = rnn(x, hiddens[i])\n        return x\n`;
    assert.deepEqual(await codes(body), []);
    assert.deepEqual(await codes(`${prelude}lstm = nn.LSTM(8, 8)\nh = torch.zeros(3, 1, 8)\ny = lstm(torch.randn(5, 1, 8), h[0:1])\n`), ['SL104']);
  });
});
