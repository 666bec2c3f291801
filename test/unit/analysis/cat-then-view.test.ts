// torch.cat of equal parts lays them one after the other in memory: the result is, in memory order, their stack. A
// view that splits the joined axis as (size, parts) instead of (parts, size) pairs up neighbouring rows of one part
// (SL120), the classic being the two directions of a bidirectional state joined along the batch axis.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const HEAD = 'lstm = nn.LSTM(8, 16, bidirectional=True)\nout, (h, c) = lstm(torch.randn(5, 4, 8))\n';

describe('views of torch.cat results', () => {
  it("flags the directions joined along the batch axis and viewed as (batch, 2 × hidden), read by a layer", async () => {
    assert.deepEqual(await codes(`${HEAD}both = torch.cat([h[0], h[1]], dim=0).view(4, 32)\ny = nn.Linear(32, 3)(both)\n`), ['SL120']);
  });

  it('flags two sequences joined along the steps and viewed as (batch, steps, 2 × features)', async () => {
    const body = 'a = torch.randn(4, 7, 16)\nb = torch.randn(4, 7, 16)\nx = torch.cat([a, b], dim=1).view(4, 7, 32)\ny, _ = nn.LSTM(32, 8, batch_first=True)(x)\n';
    assert.deepEqual(await codes(body), ['SL120']);
  });

  it('follows the mixed state through indexing of its layers to the layer that reads it', async () => {
    const body = `${HEAD}both = torch.cat([torch.cat([h[0], h[1]], dim=0).view(1, 4, 32)], dim=0)\ncell = nn.LSTMCell(10, 32)\nh1, c1 = cell(torch.randn(4, 10), (both[0], both[0]))\n`;
    assert.deepEqual(await codes(body), ['SL120']);
  });

  it("flags one sample's state taken from the layers' views joined by torch.cat, with no layer reading them", async () => {
    const body = `${HEAD}both = torch.cat([torch.cat([h[0], h[1]], dim=0).view(1, 4, 32) for i in range(1)], dim=0)\nfirst = both[-1, 0]\n`;
    assert.deepEqual(await codes(body), ['SL120']);
  });

  it('stays silent on an index that keeps every sample: the size-1 axis a view adds, or the axis the views were joined on', async () => {
    for (const body of [
      `${HEAD}x = torch.cat([h[0], h[1]], dim=0).view(1, 4, 32)[0]\n`,
      `${HEAD}v = torch.cat([h[0], h[1]], dim=0).view(1, 4, 32)\nx = torch.cat([v, v], dim=1)[0, 1]\n`,
    ]) {
      assert.deepEqual(await codes(body), [], body);
    }
  });

  it('stays silent on the views that keep the parts apart', async () => {
    for (const body of [
      // The decoder's steps joined and viewed back as (steps, batch, hidden).
      'steps = [torch.randn(4, 16) for _ in range(5)]\nx = torch.cat(steps, dim=0).view(5, 4, 16)\ny, _ = nn.LSTM(16, 8)(x)\n',
      // The joined steps flattened per sample.
      'a = torch.randn(4, 7, 16)\nx = torch.cat([a, a], dim=1).view(4, -1)\ny = nn.Linear(224, 3)(x)\n',
      // The parts split back off.
      `${HEAD}x = torch.cat([h[0], h[1]], dim=0).view(2, 4, 16)\ny = nn.Linear(16, 3)(x)\n`,
      // fairseq's fix: the direction axis moved next to the features before the view.
      `${HEAD}x = h.view(1, 2, 4, -1).transpose(1, 2).contiguous().view(1, 4, -1)\ny = nn.Linear(32, 3)(x)\n`,
      // Joined along the features: (batch, 2 × hidden) as it is.
      `${HEAD}x = torch.cat([h[0], h[1]], dim=1).view(4, 32)\ny = nn.Linear(32, 3)(x)\n`,
      // The same per layer, the layers joined, one sample's state taken.
      `${HEAD}x = torch.cat([torch.cat([h[0], h[1]], dim=-1).view(1, 4, 32)], dim=0)[-1, 0]\n`,
    ]) {
      assert.deepEqual(await codes(body), [], body);
    }
  });
});
