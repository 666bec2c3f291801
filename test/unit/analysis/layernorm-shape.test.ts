// SL161: nn.LayerNorm's normalized_shape against the trailing sizes it receives. PyTorch 1.13 raises "Given
// normalized_shape=[12], expected input with shape [*, 12], but got input of size[3, 20, 48]" for an int or a tuple
// that differs on any of the last axes, or an input with fewer axes. test/fixtures/torch/SL161_* hold two runs.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\n';

describe('SL161 layernorm-shape-mismatch', () => {
  it('reports a LayerNorm sized for another last axis, with the size received as the fix', async () => {
    const result = await run(`${HEAD}lstm = nn.LSTM(12, 48, batch_first=True)\nnorm = nn.LayerNorm(12)\nout, _ = lstm(torch.randn(3, 20, 12))\ny = norm(out)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL161']);
    assert.match(result.findings[0].message, /normalized_shape=12 \(line 4\) on the last axis, but receives \(3, 20, 48\) with 48 there \(hidden_size=48, line 3\)/);
    assert.match(result.findings[0].message, /got input of size\[3, 20, 48\]/);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['48']]);
  });

  it('compares every axis of a tuple, and the number of axes', async () => {
    assert.deepEqual(await codes(`${HEAD}y = nn.LayerNorm((20, 48))(torch.randn(3, 21, 48))\n`), ['SL161']);
    assert.deepEqual(await codes(`${HEAD}y = nn.LayerNorm([4, 20, 48])(torch.randn(20, 48))\n`), ['SL161']);
  });

  it('stays silent when the sizes agree or are not known', async () => {
    assert.deepEqual(await codes(`${HEAD}y = nn.LayerNorm(48)(torch.randn(3, 20, 48))\nz = nn.LayerNorm((20, 48))(torch.randn(3, 20, 48))\n`), []);
    assert.deepEqual(await codes(`${HEAD}def f(x, n):\n    return nn.LayerNorm(n)(x)\n`), []);
    assert.deepEqual(await codes(`${HEAD}y = nn.LayerNorm(48)(torch.randn(3, 20, int(input())))\n`), []);
  });
});
