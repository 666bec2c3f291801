// SL167: masked_select broadcasts its input and its mask against each other. A (B, 1) column selected with a (B,) row
// mask stretches both to (B, B), so each value is selected once per True entry of the row it meets.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = `import torch
probs = torch.softmax(torch.randn(16, 50), dim=1)
target = torch.randint(0, 50, (16,))
mask = torch.ones(16, dtype=torch.bool)
`;

describe('SL167 masked-select-broadcast', () => {
  it('reports a gathered column selected with a row mask, method and function forms', async () => {
    const column = `${HEAD}ce = -torch.log(torch.gather(probs, 1, target.view(-1, 1)))\n`;
    const method = await run(`${column}loss = ce.masked_select(mask).mean()\n`);
    const found = method.findings.filter((f) => f.code === 'SL167');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /\(16, 1\).*\(16,\).*\(16, 16\)/);
    assert.ok((await codes(`${column}loss = torch.masked_select(ce, mask).mean()\n`)).includes('SL167'));
  });

  it('stays quiet on a squeezed column, a mask stretched to the input alone, and sizes not known', async () => {
    assert.deepEqual(await codes(`${HEAD}ce = -torch.log(torch.gather(probs, 1, target.view(-1, 1)).squeeze(1))\nloss = ce.masked_select(mask).mean()\n`), []);
    assert.deepEqual(await codes(`${HEAD}h = torch.randn(16, 7, 32)\nm = torch.ones(16, 7, 1, dtype=torch.bool)\nsel = h.masked_select(m)\n`), []);
    assert.deepEqual(await codes(`${HEAD}def f(ce, m):\n    return ce.view(-1, 1).masked_select(m)\n`), []);
    // A size of 1 on both sides stretches nothing.
    assert.deepEqual(await codes(`import torch\nce = torch.zeros(1, 1)\nsel = ce.masked_select(torch.ones(1, dtype=torch.bool))\n`), []);
  });
});
