// Running a model on a dataset: predictions into the evaluation engine and the predictions CSV,
// progress, cancellation, the CLI, and "Verify shapes".
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import type { CliIO } from '../../../src/cli/io';
import { openDataset } from '../../../src/evaluation/datasets';
import { InputError } from '../../../src/evaluation/errors';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { evaluateModel, evaluateModelInWorker, loadModel } from '../../../src/evaluation/models';
import { CancelledError, runModel } from '../../../src/evaluation/models/run';
import { useBackend } from '../../../src/evaluation/models/tf';
import { agreesWith, verifyShapes } from '../../../src/evaluation/models/verify-shapes';
import { MODEL_FIXTURES, sharedAnalyzer, tempDir, tempFile, TORCH_FIXTURES } from './helpers';
import { npyBytes } from './make-fixtures';

const GRU = join(TORCH_FIXTURES, 'gru_last_step');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; } };
  const code = await runEval(args, io);
  return { code, out, err };
}

describe('running a model on a dataset', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('evaluates a PyTorch model: labels that are its own argmax give accuracy 1 and a diagonal matrix', async () => {
    const evaluation = await evaluateModel({
      modelPath: `${GRU}.py`, dataPath: `${GRU}.inputs.npy`, load: { weightsPath: `${GRU}.safetensors`, analyzer: await sharedAnalyzer() }, backend: 'cpu',
    });
    const { result } = evaluation;
    assert.equal(result.task, 'classification');
    if (result.task !== 'classification') return;
    assert.equal(result.accuracy, 1);
    assert.deepEqual(result.labels, [0, 1, 2]);
    assert.deepEqual(result.confusionMatrix, [[3, 0, 0], [0, 3, 0], [0, 0, 10]]);
    assert.ok(result.scores && Number.isFinite(result.scores.logLoss));
    assert.equal(evaluation.model.readouts![0], 'last step out[:, -1, :]');
    assert.equal(evaluation.backend, 'cpu');
  });

  it('reports progress after every batch and stops when cancelled', async () => {
    const model = await loadModel(`${GRU}.py`, { weightsPath: `${GRU}.safetensors`, analyzer: await sharedAnalyzer() });
    const dataset = await openDataset(`${GRU}.inputs.npy`, { input: model.summary.input });
    const seen: number[] = [];
    const predictions = await runModel(model, dataset, { batchSize: 5, onProgress: (done) => seen.push(done) });
    assert.deepEqual(seen, [5, 10, 15, 16]);
    assert.equal(predictions.probabilities.length, 16 * 3);
    const controller = new AbortController();
    await assert.rejects(
      runModel(model, dataset, { batchSize: 5, signal: controller.signal, onProgress: (done) => { if (done >= 10) controller.abort(); } }),
      (error: unknown) => error instanceof CancelledError && /cancelled after 10 of 16 samples/.test(error.message),
    );
    model.dispose();
  });

  it('turns a single sigmoid output into two class probabilities', async () => {
    const dir = join(MODEL_FIXTURES, 'keras');
    const model = await loadModel(join(MODEL_FIXTURES, 'tfjs', 'feature_rnn', 'model.json'));
    const expected = readNpyFile(join(dir, 'feature_rnn.expected.npy')).data as Float32Array;
    // Labels: the class the model predicts, so every probability can be checked against tfjs'.
    const labelsPath = tempFile('y.npy', npyBytes(Int32Array.from(expected, (p) => (p >= 0.5 ? 1 : 0)), [expected.length]));
    const dataset = await openDataset(join(dir, 'feature_rnn.inputs.npy'), { input: model.summary.input, labelsPath });
    const predictions = await runModel(model, dataset);
    model.dispose();
    assert.deepEqual(predictions.classes, [0, 1]);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(predictions.probabilities[2 * i + 1] - expected[i]) < 1e-6);
      assert.ok(Math.abs(predictions.probabilities[2 * i] - (1 - expected[i])) < 1e-6);
    }
  });

  describe('in a child process', () => {
    it('evaluates with progress after every batch', async () => {
      const seen: number[] = [];
      const evaluation = await evaluateModelInWorker(
        { modelPath: `${GRU}.py`, dataPath: `${GRU}.inputs.npy`, load: { weightsPath: `${GRU}.safetensors` }, run: { batchSize: 4 }, backend: 'cpu' },
        { onProgress: (done) => seen.push(done) },
      );
      assert.deepEqual(seen, [4, 8, 12, 16]);
      assert.equal(evaluation.result.task === 'classification' && evaluation.result.accuracy, 1);
      assert.equal(evaluation.predictions.probabilities.length, 48);
      assert.equal(evaluation.model.name, 'GRULastStep');
    });

    it('stops between batches when cancelled', async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ids: [1 + (i % 40), 2, 3, 4, 5, 6], label: i % 3 }));
      const data = tempFile('many.jsonl', lines.join('\n'));
      const controller = new AbortController();
      let last = 0;
      await assert.rejects(
        evaluateModelInWorker(
          { modelPath: `${GRU}.py`, dataPath: data, load: { weightsPath: `${GRU}.safetensors` }, run: { batchSize: 10 }, backend: 'cpu' },
          { signal: controller.signal, onProgress: (done) => { last = done; controller.abort(); } },
        ),
        (error: unknown) => error instanceof CancelledError,
      );
      assert.ok(last > 0 && last < 3000, `cancelled after ${last}`);
    });

    it('passes an input error back with its file and message', async () => {
      const data = tempFile('d.jsonl', '{"ids": [1, 99], "label": 0}\n');
      await assert.rejects(
        evaluateModelInWorker({ modelPath: `${GRU}.py`, dataPath: data, load: { weightsPath: `${GRU}.safetensors` }, backend: 'cpu' }),
        (error: unknown) => error instanceof InputError && error.file === data && /token id 99 at position 1/.test(error.message),
      );
    });
  });

  describe('seqlens eval --model', () => {
    it('prints the Keras-style model summary beside the report, and writes the predictions CSV', async () => {
      const csv = join(tempDir(), 'predictions.csv');
      const { code, out, err } = await cli(['--model', `${GRU}.py`, '--weights', `${GRU}.safetensors`, '--data', `${GRU}.inputs.npy`, '--predictions-out', csv, '--backend', 'cpu']);
      assert.equal(err, '');
      assert.equal(code, 0);
      assert.match(out, /Model: "GRULastStep" \(torch, .*gru_last_step\.py\)/);
      assert.match(out, /gru \(GRU\) +\(None, None, 12\) +792/);
      assert.match(out, /Readout: last step out\[:, -1, :\]/);
      assert.match(out, /accuracy {26}1\.000 {8}16/);
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'index,y_true,y_pred,prob_0,prob_1,prob_2');
      assert.equal(lines.length, 17);
      const [index, truth, predicted, ...probabilities] = lines[1].split(',').map(Number);
      assert.equal(index, 0);
      assert.equal(truth, predicted);
      assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    });

    it('the predictions CSV evaluates to the same report as the model run', async () => {
      const csv = join(tempDir(), 'predictions.csv');
      const run = await cli(['--model', join(MODEL_FIXTURES, 'keras', 'bigru_two_layers.keras'), '--data', join(MODEL_FIXTURES, 'keras', 'bigru_two_layers.inputs.npy'), '--format', 'json', '--predictions-out', csv, '--backend', 'cpu']);
      assert.equal(run.code, 0, run.err);
      const fromModel = JSON.parse(run.out);
      const fromFile = JSON.parse((await cli([csv, '--format', 'json', '--backend', 'cpu'])).out);
      const { model, ...report } = fromModel;
      assert.deepEqual(Object.keys(report), Object.keys(fromFile));
      assert.deepEqual(report.confusionMatrix, fromFile.confusionMatrix);
      assert.ok(Math.abs(report.logLoss - fromFile.logLoss) < 1e-6);
      assert.equal(model.format, 'keras');
      assert.deepEqual(model.layers.map((l: { kind: string }) => l.kind), ['Embedding', 'Bidirectional', 'Bidirectional', 'Dropout', 'Dense']);
      assert.equal(model.dataset.n, 16);
    });

    it('names text labels with --class-names in output order', async () => {
      const dir = tempDir();
      const ids = Array.from({ length: 6 }, (_, i) => ({ ids: [i + 1, i + 2, 3], label: i % 2 === 0 ? 'neg' : 'pos' }));
      writeFileSync(join(dir, 'd.jsonl'), ids.map((r) => JSON.stringify(r)).join('\n'));
      const { code, out, err } = await cli(['--model', join(MODEL_FIXTURES, 'tfjs', 'gru_classic', 'model.json'), '--data', join(dir, 'd.jsonl'), '--class-names', 'neg,pos,a,b', '--format', 'json', '--backend', 'cpu']);
      assert.equal(code, 0, err);
      assert.deepEqual(JSON.parse(out).labels, ['a', 'b', 'neg', 'pos']);
    });

    it('exits 2 naming the sample whose token id is past the embedding', async () => {
      const data = tempFile('d.jsonl', '{"ids": [1, 2], "label": 0}\n{"ids": [3, 50], "label": 1}\n');
      const { code, err } = await cli(['--model', `${GRU}.py`, '--weights', `${GRU}.safetensors`, '--data', data, '--backend', 'cpu']);
      assert.equal(code, 2);
      assert.match(err, /d\.jsonl: sample 1 \(line 2\): token id 50 at position 1 is out of range for the model's embedding of 50 rows/);
    });

    it('exits 2 for a label the model has no class for', async () => {
      const data = tempFile('d.jsonl', '{"ids": [1, 2], "label": 0}\n{"ids": [3, 4], "label": 7}\n');
      const { code, err } = await cli(['--model', `${GRU}.py`, '--weights', `${GRU}.safetensors`, '--data', data, '--backend', 'cpu']);
      assert.equal(code, 2);
      assert.match(err, /sample 1: the label 7 is not one of the model's 3 classes \(0, 1, 2\)/);
    });

    it('exits 2 for a .py model without --weights, and for options that need --model', async () => {
      const data = tempFile('d.jsonl', '{"ids": [1], "label": 0}\n');
      assert.match((await cli(['--model', `${GRU}.py`, '--data', data])).err, /needs its weights: pass --weights/);
      const stray = await cli(['x.csv', '--weights', 'w.safetensors']);
      assert.equal(stray.code, 2);
      assert.match(stray.err, /--weights goes with --model MODEL/);
      assert.match((await cli(['--model', 'm.keras'])).err, /--model needs --data DATA/);
    });

    it('--verify-shapes prints every step with its static and real shapes', async () => {
      const { code, out } = await cli(['--model', join(TORCH_FIXTURES, 'gru_bidirectional_two_layers.py'), '--verify-shapes', '--backend', 'cpu']);
      assert.equal(code, 0);
      assert.match(out, /torch\.cat\(\(h\[-2\], h\[-1\]\), dim=1\) +cat +\(B, 20\) +analysis +\(3, 20\) +ok/);
      assert.match(out, /Every static shape matches the real one\./);
    });
  });

  describe('Verify shapes', () => {
    it("puts the analyser's shape for each bound name beside the real one", async () => {
      const path = join(TORCH_FIXTURES, 'lstm_final_state.py');
      const check = verifyShapes({ path, source: readFileSync(path, 'utf8'), analyzer: await sharedAnalyzer(), batch: 4, length: 6 });
      assert.equal(check.mismatches, 0);
      const lstm = check.rows.find((r) => r.kind === 'LSTM')!;
      assert.equal(lstm.analysedShape, '(B, T, 12)');
      assert.deepEqual(lstm.realShape, [4, 6, 12]);
      const readout = check.rows.find((r) => r.expression === 'h_n[-1]')!;
      assert.deepEqual(readout.realShape, [4, 12]);
    });

    it('flags a static shape that disagrees with the real one', () => {
      assert.equal(agreesWith('(B, T, 64)', [3, 13, 64], 3, 13), true);
      assert.equal(agreesWith('(B, T, 32)', [3, 13, 64], 3, 13), false);
      assert.equal(agreesWith('(T, B, 64)', [3, 13, 64], 3, 13), false);
      assert.equal(agreesWith('(…, 8)', [3, 13, 8], 3, 13), true);
    });
  });
});
