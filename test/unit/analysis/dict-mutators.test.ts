// dict.update, pop and clear replace or remove the entries a dict lists: `config.update(vars(args))` after a dict of
// defaults must not leave the defaults in place (a layer built from config['hidden'] would be checked against the
// wrong size), and an update from a mapping the analysis does not list may overwrite any key.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('dict.update, pop and clear', () => {
  it('update writes the entries and keywords it is given over the listed ones', async () => {
    const program = (update: string) => [
      'import torch', 'import torch.nn as nn',
      'config = dict(hidden=128, layers=2)',
      `config.update(${update})`,
      "y = nn.Linear(config['hidden'], 3)(torch.zeros(2, 5))",
      "x = torch.zeros(config['layers'], config['hidden'])",
      '',
    ].join('\n');
    assert.deepEqual(await codes(program('dict(hidden=5)')), []);
    assert.deepEqual(await codes(program("{'hidden': 4}")), ['SL106']);
    assert.equal(await shapeOf(program("[('hidden', 5)], layers=3"), 'x'), '(3, 5)');
  });

  it('an update from a mapping the analysis does not list leaves no entry known', async () => {
    const program = [
      'import torch', 'import torch.nn as nn',
      'config = dict(hidden=128)',
      'def run(args):',
      '    config.update(args)',
      "    return nn.Linear(config['hidden'], 3)(torch.zeros(2, 5))",
      '',
    ].join('\n');
    assert.deepEqual(await codes(program), []);
  });

  it('pop removes and gives back a named entry; clear removes them all', async () => {
    const program = [
      'import torch',
      "d = {'h': 6, 'w': 4}",
      "x = torch.zeros(d.pop('h'), 2)",
      "y = torch.zeros(d.get('h', 7), 2)",
      'd.clear()',
      "z = torch.zeros(d.get('w', 9), 2)",
      '',
    ].join('\n');
    assert.equal(await shapeOf(program, 'x'), '(6, 2)');
    assert.equal(await shapeOf(program, 'y'), '(7, 2)');
    assert.equal(await shapeOf(program, 'z'), '(9, 2)');
  });
});
