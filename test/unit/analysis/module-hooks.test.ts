// nn.Module's submodule walks (named_modules, modules, named_children, children) and forward hooks, as PyTorch 1.13
// runs them: A(named_modules) below lists ['', 'fc', 'seq', 'seq.0', 'seq.1'] and, with remove_duplicate=False, also
// 'fc2'; a forward hook runs on `module(x)` after forward, a pre-hook before it, and a returned value replaces.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const H = 'import sys\nimport torch\nimport torch.nn as nn\n';
const A =
  'class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.n = 3\n        self.fc = nn.Linear(4, 5)\n' +
  '        self.seq = nn.Sequential(nn.ReLU(), nn.Linear(5, 6))\n        self.none = None\n        self.lst = [nn.Linear(1, 1)]\n        self.fc2 = self.fc\n' +
  '    def forward(self, x):\n        return self.seq(self.fc(x))\n';

describe('module walks and forward hooks', () => {
  it('lists the registered submodules with their dotted names, each once, as PyTorch does', async () => {
    const walk = async (expr: string) => (await run(`${H}${A}m = A()\nnames = ${expr}\nt = torch.zeros(len(names))\nt = t[0, 0]\n`)).findings.map((f) => f.message.match(/\((\d+),\)/)?.[1]);
    assert.deepEqual(await walk('[n for n, _ in m.named_modules()]'), ['5']);
    assert.deepEqual(await walk('[n for n, _ in m.named_modules(remove_duplicate=False)]'), ['6']);
    assert.deepEqual(await walk('list(m.children())'), ['2']);
    assert.deepEqual(await walk('list(m.modules())'), ['5']);
    // A name in the list is the dotted path: 'seq.1' is the second Linear.
    const found = (await run(`${H}${A}m = A()\nfor name, mod in m.named_modules():\n    if name == 'seq.1':\n        y = mod(torch.randn(2, 4))\n`)).findings;
    assert.deepEqual(found.map((f) => f.code), ['SL106']);
  });

  it('gives a list of unknown length when a submodule is not known', async () => {
    const body = `${H}${A.replace('self.n = 3', 'self.enc = make()')}def make():\n    return getattr(nn, sys.argv[1])(4, 4)\nm = A()\nnames = [n for n, _ in m.named_modules()]\nt = torch.zeros(len(names))\nt = t[0, 0]\n`;
    assert.deepEqual(await codes(body), []);
  });

  it('runs a forward hook on the module call and hands its output to the hook', async () => {
    const body =
      `${H}${A}m = A()\nseen = []\ndef keep(module, inputs, output):\n    seen.append(output)\n` +
      `h = m.fc.register_forward_hook(keep)\ny = m(torch.randn(7, 4))\nz = seen[0] + torch.randn(7, 4)\n`;
    const found = (await run(body)).findings;
    assert.deepEqual(found.map((f) => f.code), ['SL119']);
    assert.match(found[0].message, /\(7, 5\)/);
    // Removed before the call: the list stays empty, and nothing is compared.
    assert.deepEqual(await codes(body.replace('y = m(', 'h.remove()\ny = m(')), []);
    // A hook registered on a path the analysis cannot decide is not run.
    assert.deepEqual(await codes(body.replace('h = m.fc.register', 'if sys.argv[1]:\n    h = m.fc.register')), []);
  });

  it('replaces the output with what a hook returns, and the arguments with what a pre-hook returns', async () => {
    const post = `${H}fc = nn.Linear(4, 5)\nfc.register_forward_hook(lambda mod, inp, out: out.sum(dim=1))\ny = fc(torch.randn(3, 4))\nz = y[0, 0]\n`;
    assert.deepEqual(await codes(post), ['SL123']);
    const pre = `${H}fc = nn.Linear(4, 5)\nfc.register_forward_pre_hook(lambda mod, inp: inp[0].flatten(1))\ny = fc(torch.randn(3, 2, 2))\nz = y + torch.randn(3, 6)\n`;
    const found = (await run(pre)).findings;
    assert.deepEqual(found.map((f) => f.code), ['SL119']);
    assert.match(found[0].message, /\(3, 5\)/);
  });

  it('runs the hooks of a container\'s children when the container runs them', async () => {
    const body = `${H}seq = nn.Sequential(nn.Linear(4, 5), nn.ReLU())\nout = []\nseq[0].register_forward_hook(lambda m, i, o: out.append(o))\nseq(torch.randn(2, 4))\nw = out[0] @ torch.randn(4, 3)\n`;
    assert.deepEqual(await codes(body), ['SL121']);
  });
});
