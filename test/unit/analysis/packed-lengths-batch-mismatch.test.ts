// SL126: the number of lengths given to pack_padded_sequence against the batch it reads, as PyTorch 1.13 checks it
// (the `packs` of test/oracle/product-errors.json: random inputs, batch_first either way, lengths of random count).
import { strict as assert } from 'node:assert';
import { intDim } from '../../../src/analysis/shapes/dim';
import { lengthsClash } from '../../../src/analysis/rules/torch/sl126-packed-lengths-batch-mismatch';
import { codes, productErrorCases, run } from './helpers';

interface PackCase {
  x: number[];
  count: number;
  batch_first: boolean;
  enforce_sorted: boolean;
  raises?: string;
  packed_batch?: number;
}

const packs = productErrorCases<PackCase>('packs');

describe('SL126 packed-lengths-batch-mismatch', () => {
  it(`reports the packs PyTorch refused as errors, and the silent partial packs as warnings (${packs.length} cases)`, () => {
    assert.ok(packs.filter((c) => c.raises).length >= 50);
    assert.ok(packs.filter((c) => !c.raises && c.packed_batch !== c.x[c.batch_first ? 0 : 1]).length >= 10);
    for (const c of packs) {
      const out = lengthsClash(c.x.map((n) => intDim(n)), c.count, c.batch_first, c.enforce_sorted);
      const what = `pack_padded_sequence(torch.randn(${c.x}), ${c.count} lengths, batch_first=${c.batch_first}, enforce_sorted=${c.enforce_sorted})`;
      if (c.raises) {
        assert.ok(out?.raises, `${what}: PyTorch raised ${c.raises}`);
        if (c.enforce_sorted) assert.equal(`RuntimeError: Expected \`len(lengths)\` to be equal to batch_size, but got ${c.count} (batch_size=${out.batch})`, c.raises, what);
        continue;
      }
      // PyTorch ran it: silent exactly when it packed fewer sequences than the axis it read holds.
      const axisSize = c.x[c.batch_first ? 0 : 1];
      assert.equal(c.packed_batch, c.count, what);
      if (c.count === axisSize) assert.equal(out, undefined, `${what}: the lengths fit`);
      else assert.deepEqual([out?.raises, out?.batch], [false, axisSize], `${what}: PyTorch packed ${c.count} of ${axisSize}`);
    }
  });

  it('reads batch_first by keyword or position and lengths as lists or 1-D tensors, and offers the flag when the other axis fits', async () => {
    const head = 'import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\nemb = torch.randn(4, 20, 100)\n';
    assert.deepEqual(await codes(`${head}p = pack_padded_sequence(emb, [20, 18, 10, 3])\n`), ['SL126']);
    assert.deepEqual(await codes(`${head}p = pack_padded_sequence(emb, torch.tensor([20, 18, 10, 3]), False)\n`), ['SL126']);
    assert.deepEqual(await codes(`${head}p = pack_padded_sequence(emb, [20, 18, 10, 3], batch_first=True)\n`), []);
    assert.deepEqual(await codes(`${head}p = pack_padded_sequence(emb, [20, 18, 10, 3], True)\n`), []);
    const result = await run(`${head}p = pack_padded_sequence(emb, [20, 18, 10, 3])\n`);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.title), ['Pass batch_first=True']);
    // enforce_sorted=False: 4 of the 20 time steps are packed as if they were the sequences, silently.
    const silent = await run(`${head}p = pack_padded_sequence(emb, [20, 18, 10, 3], enforce_sorted=False)\n`);
    assert.deepEqual(silent.findings.map((f) => [f.code, f.severity]), [['SL126', 'warning']]);
    assert.deepEqual(await codes(`${head}def f(flag):\n    return pack_padded_sequence(emb, [20, 18, 10, 3], enforce_sorted=flag)\n`), []);
    // Neither axis fits: no flag to offer, still PyTorch's error.
    const other = await run(`${head}p = pack_padded_sequence(emb, [3, 2, 1], batch_first=True)\n`);
    assert.deepEqual(other.findings.map((f) => [f.code, f.fixes.length]), [['SL126', 0]]);
  });

  it('stays silent where the count, the batch or the flag is not known', async () => {
    const head = 'import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\n';
    assert.deepEqual(await codes(`${head}def f(emb, lengths):\n    return pack_padded_sequence(emb, lengths)\n`), []);
    assert.deepEqual(await codes(`${head}def f(lengths):\n    return pack_padded_sequence(torch.randn(4, 20, 8), lengths)\n`), []);
    assert.deepEqual(await codes(`${head}def f(flag):\n    return pack_padded_sequence(torch.randn(4, 20, 8), [3, 2, 1, 1], batch_first=flag)\n`), []);
  });
});
