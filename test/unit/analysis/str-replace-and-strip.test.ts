// str.replace of known strings, and str.lstrip/rstrip, as Python 3 gives them (each expected length checked there):
// a corpus read from a literal and cleaned with .replace("\n", " ") keeps its words, so a vocabulary built from them
// keeps its size.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const length = (expr: string) => `import torch\nx = torch.zeros(len(${expr}))\n`;

describe('str.replace', () => {
  it('replaces every occurrence, left to right and not overlapping, or the first count of them', async () => {
    assert.equal(await shapeOf(length("'all happy\\nfamilies'.replace('\\n', ' ').split()"), 'x'), '(3,)');
    assert.equal(await shapeOf(length("'all happy\\nfamilies'.replace('\\n', ' ')"), 'x'), '(18,)');
    assert.equal(await shapeOf(length("'aaaa'.replace('aa', 'b')"), 'x'), '(2,)');
    assert.equal(await shapeOf(length("'a,b,,c'.replace(',', '')"), 'x'), '(3,)');
    assert.equal(await shapeOf(length("'a.b.c'.replace('.', '::', 1)"), 'x'), '(6,)');
  });

  it('matches an empty string before each character and at the end', async () => {
    assert.equal(await shapeOf(length("'abc'.replace('', '-')"), 'x'), '(7,)');
    assert.equal(await shapeOf(length("'abc'.replace('', '-', 2)"), 'x'), '(5,)');
    assert.equal(await shapeOf(length("''.replace('', 'xy')"), 'x'), '(2,)');
  });

  it('gives unknown for a replacement or count it does not know', async () => {
    assert.equal(await shapeOf(`import random\nimport torch\nn = random.randint(0, 2)\nx = torch.zeros(len('a.b'.replace('.', '', n)))\n`, 'x'), '(?,)');
    assert.equal(await shapeOf(`import torch\ndef f(s):\n    return torch.zeros(len('a.b'.replace('.', s)))\nx = f(input())\n`, 'x'), '(?,)');
  });
});

describe('str.lstrip and str.rstrip', () => {
  it('strip whitespace on one side only', async () => {
    assert.equal(await shapeOf(length("'  a b '.lstrip()"), 'x'), '(4,)');
    assert.equal(await shapeOf(length("'  a b '.rstrip()"), 'x'), '(5,)');
  });
});
