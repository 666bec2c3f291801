// docopt: `args = docopt(__doc__)` gives each option the `[default: …]` its description names, as a string, for the
// run given no command line (as argparse's parse_args() gives its defaults); every other key is unknown.
import { strict as assert } from 'node:assert';
import { docoptDefaults } from '../../../src/analysis/ops/docopt';
import { codes, shapeOf } from './helpers';

const USAGE = [
  '"""',
  'Usage:',
  '    run.py train --train-src=<file> [options]',
  '    run.py decode MODEL_PATH [options]',
  '',
  'Options:',
  '    -h --help                  show this screen.',
  '    --cuda                     use GPU',
  '    --train-src=<file>         train source file',
  '    --embed-size=<int>         embedding size [default: 256]',
  '    --hidden-size=<int>        hidden size',
  '                               [default: 512]',
  '    -d, --dropout <rate>       dropout [default: 0.3]',
  '"""',
].join('\n');

describe('docopt', () => {
  it('reads the defaults of the options that take an argument, by long name', () => {
    const doc = USAGE.slice(4, -4);
    assert.deepEqual([...docoptDefaults(doc)], [['--embed-size', '256'], ['--hidden-size', '512'], ['--dropout', '0.3']]);
  });

  const program = (call: string) =>
    `${USAGE}\nimport torch\nimport torch.nn as nn\nfrom docopt import docopt\n\n` +
    `args = ${call}\nrnn = nn.LSTM(int(args['--embed-size']), int(args['--hidden-size']), dropout=float(args['--dropout']))\n` +
    `x = torch.zeros(int(args['--embed-size']), 2)\ny = torch.zeros(2, int(args['--train-src']))\n`;

  it("gives docopt(__doc__)'s options their defaults, converted as the program converts them", async () => {
    assert.equal(await shapeOf(program('docopt(__doc__)'), 'x'), '(256, 2)');
    // A single-layer LSTM given a dropout: PyTorch warns that it does nothing.
    assert.deepEqual(await codes(program('docopt(__doc__)')), ['SL114']);
  });

  it('leaves an option without a default unknown', async () => {
    assert.equal(await shapeOf(program('docopt(__doc__)'), 'y'), '(2, ?)');
  });

  it('leaves every option unknown when the call gives a command line of its own', async () => {
    assert.equal(await shapeOf(program("docopt(__doc__, argv=['train', '--embed-size=8'])"), 'x'), '(?, 2)');
    assert.deepEqual(await codes(program('docopt(__doc__, sys.argv[2:])')), []);
  });

  it('leaves every option unknown when the usage text is not known', async () => {
    assert.equal(await shapeOf(program('docopt(open("usage.txt").read())'), 'x'), '(?, 2)');
  });
});
