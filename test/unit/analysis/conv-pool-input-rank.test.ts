// SL164: a 1-D or 2-D convolution or pooling given a tensor of a rank PyTorch refuses. The ranks each op accepts are
// the rankDemands of test/oracle/op-shapes.json (measured in PyTorch 1.13 by test/oracle/op_shapes.py); the messages
// were read from PyTorch 1.13 runs (e.g. F.max_pool1d of a (2, 3, 4, 5) tensor: "max_pool1d: Expected 2D or 3D (batch
// mode) tensor with optional 0 dim batch size for input, but got:[2, 3, 4, 5]").
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codes as codesOf, run as runOf } from './helpers';

const IMPORTS = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const run = (body: string) => runOf(IMPORTS + body);
const codes = (body: string) => codesOf(IMPORTS + body);

const demands: Record<string, { accepts: number[] }> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'oracle', 'op-shapes.json'), 'utf8'),
).rankDemands;

/** Each op checked, as a call on `x`, with the rankDemands entry that says which ranks PyTorch 1.13 runs it on. */
const OPS: [string, string][] = [
  ['Conv1d', 'nn.Conv1d(3, 4, 1)(x)'],
  ['Conv2d', 'nn.Conv2d(3, 4, 1)(x)'],
  ['MaxPool1d', 'nn.MaxPool1d(1)(x)'],
  ['AvgPool1d', 'nn.AvgPool1d(1)(x)'],
  ['AdaptiveMaxPool1d', 'nn.AdaptiveMaxPool1d(2)(x)'],
  ['AdaptiveAvgPool1d', 'nn.AdaptiveAvgPool1d(2)(x)'],
  ['MaxPool2d', 'nn.MaxPool2d(1)(x)'],
  ['AvgPool2d', 'nn.AvgPool2d(1)(x)'],
  ['F.conv1d', 'F.conv1d(x, torch.randn(4, 3, 1))'],
  ['F.conv2d', 'F.conv2d(x, torch.randn(4, 3, 1, 1))'],
  ['F.max_pool1d', 'F.max_pool1d(x, 1)'],
  ['F.avg_pool1d', 'F.avg_pool1d(x, 1)'],
  ['F.adaptive_max_pool1d', 'F.adaptive_max_pool1d(x, 2)'],
  ['F.adaptive_avg_pool1d', 'F.adaptive_avg_pool1d(x, 2)'],
  ['F.max_pool2d', 'F.max_pool2d(x, 1)'],
  ['F.avg_pool2d', 'F.avg_pool2d(x, 1)'],
  ['F.adaptive_max_pool2d', 'F.adaptive_max_pool2d(x, 2)'],
];

describe('SL164 conv-pool-input-rank', () => {
  it('reports a max-over-time pooling given the 4-D output of a Conv2d whose squeeze(3) removed nothing', async () => {
    const result = await run(
      'conv = nn.Conv2d(1, 100, (3, 300), padding=1)\n' +
      'x = F.relu(conv(torch.randn(50, 1, 200, 300))).squeeze(3)\n' +
      'y = F.max_pool1d(x, x.size(2)).squeeze(2)\n',
    );
    assert.deepEqual(result.findings.map((f) => [f.code, f.range.start.line + 1]), [['SL164', 6]]);
    assert.match(result.findings[0].message, /receives 4-D \(50, 100, 200, 3\)/);
    assert.match(result.findings[0].message, /Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size for input, but got:\[50, 100, 200, 3\]/);
    assert.match(result.findings[0].message, /the squeeze\(3\) it comes from removed nothing/);
  });

  it('stays silent when the convolution spans the whole embedding and squeeze(3) leaves 3-D features', async () => {
    assert.deepEqual(await codes(
      'conv = nn.Conv2d(1, 100, (3, 300), padding=(1, 0))\n' +
      'x = F.relu(conv(torch.randn(50, 1, 200, 300))).squeeze(3)\n' +
      'y = F.max_pool1d(x, x.size(2)).squeeze(2)\n',
    ), []);
  });

  it('stays silent when the rank is not known', async () => {
    assert.deepEqual(await codes('def f(x):\n    return F.max_pool1d(x, x.size(2))\n'), []);
    assert.deepEqual(await codes('pool = nn.MaxPool2d(2)\ndef f(x):\n    return pool(x.squeeze())\n'), []);
  });

  for (const [name, expr] of OPS) {
    it(`${name}: reported on exactly the ranks 1 to 5 PyTorch 1.13 refuses (${JSON.stringify(demands[name]?.accepts)} run)`, async () => {
      const accepts = demands[name]?.accepts;
      assert.ok(accepts && accepts.length > 0, `no rankDemands entry for ${name}`);
      for (let rank = 1; rank <= 5; rank++) {
        const found = await codes(`x = torch.randn(${Array(rank).fill(3).join(', ')})\ny = ${expr}\n`);
        assert.equal(found.includes('SL164'), !accepts.includes(rank), `rank ${rank}: ${found.join(', ')}`);
      }
    });
  }
});
