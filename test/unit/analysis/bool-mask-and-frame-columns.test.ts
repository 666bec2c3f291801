// A bool mask takes the axes it covers and leaves one axis, of as many entries as it holds True (a count the data
// decides); NumPy's factories read dtype=bool; a DataFrame built from a 2-D array has the array's shape whatever
// the column names. The shapes a table split into feature and target columns keeps, checked in PyTorch 1.13,
// NumPy 1.24 and pandas 1.5 (test/oracle/op_shapes.py: index-bool-mask, np-factory-dtype).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const SPLIT = `import torch
import torch.nn as nn
import numpy as np
import pandas as pd
cols = ['s%d' % i for i in range(81)] + ['target']
frame = pd.DataFrame(np.random.randn(500, 82), columns=cols)
table = frame.values
mask = np.ones(table.shape[1], dtype=bool)
mask[cols.index('target')] = False
feats = table[:, mask]
targs = table[:, ~mask]
`;

describe('bool masks and the columns of a frame', () => {
  it('leaves one axis of unknown length where a mask takes its axes, in NumPy and PyTorch', async () => {
    assert.equal(await shapeOf(`${SPLIT}`, 'feats'), '(500, ?)');
    assert.equal(await shapeOf(`${SPLIT}`, 'targs'), '(500, ?)');
    assert.equal(await shapeOf('t = torch.randn(4, 5, 6)\nm = torch.rand(4, 5) > 0.5\ny = t[m]\n', 'y'), '(?, 6)');
    assert.equal(await shapeOf('t = torch.randn(4, 5, 6)\ny = t[:, :, t[0, 0] > 0]\n', 'y'), '(4, 5, ?)');
  });

  it('does not model a mask beside an index tensor, nor check an integer index after a mask', async () => {
    const mixed = await shapeOf('t = torch.randn(4, 5, 6)\nm = torch.rand(4) > 0.5\ny = t[m, torch.tensor([0, 1])]\n', 'y');
    assert.ok(mixed === undefined || !/\d/.test(mixed.replace(/^\(…/, '')), `${mixed}`);
    assert.deepEqual(await codes('t = torch.randn(4, 5, 6)\nm = torch.rand(4, 5) > 0.5\ny = t[m, 5]\n'), []);
  });

  it('sizes what is built from the rows of the table, and reports a layer sized for the wrong count', async () => {
    const history = (axis: number) => `${SPLIT}history = np.zeros((128, 9, targs.shape[${axis}]))
fc = nn.Linear(64 + 1, 1)
context = torch.randn(128, 64)
y = fc(torch.cat((context, torch.from_numpy(history[:, 0]).float()), dim=1))
`;
    assert.ok((await codes(history(0))).includes('SL106'), '500 target rows taken for the target width');
    assert.deepEqual(await codes(history(1)), []);
  });

  it('reads dtype=bool in a NumPy factory as a bool array', async () => {
    const shape = await shapeOf('import torch\nimport numpy as np\nm = np.ones(3, dtype=bool)\nx = np.random.randn(2, 3)\ny = x[:, m]\n', 'y');
    assert.equal(shape, '(2, ?)');
  });

  it('keeps the array shape of a frame whose column names are not all known, unless their count differs', async () => {
    assert.equal(await shapeOf("import torch\nimport numpy as np\nimport pandas as pd\ncols = ['c%d' % i for i in range(30)]\ndf = pd.DataFrame(np.random.randn(20, 30), columns=cols)\nx = df.values\n", 'x'), '(20, 30)');
    const wrong = await shapeOf("import torch\nimport numpy as np\nimport pandas as pd\ncols = ['c%d' % i for i in range(10)]\ndf = pd.DataFrame(np.random.randn(20, 30), columns=cols)\nx = df.values\n", 'x');
    assert.ok(wrong === undefined || !/30/.test(wrong), `${wrong}`);
  });
});
