// SL122's reading of a view against what PyTorch 1.13 did with the same sizes (the `views` of
// test/oracle/product-errors.json, written by test/oracle/product_errors.py on random shapes, valid or not).
import { strict as assert } from 'node:assert';
import { Dim, intDim, symDim } from '../../../src/analysis/shapes/dim';
import { viewSizeClash } from '../../../src/analysis/rules/torch/sl122-view-size-mismatch';
import { productErrorCases } from './helpers';

interface ViewCase {
  x: number[];
  sizes: number[];
  shape?: number[];
  raises?: string;
}

const views = productErrorCases<ViewCase>('views');
const ints = (xs: number[]) => xs.map((x) => intDim(x));

describe('SL122 view-size-mismatch: views against PyTorch', () => {
  it(`reports exactly the views PyTorch refused, in its words (${views.length} cases)`, () => {
    assert.ok(views.length >= 100 && views.filter((c) => c.raises).length >= 40);
    for (const c of views) {
      const clash = viewSizeClash(ints(c.x), ints(c.sizes));
      const what = `${JSON.stringify(c.x)}.view(${c.sizes.join(', ')})`;
      if (!c.raises) {
        assert.equal(clash, undefined, `${what}: PyTorch gave ${JSON.stringify(c.shape)}, SL122 says ${clash?.what}`);
        continue;
      }
      assert.ok(clash, `${what}: PyTorch raised ${c.raises}, SL122 found nothing`);
      assert.equal(`RuntimeError: shape '${clash.requested}' is invalid for input of size ${clash.numel}`, c.raises);
    }
  });

  it('gives the same answer with a size both sides share named by one symbol, and none with a size hidden on one side', () => {
    let named = 0;
    for (const c of views) {
      for (let i = 0; i < c.x.length; i++) {
        const j = c.sizes.indexOf(c.x[i]);
        // The shared size as a symbol on both sides: PyTorch's answer holds for every value of it.
        if (j >= 0) {
          named++;
          const x: Dim[] = c.x.map((v, k) => (k === i ? symDim('B') : intDim(v)));
          const sizes: Dim[] = c.sizes.map((v, k) => (k === j ? symDim('B') : intDim(v)));
          assert.equal(viewSizeClash(x, sizes) !== undefined, c.raises !== undefined, `${JSON.stringify(c.x)}.view(${c.sizes}) with ${c.x[i]} named B`);
        }
        // Hidden on the input's side only: nothing can be decided.
        for (const d of [symDim('T'), { kind: 'unknown' } as Dim]) {
          assert.equal(viewSizeClash(c.x.map((v, k) => (k === i ? d : intDim(v))), ints(c.sizes)), undefined);
        }
      }
      for (let j = 0; j < c.sizes.length; j++) {
        if (c.sizes[j] === -1) continue;
        assert.equal(viewSizeClash(ints(c.x), c.sizes.map((v, k) => (k === j ? symDim('T') : intDim(v)))), undefined);
      }
    }
    assert.ok(named > 50);
  });
});
