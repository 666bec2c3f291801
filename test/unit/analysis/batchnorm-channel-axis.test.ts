// SL146: nn.BatchNorm1d given a (N, C) or (N, C, L) tensor whose axis 1 is not num_features. PyTorch 1.13 raises
// "running_mean should contain C elements not F" (test/fixtures/torch/SL146_* and the reported self-critical-44 hold
// the runs; the affine/track_running_stats cases below were run in PyTorch 1.13 on (10, 36, 2048)).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

describe('SL146 batchnorm-channel-axis', () => {
  it('reports a (batch, seq, features) tensor and a (N, C) tensor of other width, directly and in a Sequential', async () => {
    const result = await run('bn = nn.BatchNorm1d(2048)\ny = bn(torch.randn(10, 36, 2048))\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL146']);
    assert.match(result.findings[0].message, /running_mean should contain 36 elements not 2048.*features are the last axis/);
    assert.deepEqual(await codes('head = nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(8))\ny = head(torch.randn(4, 16))\n'), ['SL146']);
    // With running statistics off, the affine weight is what PyTorch compares: "weight should contain 36 elements not 2048".
    const weight = await run('bn = nn.BatchNorm1d(2048, track_running_stats=False)\ny = bn(torch.randn(10, 36, 2048))\n');
    assert.match(weight.findings[0]?.message ?? '', /"weight should contain 36 elements not 2048"/);
    assert.deepEqual(await codes('bn = nn.BatchNorm1d(2048, affine=False)\ny = bn(torch.randn(10, 36, 2048))\n'), ['SL146']);
  });

  it('stays silent on the channels on axis 1, without per-channel tensors, and where a size is not known', async () => {
    assert.deepEqual(await codes('bn = nn.BatchNorm1d(2048)\nx = torch.randn(10, 36, 2048)\ny = bn(x.transpose(1, 2))\nz = bn(x.reshape(-1, 2048))\n'), []);
    assert.deepEqual(await codes('bn = nn.BatchNorm1d(2048, affine=False, track_running_stats=False)\ny = bn(torch.randn(10, 36, 2048))\n'), []);
    assert.deepEqual(await codes('bn = nn.BatchNorm1d(64)\ndef f(x):\n    return bn(x)\n'), []);
    assert.deepEqual(await codes('def make(n):\n    return nn.BatchNorm1d(n)\nbn = make(2048 if torch.cuda.device_count() else 36)\ny = bn(torch.randn(10, 36, 2048))\n'), []);
  });
});
