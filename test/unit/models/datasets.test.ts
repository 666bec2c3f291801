// Datasets for running a model: formats, vocabulary, padding and truncation, and the checks that
// run before any batch does, each naming the sample that does not fit.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset, SequenceDataset } from '../../../src/evaluation/datasets';
import { readVocabulary, tokenize } from '../../../src/evaluation/datasets/vocabulary';
import { InputError } from '../../../src/evaluation/errors';
import type { InputSpec } from '../../../src/evaluation/models/types';
import { tempDir, tempFile } from './helpers';
import { npyBytes } from './make-fixtures';

const IDS: InputSpec = { kind: 'ids', length: null, features: null, vocabulary: 100 };

async function rows(dataset: SequenceDataset, size = 2): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of dataset.batches(size)) {
    for (let r = 0; r < batch.count; r++) out.push(Array.from(batch.ids!.subarray(r * batch.length, (r + 1) * batch.length)));
  }
  return out;
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

describe('datasets for a model run', () => {
  it('reads JSONL id lists and labels, pre-padding to the longest sample by default', async () => {
    const path = tempFile('d.jsonl', '{"ids": [5, 6, 7], "label": 1}\n{"ids": [8], "label": 0}\n\n{"input_ids": [9, 10], "y": 1}\n');
    const dataset = await openDataset(path, { input: IDS });
    assert.equal(dataset.n, 3);
    assert.equal(dataset.length, 3);
    assert.deepEqual(dataset.labels, [1, 0, 1]);
    assert.deepEqual(await rows(dataset), [[5, 6, 7], [0, 0, 8], [0, 9, 10]]);
    assert.equal(dataset.padded, 2);
  });

  it('post-pads and truncates from the end when told, with a fixed length and pad id', async () => {
    const path = tempFile('d.jsonl', '{"ids": [1, 2, 3, 4], "label": 0}\n{"ids": [5], "label": 1}\n');
    const dataset = await openDataset(path, { input: IDS, maxLength: 2, padding: 'post', truncating: 'post', padId: 99 });
    assert.deepEqual(await rows(dataset), [[1, 2], [5, 99]]);
    assert.equal(dataset.truncated, 1);
  });

  it("truncates from the front by default, as Keras' pad_sequences does", async () => {
    const path = tempFile('d.jsonl', '{"ids": [1, 2, 3, 4], "label": 0}\n');
    assert.deepEqual(await rows(await openDataset(path, { input: { ...IDS, length: 2 } })), [[3, 4]]);
  });

  it('reads CSV ids written as "[1, 2]" or "1 2", with text labels', async () => {
    const path = tempFile('d.csv', 'ids,label\n"[1, 2]",spam\n3 4,ham\n');
    const dataset = await openDataset(path, { input: IDS });
    assert.deepEqual(await rows(dataset), [[1, 2], [3, 4]]);
    assert.deepEqual(dataset.labels, ['spam', 'ham']);
  });

  it('tokenises raw text with a JSON vocabulary and its <unk> id, lower-casing and dropping punctuation', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify({ '<pad>': 0, '<unk>': 1, great: 2, movie: 3 }));
    writeFileSync(join(dir, 'd.jsonl'), '{"text": "Great movie!", "label": 1}\n{"text": "Awful MOVIE.", "label": 0}\n');
    const dataset = await openDataset(join(dir, 'd.jsonl'), { input: IDS, vocabPath: join(dir, 'vocab.json') });
    assert.equal(dataset.kind, 'text');
    assert.deepEqual(await rows(dataset), [[2, 3], [1, 3]]);
  });

  it('reads a one-token-a-line vocabulary with an explicit OOV id', () => {
    const path = tempFile('vocab.txt', '<pad>\nthe\ncat\n');
    const vocabulary = readVocabulary(path, { oovId: 7 });
    assert.deepEqual(tokenize('the dog', vocabulary), [1, 7]);
  });

  it('refuses a vocabulary without an out-of-vocabulary token unless --oov-id is given', () => {
    const path = tempFile('vocab.json', '{"the": 1}');
    assert.throws(() => readVocabulary(path), /no out-of-vocabulary token .* pass --oov-id N/);
  });

  it('names the sample, the position and the embedding size for an out-of-range id (seed 004)', async () => {
    const path = tempFile('d.jsonl', '{"ids": [1, 2], "label": 0}\n{"ids": [3, 100, 4], "label": 1}\n');
    await rejects(openDataset(path, { input: IDS }), /sample 1 \(line 2\): token id 100 at position 1 is out of range for the model's embedding of 100 rows \(ids must be 0 to 99\)/);
  });

  it('checks .npy ids against the embedding before running', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), npyBytes(Int32Array.from([1, 2, 3, 4, 5, 250]), [2, 3]));
    writeFileSync(join(dir, 'y.npy'), npyBytes(Int32Array.from([0, 1]), [2]));
    await rejects(openDataset(join(dir, 'x.npy'), { input: IDS }), /sample 1: token id 250 at position 2 is out of range/);
  });

  it('reads .npy features (N, T, F) with the labels beside them', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train_features.npy'), npyBytes(new Float32Array(2 * 3 * 4).map((_, i) => i), [2, 3, 4]));
    writeFileSync(join(dir, 'train_labels.npy'), npyBytes(Int32Array.from([1, 0]), [2]));
    const dataset = await openDataset(join(dir, 'train_features.npy'), { input: { kind: 'features', length: null, features: 4, vocabulary: null } });
    const batches = [];
    for await (const batch of dataset.batches(1)) batches.push(Array.from(batch.features!));
    assert.deepEqual(batches[1], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    assert.deepEqual(dataset.labels, [1, 0]);
  });

  it('compares the feature count and a fixed length with the model input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), npyBytes(new Float32Array(2 * 3 * 4), [2, 3, 4]));
    writeFileSync(join(dir, 'y.npy'), npyBytes(Int32Array.from([1, 0]), [2]));
    await rejects(openDataset(join(dir, 'x.npy'), { input: { kind: 'features', length: null, features: 5, vocabulary: null } }), /every sample has 4 features per step, but the model expects 5/);
    await rejects(openDataset(join(dir, 'x.npy'), { input: { kind: 'features', length: 10, features: 4, vocabulary: null } }), /every sample has 3 steps, but the model's input is fixed at 10/);
    await rejects(openDataset(join(dir, 'x.npy'), { input: IDS }), /\[2,3,4\] features, but the model takes token ids/);
  });

  it('names an unlabelled sample and a missing labels file', async () => {
    await rejects(openDataset(tempFile('d.jsonl', '{"ids": [1], "label": 0}\n{"ids": [2]}\n'), { input: IDS }), /sample 1 \(line 2\) has no label/);
    const dir = tempDir();
    writeFileSync(join(dir, 'tokens.npy'), npyBytes(Int32Array.from([1, 2]), [1, 2]));
    await rejects(openDataset(join(dir, 'tokens.npy'), { input: IDS }), /no labels: pass --labels FILE.npy/);
  });

  it('streams batches of the requested size, the last one short', async () => {
    const lines = Array.from({ length: 7 }, (_, i) => JSON.stringify({ ids: [i + 1], label: i % 2 })).join('\n');
    const dataset = await openDataset(tempFile('d.jsonl', lines), { input: IDS });
    const sizes = [];
    for await (const batch of dataset.batches(3)) sizes.push([batch.start, batch.count]);
    assert.deepEqual(sizes, [[0, 3], [3, 3], [6, 1]]);
  });
});
