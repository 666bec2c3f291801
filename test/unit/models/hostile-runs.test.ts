// Hostile inputs to a model run: a model that outputs NaN, layer sizes that cannot or should not
// be allocated, a dataset with one enormous sample, a .npy whose header lies, a corrupt HDF5 file.
// Each ends in one clear `file: cause` line; nothing crashes or allocates gigabytes first.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BATCH_BYTES, MAX_DATA_LENGTH, openDataset } from '../../../src/evaluation/datasets';
import { InputError } from '../../../src/evaluation/errors';
import { evaluateModel } from '../../../src/evaluation/models';
import { loadKerasModel } from '../../../src/evaluation/models/keras/load';
import { encodeSafetensors, parseSafetensors } from '../../../src/evaluation/models/safetensors';
import { useBackend } from '../../../src/evaluation/models/tf';
import { MAX_RANDOM_PARAMETERS } from '../../../src/evaluation/models/torch/layers';
import { verifyShapes } from '../../../src/evaluation/models/verify-shapes';
import type { InputSpec } from '../../../src/evaluation/models/types';
import { MODEL_FIXTURES, sharedAnalyzer, tempDir, tempFile, TORCH_FIXTURES } from './helpers';
import { npyBytes } from './make-fixtures';

const IDS: InputSpec = { kind: 'ids', length: null, features: null, vocabulary: null };

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<InputError> {
  let caught: InputError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String((error as Error)?.stack ?? error)}`);
    assert.match(error.message, pattern);
    caught = error;
    return true;
  });
  return caught!;
}

function gruModel(args: string): string {
  return tempFile('model.py', [
    'import torch.nn as nn',
    '',
    'class M(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    `        self.rnn = nn.GRU(${args}, batch_first=True)`,
    '        self.fc = nn.Linear(8, 2)',
    '',
    '    def forward(self, x):',
    '        out, h = self.rnn(x)',
    '        return self.fc(out[:, -1, :])',
    '',
  ].join('\n'));
}

describe('hostile inputs to a model run', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('reports a model whose output is NaN, naming the sample, instead of crashing on the table', async () => {
    const GRU = join(TORCH_FIXTURES, 'gru_last_step');
    const tensors = parseSafetensors(readFileSync(`${GRU}.safetensors`), 'w');
    const weights = tempFile('nan.safetensors', encodeSafetensors([...tensors.values()].map((t) => ({ name: t.name, shape: t.shape, values: t.values.map(() => NaN) }))));
    const error = await rejects(
      evaluateModel({ modelPath: `${GRU}.py`, dataPath: `${GRU}.inputs.npy`, load: { weightsPath: weights, analyzer: await sharedAnalyzer() }, backend: 'cpu' }),
      /the model's output for sample 0 of .*gru_last_step\.inputs\.npy is NaN/,
    );
    assert.equal(error.file, `${GRU}.py`);
  });

  it('refuses nn.GRU(0, 0) in Verify Shapes with the layer and its line', async () => {
    const path = gruModel('0, 0');
    const source = readFileSync(path, 'utf8');
    const analyzer = await sharedAnalyzer();
    assert.throws(() => verifyShapes({ path, source, analyzer }), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.line, 6);
      assert.match(error.message, /nn\.GRU 'rnn': input_size=0; it must be at least 1/);
      return true;
    });
    const hiddenZero = gruModel('8, 0');
    assert.throws(() => verifyShapes({ path: hiddenZero, source: readFileSync(hiddenZero, 'utf8'), analyzer }), /hidden_size=0; .*hidden_size must be greater than zero/);
  });

  it('refuses nn.GRU(8000, 8000) in Verify Shapes before allocating its 384 million parameters', async () => {
    const path = gruModel('8000, 8000');
    const analyzer = await sharedAnalyzer();
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(() => verifyShapes({ path, source: readFileSync(path, 'utf8'), analyzer }), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.line, 6);
      assert.match(error.message, /'rnn\.weight_ih_l0' \(24000, 8000\) holds 192,000,000 parameters \(768 MB as float32\)/);
      assert.match(error.message, new RegExp(`up to ${MAX_RANDOM_PARAMETERS.toLocaleString('en-US')} parameters`));
      return true;
    });
    assert.ok(process.memoryUsage().arrayBuffers - before < 100e6, 'nothing large was allocated');
  });

  it('refuses to pad every sample to one 2-million-token sample, naming it and --max-length', async () => {
    const huge = `{"ids": [${new Array(2_000_000).fill(1).join(',')}], "label": 1}`;
    const path = tempFile('d.jsonl', `{"ids": [1, 2], "label": 0}\n${huge}\n{"ids": [3], "label": 1}\n`);
    await rejects(openDataset(path, { input: IDS }), new RegExp(`sample 1 \\(line 2\\) has 2,000,000 tokens: .* at most ${MAX_DATA_LENGTH.toLocaleString('en-US')} on its own; pass --max-length N`));
    const truncated = await openDataset(path, { input: IDS, maxLength: 4 });
    assert.equal(truncated.length, 4);
    assert.equal(truncated.truncated, 1);
  });

  it('holds fewer samples in a batch when their padded length would pass the batch budget', async () => {
    const path = tempFile('d.jsonl', Array.from({ length: 40 }, (_, i) => `{"ids": [${i + 1}], "label": ${i % 2}}`).join('\n'));
    const length = 1_000_000;
    const dataset = await openDataset(path, { input: IDS, maxLength: length });
    const counts: number[] = [];
    for await (const batch of dataset.batches(256)) {
      counts.push(batch.count);
      assert.ok(batch.ids!.byteLength <= MAX_BATCH_BYTES);
    }
    const perBatch = Math.floor(MAX_BATCH_BYTES / (length * 4));
    assert.deepEqual(counts, [perBatch, perBatch, 40 - 2 * perBatch]);
  });

  it('refuses a .npy dataset whose header claims more rows than the file holds', async () => {
    const bytes = npyBytes(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [2, 5]);
    const text = bytes.toString('latin1').replace('(2, 5)', '(9, 5)');
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), Buffer.from(text, 'latin1'));
    await rejects(openDataset(join(dir, 'x.npy'), { input: IDS }), /declares \[9,5\] <i4 \(180 bytes of data\) but the file holds 40/);
    writeFileSync(join(dir, 'x.npy'), Buffer.from(bytes.toString('latin1').replace('(2, 5)', '(-2, 5)'), 'latin1'));
    await rejects(openDataset(join(dir, 'x.npy'), { input: IDS }), /x\.npy: .*negative dimension -2/);
  });

  it('reports a corrupt HDF5 file in one line, without the C library\'s error stack', async () => {
    const bytes = readFileSync(join(MODEL_FIXTURES, 'keras', 'gru_classic.h5'));
    const path = tempFile('broken.h5', bytes.subarray(0, 2000));
    const written: string[] = [];
    const original = { error: console.error, warn: console.warn, log: console.log, write: process.stderr.write };
    console.error = console.warn = console.log = (...parts: unknown[]) => { written.push(parts.join(' ')); };
    process.stderr.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      await rejects(loadKerasModel(path), /^.*broken\.h5: .*truncated file: eof = 2000/);
    } finally {
      Object.assign(console, { error: original.error, warn: original.warn, log: original.log });
      process.stderr.write = original.write;
    }
    assert.deepEqual(written.filter((w) => /HDF5-DIAG|major:|minor:/.test(w)), []);
  });
});

