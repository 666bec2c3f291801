// A loop over a list of known items runs its body once per item: when an iteration certainly leaves the function
// (a `return`, or a statement PyTorch raises in), the statements after the loop never run on that path.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const H = 'import torch\n';

describe('loops run item by item', () => {
  it('leave the function where an iteration raises: what follows the loop never runs', async () => {
    const body = `${H}def f(xs):\n    r = torch.zeros(3)\n    for x in xs:\n        a = torch.zeros(2) + torch.zeros(3)\n        r = torch.zeros(2, 2)\n    return r[0, 0]\nf([1])\n`;
    assert.deepEqual(await codes(body), ['SL119']);
  });
});
