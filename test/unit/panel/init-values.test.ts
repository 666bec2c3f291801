// The editor's prompt for constructor values: what `seqlens eval` asks for when a model cannot be
// built without them, the input box's starting text and checks, and the run again with --init.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import { checkInitAnswer, initOf, initTemplate, parseValuesNeeded, withInit } from '../../../src/extension/init-values';
import { useBackend } from '../../../src/evaluation/models/tf';
import { TORCH_FIXTURES } from '../models/helpers';

const SIZES = join(TORCH_FIXTURES, 'sizes');

async function evalCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEval(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('constructor values asked for in the editor', () => {
  before(() => useBackend('cpu'));

  it('seqlens eval --format json names the values it needs on stdout (exit 2), and runs once the answer is given with --init', async () => {
    const args = ['--model', join(SIZES, 'gru_layers_from_weights.py'), '--verify-shapes', '--backend', 'cpu', '--format', 'json'];
    const refused = await evalCli(args);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /give them with --init input_size=N,hidden_size=N,num_layers=N,n_classes=N/);
    const needed = parseValuesNeeded(refused.out);
    assert.ok(needed, refused.out);
    assert.deepEqual(needed.names, ['input_size', 'hidden_size', 'num_layers', 'n_classes']);
    assert.match(needed.message, /gru_layers_from_weights\.py:\d+: /);
    assert.doesNotMatch(needed.cause, /gru_layers_from_weights\.py/);
    // What the user would type into the box, starting from its template.
    const template = initTemplate(needed.names, initOf(args));
    assert.equal(template, 'input_size=,hidden_size=,num_layers=,n_classes=');
    assert.equal(checkInitAnswer(needed.names, template), 'give input_size=VALUE, hidden_size=VALUE, num_layers=VALUE, n_classes=VALUE');
    const answer = 'input_size=5,hidden_size=9,num_layers=2,n_classes=4';
    assert.equal(checkInitAnswer(needed.names, answer), undefined);
    const ran = await evalCli(withInit(args, answer));
    assert.equal(ran.code, 0, ran.err);
    assert.deepEqual(JSON.parse(ran.out).rows.at(-1).realShape, [3, 4]);
  });

  it('a refusal that needs no values prints nothing on stdout', async () => {
    const refused = await evalCli(['--model', join(SIZES, 'no-such-model.py'), '--verify-shapes', '--format', 'json']);
    assert.equal(refused.code, 2);
    assert.equal(refused.out, '');
    assert.equal(parseValuesNeeded(refused.out), undefined);
  });

  it('keeps the values given before, adds the missing names, and replaces every earlier --init', () => {
    const args = ['--model', 'm.py', '--init', 'vocab=100', '--data', 'd.jsonl', '--init=hidden=8'];
    assert.equal(initOf(args), 'vocab=100,hidden=8');
    assert.equal(initTemplate(['hidden', 'layers'], initOf(args)), 'vocab=100,hidden=8,layers=');
    assert.deepEqual(withInit(args, 'vocab=100,hidden=8,layers=2'), ['--model', 'm.py', '--data', 'd.jsonl', '--init', 'vocab=100,hidden=8,layers=2']);
  });

  it('checks an answer as --init reads it: every needed name, NAME=VALUE parts, values it takes', () => {
    assert.equal(checkInitAnswer(['args.hidden'], 'args.hidden=128'), undefined);
    assert.equal(checkInitAnswer(['rnn_type'], "rnn_type='LSTM'"), undefined);
    assert.equal(checkInitAnswer(['a', 'b'], 'a=1'), 'give b=VALUE');
    assert.match(checkInitAnswer(['a'], 'a=1,2b=3') ?? '', /'2b=3' is not name=value/);
    assert.match(checkInitAnswer(['a'], 'a=[1]') ?? '', /a=\[1\]: the value must be a number, True, False, None or a string/);
    assert.equal(parseValuesNeeded('{"valuesNeeded": 3}\nnot json'), undefined);
  });
});
