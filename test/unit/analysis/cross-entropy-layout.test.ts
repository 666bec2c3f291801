// SL113 with the scores' middle axis unknown: PyTorch 1.13's cross_entropy of 3-D scores against 2-D class targets on
// random sizes (the `losses` of test/oracle/product-errors.json) is the golden of stepsClash.
import { strict as assert } from 'node:assert';
import { intDim, UNKNOWN_DIM } from '../../../src/analysis/shapes/dim';
import { stepsClash } from '../../../src/analysis/rules/torch/sl113-cross-entropy-sequence-layout';
import { codes, productErrorCases, run } from './helpers';

interface LossCase {
  x: number[];
  target: number[];
  ok?: boolean;
  raises?: string;
}

const losses = productErrorCases<LossCase>('losses');

describe('SL113 cross-entropy-sequence-layout with the steps of the scores unknown', () => {
  it(`reports, with the middle axis hidden, exactly the same-batch cases PyTorch refused for their target steps (${losses.length} cases)`, () => {
    let reported = 0;
    for (const c of losses) {
      const what = `cross_entropy(randn(${c.x}), randint(0, ${c.x[1]}, (${c.target})))`;
      const clash = stepsClash([intDim(c.x[0]), UNKNOWN_DIM, intDim(c.x[2])], c.target.map((n) => intDim(n)));
      if (clash) {
        reported++;
        assert.match(c.raises ?? '', /^RuntimeError: Expected target size/, `${what}: reported but PyTorch gave ${c.raises ?? 'a loss'}`);
      } else if (c.raises && c.x[0] === c.target[0]) {
        assert.fail(`${what}: PyTorch raised ${c.raises} for the target steps, not reported`);
      }
      // With the middle axis known too the question is the layout, not this check's.
      assert.equal(stepsClash(c.x.map((n) => intDim(n)), c.target.map((n) => intDim(n))), false, what);
    }
    assert.ok(reported >= 30, `only ${reported} clashes in the golden`);
  });

  it('reports padded decoder scores sized by max(lengths) against untrimmed caption targets, and stays silent on the packed ones', async () => {
    const head = 'import torch\nfrom torch import nn\nfrom torch.nn.utils.rnn import pack_padded_sequence\ncriterion = nn.CrossEntropyLoss()\ncaps = torch.randint(0, 9490, (32, 52))\nlengths = torch.randint(5, 18, (32,)).tolist()\nscores = torch.zeros(32, max(lengths), 9490)\ntargets = caps[:, 1:]\n';
    const result = await run(`${head}loss = criterion(scores, targets)\n`);
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]), [['SL113', 'error', 9]]);
    assert.match(result.findings[0].message, /want targets \(N, d1\) = \(32, 9490\), but the targets are \(32, 51\)/);
    assert.deepEqual(result.findings[0].fixes, []);
    assert.deepEqual(await codes(`${head}loss = criterion(pack_padded_sequence(scores, lengths, batch_first=True, enforce_sorted=False).data, pack_padded_sequence(targets, lengths, batch_first=True, enforce_sorted=False).data)\n`), []);
    // The steps unknown on both sides, or the last axis equal to the target steps: nothing certain.
    assert.deepEqual(await codes(`${head}loss = criterion(scores, caps[:, 1:max(lengths) + 1])\n`), []);
    assert.deepEqual(await codes(`${head}loss = criterion(torch.zeros(32, max(lengths), 51), targets)\n`), []);
  });
});
