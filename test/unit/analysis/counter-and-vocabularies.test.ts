// collections.Counter over known words, sorted() by a key the analysis does not follow, and dict comprehensions over
// items in an order Python decides (a set's, such a sort's): the vocabulary idioms of NLP tutorials keep their size
// (each expected value below checked with Python 3).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import torch
import torch.nn as nn
from collections import Counter
text = 'the cat sat on the mat the end'.split()
`;

/** A length not known: no size is claimed. */
function unknownLength(shape: string | undefined): void {
  assert.ok(shape === undefined || !/\d/.test(shape), String(shape));
}

describe('collections.Counter', () => {
  it('counts known words: one key per distinct word, most_common by count with ties in first-seen order', async () => {
    assert.equal(await shapeOf(`${HEAD}c = Counter(text)\nx = torch.zeros(len(c))\n`, 'x'), '(6,)');
    assert.equal(await shapeOf(`${HEAD}c = Counter(text)\nmc = c.most_common(3)\nx = torch.zeros(len(mc), mc[0][1], len(mc[1][0]))\n`, 'x'), '(3, 3, 3)');
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(len(Counter('hello').most_common()), Counter('hello').most_common(1)[0][1])\n`, 'x'), '(4, 2)');
    assert.equal(await shapeOf(`${HEAD}x = torch.zeros(Counter(text).total(), len(Counter()))\n`, 'x'), '(8, 0)');
  });

  it('forgets its keys when update or subtract changes them, and counts nothing it cannot see', async () => {
    unknownLength(await shapeOf(`${HEAD}c = Counter(text)\nc.update(input().split())\nx = torch.zeros(len(c))\n`, 'x'));
    unknownLength(await shapeOf(`${HEAD}c = Counter(text)\nc.subtract(['dog'])\nx = torch.zeros(len(c))\n`, 'x'));
    unknownLength(await shapeOf(`${HEAD}c = Counter(input().split())\nx = torch.zeros(len(c))\n`, 'x'));
  });
});

describe('a vocabulary indexed from items in an order not known', () => {
  it('keeps every word as a key, each id between the least and the greatest', async () => {
    const vocab = `${HEAD}c = Counter(text)\nwords = sorted(c, key=c.get, reverse=True)\nw2i = {w: i for i, w in enumerate(words)}\n`;
    assert.equal(await shapeOf(`${vocab}x = torch.zeros(len(w2i))\n`, 'x'), '(6,)');
    // The ids reach 5 at most: an Embedding of 6 rows takes them, one of 5 does not.
    const ids = `ids = torch.tensor([w2i[w] for w in text])\n`;
    assert.deepEqual(await codes(`${vocab}${ids}e = nn.Embedding(len(w2i), 4)(ids)\n`), []);
    assert.deepEqual(await codes(`${vocab}${ids}e = nn.Embedding(5, 4)(ids)\n`), ['SL108']);
  });

  it('reads a set enumerated with a start, keyed by the word or by the index', async () => {
    assert.equal(await shapeOf(`${HEAD}s = set(text)\nidx = {w: i + 2 for i, w in enumerate(s)}\nx = torch.zeros(len(idx), max(idx.values()))\n`, 'x'), '(6, ?)');
    assert.equal(await shapeOf(`${HEAD}s = set(text)\ni2w = {i: w for i, w in enumerate(s)}\nx = torch.zeros(len(i2w))\n`, 'x'), '(6,)');
  });

  it('takes no item of such a list for the one at an index: sorted by len, the last is the longest', async () => {
    const sents = `import torch\nsents = ['a b c', 'a', 'a b c d e']\n`;
    unknownLength(await shapeOf(`${sents}x = torch.zeros(len(sorted(sents, key=len)[-1]))\n`, 'x'));
    assert.equal(await shapeOf(`${sents}x = torch.zeros(len(sorted(sents, key=len)[:2]))\n`, 'x'), '(2,)');
    assert.equal(await shapeOf(`${sents}x = torch.zeros(len(sorted(sents)[-1]))\n`, 'x'), '(9,)');
  });

  it('gives up on a key that reads both the index and the word', async () => {
    unknownLength(await shapeOf(`${HEAD}s = set(text)\nd = {w + str(i): i for i, w in enumerate(s)}\nx = torch.zeros(len(d))\n`, 'x'));
  });
});
