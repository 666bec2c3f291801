// Padding layers (nn.ZeroPad2d, nn.ConstantPadNd, nn.ReflectionPadNd, nn.ReplicationPadNd) pad their input as F.pad
// does with the layer's padding: an int pads both sides of the last N axes, a tuple the last axes from the last one
// backwards. Reflection and replication take inputs of rank N + 1 or N + 2 only; any other rank, or a padding the
// analysis cannot read, leaves the sizes unknown and reports nothing.
import { strict as assert } from 'node:assert';
import { moduleProgram, run, shapeOf } from './helpers';

const PROGRAM = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, cfg: true });

describe('padding layers', () => {
  it('ZeroPad2d pads the last axis of a causal dilated convolution, and the convolution keeps the steps', async () => {
    const body = PROGRAM(
      'self.pad = nn.ZeroPad2d(((3 - 1) * 2, 0, 0, 0))\nself.conv = nn.Conv2d(8, 8, kernel_size=(1, 3), dilation=2)',
      'x = torch.randn(4, 10, 8)\nh = x.permute(0, 2, 1).unsqueeze(2)\np = self.pad(h)\nc = self.conv(p).squeeze(2)\nreturn c',
    );
    assert.equal(await shapeOf(body, 'p'), '(4, 8, 1, 14)');
    assert.equal(await shapeOf(body, 'c'), '(4, 8, 10)');
  });

  it('an int padding pads both sides of the last N axes; ConstantPad1d crops with a negative pad', async () => {
    const body = PROGRAM(
      'self.a = nn.ConstantPad1d(2, 0.0)\nself.b = nn.ReflectionPad2d(1)\nself.c = nn.ReplicationPad1d((0, 3))\nself.d = nn.ConstantPad1d((-1, 0), value=1.0)',
      'x = torch.randn(2, 3, 5)\na = self.a(x)\nb = self.b(x)\nc = self.c(x)\nd = self.d(x)\nreturn a, b, c, d',
    );
    assert.equal(await shapeOf(body, 'a'), '(2, 3, 9)');
    assert.equal(await shapeOf(body, 'b'), '(2, 5, 7)');
    assert.equal(await shapeOf(body, 'c'), '(2, 3, 8)');
    assert.equal(await shapeOf(body, 'd'), '(2, 3, 4)');
  });

  it('a padding not known keeps the rank with its sizes unknown; reflection of a rank it refuses is unknown', async () => {
    const body = PROGRAM(
      'self.a = nn.ZeroPad2d(self.memory)\nself.b = nn.ReflectionPad1d(2)\nself.c = nn.ReflectionPad1d(5)',
      'x = torch.randn(2, 3, 4, 5)\na = self.a(x)\nb = self.b(x)\nc = self.c(x[0])\nreturn a, b, c',
    );
    assert.equal(await shapeOf(body, 'a'), '(?, ?, ?, ?)');
    assert.equal(await shapeOf(body, 'b'), undefined);
    assert.equal(await shapeOf(body, 'c'), undefined);
    const result = await run(body);
    assert.deepEqual(result.findings.map((f) => f.code), []);
  });

  it('reports a Conv1d given the padded channels it was not built for, and nothing on the right channels', async () => {
    const wrong = PROGRAM(
      'self.pad = nn.ConstantPad1d((2, 0), 0.0)\nself.conv = nn.Conv1d(16, 8, 3)',
      'x = torch.randn(4, 32, 10)\nh = self.conv(self.pad(x))\nreturn h',
    );
    const right = PROGRAM(
      'self.pad = nn.ConstantPad1d((2, 0), 0.0)\nself.conv = nn.Conv1d(32, 8, 3)',
      'x = torch.randn(4, 32, 10)\nh = self.conv(self.pad(x))\nreturn h',
    );
    assert.deepEqual((await run(wrong)).findings.map((f) => f.code), ['SL139']);
    assert.deepEqual((await run(right)).findings.map((f) => f.code), []);
    assert.equal(await shapeOf(right, 'h'), '(4, 8, 10)');
  });
});
