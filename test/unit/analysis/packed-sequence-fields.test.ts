// A PackedSequence built from its fields (`PackedSequence(data=scores, batch_sizes=packed.batch_sizes)`, to re-pad
// values computed on a packed batch's data) and a packed value's `.data`: data is (total steps, *), the padded tensor it
// stands for is (time, batch, *). Shapes below are PyTorch 1.13's for lengths [4, 3, 2] on a (3, 4, 5) batch; the
// total steps, time and batch sizes are not known to the analysis, the rank and the trailing sizes are.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import torch
import torch.nn as nn
from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence, pack_padded_sequence
import sys

x = torch.randn(3, 4, 5)
packed = pack_padded_sequence(x, torch.tensor([4, 3, 2]), batch_first=True)
`;

describe('PackedSequence built from its fields', () => {
  it('a packed value\'s .data is (total steps, features)', async () => {
    // PyTorch: (9, 5)
    assert.equal(await shapeOf(`${HEAD}d = packed.data\n`, 'd'), '(?, 5)');
  });

  it('pad_packed_sequence of it gives back the padded layout asked for, with the data\'s trailing sizes', async () => {
    // PyTorch: (3, 4, 5) and (3, 4)
    const body = `${HEAD}feats = torch.tanh(packed.data)\nrebuilt = PackedSequence(data=feats, batch_sizes=packed.batch_sizes)\npadded, lens = pad_packed_sequence(rebuilt, batch_first=True)\nscores = PackedSequence(feats.sum(-1), packed.batch_sizes)\ns, _ = pad_packed_sequence(scores, batch_first=True)\n`;
    assert.equal(await shapeOf(body, 'padded'), '(?, ?, 5)');
    assert.equal(await shapeOf(body, 's'), '(?, ?)');
  });

  it('a recurrent layer runs it as a packed batch', async () => {
    // PyTorch: (4, 3, 8)
    const body = `${HEAD}rebuilt = PackedSequence(packed.data, packed.batch_sizes)\nlstm = nn.LSTM(5, 8)\nout, _ = lstm(rebuilt)\ny, _ = pad_packed_sequence(out)\n`;
    assert.equal(await shapeOf(body, 'y'), '(?, ?, 8)');
    assert.deepEqual(await codes(body), []);
  });

  it('data the analysis cannot see still makes a packed value, of unknown shape', async () => {
    const body = `${HEAD}rebuilt = PackedSequence(sys.argv, packed.batch_sizes)\ny, _ = pad_packed_sequence(rebuilt)\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('a module applied to a packed batch\'s data through try, with a tensor fallback in except, reports nothing there', async () => {
    // PyTorch: the body runs on a PackedSequence and the handler never does. The handler, written for a tensor (where
    // x.batch_sizes raises), would read a packed x's size. Past the statement x is the body's packed value or the
    // handler's tensor, as the analysis cannot tell whether the body raised: y is not known.
    const body = `${HEAD}class SequenceWise(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        try:
            x, sizes = x.data, x.batch_sizes
            x = self.module(x)
            x = PackedSequence(x, sizes)
        except AttributeError:
            t, n = x.size(0), x.size(1)
            x = self.module(x.view(t * n, -1)).view(t, n, -1)
        return x

out = SequenceWise(nn.Linear(5, 6))(packed)
y, _ = pad_packed_sequence(out)
`;
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('type(x) is PackedSequence is true of a packed value and false of a tensor, so one branch runs', async () => {
    // PyTorch: True for packed (a namedtuple whose type is PackedSequence, not tuple), False for x and for `is tuple`.
    const packedBranch = `${HEAD}if type(packed) is PackedSequence:\n    y = packed.data\nelse:\n    y = packed.size(0)\n`;
    assert.deepEqual(await codes(packedBranch), []);
    assert.equal(await shapeOf(packedBranch, 'y'), '(?, 5)');
    const tensorBranch = `${HEAD}if type(x) == nn.utils.rnn.PackedSequence:\n    y = x.sum()\nelse:\n    y = x\n`;
    assert.equal(await shapeOf(tensorBranch, 'y'), '(3, 4, 5)');
    const notTuple = `${HEAD}if type(packed) is not tuple:\n    y = packed.data\nelse:\n    y = packed.size(0)\n`;
    assert.deepEqual(await codes(notTuple), []);
  });
});
