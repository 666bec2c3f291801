// A loss's reduction is read one way for the nn.*Loss modules and the F.* loss functions (PyTorch 1.13 semantics,
// checked on the op_shapes.py families loss-module-* and functional-loss-*): the legacy size_average / reduce override
// `reduction` when not None, 'elementwise_mean' is a mean, 'batchmean' a scalar for KL divergence only, and what the
// file cannot read stays unknown.
import { strict as assert } from 'node:assert';
import { lossReduces, LossName } from '../../../src/analysis/ops/loss-reduction';
import type { Value } from '../../../src/analysis/values/value';
import { UNKNOWN } from '../../../src/analysis/values/value';
import { shapeOf } from './helpers';

const str = (value: string): Value => ({ kind: 'str', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });
const NONE: Value = { kind: 'none' };

function reads(loss: LossName, given: Record<string, Value>): boolean | undefined {
  return lossReduces(loss, (param) => given[param]);
}

describe('loss reduction: one reader for modules and functions', () => {
  it('reduction alone: mean, sum and the alias elementwise_mean reduce, none does not, the default reduces', () => {
    assert.equal(reads('mse_loss', {}), true);
    assert.equal(reads('mse_loss', { reduction: str('sum') }), true);
    assert.equal(reads('mse_loss', { reduction: str('elementwise_mean') }), true);
    assert.equal(reads('ctc_loss', { reduction: str('elementwise_mean') }), true);
    assert.equal(reads('cross_entropy', { reduction: str('none') }), false);
  });

  it("'batchmean' is a scalar for kl_div only (any other loss raises: unknown), and an unknown string stays unknown", () => {
    assert.equal(reads('kl_div', { reduction: str('batchmean') }), true);
    assert.equal(reads('mse_loss', { reduction: str('batchmean') }), undefined);
    assert.equal(reads('nll_loss', { reduction: str('batchmean') }), undefined);
    assert.equal(reads('mse_loss', { reduction: str('bogus') }), undefined);
    assert.equal(reads('mse_loss', { reduction: UNKNOWN }), undefined);
  });

  it('size_average or reduce, when not None, override reduction', () => {
    assert.equal(reads('mse_loss', { reduce: bool(true), reduction: str('none') }), true);
    assert.equal(reads('mse_loss', { size_average: bool(false), reduction: str('none') }), true);
    assert.equal(reads('mse_loss', { size_average: bool(true), reduce: bool(false), reduction: str('mean') }), false);
    assert.equal(reads('mse_loss', { size_average: { kind: 'int', value: 0 }, reduce: { kind: 'int', value: 0 } }), false);
    assert.equal(reads('mse_loss', { size_average: NONE, reduce: NONE, reduction: str('none') }), false);
  });

  it('huber_loss and ctc_loss take no legacy arguments: only reduction counts', () => {
    assert.equal(reads('huber_loss', { reduce: bool(true), reduction: str('none') }), false);
    assert.equal(reads('ctc_loss', { size_average: bool(false), reduction: str('none') }), false);
  });

  it('a legacy argument the file cannot read decides nothing unless both readings agree', () => {
    assert.equal(reads('mse_loss', { reduce: UNKNOWN, reduction: str('none') }), undefined);
    assert.equal(reads('mse_loss', { size_average: UNKNOWN, reduction: str('none') }), undefined);
    // size_average unknown: None gives 'mean' from reduction, anything else a mean or a sum.
    assert.equal(reads('mse_loss', { size_average: UNKNOWN, reduction: str('sum') }), true);
    assert.equal(reads('mse_loss', { reduce: UNKNOWN, size_average: bool(true) }), undefined);
  });
});

describe('loss modules and loss functions give the same output', () => {
  const X = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nx = torch.randn(4, 5, 7)\nt = torch.randint(0, 5, (4, 7))\n';
  const cases: [string, string | undefined][] = [
    ["reduction='none'", '(4, 7)'],
    ['reduce=False', '(4, 7)'],
    ["reduce=True, reduction='none'", '()'],
    ["size_average=False, reduction='none'", '()'],
    ["reduction='elementwise_mean'", '()'],
    ["reduction='batchmean'", undefined],
    ['reduction=MODE', undefined],
    ["reduce=FLAG, reduction='none'", undefined],
  ];
  for (const [given, want] of cases) {
    it(`CrossEntropyLoss(${given}) and F.cross_entropy(…, ${given}) give ${want ?? 'nothing known'}`, async () => {
      assert.equal(await shapeOf(`${X}y = nn.CrossEntropyLoss(${given})(x, t)\n`, 'y'), want);
      assert.equal(await shapeOf(`${X}y = F.cross_entropy(x, t, ${given})\n`, 'y'), want);
    });
  }

  it("NLLLoss(reduction='none') keeps the class-index target's shape when the scores' rank is not known", async () => {
    const src = "def f(scores):\n    t = torch.randint(0, 5, (4, 7))\n    y = nn.NLLLoss(reduction='none')(scores, t)\n    return y\n";
    assert.equal(await shapeOf(src, 'y'), '(4, 7)');
    const probabilities = "def f(scores):\n    t = torch.rand(4, 5).softmax(1)\n    y = nn.CrossEntropyLoss(reduction='none')(scores, t)\n    return y\n";
    assert.equal(await shapeOf(probabilities, 'y'), undefined);
  });

  it("CTCLoss and F.ctc_loss: one loss per batch entry with 'none', a scalar otherwise or unbatched", async () => {
    const src = [
      'import torch',
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'lp = torch.randn(50, 16, 20).log_softmax(2)',
      'tg = torch.randint(1, 20, (16, 30))',
      'il = torch.full((16,), 50, dtype=torch.long)',
      'tl = torch.full((16,), 30, dtype=torch.long)',
      "a = nn.CTCLoss(reduction='none')(lp, tg, il, tl)",
      "b = nn.CTCLoss(0, 'none')(log_probs=lp, targets=tg, input_lengths=il, target_lengths=tl)",
      'c = nn.CTCLoss()(lp, tg, il, tl)',
      "d = F.ctc_loss(lp, tg, il, tl, reduction='none')",
      "e = F.ctc_loss(lp[:, 0], tg[0], il[0], tl[0], 0, 'none')",
      "f = F.ctc_loss(lp, tg, il, tl, reduction='batchmean')",
      '',
    ].join('\n');
    assert.equal(await shapeOf(src, 'a'), '(16,)');
    assert.equal(await shapeOf(src, 'b'), '(16,)');
    assert.equal(await shapeOf(src, 'c'), '()');
    assert.equal(await shapeOf(src, 'd'), '(16,)');
    assert.equal(await shapeOf(src, 'e'), '()');
    assert.equal(await shapeOf(src, 'f'), undefined);
  });

  it('constructor arguments from **kwargs leave the module loss unknown', async () => {
    const src = "opts = {'reduction': 'none'}\ny = nn.MSELoss(**opts)(torch.randn(3, 4), torch.randn(3, 4))\n";
    assert.equal(await shapeOf(src, 'y'), undefined);
  });
});
