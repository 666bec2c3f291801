// A typing.NamedTuple's fields are the names annotated in its body: building one binds them in order, then by name
// (a data holder of feature and target arrays passed to a prediction loop).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const DATA = `import torch
import torch.nn as nn
import typing
import numpy as np

class TrainData(typing.NamedTuple):
    feats: np.ndarray
    targs: np.ndarray
    horizon: int = 1
`;

describe('typing.NamedTuple fields', () => {
  it('binds positional and keyword arguments to the fields, in order', async () => {
    assert.equal(await shapeOf(`${DATA}d = TrainData(np.zeros((500, 81)), np.zeros((500, 1)))\nx = torch.zeros(d.targs.shape[1], d.feats.shape[1])\n`, 'x'), '(1, 81)');
    assert.equal(await shapeOf(`${DATA}d = TrainData(targs=np.zeros((500, 1)), feats=np.zeros((500, 81)))\nx = torch.zeros(d.targs.shape[0])\n`, 'x'), '(500,)');
  });

  it('keeps a default for a field given nothing, and takes the argument over it', async () => {
    assert.equal(await shapeOf(`${DATA}d = TrainData(np.zeros((5, 2)), np.zeros((5, 1)))\nx = torch.zeros(d.horizon)\n`, 'x'), '(1,)');
    assert.equal(await shapeOf(`${DATA}d = TrainData(np.zeros((5, 2)), np.zeros((5, 1)), 3)\nx = torch.zeros(d.horizon)\n`, 'x'), '(3,)');
  });

  it('reports a layer sized from the wrong field of the tuple', async () => {
    const program = (field: string) => `${DATA}d = TrainData(np.zeros((500, 81)), np.zeros((500, 1)))
fc = nn.Linear(81, 16)
y = fc(torch.zeros(4, d.${field}.shape[1]))
`;
    assert.ok((await codes(program('targs'))).includes('SL106'));
    assert.deepEqual(await codes(program('feats')), []);
  });
});
