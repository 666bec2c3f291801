// Taggers run per token: a model whose forward returns one label distribution per token, scored against
// per-token gold labels with the padding and ignored labels left out, against test/oracle/per_step.py
// (PyTorch 1.13 runs the tagger, scikit-learn 1.2 scores the tokens); the tagged JSON Lines that
// --predictions-out writes reads back to the same report.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import type { CliIO } from '../../../src/cli/io';
import { InputError } from '../../../src/evaluation/errors';
import { evaluateModel, ModelEvaluationOptions } from '../../../src/evaluation/models';
import { useBackend } from '../../../src/evaluation/models/tf';
import { evaluateTaggingFile } from '../../../src/evaluation/sequence/tagging/evaluate';
import type { TaggingResult } from '../../../src/evaluation/sequence/tagging/types';
import { sharedAnalyzer, tempDir, tempFile } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'per-step');
const IOB_TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'];

interface Expected {
  tokens: number;
  predictions: string[];
  accuracy: number;
  perTag: { tag: string; precision: number; recall: number; f1: number; support: number }[];
}

const expected = (name: string): Expected => JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8'));

async function run(name: string, options: Partial<ModelEvaluationOptions> & { weights?: string }): Promise<Awaited<ReturnType<typeof evaluateModel>>> {
  const { weights, ...rest } = options;
  return evaluateModel({
    modelPath: join(FIXTURES, `${name}.py`),
    dataPath: join(FIXTURES, `${name}.jsonl`),
    ...rest,
    load: { weightsPath: join(FIXTURES, weights ?? `${name}.safetensors`), analyzer: await sharedAnalyzer() },
    backend: 'cpu',
  });
}

function tagging(result: unknown): TaggingResult {
  const r = result as TaggingResult;
  assert.equal(r.task, 'sequence-labelling');
  return r;
}

function assertLikeSklearn(result: TaggingResult, want: Expected): void {
  assert.equal(result.n, want.tokens);
  assert.ok(Math.abs(result.tokenAccuracy - want.accuracy) <= 1e-12, `accuracy ${result.tokenAccuracy}, scikit-learn ${want.accuracy}`);
  assert.deepEqual(result.tags.perTag.map((t) => t.tag), want.perTag.map((t) => t.tag));
  result.tags.perTag.forEach((t, i) => {
    const w = want.perTag[i];
    assert.equal(t.support, w.support, `${t.tag} support`);
    for (const key of ['precision', 'recall', 'f1'] as const) assert.ok(Math.abs(t[key] - w[key]) <= 1e-12, `${t.tag} ${key} ${t[key]}, scikit-learn ${w[key]}`);
  });
}

function predictionsIn(path: string): string[] {
  return readFileSync(path, 'utf8').trim().split('\n').flatMap((line) => (JSON.parse(line) as { predictions: string[] }).predictions);
}

