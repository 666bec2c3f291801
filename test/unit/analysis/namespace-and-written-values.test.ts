// Two semantics the text CNN of the reported shawn1993-cnn-text-17 needs (each checked in PyTorch 1.13):
// - `args.kernel_sizes = [...]` on the namespace parse_args returned is what a later `args.kernel_sizes` reads, in the
//   module or in the model the namespace is handed to;
// - an in-place method that writes values (`target.sub_(1)`, `x.data.clamp_(…)`) leaves the tensor's shape but not its
//   bounds: `torch.randint(1, 6, (64,))` shifted by `sub_(1)` holds 0..4, which 5 classes take.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const PARSER = "import argparse\nimport torch\nimport torch.nn as nn\nparser = argparse.ArgumentParser()\nparser.add_argument('-kernel-sizes', type=str, default='3,4,5')\nargs = parser.parse_args([])\n";
const F = 'import torch\nimport torch.nn.functional as F\nlogit = torch.randn(64, 5)\n';

describe('values set on an argparse namespace, and values written in place', () => {
  it('reads an attribute set on the namespace after parse_args, here and inside a model given the namespace', async () => {
    assert.deepEqual(await codes(`${PARSER}args.kernel_sizes = [int(k) for k in args.kernel_sizes.split(',')]\nx = torch.zeros(7, args.kernel_sizes[2])\ny = nn.Linear(8, 2)(x)\n`), ['SL106']);
    const model = 'class M(nn.Module):\n    def __init__(self, args):\n        super().__init__()\n        self.fc = nn.Linear(args.width, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n\n';
    assert.deepEqual(await codes(`${PARSER}args.width = 16\n${model}m = M(args)\ny = m(torch.randn(3, 8))\n`), ['SL106']);
    assert.deepEqual(await codes(`${PARSER}args.width = 8\n${model}m = M(args)\ny = m(torch.randn(3, 8))\n`), []);
  });

  it('forgets the bounds of a tensor written in place, directly and through .data', async () => {
    assert.deepEqual(await codes(`${F}t = torch.randint(1, 6, (64,))\nl = F.cross_entropy(logit, t)\n`), ['SL124']);
    assert.deepEqual(await codes(`${F}t = torch.randint(1, 6, (64,))\nt.sub_(1)\nl = F.cross_entropy(logit, t)\n`), []);
    assert.deepEqual(await codes(`${F}t = torch.randint(1, 6, (64,))\nt.data.sub_(1)\nl = F.cross_entropy(logit, t)\n`), []);
    // The shape stays: a wrong batch is still reported after the in-place write.
    assert.deepEqual(await codes(`${F}t = torch.randint(1, 6, (32,))\nt.sub_(1)\nl = F.cross_entropy(logit, t)\n`), ['SL115']);
  });
});
