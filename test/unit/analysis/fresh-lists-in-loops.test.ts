// A list display bound by a statement of a loop's own body is a new list on every iteration: the row built token by
// token, then appended to the rows. It keeps the length one pass gave it; a list that outlives the iterations, or one
// appended to under a condition the analysis cannot decide, does not.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import random
import torch
import torch.nn as nn
rows = [[5, 6, 0] for _ in range(random.randint(1, 5))]
`;

describe('lists made anew in each iteration of a loop', () => {
  it('keeps the length of a row filled by an inner loop and appended to the rows', async () => {
    const program = `${HEAD}out = []
for row in rows:
    r = []
    for v in row:
        r.append(1 if v else 0)
    out.append(r)
x = torch.tensor(out)
`;
    assert.equal(await shapeOf(program, 'x'), '(?, 3)');
  });

  it('keeps the length of a row appended to by plain statements', async () => {
    const program = `${HEAD}out = []
for row in rows:
    r = [row[0]]
    r.append(row[1])
    out.append(r)
x = torch.tensor(out)
`;
    assert.equal(await shapeOf(program, 'x'), '(?, 2)');
  });

  it('forgets the length of a list that outlives the iterations, or is filled under a condition not decided', async () => {
    const outlives = `${HEAD}acc = []
for row in rows:
    acc.append(row[0])
x = torch.zeros(2, len(acc))
`;
    assert.equal(await shapeOf(outlives, 'x'), '(2, ?)');
    const bound = `${HEAD}out = []
r = None
for row in rows:
    if r is None:
        r = []
    r.append(row[0])
    out.append(r)
x = torch.zeros(2, len(out[0]))
`;
    assert.equal(await shapeOf(bound, 'x'), '(2, ?)');
    const maybe = `${HEAD}out = []
for row in rows:
    r = []
    if random.random() > 0.5:
        r.append(1)
    out.append(r)
x = torch.zeros(2, len(out[0]))
`;
    assert.equal(await shapeOf(maybe, 'x'), '(2, ?)');
  });

  it('reports a layer fed rows one feature short, built in the loop', async () => {
    const program = (width: number) => `${HEAD}feats = []
for row in rows:
    f = []
    for v in row:
        f.append(float(v))
    feats.append(f)
fc = nn.Linear(${width}, 2)
y = fc(torch.tensor(feats))
`;
    assert.ok((await codes(program(4))).includes('SL106'));
    assert.deepEqual(await codes(program(3)), []);
  });
});
