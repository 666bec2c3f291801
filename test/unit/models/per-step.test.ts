// Language models run per step: each token scored from the outputs at the step before it, padding left
// out only when the pad id is known, against test/oracle/per_step.py (PyTorch 1.13 runs the model, NumPy
// scores the shifted input in float64); the per-token file --predictions-out writes reads back to the
// same perplexity.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import type { CliIO } from '../../../src/cli/io';
import { evaluate } from '../../../src/evaluation/evaluate';
import { InputError } from '../../../src/evaluation/errors';
import { evaluateModel } from '../../../src/evaluation/models';
import { useBackend } from '../../../src/evaluation/models/tf';
import { sharedAnalyzer, tempDir } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'per-step');

interface Expected { tokens: number; crossEntropy: number; perplexity: number }

const expected = (name: string): Expected => JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8'));

async function run(name: string, padId?: number, predictionsOut?: string) {
  return evaluateModel({
    modelPath: join(FIXTURES, `${name}.py`),
    dataPath: join(FIXTURES, `${name}.jsonl`),
    load: { weightsPath: join(FIXTURES, `${name}.safetensors`), analyzer: await sharedAnalyzer() },
    dataset: padId === undefined ? {} : { padId },
    backend: 'cpu',
    predictionsOut,
  });
}

describe('language models run per step', () => {
  before(async () => {
    await useBackend('cpu');
  });

  for (const [name, padId, what] of [
    ['lm_padded', undefined, '(B, T, V) logits, padding_idx 0 leaves the padding out'],
    ['lm_time_major_flat', undefined, 'a time-major GRU whose log_softmax output is flattened to (T·B, V), equal lengths and no pad id'],
    ['lm_attention_no_pad', 0, 'softmax probabilities from causal attention, the pad id given with --pad-id'],
  ] as const) {
    it(`${name}: ${what}, perplexity as PyTorch and NumPy give it`, async () => {
      const want = expected(name);
      const out = join(tempDir(), 'tokens.csv');
      const { result, model } = await run(name, padId, out);
      assert.equal(result.task, 'language-model');
      if (result.task !== 'language-model') return;
      assert.equal(model.perStep?.task, 'language-model');
      const rows = readFileSync(out, 'utf8').trim().split('\n');
      assert.equal(rows[0], 'seq_id,position,token,logprob');
      assert.equal(rows.length - 1, want.tokens);
      assert.ok(Math.abs(result.crossEntropy - want.crossEntropy) <= 1e-5, `cross-entropy ${result.crossEntropy}, PyTorch/NumPy ${want.crossEntropy}`);
      assert.ok(Math.abs(result.perplexity - want.perplexity) / want.perplexity <= 1e-5, `perplexity ${result.perplexity}, PyTorch/NumPy ${want.perplexity}`);
      // The per-token file, evaluated on its own, is the same report.
      const again = await evaluate(out, { backend: 'cpu' });
      assert.equal(again.task, 'language-model');
      if (again.task === 'language-model') {
        assert.equal(again.perplexity, result.perplexity);
        assert.equal(again.sequences, result.sequences);
      }
    });
  }

  it('refuses sequences of different lengths when the pad id is not known, naming --pad-id', async () => {
    await assert.rejects(run('lm_attention_no_pad'), (error: unknown) => error instanceof InputError && /pad id is not known/.test(error.message) && /--pad-id/.test(error.message));
  });

  it('seqlens eval --model on a language model prints its perplexity', async () => {
    let out = '';
    const io: CliIO = { out: (t) => { out += t; }, err: () => undefined };
    const code = await runEval(['--model', join(FIXTURES, 'lm_padded.py'), '--weights', join(FIXTURES, 'lm_padded.safetensors'), '--data', join(FIXTURES, 'lm_padded.jsonl'), '--format', 'json', '--backend', 'cpu'], io);
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.equal(json.task, 'language-model');
    assert.ok(Math.abs(json.perplexity - expected('lm_padded').perplexity) / expected('lm_padded').perplexity <= 1e-5);
  });
});
