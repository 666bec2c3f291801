// SL119 on `x[idx] = value`: the value must expand to the region idx selects. PyTorch 1.13's answer on values of random
// shapes written into regions of random shapes (the `stores` of test/oracle/product-errors.json) is storeClash's golden.
import { strict as assert } from 'node:assert';
import { intDim, UNKNOWN_DIM } from '../../../src/analysis/shapes/dim';
import { storeClash, storeRankExcess } from '../../../src/analysis/rules/torch/store-broadcast';
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

// A value with more axes than its region, even once its leading 1s are dropped, cannot be expanded into it (PyTorch
// 1.13: `x = zeros(5, 12); x[0] = zeros(12, 1)` raises "expand(torch.FloatTensor{[12, 1]}, size=[12]): the number of
// sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)"; zeros(1, 1, 12) is written).
describe('SL119 on a value with more axes than the region it is written into', () => {
  const dims = (ns: (number | undefined)[]) => ns.map((n) => (n === undefined ? UNKNOWN_DIM : intDim(n)));
  it('drops the value\'s leading 1s, and any leading size that may be 1, before counting its axes', () => {
    const cases: [number[], (number | undefined)[], boolean][] = [
      [[12], [12, 1], true], [[12], [1, 12, 1], true], [[12], [1, 1, 12], false], [[12], [2, 12], true],
      [[2, 12], [1, 2, 12], false], [[2, 12], [3, 2, 12], true], [[], [1, 1], false], [[], [1, 2], true],
      [[12], [undefined, 12], false], [[12], [undefined, 12, 1], true],
    ];
    for (const [region, value, raises] of cases) {
      assert.equal(storeRankExcess(dims(region), dims(value)) !== undefined, raises, `region (${region}) value (${value})`);
    }
  });

  it('reports a (1, B, 1) stop token written into a (B,) row, on the assignment, and not its (B,) view', async () => {
    const program = (v: string) => `import torch\nstop_tokens = torch.zeros(25, 12)\nstop_token = torch.randn(1, 12, 1)\nfor t in range(25):\n    stop_tokens[t] = ${v}\n`;
    const bad = await run(program('stop_token'));
    assert.deepEqual(bad.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL119', 'error', 5]]);
    assert.match(bad.findings[0].message, /the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)/);
    assert.deepEqual(await codes(program('stop_token.view(12)')), []);
    assert.deepEqual(await codes(program('stop_token[0, :, 0]')), []);
  });

  it('names index_put_\'s message for a tensor index, and NumPy\'s for an array', async () => {
    const put = await run('import torch\nx = torch.zeros(5, 12)\nidx = torch.tensor([0, 1])\nx[idx] = torch.zeros(3, 2, 12)\n');
    assert.match(put.findings.map((f) => f.message).join('\n'), /shape mismatch: value tensor of shape \[3, 2, 12\] cannot be broadcast to indexing result of shape \[2, 12\]/);
    const arr = await run('import numpy as np\na = np.zeros((5, 12))\na[0] = np.zeros((1, 12, 1))\n');
    assert.match(arr.findings.map((f) => f.message).join('\n'), /could not broadcast input array from shape \(12,1\) into shape \(12,\)/);
  });
});
