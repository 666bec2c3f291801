// SL147: torch.gather's index against its input. The golden is the `gathers` of test/oracle/product-errors.json
// (test/oracle/product_errors.py: torch.gather on random shapes in PyTorch 1.13); test/fixtures/torch/SL147_* and the
// reported practical-pytorch-45 hold whole programs.
import { strict as assert } from 'node:assert';
import { gatherClash } from '../../../src/analysis/rules/torch/sl147-gather-index-size';
import { intDim, UNKNOWN_DIM } from '../../../src/analysis/shapes/dim';
import { codes, productErrorCases, run } from './helpers';

interface GatherCase {
  x: number[];
  index: number[];
  dim: number;
  out?: number[];
  raises?: string;
}

const gathers = productErrorCases<GatherCase>('gathers');

describe('SL147 gather-index-size', () => {
  it(`reports exactly the gathers PyTorch refused, in its words, and none with a size hidden that it ran (${gathers.length} cases)`, () => {
    assert.ok(gathers.filter((c) => c.raises).length >= 25 && gathers.some((c) => !c.raises && c.index.includes(0)));
    for (const c of gathers) {
      const what = `torch.gather(randn${JSON.stringify(c.x)}, ${c.dim}, index${JSON.stringify(c.index)})`;
      const clash = gatherClash(c.x.map((n) => intDim(n)), c.index.map((n) => intDim(n)), c.dim);
      if (!c.raises) {
        assert.equal(clash, undefined, `${what}: PyTorch ran it, SL147 says ${JSON.stringify(clash)}`);
      } else if (c.raises.includes('same number of dimensions')) {
        assert.deepEqual(clash, { kind: 'rank' }, what);
      } else {
        const axis = Number(/at dimension (\d+)/.exec(c.raises)![1]);
        assert.deepEqual(clash, { kind: 'size', axis, exact: true }, what);
      }
      // With a size of the input hidden, a clash found is one PyTorch raised; with one of the index hidden, none.
      for (let i = 0; i < c.x.length; i++) {
        const hidden = gatherClash(c.x.map((n, k) => (k === i ? UNKNOWN_DIM : intDim(n))), c.index.map((n) => intDim(n)), c.dim);
        if (hidden) assert.ok(c.raises, `${what} with input axis ${i} unknown: SL147 says ${JSON.stringify(hidden)}`);
      }
      if (c.index.length) assert.equal(gatherClash(c.x.map((n) => intDim(n)), c.index.map((n, k) => (k === 0 ? UNKNOWN_DIM : intDim(n))), c.dim), undefined, what);
    }
  });

  it('reports a flattened target longer than the flattened logits, through torch.gather and .gather', async () => {
    const result = await run('logp = torch.randn(768, 50).log_softmax(dim=1)\ntarget = torch.zeros(128, 15, dtype=torch.long)\nl = -torch.gather(logp, dim=1, index=target.view(-1, 1))\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL147']);
    assert.match(result.findings[0].message, /"Size does not match at dimension 0 expected index \[1920, 1\] to be smaller than self \[768, 50\] apart from dimension 1"/);
    assert.deepEqual(await codes('x = torch.randn(4, 5)\ni = torch.zeros(4, dtype=torch.long)\ny = x.gather(1, i)\n'), ['SL147']);
  });

  it('stays silent on a fitting index, an empty one, and where the index is not known', async () => {
    assert.deepEqual(await codes('x = torch.randn(4, 5)\ni = torch.zeros(3, 9, dtype=torch.long)\ny = x.gather(1, i)\nz = torch.gather(x, 0, torch.zeros(0, 9, dtype=torch.long))\n'), []);
    assert.deepEqual(await codes('def f(x, i):\n    return x.gather(1, i)\n'), []);
    assert.deepEqual(await codes('x = torch.randn(4, 5)\ndef f(n):\n    return x.gather(1, torch.zeros(n, 1, dtype=torch.long))\n'), []);
  });
});
