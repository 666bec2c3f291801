// argparse given a command line the program writes out (`parser.parse_args(['--hidden', '40'])`): the plain forms are
// read as argparse reads them, anything else leaves every value unknown. Each expected value was printed by Python 3's
// argparse for the same parser and command line.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const PARSER = [
  'import argparse',
  'import torch',
  'import torch.nn as nn',
  'p = argparse.ArgumentParser()',
  "p.add_argument('--hidden', type=int, default=20)",
  "p.add_argument('--lr', type=float, default=0.1)",
  "p.add_argument('--bi', action='store_true')",
  "p.add_argument('--cell', type=str, default='LSTM', choices=['LSTM', 'GRU'])",
  "p.add_argument('--shift', type=int, default=0)",
].join('\n');

const hiddenOf = (line: string) => shapeOf(`${PARSER}\nargs = p.parse_args(${line})\nx = torch.zeros(args.hidden, 2)\n`, 'x');

describe('argparse reading a command line written in the program', () => {
  it('an option given as --name value or --name=value takes the value, converted by its type', async () => {
    assert.equal(await hiddenOf("['--hidden', '40']"), '(40, 2)');
    assert.equal(await hiddenOf("['--hidden=40']"), '(40, 2)');
    assert.equal(await hiddenOf("args=['--hidden', '40']"), '(40, 2)');
  });

  it('the last occurrence of an option wins, and options the line does not name keep their defaults', async () => {
    assert.equal(await hiddenOf("['--hidden', '3', '--hidden', '5']"), '(5, 2)');
    assert.equal(await hiddenOf("['--bi']"), '(20, 2)');
  });

  it('store_true sets True, floats and negative numbers are values', async () => {
    const body = `${PARSER}\nargs = p.parse_args(['--bi', '--lr', '1e-3', '--shift', '-2'])\nx = torch.zeros(2 if args.bi else 1, int(args.lr * 1000), args.shift + 5)\n`;
    assert.equal(await shapeOf(body, 'x'), '(2, 1, 3)');
  });

  it('a value among the choices is read; one outside them (argparse exits) leaves every value unknown', async () => {
    const body = (cell: string) => `${PARSER}\nargs = p.parse_args(['--cell', '${cell}', '--hidden', '7'])\nx = torch.zeros(len(args.cell), args.hidden)\n`;
    assert.equal(await shapeOf(body('GRU'), 'x'), '(3, 7)');
    const outside = await shapeOf(body('RNN'), 'x');
    assert.ok(outside === undefined || !/7/.test(outside), String(outside));
  });

  it('positionals of one value each take the tokens no option takes, in the order they were added', async () => {
    const withPositionals = (line: string) => `${PARSER}\np.add_argument('path')\np.add_argument('mode', type=int)\nargs = p.parse_args(${line})\nx = torch.zeros(args.hidden, args.mode, len(args.path))\n`;
    // Namespace(path='data/', hidden=40, mode=3) both ways, as Python's argparse prints.
    assert.equal(await shapeOf(withPositionals("['data/', '--hidden', '40', '3']"), 'x'), '(40, 3, 5)');
    assert.equal(await shapeOf(withPositionals("['--hidden', '40', 'data/', '--bi', '3']"), 'x'), '(40, 3, 5)');
    // A positional left without its token, or a token too many: argparse exits, so nothing is read.
    for (const line of ["['data/', '--hidden', '40']", "['a', '3', 'b']", "['data/', 'x', '--hidden', '40']"]) {
      const shape = await shapeOf(withPositionals(line), 'x');
      assert.ok(shape === undefined || !/40/.test(shape), `${line}: ${shape}`);
    }
  });

  it('forms argparse interprets further leave every value unknown: an abbreviation, a value int() refuses, a token no positional takes, nargs', async () => {
    for (const line of ["['--hid', '40']", "['--hidden', '2.5']", "['--hidden', '40', 'extra']"]) {
      const shape = await hiddenOf(line);
      assert.ok(shape === undefined || !/^\((20|40), 2\)$/.test(shape), `${line}: ${shape}`);
    }
    const withNargs = `${PARSER}\np.add_argument('--sizes', type=int, nargs='+', default=[1])\nargs = p.parse_args(['--hidden', '40'])\nx = torch.zeros(args.hidden, 2)\n`;
    const shape = await shapeOf(withNargs, 'x');
    assert.ok(shape === undefined || !/^\((20|40), 2\)$/.test(shape), String(shape));
    const positionalNargs = `${PARSER}\np.add_argument('files', nargs='*')\nargs = p.parse_args(['a', '--hidden', '40'])\nx = torch.zeros(args.hidden, 2)\n`;
    const positionalShape = await shapeOf(positionalNargs, 'x');
    assert.ok(positionalShape === undefined || !/^\((20|40), 2\)$/.test(positionalShape), String(positionalShape));
  });

  it('an option whose type the analysis cannot run (a lambda) stores an unknown value, and the rest of the line is read', async () => {
    const program = [
      'import argparse', 'import torch',
      'p = argparse.ArgumentParser()',
      "p.add_argument('--hidden', type=int, default=20)",
      "p.add_argument('--att', type=lambda x: (str(x).lower() == 'true'), default=True)",
      "p.add_argument('--size', type=lambda x: int(x) * 2, default='3')",
      "args = p.parse_args(['--att', 'false', '--hidden', '40'])",
      'x = torch.zeros(args.hidden, 2)',
      'y = torch.zeros(args.size, 2)',
      'z = torch.zeros(2) if args.att else torch.zeros(3)',
      '',
    ].join('\n');
    assert.equal(await shapeOf(program, 'x'), '(40, 2)');
    // argparse runs the type on a string default too: 6 here, which the analysis does not compute.
    assert.notEqual(await shapeOf(program, 'y'), '(3, 2)');
    assert.notEqual(await shapeOf(program, 'z'), '(2)');
  });

  it("an encoder output viewed with the hidden size instead of the LSTM's input size is caught when the command line sets them apart", async () => {
    const program = (line: string) => [
      'import argparse', 'import torch', 'import torch.nn as nn',
      'parser = argparse.ArgumentParser()',
      "parser.add_argument('--emsize', type=int, default=32)",
      "parser.add_argument('--nhid', type=int, default=32)",
      `args = parser.parse_args(${line})`,
      'encoder = nn.Linear(2, args.emsize)',
      'rnn = nn.LSTM(args.emsize, args.nhid, 2)',
      'x = torch.randn(50, 16, 2)',
      'emb = encoder(x.view(-1, 2)).view(-1, 16, args.nhid)',
      'out, h = rnn(emb)',
      '',
    ].join('\n');
    // PyTorch 1.13: "input.size(-1) must be equal to input_size. Expected 64, got 32".
    assert.ok((await codes(program("['--emsize', '64', '--nhid', '32']"))).includes('SL101'));
    assert.deepEqual((await codes(program('[]'))).filter((c) => c === 'SL101'), []);
  });
});
