// A broadcast axis of equal sizes is one axis: the role either operand knows (batch, time, feature) survives `x + attn`.
import { strict as assert } from 'node:assert';
import { broadcastDim } from '../../../src/analysis/ops/broadcast';
import { intDim } from '../../../src/analysis/shapes/dim';
import { run } from './helpers';

describe('roles through broadcasting', () => {
  it('keeps the right operand\'s role when the left one has none', () => {
    assert.equal(broadcastDim(intDim(8), intDim(8, { role: 'batch' })).role, 'batch');
    assert.equal(broadcastDim(intDim(8, { role: 'time' }), intDim(8)).role, 'time');
  });

  it('drops the role when the two operands disagree on it', () => {
    assert.equal(broadcastDim(intDim(8, { role: 'batch' }), intDim(8, { role: 'time' })).role, undefined);
  });

  it('lets the batch of a batch-first attention reach a sequence-first GRU through a residual sum', async () => {
    const body = (batchFirst: string) => [
      'attn = nn.MultiheadAttention(16, 2, batch_first=True)',
      `gru = nn.GRU(16, 16${batchFirst})`,
      'x = torch.randn(8, 5, 16)',
      'y = x + attn(x, x, x)[0]',
      'out, h = gru(y)',
    ].join('\n');
    assert.deepEqual((await run(body(''))).findings.map((f) => f.code), ['SL102']);
    assert.deepEqual((await run(body(', batch_first=True'))).findings.map((f) => f.code), []);
  });
});
