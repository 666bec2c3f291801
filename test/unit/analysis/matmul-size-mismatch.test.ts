// SL121's reading of a matrix product against what PyTorch 1.13 did with the same operands
// (test/oracle/product-errors.json, written by test/oracle/product_errors.py on random shapes, valid or not).
import { strict as assert } from 'node:assert';
import { Dim, intDim, symDim } from '../../../src/analysis/shapes/dim';
import type { TensorValue } from '../../../src/analysis/values/value';
import { Product, productMismatch } from '../../../src/analysis/rules/torch/sl121-matmul-size-mismatch';
import { productErrorCases } from './helpers';

interface Case {
  product: Product;
  a: number[];
  b: number[];
  shape?: number[];
  raises?: string;
}

const products = productErrorCases<Case>('cases');

function tensor(dims: Dim[], rankKnown = true): TensorValue {
  return { kind: 'tensor', dtype: 'float', shape: { dims, rankKnown } };
}

const known = (xs: number[]) => tensor(xs.map((x) => intDim(x)));

describe('SL121 matmul-size-mismatch: matrix products against PyTorch', () => {
  it(`reports exactly the products PyTorch refused, with its words where they are quoted (${products.length} cases)`, () => {
    assert.ok(products.length >= 200 && products.filter((c) => c.raises).length >= 80);
    for (const c of products) {
      const m = productMismatch(c.product, known(c.a), known(c.b));
      const what = `${c.product} ${JSON.stringify(c.a)} ${JSON.stringify(c.b)}`;
      if (!c.raises) {
        assert.equal(m, undefined, `${what}: PyTorch gave ${JSON.stringify(c.shape)}, SL121 says ${m?.what}`);
        continue;
      }
      assert.ok(m, `${what}: PyTorch raised ${c.raises}, SL121 found nothing`);
      if (m.raises !== 'RuntimeError') assert.ok(c.raises.replace(/^\w+: /, '').startsWith(m.raises), `${what}: quotes "${m.raises}", PyTorch said "${c.raises}"`);
    }
  });

  it('never reports a product whose operands were partly hidden and which PyTorch ran', () => {
    let hidden = 0;
    for (const c of products.filter((x) => !x.raises)) {
      const variants: [TensorValue, TensorValue][] = [];
      // The rank hidden (only trailing sizes known), one size turned into a symbol or an unknown.
      for (const [side, dims] of [[0, c.a], [1, c.b]] as const) {
        for (let keep = 0; keep <= dims.length; keep++) {
          const t = tensor(dims.slice(dims.length - keep).map((x) => intDim(x)), false);
          variants.push(side === 0 ? [t, known(c.b)] : [known(c.a), t]);
        }
        for (let i = 0; i < dims.length; i++) {
          for (const d of [symDim(`n${i}`), { kind: 'unknown' } as Dim]) {
            const t = tensor(dims.map((x, j) => (j === i ? d : intDim(x))));
            variants.push(side === 0 ? [t, known(c.b)] : [known(c.a), t]);
          }
        }
      }
      for (const [a, b] of variants) {
        hidden++;
        assert.equal(productMismatch(c.product, a, b), undefined, `${c.product} ${JSON.stringify(c.a)} ${JSON.stringify(c.b)} with an operand partly hidden`);
      }
    }
    assert.ok(hidden > 500);
  });

  it('still finds a clash between known sizes when another size or the rank is unknown', () => {
    // (…, 64) @ (128, 1): the left operand's last axis always meets the right one's.
    assert.ok(productMismatch('matmul', tensor([intDim(64)], false), known([128, 1])));
    // bmm with an unknown batch: the inner sizes still clash.
    assert.ok(productMismatch('bmm', tensor([symDim('B'), intDim(7), intDim(32)]), tensor([symDim('B'), intDim(16), intDim(7)])));
    assert.equal(productMismatch('bmm', tensor([symDim('B'), intDim(7), intDim(32)]), tensor([symDim('B'), intDim(32), intDim(7)])), undefined);
  });
});

describe('SL121 on Tensor.dot and torch.dot', () => {
  it('reports two (1, H) rows given to dot, in PyTorch\'s words', async () => {
    const { run } = await import('./helpers');
    const found = (await run('h = torch.zeros(1, 8)\ne = torch.zeros(1, 8)\ns = h.dot(e)\n')).findings.filter((f) => f.code === 'SL121');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /1D tensors expected, but got 2D and 2D tensors/);
    const sized = (await run('s = torch.dot(torch.zeros(3), torch.zeros(4))\n')).findings.filter((f) => f.code === 'SL121');
    assert.match(sized[0]?.message ?? '', /inconsistent tensor size, expected tensor \[3\] and src \[4\]/);
  });

  it('accepts two vectors of one length, and operands it cannot follow', async () => {
    const { run } = await import('./helpers');
    const body = 'h = torch.zeros(1, 8)\ns = h.squeeze(0).dot(torch.zeros(8))\ndef f(a, b):\n    return a.dot(b)\nt = f(torch.zeros(8), torch.zeros(8))\n';
    assert.deepEqual((await run(body)).findings.filter((f) => f.code === 'SL121'), []);
  });
});
