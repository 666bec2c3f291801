// Ranks proven by use through torch.cat and torch.stack (ops/rank-from-use): a rank the joined tensor must have
// reaches every item. PyTorch 1.13's cat refuses items of different ranks ("Tensors must have same number of
// dimensions: got 3 and 2") save an empty 1-D item, which it skips (`torch.cat([torch.zeros(0), torch.zeros(2, 3)], 1)`
// runs): so an item may be 1-D whatever the result's rank, and a demand on the result rules out no 1-D item. stack
// refuses items of different shapes, so its result has one axis more than each item.
import { strict as assert } from 'node:assert';
import { moduleProgram, shapeOf } from './helpers';

const MODEL = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, functional: true });

/** Three 1-D convolutions over x with one channel added (each 2-D or 3-D), joined along the channels. */
const MULTI_SCALE = 'self.c1 = nn.Conv1d(1, 4, 3, padding=1)\nself.c2 = nn.Conv1d(1, 4, 5, padding=2)\nself.lstm = nn.LSTM(8, 16, batch_first=True)';

describe('ranks proven by use through torch.cat and torch.stack', () => {
  it('proves x 2-D when the convolutions\' outputs (2 or 3 axes) are joined by torch.cat and the result is transposed (1, 2)', async () => {
    const body = MODEL(MULTI_SCALE, 'x = x.unsqueeze(1)\na = F.relu(self.c1(x))\nb = F.relu(self.c2(x))\nh = torch.cat((a, b), dim=1)\nh = h.transpose(1, 2)\nout, _ = self.lstm(h)\nreturn out');
    assert.equal(await shapeOf(body, 'a'), '(B, 4, x.size(1))');
    assert.equal(await shapeOf(body, 'out'), '(B, T, 16)');
  });

  it('proves nothing of an item that may be 1-D: cat skips an empty vector whatever the result\'s rank', async () => {
    // a has at most two axes (t); the 2-D result rules out only a 0-D a (a 1-D a may be empty).
    const body = MODEL('pass', 'a = x.t()\nh = torch.cat([a, y], 0)\nz = h.t()\nn = h.size(1)\nreturn a', 'x, y');
    assert.equal(await shapeOf(body, 'a'), undefined);
    // b is not 1-D (it has at least 3 axes), so it has the result's three.
    const twin = MODEL('pass', 'b = y.transpose(1, 2)\nh = torch.cat([x, b], 0)\nz = h.permute(2, 0, 1)\nreturn b', 'x, y');
    assert.equal(await shapeOf(twin, 'b'), '(y.size(0), y.size(2), y.size(1))');
  });

  it('proves the items of torch.stack one axis fewer than its result', async () => {
    const body = MODEL('pass', 'h = torch.stack([x, y], 1)\nz = h.permute(0, 2, 1)\nw = y.t()\nreturn w', 'x, y');
    assert.equal(await shapeOf(body, 'w'), '(y.size(1), y.size(0))');
  });

  it('proves an item\'s rank from the axis cat joins along and a demand on the result together', async () => {
    // The convolution takes 2 or 3 axes; cat along axis 2 needs 3 (or a skipped 1-D item): x is 3-D.
    const body = MODEL('self.c1 = nn.Conv1d(2, 4, 3)', 'a = self.c1(x)\nh = torch.cat([a, a], 2)\nreturn a');
    assert.equal(await shapeOf(body, 'a'), '(B, 4, ?)');
  });

  it('proves the rank of a joined tensor bound to a name, from what the body does with it', async () => {
    // The items come from a call nothing models: only h's own use (bmm) makes it 3-D, inside a loop that binds it.
    const body = MODEL('pass', 'for _ in range(n):\n    h = torch.cat([mystery(x), mystery(y)], dim=-1)\n    w = F.softmax(h, dim=1)\n    z = torch.bmm(w.transpose(1, 2), v)\nreturn z', 'x, y, v, n');
    assert.equal(await shapeOf(body, 'h'), '(?, ?, ?)');
  });

  it('proves nothing from a join that runs only in a branch', async () => {
    const body = MODEL(MULTI_SCALE, 'x = x.unsqueeze(1)\na = F.relu(self.c1(x))\nif self.training:\n    h = torch.cat((a, a), dim=1)\n    h = h.transpose(1, 2)\nreturn a');
    assert.equal(await shapeOf(body, 'a'), undefined);
  });

  it('proves nothing through a join with keywords other than dim (out=)', async () => {
    const body = MODEL(MULTI_SCALE, 'x = x.unsqueeze(1)\na = F.relu(self.c1(x))\nh = torch.cat((a, a), 1, out=buf)\nh = h.transpose(1, 2)\nreturn a', 'x, buf');
    assert.equal(await shapeOf(body, 'a'), undefined);
  });
});
