// The plain Python the model executor runs around the tensors: string methods configuration code
// calls, str() as Python prints numbers, and statements continued with a backslash.
import { strict as assert } from 'node:assert';
import { Executor } from '../../../src/evaluation/models/torch/exec/interpreter';
import type { Value } from '../../../src/evaluation/models/torch/exec/values';
import { sharedAnalyzer } from './helpers';

/** Runs `body` as a method of an nn.Module and returns what it returns. */
async function run(body: string): Promise<Value> {
  const source = `import torch\nimport torch.nn as nn\n\n\nclass Cases(nn.Module):\n    def case(self):\n${body.split('\n').map((l) => `        ${l}`).join('\n')}\n`;
  const description = (await sharedAnalyzer()).describeModels(source, 'cases.py').find((d) => d.className === 'Cases');
  assert.ok(description, 'the analyser describes the class');
  const executor = new Executor(description.module, source);
  const cls = executor.classes.get('Cases')!;
  const self = executor.instantiate(cls, [], new Map(), { line: 1, text: 'Cases()' });
  const method = executor.findMethod(cls, 'case')!;
  return executor.callFunction(method.def, [], new Map(), self, method.owner, { line: 1, text: 'case()' });
}

async function runs(body: string, expected: unknown): Promise<void> {
  const out = await run(body);
  const plain = (v: Value): unknown => (v.kind === 'list' || v.kind === 'tuple' ? v.items.map(plain) : 'value' in v ? v.value : v.kind);
  assert.deepEqual(plain(out), expected);
}

async function refuses(body: string, pattern: RegExp): Promise<void> {
  await assert.rejects(run(body), (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

describe('the Python the model executor runs', () => {
  describe('str methods', () => {
    it('lower, upper and strip', async () => {
      await runs("return ['GRU'.lower(), 'lstm'.upper(), '  gru \\n'.strip(), '--x--'.strip('-'), 'ab '.rstrip(), ' ab'.lstrip()]", ['gru', 'LSTM', 'gru', 'x', 'ab', 'ab']);
    });

    it('startswith and endswith, with a tuple of prefixes', async () => {
      await runs("return ['lstm_2'.startswith('lstm'), 'gru'.startswith(('rnn', 'gr')), 'model.pt'.endswith('.pth')]", [true, true, false]);
    });

    it('split, join and replace', async () => {
      await runs("return ['a b  c'.split(), 'a,b'.split(','), '-'.join(['x', 'y']), 'a_b_c'.replace('_', '')]", [['a', 'b', 'c'], ['a', 'b'], 'x-y', 'abc']);
    });

    it('format fills positional and numbered fields', async () => {
      await runs("return ['layer{}_{}'.format(1, 'f'), '{1}{0}'.format('a', 'b'), '{{}}{}'.format(2.0)]", ['layer1_f', 'ba', '{}2.0']);
    });

    it('refuses a format spec rather than guessing it', async () => {
      await refuses("return '{:.2f}'.format(1.5)", /format field \{:\.2f\}/);
    });

    it('str() prints floats, bools and None as Python does', async () => {
      await runs('return [str(2.0), str(0.5), str(1e-05), str(1e16), str(True), str(None), str(7)]', ['2.0', '0.5', '1e-05', '1e+16', 'True', 'None', '7']);
    });
  });

  describe('backslash line joins', () => {
    it('an argument list continued with a backslash builds the layer with every argument', async () => {
      await runs('lstm = nn.LSTM(4, 8, 2, \\\n    batch_first=True)\nreturn [lstm.num_layers, lstm.batch_first]', [2, true]);
    });

    it('an expression continued with a backslash', async () => {
      await runs('n = 3 + \\\n    4\nreturn n', 7);
    });
  });
});
