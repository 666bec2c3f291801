// F.conv1d / torch.conv1d: (N, C, L) or (C, L) with a weight (O, C / groups, K) gives (N, O, L') or (O, L'), L' by the
// window formula (padding 'same' keeps L). The rank is the input's; a weight the analysis cannot follow leaves the
// channels unknown, and window arguments not known leave the length unknown, never a guess.
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, run, shapeOf } from './helpers';

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

  it("SL139: a functional convolution given another channel count than its weight asks for, as PyTorch 1.13 raises", async () => {
    // A filter bank applied to a waveform: F.conv1d asks for weight.size(1) × groups channels, F.conv_transpose1d for
    // weight.size(0), an unbatched input's channels being its first axis.
    const make = (signal: string, groups: number): string => PROGRAM(
      `self.analysis = nn.Parameter(torch.randn(64, ${6 / groups}, 16))\nself.synthesis = nn.Parameter(torch.randn(64, 1, 16))`,
      `x = torch.randn(2, 6, 400)\nspec = F.conv1d(x, self.analysis, stride=8, groups=${groups})\nwave = F.conv_transpose1d(spec, self.synthesis, stride=8)\nagain = F.conv_transpose1d(${signal}, self.synthesis, None, 8)\nreturn wave, again`,
    );
    assert.deepEqual(await codes(make('spec', 1)), []);
    assert.deepEqual(await codes(make('spec', 2)), []);
    // The waveform taken through the synthesis bank again: (2, 1, L) has 1 channel where 64 are asked for.
    const twice = await run(make('wave', 1));
    const found = twice.findings.filter((f) => f.code === 'SL139');
    assert.equal(found.length, 1, twice.findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.match(found[0].message, /expects 64 channels \(weight\.size\(0\)\) on axis 1/);
    assert.match(found[0].message, /Given transposed=1, weight of size \[64, 1, 16\], expected input\[2, 1, \d+\] to have 64 channels, but got 1 channels instead/);
    // Unbatched: (6, 400) read as 6 channels; the analysis weight (64, 3, 16) with groups=1 asks for 3.
    const unbatched = PROGRAM('self.w = nn.Parameter(torch.randn(64, 3, 16))', 'x = torch.randn(2, 6, 400)\nreturn torch.conv1d(x[0], self.w)');
    const one = (await run(unbatched)).findings.filter((f) => f.code === 'SL139');
    assert.equal(one.length, 1);
    assert.match(one[0].message, /expected input\[1, 6, 400\] to have 3 channels, but got 6 channels instead/);
  });

  it('SL139 stays silent where PyTorch raises something else first or a count is not known', async () => {
    const body = PROGRAM(
      '',
      'x = torch.randn(2, 6, 400)\nw = torch.randn(64, 5, 16)\na = F.conv1d(x, w, groups=self.g)\nb = F.conv1d(x, torch.randn(63, 3, 16), groups=2)\nc = F.conv1d(x.unsqueeze(0), w)\nd = F.conv1d(x, self.memory)\nreturn a, b, c, d',
    );
    // c's 4-D input is SL164's: PyTorch refuses the rank before it counts channels.
    assert.deepEqual(await codes(body), ['SL164']);
  });

  it('SL139 on nn.ConvTranspose1d: the input must have in_channels channels', async () => {
    const make = (channels: number): string => PROGRAM(`self.up = nn.ConvTranspose1d(${channels}, 1, 4, stride=2)`, 'x = torch.randn(2, 6, 50)\nreturn self.up(x)');
    assert.deepEqual(await codes(make(6)), []);
    assert.deepEqual(await codes(make(8)), ['SL139']);
  });
});
