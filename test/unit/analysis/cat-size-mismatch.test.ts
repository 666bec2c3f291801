// SL142 cat-size-mismatch: torch.cat/stack of tensors whose sizes differ off the joined axis. PyTorch 1.13's answer on
// tensors of random shapes (the `cats` of test/oracle/product-errors.json) is catClash's golden; x.expand_as(y) (SL119,
// the same check as a store) is checked against the `expands` there, x.expand(*sizes) (SL119 and SL118's expandClash)
// against the `expand_sizes`, and joins of tensors of mixed ranks against the `cat_ranks`.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { intDim, UNKNOWN_DIM } from '../../../src/analysis/shapes/dim';
import { normaliseAxis } from '../../../src/analysis/shapes/shape';
import { catClash } from '../../../src/analysis/rules/torch/sl142-cat-size-mismatch';
import { storeClash } from '../../../src/analysis/rules/torch/store-broadcast';
import { expandClash } from '../../../src/analysis/rules/torch/expand-broadcast';
import { codes, run } from './helpers';

interface CatCase {
  op: 'cat' | 'stack';
  shapes: number[][];
  dim: number;
  ok?: boolean;
  raises?: string;
}

interface ExpandCase {
  target: number[];
  source: number[];
  ok?: boolean;
  raises?: string;
}

interface ExpandSizesCase {
  source: number[];
  sizes: number[];
  ok?: boolean;
  raises?: string;
}

const golden: { cats: CatCase[]; expands: ExpandCase[]; expand_sizes: ExpandSizesCase[]; cat_ranks: CatCase[] } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'oracle', 'product-errors.json'), 'utf8'));

