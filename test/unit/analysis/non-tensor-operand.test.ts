// An element-wise operation between a tensor and a value the analysis could not follow: that value may itself be a
// tensor, so the result keeps only what broadcasting cannot change (the tensor's sizes other than 1, as trailing axes
// of a rank not known), while a Python number, numpy's and math's functions of numbers included, leaves the tensor's
// shape as it is.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const UNSEEN = 'import torch\nimport torch.nn as nn\nimport json\nfeatures = json.load(open("f.json"))\n';

describe('element-wise operations with an operand not followed', () => {
  it('gives a 0-D scale times an unknown value no shape, so no product with it is refused (CLIP\'s logit_scale * image_features)', async () => {
    const body = `${UNSEEN}scale = nn.Parameter(torch.ones([])).exp()\nlogits = scale * features\nsim = logits @ torch.randn(8, 4)\n`;
    assert.equal(await shapeOf(body, 'logits'), undefined);
    assert.deepEqual(await codes(body), []);
  });

  it('keeps the sizes other than 1 as trailing axes of unknown rank (khanrc\'s x + self.bias.view(1, H, 1, 1))', async () => {
    assert.equal(await shapeOf(`${UNSEEN}bias = torch.zeros(4)\ny = features + bias.view(1, 4, 1, 1)\nz = y.reshape(4, 12, 3)\n`, 'y'), '(…, ?, 4, ?, ?)');
    assert.deepEqual(await codes(`${UNSEEN}bias = torch.zeros(4)\ny = features + bias.view(1, 4, 1, 1)\nz = y.reshape(4, 12, 3)\n`), []);
    assert.equal(await shapeOf('s = torch.ones([])\ny = s * 2.0\n', 'y'), '()');
  });

  it('computes the numbers a scale is made of: **, math and numpy functions of numbers, abs, max and min', async () => {
    const body = 'import torch\nimport math\nimport numpy as np\nd = 8\nx = torch.randn(2, 3)\na = x / math.sqrt(d)\nb = x * np.sqrt(d)\ne = x * d ** -0.5\ng = x * abs(-2.0)\nh = x * max(0.1, 2)\n';
    for (const name of ['a', 'b', 'e', 'g', 'h']) assert.equal(await shapeOf(body, name), '(2, 3)', name);
  });

  it('leaves the shape of a tensor times a Python number as it is', async () => {
    assert.equal(await shapeOf('x = torch.randn(5, 1)\ny = x * 0.5 + 2\n', 'y'), '(5, 1)');
    assert.equal(await shapeOf('x = torch.randn(5, 1)\nk = len([1, 2])\ny = k * x\n', 'y'), '(5, 1)');
  });
});
