// SL169: a conversion to one Python number (.item(), float(), int(), bool(), an if/while test) of a tensor or array
// that is not one element, and backward() without a gradient of a tensor that is not a scalar.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = `import torch
import torch.nn as nn
import numpy as np
model = nn.Linear(10, 1)
x = torch.randn(32, 10)
y = torch.randn(32, 1)
`;

async function sl169(source: string) {
  return (await run(source)).findings.filter((f) => f.code === 'SL169');
}

describe('SL169 scalar-of-many-elements', () => {
  it("reports backward() of an unreduced loss, with the loss's shape and where it was made", async () => {
    const found = await sl169(`${HEAD}loss = nn.MSELoss(reduction='none')(model(x), y)\nloss.backward()\n`);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.equal(found[0].range.start.line, 7);
    assert.match(found[0].message, /loss is \(32, 1\) \(nn\.MSELoss.*line 7\), 32 elements.*grad can be implicitly created only for scalar outputs/);
  });

  it('reports torch.autograd.backward and torch.autograd.grad without a gradient', async () => {
    const loss = `${HEAD}loss = (model(x) - y) ** 2\n`;
    assert.deepEqual(await codes(`${loss}torch.autograd.backward(loss)\n`), ['SL169']);
    assert.deepEqual(await codes(`${loss}g = torch.autograd.grad(loss, x)\n`), ['SL169']);
    assert.deepEqual(await codes(`${loss}g = torch.autograd.grad(loss, x, grad_outputs=torch.ones_like(loss))\n`), []);
  });

  it('reports .item(), float() and int() of several elements, with NumPy its own message', async () => {
    const item = await sl169(`${HEAD}acc = (model(x).argmax(1) == y.squeeze(1)).item()\n`);
    assert.equal(item.length, 1);
    assert.match(item[0].message, /^\(model\(x\)\.argmax\(1\) == y\.squeeze\(1\)\)\.item\(\).*\(32,\), 32 elements.*only one element tensors can be converted to Python scalars/);
    assert.deepEqual(await codes(`${HEAD}v = float(model(x))\n`), ['SL169']);
    assert.deepEqual(await codes(`${HEAD}v = int(torch.zeros(0))\n`), ['SL169']);
    const array = await sl169(`${HEAD}a = np.zeros((3, 4))\nv = float(a.mean(axis=0))\n`);
    assert.match(array[0].message, /\(4,\), 4 elements\. NumPy raises "TypeError: only size-1 arrays can be converted to Python scalars"/);
  });

  it('reports the truth of a tensor of several elements in if, while, and/or and conditional expressions', async () => {
    const pred = `${HEAD}pred = model(x).argmax(1)\n`;
    const found = await sl169(`${pred}if pred == y.squeeze(1):\n    pass\n`);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^The test pred == y\.squeeze\(1\) is a tensor \(32,\), 32 elements.*Boolean value of Tensor with more than one value is ambiguous/);
    assert.deepEqual(await codes(`${pred}if x.sum() > 0 and pred:\n    pass\n`), ['SL169']);
    assert.deepEqual(await codes(`${pred}w = 1 if pred > 0 else 0\n`), ['SL169']);
    assert.deepEqual(await codes(`${pred}while pred:\n    break\n`), ['SL169']);
    assert.deepEqual(await codes(`${pred}if np.zeros(5):\n    pass\n`), ['SL169']);
  });

  it('stays quiet on one element, a gradient given, sizes not known, and an empty array tested by NumPy', async () => {
    assert.deepEqual(await codes(`${HEAD}loss = nn.MSELoss()(model(x), y)\nloss.backward()\nv = loss.item()\nw = float(loss)\n`), []);
    assert.deepEqual(await codes(`${HEAD}loss = (model(x) - y) ** 2\nloss.backward(torch.ones_like(loss))\nloss.backward(gradient=torch.ones_like(loss))\n`), []);
    assert.deepEqual(await codes(`${HEAD}v = torch.zeros(1, 1).item()\nif torch.ones(1):\n    pass\nif x.sum() > 0:\n    pass\n`), []);
    // A batch whose size is not known may be 1.
    assert.deepEqual(await codes(`${HEAD}def step(batch):\n    out = model(batch)\n    return out.sum(1).item()\n`), []);
    // NumPy takes an empty array as False.
    assert.deepEqual(await codes(`${HEAD}if np.zeros(0):\n    pass\n`), []);
  });

  it('reports torch.tensor of a list holding tensors of several elements, and not of 0-D tensors or NumPy arrays', async () => {
    const found = await sl169(`${HEAD}outs = []\nfor i in range(4):\n    outs.append(model(x).argmax(1))\npreds = torch.tensor(outs)\n`);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^torch\.tensor\(\.\.\.\) reads every item of its list as one number, but an item is a tensor \(32,\).*32 elements.*only one element tensors/);
    assert.deepEqual(await codes(`${HEAD}a = torch.randn(3)\nt = torch.FloatTensor([[a]])\n`), ['SL169']);
    assert.deepEqual(await codes(`${HEAD}t = torch.tensor([x.sum(), y.sum()])\nu = torch.tensor([np.zeros(3), np.zeros(3)])\nv = torch.tensor([torch.randn(1), torch.randn(1)])\n`), []);
    assert.deepEqual(await codes(`${HEAD}def f(xs):\n    return torch.tensor(xs)\n`), []);
  });

  it('does not claim anything of the axes an RNN was given when the rank of its input was not known', async () => {
    const source = `import torch
import torch.nn as nn
rnn = nn.GRU(8, 16)
def f(seq):
    out, h = rnn(seq)
    return out[-1].sum(-1).item()
`;
    assert.deepEqual(await codes(source), []);
  });

  it('nor of the rows left once such an axis is dropped by iterating or indexing, while a known batch still tells', async () => {
    // An unbatched (steps, 4) input gives (steps, 9) scores: argmax(dim=1) is one id per step, each row one element.
    const head = `import torch
import torch.nn as nn
lstm = nn.LSTM(4, 8, batch_first=True)
fc = nn.Linear(8, 9)
def f(seq):
    out, _ = lstm(seq)
    ids = fc(out).argmax(dim=1)
`;
    assert.deepEqual(await codes(`${head}    return [i.item() for i in ids]
`), []);
    assert.deepEqual(await codes(`${head}    first, *rest = ids
    return ids[0].item() + first.item()
`), []);
    const known = `import torch
import torch.nn as nn
lstm = nn.LSTM(4, 8, batch_first=True)
fc = nn.Linear(8, 9)
out, _ = lstm(torch.randn(2, 5, 4))
ids = fc(out).argmax(dim=1)
tags = [i.item() for i in ids]
`;
    assert.deepEqual(await codes(known), ['SL169']);
  });
});
