// collections.namedtuple and typing.NamedTuple's call form make classes whose instances are tuples with named fields:
// a batch holder (`Batch(src, trg)`, then `batch.src`), a config (`Cfg(hidden=64, layers=2)`), unpacked or indexed.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = `import torch
import torch.nn as nn
import collections
import typing
from collections import namedtuple
`;

describe('namedtuple classes', () => {
  it('reads a field by name, by position and by unpacking', async () => {
    const program = `${HEAD}Batch = namedtuple('Batch', ['src', 'trg'])
b = Batch(torch.zeros(8, 20), trg=torch.zeros(8, 15))
a = b.src
c = b[1]
d, e = b
`;
    assert.equal(await shapeOf(program, 'a'), '(8, 20)');
    assert.equal(await shapeOf(program, 'c'), '(8, 15)');
    assert.equal(await shapeOf(program, 'd'), '(8, 20)');
    assert.equal(await shapeOf(program, 'e'), '(8, 15)');
  });

  it('takes field names as one string, with defaults for the last fields, and _replace', async () => {
    const program = `${HEAD}Cfg = collections.namedtuple('Cfg', 'hidden layers, drop', defaults=(2, 0.1))
cfg = Cfg(64)
h = torch.zeros(cfg.layers, 4, cfg.hidden)
wide = cfg._replace(hidden=128)
w = torch.zeros(wide.hidden, wide.layers)
`;
    assert.equal(await shapeOf(program, 'h'), '(2, 4, 64)');
    assert.equal(await shapeOf(program, 'w'), '(128, 2)');
  });

  it("follows typing.NamedTuple's call form", async () => {
    const program = `${HEAD}Dims = typing.NamedTuple('Dims', [('emb', int), ('hid', int)])
dims = Dims(32, hid=16)
x = torch.zeros(dims.hid, dims.emb)
`;
    assert.equal(await shapeOf(program, 'x'), '(16, 32)');
  });

  it('binds the fields of a class that extends the namedtuple, whose methods read them', async () => {
    const program = `${HEAD}class Size(namedtuple('Size', 'rows cols')):
    def grid(self):
        return torch.zeros(self.rows, self.cols)
g = Size(3, cols=5).grid()
`;
    assert.equal(await shapeOf(program, 'g'), '(3, 5)');
  });

  it('reports an LSTM sized from a namedtuple config given the wrong input width', async () => {
    const program = (width: number) => `${HEAD}Cfg = namedtuple('Cfg', ['emb', 'hidden'])
cfg = Cfg(emb=100, hidden=64)
rnn = nn.LSTM(cfg.emb, cfg.hidden, batch_first=True)
out, _ = rnn(torch.zeros(4, 12, ${width}))
`;
    assert.ok((await codes(program(64))).includes('SL101'));
    assert.deepEqual(await codes(program(100)), []);
  });

  it('makes nothing of a call Python refuses, or of names it refuses', async () => {
    // A missing field, an unknown keyword, too many arguments: TypeError, no tuple.
    for (const call of ['Batch(2)', 'Batch(2, lengths=3)', 'Batch(2, 3, 4)']) {
      assert.notEqual(await shapeOf(`${HEAD}Batch = namedtuple('Batch', 'src trg')\nb = ${call}\nx = torch.zeros(b.src)\n`, 'x'), '(2,)', call);
    }
    assert.equal(await shapeOf(`${HEAD}Batch = namedtuple('Batch', 'src trg')\nb = Batch(2, 3)\nx = torch.zeros(b.src)\n`, 'x'), '(2,)');
    // A repeated name, a leading underscore, a keyword: ValueError, no class.
    for (const names of ["'a a'", "['a', '_b']", "'a def'"]) {
      assert.notEqual(await shapeOf(`${HEAD}P = namedtuple('P', ${names}, defaults=(1, 2))\np = P()\nx = torch.zeros(p[0])\n`, 'x'), '(1,)', names);
    }
    assert.equal(await shapeOf(`${HEAD}P = namedtuple('P', 'a b', defaults=(1, 2))\np = P()\nx = torch.zeros(p[0])\n`, 'x'), '(1,)');
    assert.equal(await shapeOf(`${HEAD}P = namedtuple('P', 'a a', rename=True, defaults=(1, 2))\np = P()\nx = torch.zeros(p._1)\n`, 'x'), '(2,)');
  });

  it('binds no field of a subclass with its own __new__, whose arguments are not the fields', async () => {
    const program = `${HEAD}class Batch(namedtuple('Batch', 'src lengths')):
    def __new__(cls, lengths, src):
        return super().__new__(cls, src, lengths)
b = Batch(torch.zeros(3), torch.zeros(3, 7))
x = b.src
`;
    assert.notEqual(await shapeOf(program, 'x'), '(3,)');
  });
});
