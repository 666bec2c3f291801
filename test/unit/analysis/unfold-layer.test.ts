// nn.Unfold and F.unfold cut an image into sliding blocks, one column each: (N, C, H, W) → (N, C·kh·kw, L), L the
// product of PyTorch's window arithmetic over height and width; unbatched (C, H, W) → (C·kh·kw, L). A block that
// does not fit, a rank PyTorch refuses or an argument not known leaves the sizes unknown and reports nothing.
import { strict as assert } from 'node:assert';
import { moduleProgram, run, shapeOf } from './helpers';

const PROGRAM = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, cfg: true, functional: true });

describe('nn.Unfold and F.unfold', () => {
  it('cuts 2 x 2 pixel blocks from 16 x 16 patches, and a table of another block count does not broadcast', async () => {
    const body = PROGRAM(
      'self.unfold = nn.Unfold(2, stride=2)\nself.proj = nn.Linear(12, 24)\nself.pos = nn.Parameter(torch.randn(16, 24))',
      'x = torch.randn(8, 3, 16, 16)\nu = self.unfold(x)\np = self.proj(u.transpose(1, 2))\nq = p + self.pos.unsqueeze(0)\nreturn q',
    );
    assert.equal(await shapeOf(body, 'u'), '(8, 12, 64)');
    assert.equal(await shapeOf(body, 'p'), '(8, 64, 24)');
    const result = await run(body);
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error').map((f) => f.code), ['SL119']);
  });

  it('reads kernel, dilation, padding and stride per axis, positionally or by name, for the layer and F.unfold', async () => {
    const body = PROGRAM(
      'self.a = nn.Unfold((2, 3), (1, 2), (1, 0), (2, 1))',
      'x = torch.randn(2, 3, 7, 9)\na = self.a(x)\nb = F.unfold(x, kernel_size=3, stride=3)\nc = F.unfold(x[0], 2, padding=1)\nreturn a, b, c',
    );
    assert.equal(await shapeOf(body, 'a'), '(2, 18, 20)');
    assert.equal(await shapeOf(body, 'b'), '(2, 27, 6)');
    assert.equal(await shapeOf(body, 'c'), '(12, 80)');
  });

  it('a block larger than the padded image, a 5-D input or a kernel not known says nothing', async () => {
    const body = PROGRAM(
      'self.a = nn.Unfold(9)\nself.b = nn.Unfold(2)\nself.c = nn.Unfold(self.memory)',
      'x = torch.randn(1, 3, 7, 9)\na = self.a(x)\nb = self.b(x.unsqueeze(0))\nc = self.c(x)\nreturn a, b, c',
    );
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.equal(await shapeOf(body, 'b'), undefined);
    assert.equal(await shapeOf(body, 'c'), '(1, ?, ?)');
    const result = await run(body);
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code), []);
  });
});
