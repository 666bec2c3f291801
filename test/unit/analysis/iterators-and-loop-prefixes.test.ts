// A batched Viterbi decoder (a BiLSTM-CRF tagger) keeps one partition per step: `history = [first]`, then
// `history.append(step)` in a loop over `enumerate(scores)` that `next()` has advanced past the first step, then
// `torch.cat(history, 0)`. Three pieces of Python and PyTorch semantics make that list known: a list keeps the items it
// held before a loop that certainly appends to it; a loop over a tensor runs once per row of its first axis; next()
// takes the first item of an iterator, which the loop then no longer walks. And lengths written in the code size the
// padded batch: `lengths.max().item()` is their largest.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const loudCodes = async (body: string) => (await run(body)).findings.filter(loud).map((f) => f.code);

const history = (first: string, loop: string) =>
  `B, T = 4, 6\nscores = torch.randn(5, B, T, T)\nhistory = [${first}]\n${loop}\n    p, bp = torch.max(cur, 1)\n    history.append(p)\njoined = torch.cat(history, 0)\nn = torch.zeros(len(history))\n`;

describe('a list keeps the items it held before a loop that appends to it', () => {
  it('a 3-D first item followed by 2-D steps is refused by torch.cat (SL142); a 2-D first item is not', async () => {
    assert.deepEqual(await loudCodes(history('torch.randn(B, T, 1)', 'for i in range(5):\n    cur = scores[i]')), ['SL142']);
    assert.deepEqual(await loudCodes(history('torch.randn(B, T)', 'for i in range(5):\n    cur = scores[i]')), []);
    assert.equal(await shapeOf(history('torch.randn(B, T)', 'for i in range(5):\n    cur = scores[i]'), 'joined'), '(24, 6)');
  });

  it('is silent where the loop may not run: one first item alone joins without error', async () => {
    const body = `import sys\nimport torch\n${history('torch.randn(B, T, 1)', 'for i in range(int(sys.argv[1])):\n    cur = scores[i]')}`;
    assert.deepEqual(await loudCodes(body), []);
  });

  it('a loop that stores into the list keeps only a summary of it', async () => {
    const body = history('torch.randn(B, T, 1)', 'for i in range(5):\n    cur = scores[i]\n    history[0] = torch.randn(B, T)');
    assert.deepEqual(await loudCodes(body), []);
  });
});

describe('a loop over a tensor runs once per row of its first axis', () => {
  it('for cur in scores appends 5 steps after the first item', async () => {
    const body = history('torch.randn(B, T, 1)', 'for cur in scores:');
    assert.deepEqual(await loudCodes(body), ['SL142']);
    assert.equal(await shapeOf(body, 'n'), '(6,)');
  });
});

describe('iter() and next()', () => {
  it('next() takes the first item of enumerate(scores), and the loop walks the other four', async () => {
    const body = history('torch.randn(B, T)', 'seq_iter = enumerate(scores)\n_, ini = next(seq_iter)\nfor idx, cur in seq_iter:');
    assert.equal(await shapeOf(body, 'ini'), '(4, 6, 6)');
    assert.equal(await shapeOf(body, 'n'), '(5,)');
    assert.equal(await shapeOf(body, 'joined'), '(20, 6)');
  });

  it('next(iter(xs)) gives the first item and leaves xs whole', async () => {
    const body = 'xs = [torch.randn(2, 3), torch.randn(4, 5)]\nfirst = next(iter(xs))\nsecond = next(iter(xs))\nn = torch.zeros(len(xs))\n';
    assert.equal(await shapeOf(body, 'first'), '(2, 3)');
    assert.equal(await shapeOf(body, 'second'), '(2, 3)');
    assert.equal(await shapeOf(body, 'n'), '(2,)');
  });

  it('next() called in a loop not unrolled, or under a condition not decided, leaves the count of items unknown', async () => {
    const inLoop = 'import sys\nimport torch\nit = iter(list(torch.randn(20, 3)))\nfor k in range(int(sys.argv[1])):\n    row = next(it)\nn = torch.zeros(len(list(it)))\n';
    assert.equal(await shapeOf(inLoop, 'row'), '(3,)');
    assert.notEqual(await shapeOf(inLoop, 'n'), '(19,)');
    const underIf = 'import sys\nimport torch\nit = iter(list(torch.randn(20, 3)))\nif len(sys.argv) > 2:\n    row = next(it)\nn = torch.zeros(len(list(it)))\n';
    assert.notEqual(await shapeOf(underIf, 'n'), '(19,)');
    assert.notEqual(await shapeOf(underIf, 'n'), '(20,)');
  });

  it('next() of an exhausted iterator gives its default', async () => {
    assert.equal(await shapeOf('it = iter([])\nd = next(it, torch.zeros(7))\n', 'd'), '(7,)');
  });
});

describe('lengths written in the code size what is built from their maximum', () => {
  it('lengths.max().item() and int(lengths.max()) are the largest length', async () => {
    const body = 'lengths = torch.LongTensor([25, 23, 4])\na = torch.zeros(3, lengths.max().item())\nb = torch.zeros(3, int(lengths.max()))\nc = torch.zeros(int(lengths.sum()))\n';
    assert.equal(await shapeOf(body, 'a'), '(3, 25)');
    assert.equal(await shapeOf(body, 'b'), '(3, 25)');
    assert.equal(await shapeOf(body, 'c'), '(52,)');
  });

  it('the lengths keep their values through .cpu() and .numpy(): the padded batch is as long as the longest', async () => {
    const body =
      'from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence\nimport torch\nlengths = torch.LongTensor([25, 23, 4])\nx = torch.randn(3, 25, 8)\npacked = pack_padded_sequence(x, lengths.cpu().numpy(), True)\nout, _ = pad_packed_sequence(packed, batch_first=True)\n';
    assert.equal(await shapeOf(body, 'out'), '(3, 25, 8)');
  });

  it('the maximum of values not written in the code stays unknown', async () => {
    const body = 'lengths = torch.randint(1, 30, (3,))\na = torch.zeros(3, lengths.max().item())\n';
    assert.notEqual(await shapeOf(body, 'a'), '(3, 29)');
    assert.match((await shapeOf(body, 'a')) ?? '', /^\(3, /);
  });
});
