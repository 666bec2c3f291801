// SL125's integer indices against what PyTorch 1.13 did with the same index (the `indices` of
// test/oracle/product-errors.json, written by test/oracle/product_errors.py: ints, slices, None and ... on random shapes).
import { strict as assert } from 'node:assert';
import { UNKNOWN_DIM, intDim } from '../../../src/analysis/shapes/dim';
import { shapeOf } from '../../../src/analysis/shapes/shape';
import type { TensorValue } from '../../../src/analysis/values/value';
import { IndexItem, indexOutOfBounds } from '../../../src/analysis/ops/indexing';
import { codes, productErrorCases } from './helpers';

interface IndexCase {
  x: number[];
  index: (number | string | null)[];
  raises?: string;
}

const indices = productErrorCases<IndexCase>('indices');

function itemsOf(c: IndexCase): IndexItem[] {
  return c.index.map((i): IndexItem => (i === null ? { kind: 'newaxis' } : i === '...' ? { kind: 'ellipsis' } : i === ':' ? { kind: 'slice', full: true } : { kind: 'int', value: i as number }));
}

function tensor(dims: ReturnType<typeof intDim>[]): TensorValue {
  return { kind: 'tensor', dtype: 'float', shape: shapeOf(dims) } as TensorValue;
}

const PAST = /^IndexError: index (-?\d+) is out of bounds for dimension \d+ with size (\d+)$/;

describe('SL125 index-out-of-bounds: integer indices against PyTorch', () => {
  it(`reports exactly the indices PyTorch found out of bounds, with its index and size (${indices.length} cases)`, () => {
    const past = indices.filter((c) => c.raises && PAST.test(c.raises));
    assert.ok(past.length >= 80, `only ${past.length} cases out of bounds`);
    for (const c of indices) {
      const out = indexOutOfBounds(tensor(c.x.map((n) => intDim(n))), itemsOf(c));
      const what = `torch.randn(${c.x})[${c.index.map(String).join(', ')}]`;
      const m = c.raises ? PAST.exec(c.raises) : null;
      if (!m) {
        // PyTorch ran it, or refused it for too many indices (SL123's).
        assert.equal(out, undefined, `${what}: ${c.raises ?? 'PyTorch ran it'}, SL125 says index ${out?.index}`);
        continue;
      }
      assert.ok(out, `${what}: PyTorch raised ${c.raises}, SL125 found nothing`);
      assert.deepEqual([out.index, out.size], [Number(m[1]), Number(m[2])], what);
    }
  });

  it('with one size hidden, reports only what PyTorch refused, and never on the hidden axis', () => {
    let reported = 0;
    for (const c of indices) {
      for (let hide = 0; hide < c.x.length; hide++) {
        const dims = c.x.map((n, k) => (k === hide ? UNKNOWN_DIM : intDim(n)));
        const out = indexOutOfBounds(tensor(dims), itemsOf(c));
        if (!out) continue;
        reported++;
        assert.ok(c.raises && PAST.test(c.raises), `torch.randn(${c.x})[${c.index.join(', ')}] ran in PyTorch`);
        assert.notEqual(out.axis, hide);
      }
    }
    assert.ok(reported > 50);
  });

  it('reads indices the interpreter evaluates, and stays silent where a size, the index or the axes are not known', async () => {
    assert.deepEqual(await codes('rnn = nn.GRU(8, 16)\nout, h = rnn(torch.randn(5, 3, 8))\nlast = torch.cat([h[-2], h[-1]], 1)\n'), ['SL125']);
    assert.deepEqual(await codes('rnn = nn.GRU(8, 16, bidirectional=True)\nout, h = rnn(torch.randn(5, 3, 8))\nlast = torch.cat([h[-2], h[-1]], 1)\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\nk = 7\ny = x[:, k]\n'), ['SL125']);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = x[None, :, 6]\nz = x[..., -7]\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\ny = x[..., 7]\n'), ['SL125']);
    // A mask takes axes the analysis does not count; a size not known is never checked.
    assert.deepEqual(await codes('x = torch.randn(4, 7, 3)\nm = x > 0\ny = x[m[..., 0], ..., 5]\n'), []);
    assert.deepEqual(await codes('def f(x):\n    return x[:, 100]\n'), []);
    // Each step of a loop the analysis runs step by step is checked: range(10) reaches 7, range(7) does not.
    assert.deepEqual(await codes('x = torch.randn(4, 7)\nfor i in range(10):\n    y = x[:, i]\n'), ['SL125']);
    assert.deepEqual(await codes('x = torch.randn(4, 7)\nfor i in range(7):\n    y = x[:, i]\n'), []);
    assert.deepEqual(await codes('def f(x, n):\n    for i in range(n):\n        y = x[:, i]\nf(torch.randn(4, 7), 3)\n'), []);
  });
});
