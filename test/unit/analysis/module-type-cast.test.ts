// nn.Module.type(dst_type) casts the parameters and returns the module itself, as .float() and .to() do
// (test/fixtures/torch-reported/phonembedding-2-* builds its layers as LSTM(...).type(DTYPE)). A class that defines its
// own `type` method keeps it.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const program = (input: string) => `import torch
from torch.nn import LSTM

dec = LSTM(input_size=80, hidden_size=32, num_layers=1).type(torch.FloatTensor)
h = torch.randn(1, 1, 32)
c = torch.randn(1, 1, 32)
_, states = dec(${input}, (h, c))
`;

describe('nn.Module.type() returns the module', () => {
  it('keeps checking a layer built as LSTM(...).type(torch.FloatTensor): a 2-D input with 3-D states (SL116)', async () => {
    assert.deepEqual(await codes(program('torch.randn(1, 80)')), ['SL116']);
  });

  it('stays silent on the batched (1, 1, 80) input, and runs a class\'s own type() (its (4, 5) result meets a (6, 2) matrix)', async () => {
    assert.deepEqual(await codes(program('torch.randn(1, 1, 80)')), []);
    const own = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(80, 32)

    def type(self):
        return torch.randn(4, 5)


scores = Block().type()
out = scores @ torch.randn(6, 2)
`;
    assert.deepEqual(await codes(own), ['SL121']);
  });
});
