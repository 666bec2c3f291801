// A view's -1 over a DataLoader's batch and known sizes keeps the batch as a symbol times the rows of each sample, and
// F.interpolate keeps batch and channels. A later view to the loader's batch_size then holds on every batch but the
// last one of a dataset batch_size does not divide: PyTorch 1.13 raises "shape '[16, 4, 8]' is invalid for input of
// size 352" there (SL122; test/fixtures/torch-reported/q22-world-models-25-*).
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const loader = (rows: number, extra: string, view: string) => `import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(${rows}, 4, 8))
loader = DataLoader(data, batch_size=16${extra})
for (x,) in loader:
    rows = x.view(-1, 8)
    back = rows.view(${view})
`;

describe('a view of a DataLoader batch whose last batch is smaller', () => {
  it('gives the -1 as the batch times the rows of each sample', async () => {
    assert.equal(await shapeOf(loader(27, '', '16, 4, 8'), 'rows'), '(batch*4, 8)');
    assert.equal(await shapeOf(loader(27, '', '-1, 4, 8'), 'back'), '(B, 4, 8)');
  });

  it('reports a view to batch_size rows on the last batch (SL122)', async () => {
    const result = await run(loader(27, '', '16, 4, 8'));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL122@8']);
    assert.match(result.findings[0].message, /splits 27 samples into batches of 16 without drop_last, so its last batch holds 11/);
    assert.match(result.findings[0].message, /"shape '\[16, 4, 8\]' is invalid for input of size 352"/);
  });

  it('stays silent with drop_last=True, a length batch_size divides, a -1, and a -1 the last batch still fills', async () => {
    assert.deepEqual(await codes(loader(27, ', drop_last=True', '16, 4, 8')), []);
    assert.deepEqual(await codes(loader(32, '', '16, 4, 8')), []);
    assert.deepEqual(await codes(loader(27, '', '-1, 4, 8')), []);
    // 11 samples of 32 values are 352 = 22 rows of 16: PyTorch views it without raising.
    assert.deepEqual(await codes(loader(27, '', '16, -1')), []);
  });
});

describe('a view -1 over one symbolic axis', () => {
  it('is the symbol times what the known sizes leave, or the symbol itself, whatever the last batch', async () => {
    assert.equal(await shapeOf(loader(32, '', '16, 4, 8'), 'rows'), '(batch*4, 8)');
    assert.equal(await shapeOf(loader(32, '', '-1, 32'), 'back'), '(B, 32)');
  });

  it('stays unknown when the known sizes do not divide what each sample holds', async () => {
    assert.equal(await shapeOf(loader(32, '', '-1, 3'), 'back'), '(?, 3)');
  });
});

describe('F.interpolate and F.upsample', () => {
  const program = (call: string) => `import torch
import torch.nn.functional as F

x = torch.randn(2, 3, 7, 5)
y = ${call}
`;

  it('keep batch and channels and give each spatial axis its size or floor(length * scale)', async () => {
    assert.equal(await shapeOf(program("F.interpolate(x, size=4, mode='bilinear', align_corners=False)"), 'y'), '(2, 3, 4, 4)');
    assert.equal(await shapeOf(program('F.interpolate(x, (3, 8))'), 'y'), '(2, 3, 3, 8)');
    assert.equal(await shapeOf(program('F.interpolate(x, scale_factor=1.5)'), 'y'), '(2, 3, 10, 7)');
    assert.equal(await shapeOf(program('F.upsample(x, None, 2)'), 'y'), '(2, 3, 14, 10)');
  });
});
