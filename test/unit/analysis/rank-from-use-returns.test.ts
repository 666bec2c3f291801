// Ranks proven through what a user function or module returns (ops/rank-from-use, ProvenRanks.returned): when every
// return of the callee's body gives a tensor whose rank follows one parameter's, the caller's result follows the
// argument given there, so a use after the call (`h.permute(1, 0, 2)`) proves the argument's rank.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const PRELUDE = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

/** A module M whose forward(x) runs `forward`, with a helper method and a submodule class Block written out. */
function program(helper: string, block: string, init: string, forward: string): string {
  const indent = (code: string, n: number): string => code.split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
  return `${PRELUDE}class Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n    def forward(self, x):\n${indent(block, 8)}\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n${indent(init, 8)}\n    def helper(self, x):\n${indent(helper, 8)}\n    def forward(self, x):\n${indent(forward, 8)}\n`;
}

describe('ranks proven through what a user function returns', () => {
  it("proves x 3-D from h.permute(1, 0, 2) when h = self.helper(x) and the helper returns F.relu(self.fc(x)) (x's rank)", async () => {
    const body = program('return F.relu(self.fc(x))', 'return x', 'pass', 'h = self.helper(x)\nz = h.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'h'), '(x.size(0), x.size(1), 8)');
  });

  it("proves x 2-D through a submodule whose forward returns its input's rank plus one (unsqueeze)", async () => {
    const body = program('return x', 'return self.fc(x).unsqueeze(1)', 'self.block = Block()', 'h = self.block(x)\nz = h.permute(2, 0, 1)\nreturn z');
    assert.equal(await shapeOf(body, 'h'), '(x.size(0), 1, 8)');
  });

  it('follows a helper whose every branch returns the same rank as its input', async () => {
    const body = program('if self.training:\n    return F.dropout(x, 0.1)\nelse:\n    return x', 'return x', 'pass', 'h = self.helper(x)\nz = h.transpose(0, 2).permute(2, 1, 0)\nreturn z');
    assert.equal(await shapeOf(body, 'h'), '(x.size(0), x.size(1), x.size(2))');
  });

  it('proves nothing when the returns of the helper disagree on the rank (one unsqueezes, one does not)', async () => {
    const body = program('if self.training:\n    return x.unsqueeze(0)\nreturn x', 'return x', 'pass', 'y = x.float()\nh = self.helper(x)\nz = h.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('proves nothing when a return of the helper is inside a loop (it may not be the one that ran)', async () => {
    const body = program('for i in range(3):\n    return x.view(-1)\nreturn x', 'return x', 'pass', 'y = x.float()\nh = self.helper(x)\nz = h.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('proves nothing of x when the helper returns a view, whose rank does not follow its input', async () => {
    const body = program('return x.view(x.size(0), -1, 4)', 'return x', 'pass', 'y = x.float()\nh = self.helper(x)\nz = h.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('maps what is returned to the argument given for that parameter (the second of two)', async () => {
    const body = program('return x', 'return x', 'pass', 'y = x.float()\nh = self.other(y, x)\nz = h.permute(1, 0, 2)\nreturn z').replace('    def helper(self, x):', '    def other(self, a, b):\n        return F.relu(b)\n    def helper(self, x):');
    assert.equal(await shapeOf(body, 'y'), '(x.size(0), x.size(1), x.size(2))');
    const swapped = body.replace('return F.relu(b)', 'return F.relu(b).sum(1)');
    assert.equal(await shapeOf(swapped, 'y'), '(x.size(0), x.size(1), x.size(2), x.size(3))');
  });

  it('follows the items of a tuple every return gives: out, (h, c) = self.helper(x) with the helper returning an LSTM output and its state', async () => {
    const body = program('out, (h, c) = self.lstm(x)\nreturn self.fc(out), (h, c)', 'return x', 'self.lstm = nn.LSTM(8, 8)', 'y = x.float()\nout, state = self.helper(x)\nlast = out.permute(1, 0, 2)\nreturn last');
    assert.equal(await shapeOf(body, 'y'), '(x.size(0), x.size(1), x.size(2))');
  });

  it('follows an item taken by index: self.helper(x)[0]', async () => {
    const body = program('return F.relu(x), None', 'return x', 'pass', 'y = x.float()\nout = self.helper(x)[0]\nz = out.permute(1, 0)\nreturn z');
    assert.equal(await shapeOf(body, 'y'), '(x.size(0), x.size(1))');
  });

  it('proves nothing from a tuple unpacked into fewer names than it has (Python raises) or whose returns disagree', async () => {
    const fewer = program('return x, x.sum(1), x', 'return x', 'pass', 'y = x.float()\nout, state = self.helper(x)\nz = out.permute(1, 0)\nreturn z');
    assert.equal(await shapeOf(fewer, 'y'), undefined);
    const disagree = program('if self.training:\n    return x.unsqueeze(0), x\nreturn x, x', 'return x', 'pass', 'y = x.float()\nout, other = self.helper(x)\nz = out.permute(1, 0)\nreturn z');
    assert.equal(await shapeOf(disagree, 'y'), undefined);
  });

  it("keeps the rank proven of the name itself when the argument is of unknown kind (nothing refines it): h of h.permute(1, 0, 2)", async () => {
    const body = `${program('return F.relu(self.fc(x))', 'return x', 'pass', 'h = self.helper(x)\nz = h.permute(1, 0, 2)\nreturn z')}\nmodel = M()\nout = model(load_batch())\n`;
    assert.equal(await shapeOf(body, 'h'), '(?, ?, 8)');
  });
});
