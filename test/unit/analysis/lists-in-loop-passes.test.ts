// Each branch of an undecided if/else starts from the lists as they were before it, except in a pass of one of the
// function's own loops that stands for several iterations (not unrolled): there what one iteration's branch appended,
// another iteration's branch reads. A decoder that appends each layer's state on the first step (`if i == 0:`) and
// reads it back on the others (`states[j]`) keeps its three states (PyTorch 1.13 runs the program below: (4, ?, 5)).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const decoder = (loop: string, test: string) => `import torch
import torch.nn as nn

class Dec(nn.Module):
    def __init__(self):
        super().__init__()
        self.cells = nn.ModuleList([nn.LSTMCell(16, 32), nn.LSTMCell(32, 32)])
        self.out = nn.Linear(32, 5)

    def forward(self, embed, steps):
        hidden_states = []
        outs = []
        ${loop}
            h = embed[:, i, :]
            for j, cell in enumerate(self.cells):
                if ${test}:
                    hx, cx = cell(h)
                    hidden_states.append((hx, cx))
                else:
                    hx, cx = hidden_states[j]
                    hidden_states[j] = cell(h, (hx, cx))
                h = hidden_states[j][0]
            outs.append(self.out(h))
        return torch.stack(outs, 1)

d = Dec()
y = d(torch.randn(4, 9, 16), int(torch.randint(2, 9, ()).item()))
`;

describe('lists changed by both branches of an if/else in a loop pass', () => {
  it('reads back the states one step appended, with no finding', async () => {
    for (const [loop, test] of [
      ['for i in range(steps):', 'i == 0'],
      ['for i in range(0, steps):', 'not i'],
      ['for i, _ in enumerate(range(steps)):', 'i < 1'],
    ]) {
      const program = decoder(loop, test);
      assert.deepEqual(await codes(program), [], loop);
      assert.equal(await shapeOf(program, 'y'), '(4, ?, 5)', loop);
    }
  });

  it('follows the later steps from what the first left', async () => {
    const program = `import torch
def f(n):
    acc = []
    for k in range(1, n):
        if k == 1:
            acc.append(torch.zeros(3))
        else:
            acc[-1] = torch.cat([acc[-1], torch.zeros(2)])
    return acc[-1]
x = f(int(torch.randint(3, 9, ()).item()))
`;
    // Only the first step (3,) and the later ones (?,) reach the return: their join.
    assert.equal(await shapeOf(program, 'x'), '(?,)');
  });
});