describe('SL142 cat-size-mismatch', () => {
  it(`reports the joins PyTorch refused, with its numbers, and none it accepted or with a size hidden (${golden.cats.length} cases)`, () => {
    assert.ok(golden.cats.filter((c) => c.raises).length >= 30);
    let reported = 0;
    for (const c of golden.cats) {
      const stack = c.op === 'stack';
      const what = `torch.${c.op}(${JSON.stringify(c.shapes)}, dim=${c.dim})`;
      const kept = c.shapes.filter((s) => stack || !(s.length === 1 && s[0] === 0));
      const rank = kept[0]?.length ?? 0;
      const axis = normaliseAxis(c.dim, stack ? rank + 1 : rank);
      const clash = axis === undefined ? undefined : catClash(c.shapes.map((s) => s.map((n) => intDim(n))), axis, stack);
      if (clash) {
        reported++;
        assert.ok(c.raises, `${what}: PyTorch joined them`);
        if (stack) {
          assert.ok(c.raises.startsWith(`RuntimeError: stack expects each tensor to be equal size, but got [${c.shapes[0].join(', ')}] at entry 0 and [${c.shapes[clash.index].join(', ')}] at entry ${clash.index}`), `${what}: ${c.raises}`);
        } else {
          assert.equal(c.raises, `RuntimeError: Sizes of tensors must match except in dimension ${axis}. Expected size ${c.shapes.find((s) => !(s.length === 1 && s[0] === 0))![clash.axis]} but got size ${c.shapes[clash.index][clash.axis]} for tensor number ${clash.index} in the list.`, what);
        }
      } else if (c.raises && axis !== undefined && kept.every((s) => s.length === rank)) {
        assert.fail(`${what}: PyTorch raised ${c.raises}`);
      }
      // Any size not known: never a clash where PyTorch joined them.
      for (let t = 0; t < c.shapes.length; t++) {
        for (let i = 0; i < c.shapes[t].length; i++) {
          const hidden = c.shapes.map((s, u) => s.map((n, j) => (u === t && j === i ? UNKNOWN_DIM : intDim(n))));
          if (!c.raises && axis !== undefined) assert.equal(catClash(hidden, axis, stack), undefined, what);
        }
      }
    }
    assert.ok(reported >= 30);
  });

  it('reports the two halves of a one-layer state joined on the features, and not the two directions of a bidirectional one', async () => {
    const source = (bidirectional: string) => `import torch\nimport torch.nn as nn\nlstm = nn.LSTM(24, 8, num_layers=1, batch_first=True${bidirectional})\nout, hidden = lstm(torch.randn(4, 1, 24))\nh = torch.cat([hidden[0][0:1], hidden[0][1:]], dim=2)\n`;
    const bug = await run(source(''));
    assert.deepEqual(bug.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL142', 'error', 5]]);
    assert.match(bug.findings[0].message, /Sizes of tensors must match except in dimension 2\. Expected size 1 but got size 0 for tensor number 1 in the list\./);
    assert.deepEqual(await codes(source(', bidirectional=True')), []);
  });

  it('reports torch.stack of different shapes, skips empty 1-D tensors for cat, and leaves lists of unknown length alone', async () => {
    assert.deepEqual(await codes('import torch\ntorch.stack([torch.zeros(3, 4), torch.zeros(3, 5)])\n'), ['SL142']);
    assert.deepEqual(await codes('import torch\ntorch.cat([torch.zeros(0), torch.zeros(3, 5)], dim=1)\n'), []);
    assert.deepEqual(await codes('import torch\ntorch.cat((torch.zeros(3, 4), torch.zeros(3, 5)), dim=1)\n'), []);
    assert.deepEqual(await codes('import torch\ndef f(xs):\n    return torch.cat([x for x in xs] + [torch.zeros(3, 5)], dim=1)\n'), []);
    assert.deepEqual(await codes('import torch\ndef f(n, m):\n    return torch.cat([torch.zeros(n, 4), torch.zeros(m, 5)], dim=1)\n'), []);
  });
});

describe('SL119 broadcast-size-mismatch on x.expand_as(y)', () => {
  it(`agrees with PyTorch on every expand_as of random shapes, and none with a size hidden (${golden.expands.length} cases)`, () => {
    assert.ok(golden.expands.filter((c) => c.raises).length >= 15);
    for (const c of golden.expands) {
      const what = `randn(${c.source}).expand_as(randn(${c.target}))`;
      const clash = storeClash(c.target.map((n) => intDim(n)), c.source.map((n) => intDim(n)));
      if (c.raises) {
        assert.ok(clash, `${what}: PyTorch raised ${c.raises}`);
        assert.ok(c.raises.startsWith(`RuntimeError: The expanded size of the tensor (${c.target[clash.axis]}) must match the existing size (${c.source[c.source.length - (c.target.length - clash.axis)]}) at non-singleton dimension ${clash.axis}`), `${what}: ${c.raises}`);
      } else {
        assert.equal(clash, undefined, `${what}: PyTorch expanded it`);
      }
    }
  });

  it('reports a mean taken without keepdim expanded back to its input, and not with keepdim', async () => {
    const source = (keep: string) => `import torch\nz = torch.randn(230, 32, 512)\nmu = torch.mean(z, ${keep}dim=-1)\nout = z - mu.expand_as(z)\n`;
    const bug = await run(source(''));
    assert.deepEqual(bug.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL119', 'error', 4]]);
    assert.match(bug.findings[0].message, /The expanded size of the tensor \(512\) must match the existing size \(32\) at non-singleton dimension 2/);
    assert.deepEqual(await codes(source('keepdim=True, ')), []);
  });
});

describe('SL142 on joins of mixed ranks, and SL119/SL118 on x.expand(*sizes)', () => {
  it(`names the tensor PyTorch names when ranks differ, with its message, and nothing it joined (${golden.cat_ranks.length} cases)`, () => {
    assert.ok(golden.cat_ranks.filter((c) => c.raises?.includes('same number of dimensions')).length >= 5);
    for (const c of golden.cat_ranks) {
      const stack = c.op === 'stack';
      const what = `torch.${c.op}(${JSON.stringify(c.shapes)}, dim=${c.dim})`;
      const first = c.shapes.find((s) => stack || !(s.length === 1 && s[0] === 0));
      const axis = first && normaliseAxis(c.dim, stack ? first.length + 1 : first.length);
      // An axis outside the first tensor is SL123's; PyTorch then raises on the axis.
      if (axis === undefined) continue;
      const clash = catClash(c.shapes.map((s) => s.map((n) => intDim(n))), axis, stack);
      if (!c.raises) {
        assert.equal(clash, undefined, `${what}: PyTorch joined them`);
        continue;
      }
      assert.ok(clash, `${what}: PyTorch raised ${c.raises}`);
      if (stack) assert.ok(c.raises.startsWith(`RuntimeError: stack expects each tensor to be equal size, but got [${first!.join(', ')}] at entry 0 and [${c.shapes[clash.index].join(', ')}] at entry ${clash.index}`), `${what}: ${c.raises}`);
      else if (clash.ranks) assert.equal(c.raises, `RuntimeError: Tensors must have same number of dimensions: got ${clash.ranks.expected} and ${clash.ranks.got}`, what);
      else assert.ok(c.raises.startsWith(`RuntimeError: Sizes of tensors must match except in dimension ${axis}. Expected size ${first![clash.axis]} but got size ${c.shapes[clash.index][clash.axis]} for tensor number ${clash.index}`), `${what}: ${c.raises}`);
    }
  });

  it(`agrees with PyTorch on every x.expand(*sizes), with its message, and none with a size hidden (${golden.expand_sizes.length} cases)`, () => {
    assert.ok(golden.expand_sizes.filter((c) => c.raises).length >= 25);
    for (const c of golden.expand_sizes) {
      const what = `randn(${c.source}).expand(${c.sizes})`;
      const clash = expandClash(c.source.map((n) => intDim(n)), c.sizes.map((n) => intDim(n)));
      if (!c.raises) {
        assert.equal(clash, undefined, `${what}: PyTorch expanded it`);
        continue;
      }
      assert.ok(clash, `${what}: PyTorch raised ${c.raises}`);
      const message =
        clash.kind === 'fewer'
          ? `the number of sizes provided (${clash.provided}) must be greater or equal to the number of dimensions in the tensor (${clash.rank})`
          : clash.kind === 'size'
            ? `The expanded size of the tensor (${clash.target}) must match the existing size (${clash.existing}) at non-singleton dimension ${clash.axis}`
            : `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${clash.axis}`;
      assert.ok(c.raises.includes(message), `${what}: ${c.raises} (said: ${message})`);
      // With any existing size hidden, a size clash is not claimed.
      if (clash.kind === 'size') {
        const at = c.source.length - (c.sizes.length - clash.axis);
        const hidden = c.source.map((n, k) => (k === at ? UNKNOWN_DIM : intDim(n)));
        const again = expandClash(hidden, c.sizes.map((n) => intDim(n)));
        assert.ok(again?.kind !== 'size' || again.axis !== clash.axis, what);
      }
    }
  });

  it('reports both through the rules, and leaves unknown sizes alone', async () => {
    assert.deepEqual(await codes('import torch\nx = torch.randn(3, 1)\ny = x.expand(4, 5)\n'), ['SL119']);
    assert.deepEqual(await codes('import torch\nx = torch.randn(3, 1)\ny = x.expand(2, -1, 4)\nz = x.expand(3, 7)\n'), []);
    assert.deepEqual(await codes('import torch\nx = torch.randn(3, 1)\ny = x.expand(-1, 3, 4)\n'), ['SL119']);
    assert.deepEqual(await codes('import torch\nx = torch.randn(3, 1)\ny = x.expand(3)\n'), ['SL118']);
    assert.deepEqual(await codes('import torch\ndef f(x, n):\n    return x.expand(n, 5)\nf(torch.randn(3, 1), 3)\n'), []);
    assert.deepEqual(await codes('import torch\ntorch.cat([torch.zeros(2, 3), torch.zeros(2, 3, 4)])\n'), ['SL142']);
    assert.deepEqual(await codes('import torch\ntorch.cat([torch.zeros(0), torch.zeros(2, 3)])\n'), []);
    assert.deepEqual(await codes('import torch\ndef f(n):\n    return torch.cat([torch.zeros(n), torch.zeros(2, 3)])\nf(int(input()))\n'), []);
  });
});
