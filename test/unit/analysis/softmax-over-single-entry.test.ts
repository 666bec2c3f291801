// SL127: a softmax over an axis with one entry gives 1 everywhere. The golden is PyTorch 1.13's own output on random
// shapes and axes (the `softmaxes` of test/oracle/product-errors.json: whether every weight came out as 1).
import { strict as assert } from 'node:assert';
import { UNKNOWN_DIM, intDim } from '../../../src/analysis/shapes/dim';
import { shapeOf } from '../../../src/analysis/shapes/shape';
import type { TensorValue } from '../../../src/analysis/values/value';
import { singleEntryAxis } from '../../../src/analysis/rules/torch/sl127-softmax-over-single-entry';
import { codes, productErrorCases } from './helpers';

interface SoftmaxCase {
  x: number[];
  dim: number;
  all_ones: boolean;
}

const softmaxes = productErrorCases<SoftmaxCase>('softmaxes');

function tensor(dims: ReturnType<typeof intDim>[]): TensorValue {
  return { kind: 'tensor', dtype: 'float', shape: shapeOf(dims) } as TensorValue;
}

describe('SL127 softmax-over-single-entry', () => {
  it(`reports exactly the softmaxes PyTorch gave as 1 everywhere (${softmaxes.length} cases)`, () => {
    assert.ok(softmaxes.filter((c) => c.all_ones).length >= 30);
    assert.ok(softmaxes.filter((c) => !c.all_ones).length >= 30);
    for (const c of softmaxes) {
      const axis = singleEntryAxis(tensor(c.x.map((n) => intDim(n))), { kind: 'int', value: c.dim });
      assert.equal(axis !== undefined, c.all_ones, `torch.softmax(randn(${c.x}), dim=${c.dim})`);
      // With that axis's size hidden, nothing is said.
      if (axis !== undefined) assert.equal(singleEntryAxis(tensor(c.x.map((n, k) => (k === axis ? UNKNOWN_DIM : intDim(n)))), { kind: 'int', value: c.dim }), undefined);
    }
  });

  it('reads the function, method and module forms, and stays silent without a known axis or size', async () => {
    const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nscores = nn.Linear(8, 1)(torch.randn(4, 9, 8))\n';
    assert.deepEqual(await codes(`${head}w = F.softmax(scores, dim=-1)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = scores.log_softmax(2)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = nn.Softmax(dim=2)(scores)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = torch.softmax(scores, 1)\n`), []);
    // torch.softmax and the method also take the axis as axis= (F.softmax raises a TypeError on it).
    assert.deepEqual(await codes(`${head}w = torch.softmax(scores, axis=2)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = scores.softmax(axis=-1)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = F.softmax(scores, axis=2)\n`), []);
    assert.deepEqual(await codes(`${head}w = F.softmax(scores)\n`), []);
    assert.deepEqual(await codes(`${head}def f(d):\n    return F.softmax(scores, dim=d)\n`), []);
    assert.deepEqual(await codes('import torch\nimport torch.nn.functional as F\ndef f(x):\n    return F.softmax(x, dim=-1)\n'), []);
  });
});
