// SL121 on torch.einsum: one subscript naming axes of two sizes that do not broadcast. The golden is the `einsums` of
// test/oracle/product-errors.json (test/oracle/product_errors.py: torch.einsum on random sizes in PyTorch 1.13); the
// reported llms-from-scratch-857 holds a whole program.
import { strict as assert } from 'node:assert';
import { codes, productErrorCases, run, shapeOf } from './helpers';

interface EinsumCase {
  equation: string;
  shapes: number[][];
  shape?: number[];
  raises?: string;
}

const einsums = productErrorCases<EinsumCase>('einsums');
const program = (c: EinsumCase, hide?: [number, number]) =>
  `y = torch.einsum('${c.equation}', ${c.shapes.map((s, k) => `torch.randn(${s.map((n, i) => (hide && hide[0] === k && hide[1] === i ? 'int(input())' : String(n))).join(', ')})`).join(', ')})\n`;

describe('SL121 on torch.einsum', () => {
  it(`reports exactly the einsums PyTorch refused, in its words (${einsums.length} cases)`, async () => {
    assert.ok(einsums.filter((c) => c.raises).length >= 25 && einsums.filter((c) => !c.raises && c.shapes.flat().includes(1)).length >= 10);
    for (const c of einsums) {
      const result = await run(program(c));
      const found = result.findings.filter((f) => f.code === 'SL121');
      if (c.raises) {
        assert.equal(found.length, 1, `${program(c)}: PyTorch raised ${c.raises}`);
        assert.ok(found[0].message.includes(c.raises.replace('RuntimeError: ', '')), `${found[0].message} against ${c.raises}`);
      } else {
        assert.deepEqual(found, [], `${program(c)}: PyTorch ran it`);
        assert.equal(await shapeOf(program(c), 'y'), `(${c.shape!.join(', ')}${c.shape!.length === 1 ? ',' : ''})`);
      }
    }
  });

  it('with one size hidden, a clash found is one PyTorch raised', async () => {
    for (const c of einsums.slice(0, 60)) {
      for (let k = 0; k < c.shapes.length; k++) {
        for (let i = 0; i < c.shapes[k].length; i++) {
          if ((await codes(program(c, [k, i]))).includes('SL121')) assert.ok(c.raises, `${program(c, [k, i])}: PyTorch ran it`);
        }
      }
    }
  });

  it('gives no shape where PyTorch raises, and judges neither an ellipsis nor a repeated subscript', async () => {
    assert.equal(await shapeOf("x = torch.randn(2, 5, 768)\nw = torch.randn(1536, 768)\ny = torch.einsum('bnd,di->bni', x, w)\n", 'y'), undefined);
    assert.deepEqual(await codes("x = torch.randn(2, 5, 768)\nw = torch.randn(1536, 768)\ny = torch.einsum('bnd,od->bno', [x, w])\n"), []);
    assert.deepEqual(await codes("x = torch.randn(2, 3, 4)\nw = torch.randn(5, 4)\ny = torch.einsum('...d,...d->...', x, w)\n"), []);
    assert.deepEqual(await codes("x = torch.randn(3, 3)\ny = torch.einsum('ii,ij->j', x, torch.randn(3, 2))\n"), []);
    assert.deepEqual(await codes('def f(x, w):\n    return torch.einsum("bnd,di->bni", x, w)\n'), []);
  });
});
