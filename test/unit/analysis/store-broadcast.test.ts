// SL119 on `x[idx] = value`: the value must expand to the region idx selects. PyTorch 1.13's answer on values of random
// shapes written into regions of random shapes (the `stores` of test/oracle/product-errors.json) is storeClash's golden.
import { strict as assert } from 'node:assert';
import { intDim, UNKNOWN_DIM } from '../../../src/analysis/shapes/dim';
import { storeClash } from '../../../src/analysis/rules/torch/store-broadcast';
import { codes, productErrorCases, run } from './helpers';

interface StoreCase {
  region: number[];
  value: number[];
  ok?: boolean;
  raises?: string;
}

const stores = productErrorCases<StoreCase>('stores');

describe('SL119 broadcast-size-mismatch on a value written into a tensor region', () => {
  it(`reports exactly the stores PyTorch refused, with its numbers, and none with a size hidden (${stores.length} cases)`, () => {
    assert.ok(stores.filter((c) => c.raises).length >= 15);
    for (const c of stores) {
      const what = `x = zeros(${c.region}); x[...] = randn(${c.value})`;
      const clash = storeClash(c.region.map((n) => intDim(n)), c.value.map((n) => intDim(n)));
      if (c.raises) {
        assert.ok(clash, `${what}: PyTorch raised ${c.raises}`);
        assert.ok(c.raises.startsWith(`RuntimeError: The expanded size of the tensor (${c.region[clash.axis]}) must match the existing size (${c.value[c.value.length - (c.region.length - clash.axis)]}) at non-singleton dimension ${clash.axis}`), `${what}: ${c.raises}`);
      } else {
        assert.equal(clash, undefined, `${what}: PyTorch wrote it`);
      }
      // Any size not known: never a clash where PyTorch wrote the value.
      for (let i = 0; i < c.region.length; i++) {
        const hidden = c.region.map((n, j) => (j === i ? UNKNOWN_DIM : intDim(n)));
        if (!c.raises) assert.equal(storeClash(hidden, c.value.map((n) => intDim(n))), undefined, what);
      }
    }
  });

  it('reports the cos half of a sinusoidal table of odd width, on the assignment, and not the even width', async () => {
    const table = (d: number) => `import math\nimport torch\npe = torch.zeros(5000, ${d})\nposition = torch.arange(0, 5000, dtype=torch.float).unsqueeze(1)\ndiv_term = torch.exp(torch.arange(0, ${d}, 2).float() * (-math.log(10000.0) / ${d}))\npe[:, 0::2] = torch.sin(position * div_term)\npe[:, 1::2] = torch.cos(position * div_term)\n`;
    const odd = await run(table(7));
    assert.deepEqual(odd.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL119', 'error', 7]]);
    assert.match(odd.findings[0].message, /pe\[:, 1::2\] selects a \(5000, 3\) region, but the value written into it is \(5000, 4\)/);
    assert.match(odd.findings[0].message, /The expanded size of the tensor \(3\) must match the existing size \(4\) at non-singleton dimension 1/);
    assert.deepEqual(await codes(table(8)), []);
    assert.deepEqual(await codes(`${table(7).replace('torch.cos(position * div_term)', 'torch.cos(position * div_term)[:, :7 // 2]')}`), []);
    // Scalars, and values of unknown shape, are written without a check.
    assert.deepEqual(await codes('import torch\nx = torch.zeros(4, 3)\nx[:, 0] = 1.0\ndef f(v):\n    x[0] = v\n'), []);
  });
});
