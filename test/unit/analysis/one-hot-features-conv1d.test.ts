// F.one_hot(ids, C) adds an axis of C classes after the ids' axes: a features axis, as an embedding's is. A Conv1d
// that reads (batch, length, C) one-hot codes with in_channels equal to the length takes the positions as channels and
// slides its kernels along the classes; nothing raises (SL139 warns). Codes permuted to (batch, C, length) first, or
// classes whose count is not known, are left alone.
import { strict as assert } from 'node:assert';
import { moduleProgram, run } from './helpers';

/** A module whose Conv1d takes `inChannels`, its forward `forward` over x, called on (8, 50) ids below 21. */
const PROGRAM = (inChannels: number, forward: string): string =>
  moduleProgram(`self.conv = nn.Conv1d(${inChannels}, 16, kernel_size=5)`, forward, { functional: true }).concat('m = M()\nout = m(torch.randint(0, 21, (8, 50)))\n');

async function findings(body: string): Promise<{ code: string; line: number; severity: string }[]> {
  return (await run(body)).findings.map((f) => ({ code: f.code, line: f.range.start.line + 1, severity: f.severity }));
}

describe('one-hot codes into Conv1d', () => {
  it('(batch, length, classes) codes into a Conv1d whose in_channels is the length: SL139 warns on the call', async () => {
    const body = PROGRAM(50, 'codes = F.one_hot(x, 21).float()\nh = self.conv(codes)\nreturn h');
    const found = await findings(body);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['SL139', 'warning']]);
    const message = (await run(body)).findings[0].message;
    assert.match(message, /last axis holds the 21 classes of F\.one_hot/);
  });

  it('the same codes passed through a function of the module keep the classes last', async () => {
    const body = [
      'import torch',
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'class Encoder(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv1d(30, 8, kernel_size=3)',
      '    def encode(self, x):',
      '        return torch.relu(self.conv(x))',
      '    def forward(self, x):',
      '        return self.encode(x)',
      'ids = torch.randint(0, 12, (4, 30))',
      'enc = Encoder()',
      'out = enc(F.one_hot(ids, 12).float())',
      '',
    ].join('\n');
    assert.deepEqual((await findings(body)).map((f) => [f.code, f.line]), [['SL139', 9]]);
  });

  it('codes permuted or transposed to (batch, classes, length) first are silent', async () => {
    for (const move of ['.permute(0, 2, 1)', '.transpose(1, 2)']) {
      const body = PROGRAM(21, `codes = F.one_hot(x, 21).float()${move}\nh = self.conv(codes)\nreturn h`);
      assert.deepEqual(await findings(body), [], move);
    }
  });

  it('a classes count not known, or a length that differs from in_channels (which raises), keeps to the existing messages', async () => {
    const unknownClasses = PROGRAM(50, 'codes = F.one_hot(x).float()\nh = self.conv(codes)\nreturn h');
    assert.deepEqual(await findings(unknownClasses), []);
    const raises = PROGRAM(21, 'codes = F.one_hot(x, 21).float()\nh = self.conv(codes)\nreturn h');
    const found = await findings(raises);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['SL139', 'error']]);
    assert.match((await run(raises)).findings[0].message, /The 21 features are last/);
  });

  it("a Linear's output whose in_channels equals its second axis is left alone: the Linear may run along time", async () => {
    const body = [
      'import torch',
      'import torch.nn as nn',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.resample = nn.Linear(100, 40)',
      '        self.conv = nn.Conv1d(16, 8, kernel_size=3)',
      '    def forward(self, x):',
      '        return self.conv(self.resample(x))',
      'out = M()(torch.randn(4, 16, 100))',
      '',
    ].join('\n');
    assert.deepEqual(await findings(body), []);
  });
});
