// SL166: nested lists of unequal lengths given to torch.tensor and the legacy constructors. PyTorch 1.13 takes the
// sizes from the first item at each depth and raises at the first sequence of another length, depth first (checked:
// torch.tensor([[1, 2, 3], [4, 5]]) raises "expected sequence of length 3 at dim 1 (got 2)", torch.LongTensor([[[1, 2],
// [3, 4]], [[1, 2], [3]]]) "expected sequence of length 2 at dim 2 (got 1)", torch.tensor([[1], [2, 3], [4]])
// "expected sequence of length 1 at dim 1 (got 2)"; torch.as_tensor, torch.FloatTensor and torch.Tensor alike).
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

describe('SL166 ragged-tensor-data', () => {
  it('reports nested lists of unequal lengths with the message PyTorch raises', async () => {
    const result = await run('x = torch.tensor([[1, 2, 3], [4, 5]])\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL166']);
    assert.match(result.findings[0].message, /expected sequence of length 3 at dim 1 \(got 2\)/);
    const deep = await run('x = torch.LongTensor([[[1, 2], [3, 4]], [[1, 2], [3]]])\n');
    assert.match(deep.findings[0]?.message ?? '', /expected sequence of length 2 at dim 2 \(got 1\)/);
    const first = await run('x = torch.tensor([[1], [2, 3], [4]])\n');
    assert.match(first.findings[0]?.message ?? '', /expected sequence of length 1 at dim 1 \(got 2\)/);
    for (const reader of ['torch.as_tensor', 'torch.FloatTensor', 'torch.Tensor', 'torch.BoolTensor', 'torch.HalfTensor', 'torch.ShortTensor', 'torch.ByteTensor']) {
      assert.deepEqual(await codes(`x = ${reader}([[1, 2], (3,)])\n`), ['SL166'], reader);
    }
  });

  it('reports token ids of sentences tokenized one at a time and never padded', async () => {
    const program =
      'texts = ["ce film est une merveille", "ennuyeux"]\n' +
      'vocab = {w: i + 3 for i, w in enumerate(sorted({w for t in texts for w in t.split()}))}\n' +
      'def encode(text, padding=False, max_length=16):\n' +
      '    ids = [0] + [vocab[w] for w in text.split()] + [1]\n' +
      "    target = max_length if padding == 'max_length' else len(ids)\n" +
      '    return ids + [2] * (target - len(ids))\n' +
      'rows = []\n' +
      'for t in texts:\n' +
      '    rows.append(encode(t, padding=True))\n' +
      'x = torch.tensor(rows)\n';
    const result = await run(program);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL166']);
    assert.match(result.findings[0].message, /expected sequence of length 7 at dim 1 \(got 3\)/);
    assert.deepEqual(await codes(program.replace('padding=True', "padding='max_length'")), []);
    assert.equal(await shapeOf(program.replace('padding=True', "padding='max_length'"), 'x'), '(2, 16)');
  });

  it('stays silent on rows of one length, lengths not known, and sizes given to a legacy constructor', async () => {
    assert.deepEqual(await codes('x = torch.tensor([[1, 2], [3, 4]])\ny = torch.LongTensor(2, 3)\nz = torch.LongTensor([2, 3])\n'), []);
    assert.deepEqual(await codes('def f(rows):\n    return torch.tensor(rows)\n'), []);
    assert.deepEqual(await codes('import random\nrows = [[1] * random.randint(1, 3), [2, 2]]\nx = torch.tensor(rows)\n'), []);
    // Tensors are no rows of numbers: PyTorch reads each as one number and raises for several elements (SL169's).
    assert.deepEqual(await codes('x = torch.tensor([torch.zeros(3), torch.zeros(2)])\n'), ['SL169']);
  });
});

describe('comparing a string with a number or a bool', () => {
  it('is never equal, as in Python, so the branch it picks is known', async () => {
    // Python: True == 'max_length' is False, 1 != 'a' is True.
    assert.equal(await shapeOf("padding = True\nn = 16 if padding == 'max_length' else 3\nx = torch.zeros(n)\n", 'x'), '(3,)');
    assert.equal(await shapeOf("k = 1\nn = 4 if k != 'a' else 5\nx = torch.zeros(n)\n", 'x'), '(4,)');
  });

  it('leaves an ordering between them undecided (Python raises TypeError)', async () => {
    const shape = await shapeOf("k = 1\nn = 4 if k < 'a' else 5\nx = torch.zeros(n)\n", 'x');
    assert.ok(shape === undefined || !/^\(\d+,\)$/.test(shape), String(shape));
  });
});
