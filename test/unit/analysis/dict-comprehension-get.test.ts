// dict.get on a dict comprehension's result: every key the comprehension wrote maps to its one value expression, and a
// key it did not write gives the default, so `.get(key, default)` is one of the two (allennlp#5384,
// test/fixtures/attention-reported/q38-allennlp-5384-*: character ids looked up in `{c: i + 2 for i, c in
// enumerate(CHARACTERS)}` with 1 for an unknown character). Python semantics; the Conv1d case was run in PyTorch 1.13.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const VOCAB = 'CHARACTERS = "".join(chr(c) for c in range(32, 127))\nchar_to_id = {ch: i + 2 for i, ch in enumerate(CHARACTERS)}\n';

describe('dict.get on a dict comprehension', () => {
  it('gives an int when the comprehension and the default both give ints, so ids of a known count make a known shape', async () => {
    assert.equal(await shapeOf(`${VOCAB}ids = torch.tensor([[char_to_id.get(ch, 1) for ch in "abc"]])\n`, 'ids'), '(1, 3)');
    assert.equal(await shapeOf(`${VOCAB}n = char_to_id.get("z", 1)\nx = torch.zeros(2, n)\n`, 'x'), '(2, ?)');
  });

  it('keeps the bounds the ints share: the default joins the comprehension value', async () => {
    const body = 'ids = {w: 3 for w in words}\nn = ids.get("the", 5)\nx = torch.zeros(n)\n';
    assert.equal(await shapeOf(body, 'x'), '(?,)');
    assert.equal(await shapeOf('ids = {w: 3 for w in words}\nn = ids.get("the", 3)\nx = torch.zeros(n)\n', 'x'), '(3,)');
  });

  it('does not claim a value without a default (None for a missing key) or for a dict written where not followed', async () => {
    assert.equal(await shapeOf(`${VOCAB}ids = torch.tensor([[char_to_id.get(ch) for ch in "abc"]])\n`, 'ids'), undefined);
    assert.equal(await shapeOf(`${VOCAB}char_to_id.update(extra)\nids = torch.tensor([[char_to_id.get(ch, 1) for ch in "abc"]])\n`, 'ids'), undefined);
  });

  it('lets a character CNN see a string shorter than its widest kernel (SL150)', async () => {
    const program = (text: string) =>
      `${VOCAB}conv = nn.Conv1d(16, 32, kernel_size=4)\nemb = nn.Embedding(100, 16)\n` +
      `ids = torch.tensor([[char_to_id.get(ch, 1) for ch in "${text}"]])\ny = conv(emb(ids).transpose(1, 2))\n`;
    assert.deepEqual(await codes(program('abc')), ['SL150']);
    assert.deepEqual(await codes(program('abcd')), []);
  });
});
