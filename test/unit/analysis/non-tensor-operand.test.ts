// An element-wise operation between a tensor and a value the analysis could not follow: that value may itself be a
// tensor, so a 0-D tensor's shape says nothing about the result; a tensor with axes keeps its shape, as with a Python
// number (the usual case: a scale from a configuration or from a function not modelled).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const UNSEEN = 'import torch\nimport torch.nn as nn\nimport json\nfeatures = json.load(open("f.json"))\n';

describe('element-wise operations with an operand not followed', () => {
  it('gives a 0-D scale times an unknown value no shape, so no product with it is refused (CLIP\'s logit_scale * image_features)', async () => {
    const body = `${UNSEEN}scale = nn.Parameter(torch.ones([])).exp()\nlogits = scale * features\nsim = logits @ torch.randn(8, 4)\n`;
    assert.equal(await shapeOf(body, 'logits'), undefined);
    assert.deepEqual(await codes(body), []);
  });

  it('keeps the shape of a tensor with axes, and of a 0-D tensor times a number', async () => {
    assert.equal(await shapeOf(`${UNSEEN}x = torch.randn(5, 1)\ny = x * features["scale"]\n`, 'y'), '(5, 1)');
    assert.equal(await shapeOf('s = torch.ones([])\ny = s * 2.0\n', 'y'), '()');
  });

  it('leaves the shape of a tensor times a Python number as it is', async () => {
    assert.equal(await shapeOf('x = torch.randn(5, 1)\ny = x * 0.5 + 2\n', 'y'), '(5, 1)');
    assert.equal(await shapeOf('x = torch.randn(5, 1)\nk = len([1, 2])\ny = k * x\n', 'y'), '(5, 1)');
  });
});
