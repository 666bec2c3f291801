// Hostile input: code written to exhaust the analyzer must degrade to unknown, never crash, never
// build what it describes, and never hide the real findings elsewhere in the file.
import { strict as assert } from 'node:assert';
import { analyzer } from './helpers';

/** A real SL101 bug (GRU built for 50 features, given 100), appended after each hostile prefix. */
const BUG = '\nimport torch\nimport torch.nn as nn\ngru = nn.GRU(input_size=50, hidden_size=100)\nout, h = gru(torch.randn(32, 10, 100))\n';

/** A model class, so describeModels has something to describe after the hostile lines. */
const MODEL = '\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.LSTM(16, 32)\n';

async function analyse(source: string) {
  return (await analyzer()).analyze(source, 'hostile.py');
}

/** Line (1-based) of the SL101 finding, if any. */
async function sl101Line(source: string): Promise<number | undefined> {
  const finding = (await analyse(source)).findings.find((f) => f.code === 'SL101');
  return finding ? finding.range.start.line + 1 : undefined;
}

function linesBefore(prefix: string): number {
  return prefix.split('\n').length - 1;
}

/** The value of `len(name)` as the analysis sees it, read back through a layer's hover. */
async function sizeSeen(program: string): Promise<string | undefined> {
  const result = await analyse(`import torch.nn as nn\n${program}\nprobe = nn.Linear(n, 3)\n`);
  const site = result.layers.find((l) => l.kind === 'Linear');
  return /\| `in_features` \| (\S+) \|/.exec(site?.markdown ?? '')?.[1];
}

