// A view's -1 that merged the batch with other axes gives rows B*k (a symbol that is the batch times a known number).
// Viewed back with the batch read by size(0) and other sizes, B cancels: the -1 is what is left, and a size that leaves
// a remainder for every batch is a clash PyTorch 1.13 raises on ("shape '[32, 256, -1]' is invalid for input of size
// 158400"; test/fixtures/torch-reported/q53-bilstm-ner-27-*).
import { strict as assert } from 'node:assert';
import { Dim, intDim, symDim } from '../../../src/analysis/shapes/dim';
import { viewSizeClash } from '../../../src/analysis/rules/torch/sl122-view-size-mismatch';
import { codes, productErrorCases, run, shapeOf } from './helpers';

interface ViewCase {
  x: number[];
  sizes: number[];
  shape?: number[];
  raises?: string;
}

const B = symDim('B');
const merged = (by: number): Dim => symDim(`B*${by}`, { scaled: { base: B, by } });

describe('SL122 with the batch merged into a row axis', () => {
  it('gives PyTorch\'s answer when the input\'s first two axes are one B*k axis and the batch is named in the sizes', () => {
    let tried = 0;
    for (const c of productErrorCases<ViewCase>('views')) {
      if (c.x.length < 2) continue;
      const j = c.sizes.indexOf(c.x[0]);
      if (j < 0) continue;
      tried++;
      // The same element count: B x[1] rows of the rest, B being x[0] whatever its value.
      const x: Dim[] = [merged(c.x[1]), ...c.x.slice(2).map((v) => intDim(v))];
      const sizes: Dim[] = c.sizes.map((v, k) => (k === j ? B : intDim(v)));
      assert.equal(viewSizeClash(x, sizes) !== undefined, c.raises !== undefined, `${JSON.stringify(c.x)}.view(${c.sizes}) merged`);
    }
    assert.ok(tried > 20, `only ${tried} cases`);
  });

  it('decides nothing when the batch is not named on the other side', () => {
    assert.equal(viewSizeClash([merged(150), intDim(33)], [intDim(32), intDim(256), intDim(-1)]), undefined);
    assert.equal(viewSizeClash([merged(150), intDim(33)], [symDim('T'), intDim(256), intDim(-1)]), undefined);
  });
});

const program = (view: string) => `import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(64, 150, 8)), batch_size=32)
proj = torch.nn.Linear(8, 33)
for (x,) in loader:
    batch_size = x.size(0)
    rows = proj(x.contiguous().view(-1, 8))
    back = rows.view(${view})
`;

describe('a view back from merged rows with the batch read by size(0)', () => {
  it('gives the -1 the count the batch leaves', async () => {
    assert.equal(await shapeOf(program('batch_size, 150, -1'), 'rows'), '(batch*150, 33)');
    assert.equal(await shapeOf(program('batch_size, 150, -1'), 'back'), '(B, 150, 33)');
    assert.equal(await shapeOf(program('batch_size, -1, 33'), 'back'), '(B, 150, 33)');
  });

  it('reports a length that leaves a remainder for every batch (SL122), and nothing when it divides', async () => {
    const result = await run(program('batch_size, 256, -1'));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL122@9']);
    assert.match(result.findings[0].message, /4950 elements per B do not divide into rows of 256/);
    assert.deepEqual(await codes(program('batch_size, 75, -1')), []);
    assert.equal(await shapeOf(program('batch_size, 75, -1'), 'back'), '(B, 75, 66)');
  });
});
