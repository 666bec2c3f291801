// SL160: two tensors combined element-wise whose rows merge the batch and another axis in opposite orders. The row
// orders are PyTorch's: (B, T, H).view(-1, H) is sample-major, (B, H).repeat(T, 1) repeats the whole batch T times.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const lines = async (body: string, code = 'SL160'): Promise<number[]> =>
  (await run(body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1 - 2);

const setup = 'batch_size, steps = 4, 6\nenc = torch.randn(batch_size, steps, 8)\ndec = torch.randn(batch_size, 8)\n';

describe('SL160 merged-rows-order-mismatch', () => {
  it('flags sample-major rows plus step-major tiles, on the tiled operand', async () => {
    assert.deepEqual(await lines(setup + 'e = enc.reshape(-1, 8) + dec.repeat(steps, 1)\n'), [4]);
    assert.deepEqual(await lines(setup + 'e = dec.repeat(steps, 1) * enc.view(-1, 8)\n'), [4]);
  });

  it('is silent when both operands put the rows in one order', async () => {
    assert.deepEqual(await lines(setup + 'e = enc.reshape(-1, 8) + dec.repeat_interleave(steps, dim=0)\n'), []);
    assert.deepEqual(await lines(setup + 'e = enc.reshape(-1, 8) + dec.unsqueeze(1).expand(batch_size, steps, 8).reshape(-1, 8)\n'), []);
    assert.deepEqual(await lines(setup + 'e = enc.transpose(0, 1).reshape(-1, 8) + dec.repeat(steps, 1)\n'), []);
  });

  it('is silent on a tiled axis that is not the batch, and on merged sizes that differ', async () => {
    assert.deepEqual(await lines('w = torch.randn(6, 8)\nx = torch.randn(4, 6, 8)\ne = x.reshape(-1, 8) + w.repeat(4, 1)\n'), []);
    assert.deepEqual(await lines(setup + 'e = enc.reshape(-1, 8) + torch.randn(batch_size, 8).repeat(steps, 1)[:24]\n'), []);
  });

  it('a sum of rows in two orders is in neither: a later view of it is not read as a regrouping (SL120)', async () => {
    assert.deepEqual(await lines(setup + 'e = dec.repeat(steps, 1) + enc.reshape(-1, 8)\nprint(e.view(batch_size, steps, 8)[0])\n', 'SL120'), []);
  });

  it('tiled rows split back in their own order are not a regrouping; split the other way they are (SL120)', async () => {
    const tiled = setup + 'h = nn.Linear(8, 8)(dec.repeat(steps, 1))\n';
    assert.deepEqual(await lines(tiled + 'y = nn.Linear(8, 2)(h.view(steps, batch_size, 8))\n', 'SL120'), []);
    assert.deepEqual(await lines(tiled + 'y = nn.Linear(8, 2)(h.view(batch_size, steps, 8))\n', 'SL120'), [5]);
  });
});