describe('taggers run per token', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('a batch-first BiLSTM tagger (.pt weights, IOB2 tag strings, padding_idx 0, labels of -100 left out): PyTorch\'s argmax on every token, scikit-learn\'s scores', async () => {
    const want = expected('tagger_bilstm');
    const out = join(tempDir(), 'tags.jsonl');
    const { result, model } = await run('tagger_bilstm', { weights: 'tagger_bilstm.pt', dataset: { padding: 'post' }, engine: { classNames: IOB_TAGS }, predictionsOut: out });
    const r = tagging(result);
    assertLikeSklearn(r, want);
    assert.deepEqual(predictionsIn(out), want.predictions);
    assert.equal(model.perStep?.task, 'tagging');
    assert.ok(model.notes.some((n) => /^a tagger: forward returns one output per token over 7 classes, not its input vocabulary of 29/.test(n)), model.notes.join('\n'));
    assert.ok(model.notes.some((n) => /padding_idx/.test(n)));
    // IOB2 tags: entity-level scores as the sequence evaluation gives them, the same from the written file.
    assert.ok(r.entities.perType.length > 0);
    const again = await evaluateTaggingFile(out);
    assert.deepEqual({ ...again, source: undefined }, { ...r, source: undefined });
  });

  it('a time-major bidirectional GRU tagger whose log_softmax is flattened to (T·B, C), on (N, T) .npy ids and labels with --pad-id', async () => {
    const want = expected('tagger_time_major');
    const out = join(tempDir(), 'tags.jsonl');
    const { result, model } = await run('tagger_time_major', { dataPath: join(FIXTURES, 'tagger_time_major.ids.npy'), dataset: { padId: 0 }, predictionsOut: out });
    const r = tagging(result);
    assertLikeSklearn(r, want);
    assert.deepEqual(predictionsIn(out), want.predictions);
    assert.ok(model.notes.some((n) => /the classes have no names/.test(n)));
  });

  it('refuses padded sequences when the pad id is not known, naming --pad-id', async () => {
    const data = tempFile('tags.jsonl', '{"ids": [3, 4, 5], "tags": [0, 1, 2]}\n{"ids": [6], "tags": [3]}\n');
    await assert.rejects(run('tagger_time_major', { dataPath: data }), (error: unknown) => error instanceof InputError && /pad id is not known/.test(error.message) && /--pad-id/.test(error.message));
  });

  it('a model whose classes are not its vocabulary, run on data without per-token labels, is refused as a tagger that needs them', async () => {
    const data = tempFile('ids.jsonl', '{"ids": [3, 4, 5]}\n{"ids": [6, 7, 8]}\n');
    await assert.rejects(run('tagger_time_major', { dataPath: data }), (error: unknown) => error instanceof InputError && /a tagger, scored against one gold label per token/.test(error.message));
  });

  it('tag strings need the class names, and a tag outside them is named', async () => {
    await assert.rejects(run('tagger_bilstm', { dataset: { padding: 'post' } }), (error: unknown) => error instanceof InputError && /--class-names/.test(error.message));
    await assert.rejects(run('tagger_bilstm', { dataset: { padding: 'post' }, engine: { classNames: ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'] } }), (error: unknown) => error instanceof InputError && /the tag 'B-ORG'/.test(error.message));
  });

  it('a label given with --ignore-label is left out like -100', async () => {
    const full = tagging((await run('tagger_bilstm', { dataset: { padding: 'post' }, engine: { classNames: IOB_TAGS } })).result);
    const without = tagging((await run('tagger_bilstm', { dataset: { padding: 'post', ignoreLabel: 'O' }, engine: { classNames: IOB_TAGS } })).result);
    const gold = full.tags.perTag.find((t) => t.tag === 'O')!.support;
    assert.ok(gold > 0);
    assert.equal(without.n, full.n - gold);
    assert.equal(without.tags.perTag.find((t) => t.tag === 'O')?.support ?? 0, 0);
  });

  it('seqlens eval --model on a tagger prints the sequence-labelling report and writes a file that seqlens eval reads to the same figures', async () => {
    const out = join(tempDir(), 'tags.jsonl');
    let text = '';
    const io: CliIO = { out: (t) => { text += t; }, err: (t) => { text += t; } };
    const args = ['--model', join(FIXTURES, 'tagger_bilstm.py'), '--weights', join(FIXTURES, 'tagger_bilstm.safetensors'), '--data', join(FIXTURES, 'tagger_bilstm.jsonl'), '--padding', 'post', '--class-names', IOB_TAGS.join(','), '--backend', 'cpu'];
    assert.equal(await runEval([...args, '--format', 'json', '--predictions-out', out], io), 0, text);
    const json = JSON.parse(text);
    assert.equal(json.task, 'sequence-labelling');
    assert.ok(Math.abs(json.tokenAccuracy - expected('tagger_bilstm').accuracy) <= 1e-12);
    text = '';
    assert.equal(await runEval([out, '--format', 'json'], io), 0, text);
    const again = JSON.parse(text);
    assert.deepEqual(again.tags, json.tags);
    assert.deepEqual(again.entities, json.entities);
    text = '';
    assert.equal(await runEval([...args, '--predictions-out', join(tempDir(), 'tags.csv')], io), 2);
    assert.match(text, /name the file \.jsonl/);
  });
});
