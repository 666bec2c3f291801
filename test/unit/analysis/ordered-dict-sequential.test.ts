// dict(pairs) and collections.OrderedDict(pairs) hold the pairs they are given, in order, and nn.Sequential of such a
// dict applies its modules in that order (`nn.Sequential(OrderedDict([('fc1', nn.Linear(…)), ('relu', nn.ReLU())]))`).
// A dict that may hold entries it does not list gives a Sequential whose output is not claimed.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const header = ['import sys', 'import collections', 'from collections import OrderedDict', 'import torch', 'import torch.nn as nn', ''].join('\n');

describe('OrderedDict and dict of (name, value) pairs', () => {
  it('nn.Sequential of an OrderedDict of pairs applies its layers in order', async () => {
    const body = `${header}net = nn.Sequential(OrderedDict([('fc1', nn.Linear(10, 20)), ('act', nn.ReLU()), ('fc2', nn.Linear(20, 5))]))\ny = net(torch.randn(4, 10))\n`;
    assert.equal(await shapeOf(body, 'y'), '(4, 5)');
  });

  it('collections.OrderedDict with keyword entries, and dict of a tuple of pairs, are read the same way', async () => {
    const body = `${header}a = nn.Sequential(collections.OrderedDict(fc=nn.Linear(10, 3)))\nb = nn.Sequential(dict((('fc', nn.Linear(10, 7)),)))\ny = a(torch.randn(2, 10))\nz = b(torch.randn(2, 10))\n`;
    assert.equal(await shapeOf(body, 'y'), '(2, 3)');
    assert.equal(await shapeOf(body, 'z'), '(2, 7)');
  });

  it('a key given twice keeps its first place and takes the later value', async () => {
    // PyTorch 1.13 runs Linear(10, 30) then Linear(20, 4), and raises "mat1 and mat2 shapes cannot be multiplied (2x30 and 20x4)".
    const body = `${header}net = nn.Sequential(OrderedDict([('fc', nn.Linear(10, 20)), ('out', nn.Linear(20, 4)), ('fc', nn.Linear(10, 30))]))\ny = net(torch.randn(2, 10))\n`;
    assert.deepEqual(await codes(body), ['SL106']);
  });

  it('len and indexing of an OrderedDict of pairs are known', async () => {
    const body = `${header}d = OrderedDict([('a', 3), ('b', 5)])\nt = torch.zeros(len(d), d['b'])\n`;
    assert.equal(await shapeOf(body, 't'), '(2, 5)');
  });

  it('an OrderedDict filled under keys not known gives a Sequential whose output is not claimed', async () => {
    const body = `${header}layers = OrderedDict()\nfor name in sys.argv:\n    layers[name] = nn.Linear(10, 10)\nlayers['out'] = nn.Linear(10, 2)\nnet = nn.Sequential(layers)\ny = net(torch.randn(2, 10))\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
    assert.deepEqual(await codes(body), []);
  });

  it('pairs whose keys are not known strings leave the dict partial', async () => {
    const body = `${header}d = OrderedDict([(sys.argv[1], nn.Linear(10, 3))])\nnet = nn.Sequential(d)\ny = net(torch.randn(2, 10))\n`;
    assert.equal(await shapeOf(body, 'y'), undefined);
  });
});
