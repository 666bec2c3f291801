// SL170: a slice from the start of an axis that asks for n ≥ 2 entries of an axis of one keeps that one entry, and an
// element-wise operation with a tensor of exactly n entries on that axis broadcasts it over all n.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = `import torch
import torch.nn as nn
B, n, d = 4, 196, 64
x = torch.randn(B, n + 1, d)
`;

describe('SL170 clamped-slice-broadcast', () => {
  it('reports a one-row table cut to the data and added to it, as an operator, in place, or through torch.add', async () => {
    const found = (await run(`${HEAD}pos = nn.Parameter(torch.randn(B, 1, d))\npe = pos[:, :n + 1, :]\nx += pe\n`)).findings.filter((f) => f.code === 'SL170');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].range.start.line, 6);
    assert.match(found[0].message, /^pe is \(4, 1, 64\) \(pos\[:, :n \+ 1, :\], line 6\): its slice asked for 197 entries of axis 1, which has only one.*\+= broadcasts it over the 197 entries of x \(4, 197, 64\)/);
    assert.deepEqual(await codes(`${HEAD}bias = torch.zeros(1, d)\ny = x * bias[:n + 1]\n`), ['SL170']);
    assert.deepEqual(await codes(`${HEAD}pos = torch.randn(B, 1, d)\ny = torch.add(x, pos[:, :n + 1])\nz = x.add(pos[:, :n + 1])\n`), ['SL170', 'SL170']);
  });

  it('stays quiet on a table long enough, an axis of one not sliced, a stop other than the data size, and unknown sizes', async () => {
    assert.deepEqual(await codes(`${HEAD}pos = torch.randn(1, 300, d)\ny = x + pos[:, :n + 1]\n`), []);
    assert.deepEqual(await codes(`${HEAD}cls = torch.randn(B, 1, d)\ny = x + cls\n`), []);
    assert.deepEqual(await codes(`${HEAD}pos = torch.randn(B, 1, d)\ny = x + pos[:, :50]\n`), []);
    assert.deepEqual(await codes(`${HEAD}def f(t, table):\n    return t + table[:, :t.size(1)]\n`), []);
    // A slice that starts past 0 or steps is not a cut to a length.
    assert.deepEqual(await codes(`${HEAD}pos = torch.randn(B, 1, d)\ny = x + pos[:, 0:n + 1:2]\n`), []);
  });
});
