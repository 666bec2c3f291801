// A loop over a list of known items runs its body once per item: when an iteration certainly leaves the function
// (a `return`, or a statement PyTorch raises in), the statements after the loop never run on that path. A body that
// may `break` is not run item by item: the items after the break never run.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const H = 'import torch\n';

describe('loops run item by item', () => {
  it('leave the function where an iteration raises: what follows the loop never runs', async () => {
    const body = `${H}def f(xs):\n    r = torch.zeros(3)\n    for x in xs:\n        a = torch.zeros(2) + torch.zeros(3)\n        r = torch.zeros(2, 2)\n    return r[0, 0]\nf([1])\n`;
    assert.deepEqual(await codes(body), ['SL119']);
  });

  it('do not run the items after a break: the first Linear named_modules finds is the one kept', async () => {
    const body =
      'import torch.nn as nn\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 5)\n        self.out = nn.Linear(5, 6)\n' +
      'm = A()\nfor name, mod in m.named_modules():\n    if isinstance(mod, nn.Linear):\n        first = mod\n        break\ny = first(torch.randn(2, 4))\n';
    assert.deepEqual(await codes(H + body), []);
  });
});