describe('hostile input', () => {
  describe('every value is bounded', () => {
    it('`x = x + x` thirty times does not build the list, and the bug after it is still reported', async () => {
      const prefix = 'x = [0]\n' + 'x = x + x\n'.repeat(30);
      assert.equal(await sl101Line(prefix + BUG), linesBefore(prefix) + 5);
    });

    it('a list past the bound keeps its exact length', async () => {
      assert.equal(await sizeSeen('x = [0]\n' + 'x = x + x\n'.repeat(30) + 'n = len(x)'), String(2 ** 30));
      assert.equal(await sizeSeen('n = len([0] * 1000)'), '1000');
      assert.equal(await sizeSeen('n = len(range(5000))'), '5000');
      assert.equal(await sizeSeen('n = len(list(range(3, 10003)))'), '10000');
    });

    it('a string past the bound keeps its exact length', async () => {
      assert.equal(await sizeSeen('s = "ab"\n' + 's = s + s\n'.repeat(40) + 'n = len(s)'), String(2 * 2 ** 40));
      assert.equal(await sizeSeen("n = len('a' * 10**9)"), String(10 ** 9));
    });

    it('small lists and strings keep their items: a vocabulary is still counted', async () => {
      assert.equal(await sizeSeen("chars = sorted(set('hello world'))\nn = len(chars)"), '8');
      assert.equal(await sizeSeen("words = ['a', 'b'] * 3 + ['c']\nn = len(set(words))"), '3');
    });

    it('an int stays exact up to 2^53 and is unknown past it', async () => {
      assert.equal(await sizeSeen('n = 2**52 + 4503599627370495'), String(2 ** 53 - 1));
      assert.equal(await sizeSeen('n = 2**53 + 1'), '?');
      assert.equal(await sizeSeen('n = 10**10**10'), '?');
      assert.equal(await sizeSeen('n = 9007199254740993'), '?');
      assert.equal(await sizeSeen('n = 1\n' + 'n = n + n\n'.repeat(80)), '?');
    });

    it('a dict comprehension has an unknown size, not 0', async () => {
      assert.equal(await sizeSeen("vocab = {w: i for i, w in enumerate(words)}\nn = len(vocab)"), '?');
    });

    it('a dict past its bound is partial: its size is unknown', async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `'k${i}': ${i}`).join(', ');
      assert.equal(await sizeSeen(`d = {${keys}}\nn = len(d)`), '?');
      assert.equal(await sizeSeen(`d = {'a': 1, 'b': 2}\nn = len(d)`), '2');
    });

    it('`s = s + s` and a chain of elifs leave describeModels working, with the model after them', async () => {
      const a = await analyzer();
      const strings = 's = "ab"\n' + 's = s + s\n'.repeat(40);
      const elifs = 'x = 1\nif x == 0:\n    y = 0\n' + Array.from({ length: 3000 }, (_, i) => `elif x == ${i + 1}:\n    y = ${i}\n`).join('');
      for (const prefix of [strings, elifs]) {
        const source = `import torch\nimport torch.nn as nn\n${prefix}${MODEL}`;
        const models = a.describeModels(source, 'hostile.py');
        assert.deepEqual(models.map((m) => m.className), ['Tagger']);
        assert.deepEqual(models[0].layers[0].args.input_size, 16);
        assert.equal(await sl101Line(prefix + BUG), linesBefore(prefix) + 5);
      }
    });
  });

  describe('deep nesting', () => {
    const deep: [string, string][] = [
      ['3,000 nested parentheses', `x = ${'('.repeat(3000)}1${')'.repeat(3000)}\n`],
      ['3,000 nested lists', `x = ${'['.repeat(3000)}1${']'.repeat(3000)}\n`],
      ['3,000 nested calls', `x = ${'f('.repeat(3000)}1${')'.repeat(3000)}\n`],
      ['a 200 kB `1+1+…` line', `x = 1${'+1'.repeat(100_000)}\n`],
      ['2,000 `x = [x]` lines', 'x = 0\n' + 'x = [x]\n'.repeat(2000)],
    ];
    for (const [name, prefix] of deep) {
      it(`${name}: the statement becomes unknown and the rest of the file is analysed`, async () => {
        assert.equal(await sl101Line(prefix + BUG), linesBefore(prefix) + 5);
      });
    }

    it('says where code was nested too deeply to follow', async () => {
      for (const [, prefix] of deep.slice(0, 4)) {
        const { incomplete } = await analyse(`y = 1\n${prefix}`);
        assert.deepEqual([incomplete?.reason, incomplete?.line], ['too-large', 1]);
        assert.match(incomplete!.message, /nested too deeply/);
      }
    });

    it('nesting within the bound is still followed, without a note', async () => {
      assert.equal(await sizeSeen(`n = ${'('.repeat(50)}7${')'.repeat(50)}`), '7');
      assert.equal(await sizeSeen(`n = 1${' + 1'.repeat(60)}`), '61');
      assert.equal((await analyse(`n = ${'['.repeat(60)}7${']'.repeat(60)}\n`)).incomplete, undefined);
    });
  });

  describe('step budget', () => {
    const loops = Array.from({ length: 6 }, (_, i) => `${'    '.repeat(i)}for i${i} in range(16):\n`).join('') + `${'    '.repeat(6)}total = i0\n`;

    it('six nested 16-step loops do not hide a real bug further down', async () => {
      assert.equal(await sl101Line(loops + BUG), linesBefore(loops) + 5);
    });

    it('says where the budget ran out', async () => {
      const result = await analyse(loops + BUG);
      assert.equal(result.incomplete?.reason, 'budget');
      assert.equal(result.incomplete?.line, 0);
      assert.match(result.incomplete!.message, /budget ran out in the statement at this line; later definitions were analysed separately/);
    });

    it('a function nobody calls, after the loops, is still analysed', async () => {
      const fn = '\nimport torch\nimport torch.nn as nn\ndef step():\n    gru = nn.GRU(input_size=50, hidden_size=100)\n    return gru(torch.randn(32, 10, 100))\n';
      const result = await analyse(loops + fn);
      assert.deepEqual(result.findings.filter((f) => f.code === 'SL101').map((f) => f.range.start.line + 1), [linesBefore(loops) + 6]);
    });

    it('a file within the budget carries no note', async () => {
      assert.equal((await analyse(BUG)).incomplete, undefined);
    });
  });
  describe('pathological snippets', () => {
    const nested = (header: (i: number) => string, body: string, depth: number) =>
      Array.from({ length: depth }, (_, i) => `${'    '.repeat(i)}${header(i)}\n`).join('') + `${'    '.repeat(depth)}${body}\n`;
    const snippets: [string, string][] = [
      ["'a' * 10**9", "s = 'a' * 10**9\nt = s + s\nn = len(t)\n"],
      ['[0] * 10**9', 'x = [0] * 10**9\ny = x + x\nz = [x] * 10**9\nn = len(y)\n'],
      ['10**10**10', 'n = 10**10**10\nm = n * n\n'],
      ['2**100000', 'n = 2**100000\nm = -n // 3\n'],
      ['a list doubled 64 times', 'x = [0]\n' + 'x = x + x\n'.repeat(64)],
      ['a string doubled 64 times', "s = 'ab'\n" + 's = s + s\n'.repeat(64)],
      ['a tuple nesting itself twice per line', 't = ()\n' + 't = (t, t)\n'.repeat(200)],
      ['a list appended to itself', 'a = []\n' + nested((i) => `for i${i} in range(16):`, 'a.append(a)\n' + '    '.repeat(3) + 'a.extend(a)', 3)],
      ['a dict grown in nested loops', "d = {}\n" + nested((i) => `for i${i} in range(16):`, "d['k' * i0 + 'j' * i1 + 'l' * i2] = [i0] * 100", 3)],
      ['range(huge)', 'r = range(10**18)\nx = list(r)\nfor i in r:\n    y = i\nn = len(x)\n'],
      ['a comprehension over a huge range', 'x = [i * i for i in range(10**12)]\nd = {i: i for i in range(10**12)}\n'],
      ['mutual recursion', 'def f(n):\n    return g(n + 1) + [n]\ndef g(n):\n    return f(n * 2) + f(n)\nx = f(1)\n'],
      ['recursion through a method', 'class A:\n    def m(self, n):\n        return self.m(n + 1) * 2\nx = A().m(0)\n'],
      ['string formatting', "s = '%s' % ('a' * 10**8)\nt = '{}'.format('b' * 10**8)\nu = f'{s}' * 10**9\n"],
      ['eight nested loops', nested((i) => `for i${i} in range(16):`, 'x = [i0, i1] * 16', 8)],
      ['an unsqueeze per step in a loop', 'import torch\nx = torch.zeros(1)\n' + nested((i) => `for i${i} in range(16):`, 'x = x.unsqueeze(0)', 3)],
      ['a shape concatenated with itself', 'import torch\nx = torch.zeros(2, 3)\ns = x.shape\n' + 's = s + s\n'.repeat(40) + 'y = torch.zeros(s)\n'],
      ['a nested literal walked as a tensor', 'import torch\nrow = [0] * 256\nm = [row] * 256\nc = [m] * 256\nt = torch.tensor(c)\n'],
      ['a while loop that never ends', 'x = 0\nwhile True:\n    x = x + [x]\n'],
      ['huge integer literals', 'n = 123456789012345678901234567890\nm = n ** 2\nk = 0x' + 'f'.repeat(4000) + '\n'],
    ];
    for (const [name, snippet] of snippets) {
      it(`${name}: completes, and the bug after it is still reported`, async function () {
        // A generous guard against a hang, not a timing assertion.
        this.timeout(60_000);
        assert.equal(await sl101Line(snippet + BUG), linesBefore(snippet) + 5);
      });
    }
  });
});
