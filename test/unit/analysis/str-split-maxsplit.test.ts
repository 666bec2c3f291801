// str.split and str.rsplit with a maxsplit, as Python 3 splits (each expected list checked there).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

/** The lengths of the pieces of `call` (a Python expression giving two pieces), as a tensor's shape. */
function pieceLengths(call: string): string {
  return `p = ${call}\nx = torch.zeros(len(p[0]), len(p[1]))\n`;
}

describe('str.split and str.rsplit with a maxsplit', () => {
  it('splits at most maxsplit times at a separator, from the left or from the right', async () => {
    assert.equal(await shapeOf(pieceLengths("'softmax_all'.split('_', 1)"), 'x'), '(7, 3)');
    assert.equal(await shapeOf(pieceLengths("'a_b_c'.split('_', 1)"), 'x'), '(1, 3)');
    assert.equal(await shapeOf(pieceLengths("'a_b_c'.rsplit('_', 1)"), 'x'), '(3, 1)');
    assert.equal(await shapeOf(pieceLengths("'x.y.z'.rsplit('.', maxsplit=1)"), 'x'), '(3, 1)');
    assert.equal(await shapeOf(pieceLengths("'a_b_c'.split('_', True)"), 'x'), '(1, 3)');
  });

  it('finds overlapping separators as Python does, from its end for rsplit', async () => {
    assert.equal(await shapeOf(pieceLengths("'aaa'.split('aa', 1)"), 'x'), '(0, 1)');
    assert.equal(await shapeOf(pieceLengths("'aaa'.rsplit('aa', 1)"), 'x'), '(1, 0)');
  });

  it('keeps the whole string for a maxsplit of 0, and every piece for a negative one', async () => {
    assert.equal(await shapeOf("p = 'a_b'.split('_', 0)\nx = torch.zeros(len(p), len(p[0]))\n", 'x'), '(1, 3)');
    assert.equal(await shapeOf("p = 'a_b_c'.split('_', -1)\nx = torch.zeros(len(p))\n", 'x'), '(3,)');
  });

  it('splits on runs of whitespace with a maxsplit, the rest keeping its whitespace on the far side', async () => {
    assert.equal(await shapeOf(pieceLengths("'  a b  c '.split(None, 1)"), 'x'), '(1, 5)');
    assert.equal(await shapeOf(pieceLengths("'  a b  c '.rsplit(None, 1)"), 'x'), '(5, 1)');
    assert.equal(await shapeOf("p = ' a b '.split(None, 0)\nx = torch.zeros(len(p), len(p[0]))\n", 'x'), '(1, 4)');
    assert.equal(await shapeOf("p = '   '.split(None, 0)\nx = torch.zeros(len(p) + 2)\n", 'x'), '(2,)');
  });

  it('does not guess the pieces for a maxsplit it does not know', async () => {
    const shape = await shapeOf("import random\nimport torch\nn = random.randint(0, 2)\np = 'a_b_c'.split('_', n)\nx = torch.zeros(len(p))\n", 'x');
    assert.ok(shape === undefined || !/\d/.test(shape), String(shape));
  });

  it('a softmax picked from a table by the first piece of a pooling name is known, and SL127 sees it', async () => {
    const program = (dim: number) =>
      'class P(nn.Module):\n' +
      `    fns = {"softmax": nn.Softmax(dim=${dim}), "tanh": nn.Tanh()}\n\n` +
      '    def __init__(self, c, pooling):\n' +
      '        super().__init__()\n' +
      '        self.att = nn.Sequential(nn.Conv1d(c, 1, 1), P.fns[pooling])\n\n' +
      '    def forward(self, x):\n' +
      '        x_a = x.transpose(1, 2)\n' +
      '        return (self.att(x_a) * x_a).sum(2)\n\n\n' +
      'p = P(16, "softmax_all".split("_", 1)[0])\n' +
      'y = p(torch.randn(4, 5, 16))\n';
    assert.deepEqual(await codes(program(1)), ['SL127']);
    assert.deepEqual(await codes(program(2)), []);
  });

  it('splits text with accented or other non-ASCII letters on whitespace as Python does', async () => {
    // Python 3: 'ce film est une merveille du début à la fin'.split() gives 10 pieces, 'début' of length 5.
    assert.equal(await shapeOf("p = 'ce film est une merveille du début à la fin'.split()\nx = torch.zeros(len(p), len(p[6]))\n", 'x'), '(10, 5)');
    assert.equal(await shapeOf("p = 'привет мир'.split()\nx = torch.zeros(len(p), len(p[0]))\n", 'x'), '(2, 6)');
  });

  it('does not split on whitespace text holding Unicode whitespace or characters past U+FFFF', async () => {
    // Python splits 'a\u00a0b' and 'a\u3000b' in two; a character past U+FFFF counts 1 in Python's len().
    for (const text of ['a\u00a0b c', 'a\u3000b c', 'a\u{1F600} b']) {
      const shape = await shapeOf(`p = '${text}'.split()\nx = torch.zeros(len(p), len(p[0]))\n`, 'x');
      assert.ok(shape === undefined || !/\d/.test(shape), `${text}: ${shape}`);
    }
  });
});
