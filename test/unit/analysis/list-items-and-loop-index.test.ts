// Two semantics of plain Python the shape rules rely on: `list[i] = v` changes the list (a shape list edited before
// view(*shape)), and the second pass of a loop over a range stands for its later iterations, whose index is past the
// first (`if t > 0:` takes one branch there). Both were false alarms on reported bugs' fixed twins.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';

describe('list item assignment', () => {
  it('edits a size list in place before view(*shape) (a Maxout module)', async () => {
    const body = 'x = torch.zeros(4, 256)\nshape = list(x.size())\nshape[-1] = shape[-1] // 2\nshape.append(2)\ny = x.view(*shape)\nz = y.max(-1)[0]\n';
    assert.equal(await shapeOf(body, 'y'), '(4, 128, 2)');
    assert.equal(await shapeOf(body, 'z'), '(4, 128)');
  });

  it('replaces the item at a known index, and no other', async () => {
    const body = 'x = torch.zeros(6, 4, 5)\nshape = list(x.size())\nshape[0] = 3\nshape[2] = 10\ny = x.view(*shape)\n';
    assert.equal(await shapeOf(body, 'y'), '(3, 4, 10)');
  });

  it('keeps no stale item when the index is not known', async () => {
    const body = 'def f(x, k):\n    shape = list(x.size())\n    shape[k] = 3\n    return x.view(*shape)\ny = f(torch.zeros(6, 4), int(input()))\n';
    const shape = await shapeOf(body, 'y');
    assert.notEqual(shape, '(6, 4)');
    assert.deepEqual((await run(body)).findings.filter(loud), []);
  });

  it('joins the old and new item under a condition the analysis cannot decide', async () => {
    const body = 'x = torch.zeros(6, 4)\nshape = list(x.size())\nif input():\n    shape[0] = 3\n    shape[1] = 8\ny = x.view(*shape)\n';
    const shape = await shapeOf(body, 'y');
    assert.notEqual(shape, '(3, 8)');
    assert.notEqual(shape, '(6, 4)');
    assert.deepEqual((await run(body)).findings.filter(loud), []);
  });
});

describe('the index of a loop over a range', () => {
  it('takes the later branch in the pass that stands for the later iterations (a decoder fed its own output)', async () => {
    const body = [
      'emb = nn.Linear(5, 3)',
      'lstm = nn.LSTM(3, 4)',
      'h = (torch.zeros(1, 8, 4), torch.zeros(1, 8, 4))',
      'words = torch.zeros(8, 5)',
      'for t in range(19):',
      '    if t > 0:',
      '        x = emb(step)',
      '    else:',
      '        x = emb(words)',
      '    out, h = lstm(x.unsqueeze(0), h)',
      '    step = torch.zeros(8, 5)',
      '    if len(words.size()) == 2:',
      '        words = words.unsqueeze(1)',
      '    words = torch.cat([words, step.unsqueeze(1)], dim=1)',
      '',
    ].join('\n');
    assert.deepEqual((await run(body)).findings.filter(loud).map((f) => f.code), []);
  });

  it('still reports what a later iteration does wrong', async () => {
    const body = 'lin = nn.Linear(5, 3)\nfor t in range(4):\n    if t >= 1:\n        y = lin(torch.zeros(2, 7))\n';
    assert.ok((await run(body)).findings.some((f) => f.code === 'SL106'));
  });

  it('never runs a branch no iteration takes', async () => {
    const body = 'lin = nn.Linear(5, 3)\nfor t in range(4):\n    if t > 5:\n        y = lin(torch.zeros(2, 7))\n';
    assert.deepEqual((await run(body)).findings.filter(loud).map((f) => f.code), []);
  });
});
