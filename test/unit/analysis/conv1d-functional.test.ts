// F.conv1d / torch.conv1d: (N, C, L) or (C, L) with a weight (O, C / groups, K) gives (N, O, L') or (O, L'), L' by the
// window formula (padding 'same' keeps L). The rank is the input's; a weight the analysis cannot follow leaves the
// channels unknown, and window arguments not known leave the length unknown, never a guess.
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, shapeOf } from './helpers';

const PROGRAM = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, functional: true, cfg: true });

describe('functional conv1d', () => {
  it('gives the weight\'s output channels and the windowed length, batched or not', async () => {
    const body = PROGRAM(
      'self.w = nn.Parameter(torch.randn(16, 8, 5))',
      'x = torch.randn(4, 8, 20)\na = F.conv1d(x, self.w, stride=2)\nb = torch.conv1d(x[0], self.w, None, 1, 2)\nc = F.conv1d(input=x, weight=self.w, padding=\'same\')\nreturn a, b, c',
    );
    assert.equal(await shapeOf(body, 'a'), '(4, 16, 8)');
    assert.equal(await shapeOf(body, 'b'), '(16, 20)');
    assert.equal(await shapeOf(body, 'c'), '(4, 16, 20)');
  });

  it('a weight not followed keeps the rank and the batch; padding \'same\' still keeps the length', async () => {
    const body = PROGRAM(
      '',
      'x = torch.randn(4, 8, 20)\na = F.conv1d(x, self.memory)\nb = F.conv1d(x, self.memory, padding=\'same\')\nc = F.conv1d(x, self.memory, stride=self.memory)\nreturn a, b, c',
    );
    assert.equal(await shapeOf(body, 'a'), '(4, ?, ?)');
    assert.equal(await shapeOf(body, 'b'), '(4, ?, 20)');
    assert.equal(await shapeOf(body, 'c'), '(4, ?, ?)');
  });

  it('reports a Linear built for other features than the convolution\'s channels, and nothing on the right ones', async () => {
    const make = (features: number): string => PROGRAM(
      `self.w = nn.Parameter(torch.randn(16, 8, 3))\nself.fc = nn.Linear(${features}, 2)`,
      'x = torch.randn(4, 8, 20)\nh = F.conv1d(x, self.w, padding=1).permute(0, 2, 1)\ny = self.fc(h)\nreturn y',
    );
    assert.deepEqual(await codes(make(32)), ['SL106']);
    assert.deepEqual(await codes(make(16)), []);
    assert.equal(await shapeOf(make(16), 'y'), '(4, 20, 2)');
  });
});
