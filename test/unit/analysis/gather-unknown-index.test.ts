// torch.gather with an index the analysis cannot follow: PyTorch 1.13 takes only an index of the input's rank
// ("Index tensor must have the same number of dimensions as input tensor"), so for an input of two axes or more the
// result has that rank; an input of 0 or 1 axes also takes an index of 0 or 1 axes, and the rank stays unknown.
import { strict as assert } from 'node:assert';
import { moduleProgram, run, shapeOf } from './helpers';

const PROGRAM = (forward: string): string => moduleProgram('', forward, { params: 'x', cfg: true });

describe('gather with an index not followed', () => {
  it('keeps the rank of an input of two axes or more, every size unknown', async () => {
    const body = PROGRAM('s = torch.randn(4, 7, 5)\ng = torch.gather(s, 2, self.memory)\nh = s.gather(1, index=self.memory)\nreturn g, h');
    assert.equal(await shapeOf(body, 'g'), '(?, ?, ?)');
    assert.equal(await shapeOf(body, 'h'), '(?, ?, ?)');
    assert.deepEqual((await run(body)).findings.map((f) => f.code), []);
  });

  it('says nothing of the rank for a 1-D or 0-D input (a 0-D index gives 0-D)', async () => {
    const body = PROGRAM('v = torch.randn(6)\ng = torch.gather(v, 0, self.memory)\nreturn g');
    assert.equal(await shapeOf(body, 'g'), undefined);
  });

  it('still takes the shape of an index whose shape is known', async () => {
    const body = PROGRAM('s = torch.randn(4, 7)\ni = torch.zeros(4, 1, dtype=torch.long)\ng = s.gather(1, i)\nreturn g');
    assert.equal(await shapeOf(body, 'g'), '(4, 1)');
  });
});
