// An axis the analysis cannot read (an int from a tensor's item, a value not followed): index_select keeps the input's
// rank whichever axis it picks along; squeeze(d) keeps it when no axis can be a 1 and drops one when every axis is a 1.
// Anything else (an axis that may or may not be a 1) stays unknown: the rank is never guessed.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const HEAD = 'import json\nimport torch\nd = int(torch.randint(0, 2, (1,)).item())\ns = json.load(open("s.json"))\n';

describe('an axis not known', () => {
  for (const [expr, shape] of [
    ['torch.randn(5, 3, 4).index_select(d, torch.tensor([0, 1]))', '(?, ?, ?)'],
    ['torch.index_select(torch.randn(5, 3), d, torch.tensor([0]))', '(?, ?)'],
    ['torch.index_select(torch.randn(5, 3), s, torch.tensor([0]))', '(?, ?)'],
    ['torch.randn(5, 3, 4).squeeze(d)', '(5, 3, 4)'],
    ['torch.squeeze(torch.randn(2, 3), d)', '(2, 3)'],
    ['torch.randn(1, 1, 1).squeeze(d)', '(1, 1)'],
    ['torch.randn(1, 1).squeeze(dim=s)', '(1,)'],
  ] as const) {
    it(`${expr} → ${shape}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = ${expr}\n`, 'y'), shape);
    });
  }

  for (const [expr, why] of [
    ['torch.randn(5, 1, 4).squeeze(d)', 'one axis is a 1 and the others are not: rank 3 or 2'],
    ['torch.randn(5, int(s), 4).squeeze(d)', 'an axis of a size not known may be a 1'],
    ['torch.randn(5, int(s), 4).squeeze()', 'squeeze() with a size not known'],
  ] as const) {
    it(`leaves the rank unknown: ${why} (${expr})`, async () => {
      const shape = await shapeOf(`${HEAD}y = ${expr}\n`, 'y');
      assert.ok(shape === undefined || shape.startsWith('(…'), `got ${shape}`);
    });
  }
});

// torch.diag (PyTorch 1.13): a vector becomes a square matrix, a matrix gives a vector; an offset not known leaves the
// sizes unknown but never the rank, and any other rank raises.
describe('torch.diag', () => {
  for (const [expr, shape] of [
    ['torch.diag(torch.randn(3))', '(3, 3)'],
    ['torch.diag(torch.randn(3), -2)', '(5, 5)'],
    ['torch.randn(3).diag(diagonal=1)', '(4, 4)'],
    ['torch.diag(torch.randn(3), d)', '(?, ?)'],
    ['torch.diag(torch.randn(3, 5))', '(3,)'],
    ['torch.diag(torch.randn(3, 5), 3)', '(2,)'],
    ['torch.randn(3, 5).diag(-1)', '(2,)'],
    ['torch.diag(torch.randn(3, 5), d)', '(?,)'],
  ] as const) {
    it(`${expr} → ${shape}`, async () => {
      assert.equal(await shapeOf(`${HEAD}y = ${expr}\n`, 'y'), shape);
    });
  }

  for (const expr of ['torch.diag(torch.randn(2, 2, 2))', 'torch.diag(torch.randn(3, 5), 6)', 'torch.diag(torch.randn(3, 5), -4)']) {
    it(`gives no shape where PyTorch raises: ${expr}`, async () => {
      const shape = await shapeOf(`${HEAD}y = ${expr}\n`, 'y');
      assert.ok(shape === undefined || shape.startsWith('(…'), `got ${shape}`);
    });
  }
});
