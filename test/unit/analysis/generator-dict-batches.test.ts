// Two semantics a probabilistic forecaster's training loop needs (zalandoresearch/pytorch-ts#109,
// test/fixtures/torch-reported/q51-pytorch-ts-109-*: DeepAR built with the README's input_size=43 while its lagged
// targets, time features and static features join to 19):
// - a generator that yields a dict of tensors on every pass (`yield {"past_target": …}`) gives that dict to the loop
//   over it, as a generator of tensors gives its tensor; the batches reach `net(**batch)`;
// - a loop over an empty tuple never runs its body (`prod(event_shape)` of a scalar distribution, event_shape == (),
//   is 1). A list is not read so: a loop may have filled it on passes the analysis did not follow.
// Checked against PyTorch 1.13: the bug programs raise "mat1 and mat2 shapes cannot be multiplied" or
// "input.size(-1) must be equal to input_size. Expected 8, got 5", the others run clean.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const found = async (source: string) => (await run(source)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('batches yielded as dicts, and loops over an empty tuple', () => {
  const generator = (width: number) => `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 2)

    def forward(self, past, future):
        return self.fc(past) + future


def batches(n):
    for _ in range(n):
        yield {"past": torch.randn(4, ${width}), "future": torch.randn(4, 2)}


net = Net()
for batch in batches(3):
    y = net(**batch)
`;

  it('follows a dict a generator yields into the loop over it', async () => {
    assert.deepEqual(await found(generator(12)), ['SL106@11']);
    assert.deepEqual(await found(generator(10)), []);
  });

  it('leaves the batch unknown when the passes yield dicts of other shapes', async () => {
    const source = `import torch
import torch.nn as nn

fc = nn.Linear(10, 2)


def batches(widths):
    for w in widths:
        yield {"x": torch.randn(4, w)}


for batch in batches([10, 12]):
    y = fc(batch["x"])
`;
    assert.deepEqual(await found(source), []);
  });

  const product = (shape: string, steps: number) => `import torch
import torch.nn as nn


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


event_shape = ${shape}
lags = torch.randn(4, ${steps}, 5)
lstm = nn.LSTM(input_size=8, hidden_size=16, batch_first=True)
inputs = lags.reshape((-1, ${steps}, 5 * prod(event_shape)))
out, _ = lstm(inputs)
`;

  it('runs a loop over an empty tuple no times', async () => {
    assert.deepEqual(await found(product('()', 6)), ['SL101@16']);
    assert.deepEqual(await found(product('(1,)', 6)), ['SL101@16']);
  });

  it('does not read a loop over an empty list as run no times', async () => {
    assert.deepEqual(await found(product('[]', 6)), []);
  });
});
