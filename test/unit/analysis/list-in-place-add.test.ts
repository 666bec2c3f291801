// `xs += [item]` on a list is list.__iadd__: it extends the one list in place (as xs.extend does) and binds the same
// object again. A decoder collecting its steps with `outputs += [step]` in a loop then concatenates a list whose
// items are known, and a second name for the list sees the items too.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

describe('in-place + on a list', () => {
  const steps = 'h = torch.zeros(4, 8)\nouts = []\nfor i in range(int(input())):\n    outs += [h.unsqueeze(1)]\n';

  it('grows the one list in a loop: its items are what the loop added (torch.cat of decoder steps)', async () => {
    // PyTorch 1.13: five steps of (4, 1, 8) concatenated on dim 1 give (4, 5, 8); the count here is not known.
    assert.equal(await shapeOf(steps + 'y = torch.cat(outs, 1)\n', 'y'), '(4, ?, 8)');
    assert.equal(await shapeOf(steps + 'y = torch.stack(outs)\n', 'y'), '(?, 4, 1, 8)');
  });

  it('changes the list every name for it holds', async () => {
    const body = 'a = []\nb = a\na += [torch.zeros(2, 3)]\nz = torch.stack(b)\n';
    assert.equal(await shapeOf(body, 'z'), '(1, 2, 3)');
  });

  it('extends by a tuple as well, and keeps the items already there', async () => {
    const body = 'xs = [torch.zeros(2, 3)]\nxs += (torch.zeros(2, 3), torch.zeros(2, 3))\nz = torch.stack(xs, 1)\n';
    assert.equal(await shapeOf(body, 'z'), '(2, 3, 3)');
  });

  it('reports a layer given the concatenated steps with the wrong width', async () => {
    const body = steps + 'lin = nn.Linear(5, 3)\nw = lin(torch.cat(outs, 0))\n';
    assert.deepEqual((await run(body)).findings.filter((f) => f.severity === 'error').map((f) => f.code), ['SL106']);
  });

  it('leaves + on a tuple rebinding a new tuple', async () => {
    const body = 't = (torch.zeros(2),)\nu = t\nt += (torch.zeros(2),)\nz = torch.stack(u)\n';
    assert.equal(await shapeOf(body, 'z'), '(1, 2)');
  });
});
