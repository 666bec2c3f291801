// The model runs in a child process watched from outside: killed past its memory cap, killed at once
// when cancelled (during loading too), and an abnormal end of the child becomes a clear error with a
// bounded excerpt of what it printed. The caller's process survives all of it.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { InputError } from '../../../src/evaluation/errors';
import { CancelledError } from '../../../src/evaluation/models/run';
import { evaluateModelInWorker, inputBytes, MAX_CAPTURED_OUTPUT, memoryCapFor, MIN_MEMORY_CAP, residentBytes, verifyShapesInWorker } from '../../../src/evaluation/models/worker-client';
import { tempFile, TORCH_FIXTURES } from './helpers';

const GRU = join(TORCH_FIXTURES, 'gru_last_step');
const OPTIONS = { modelPath: `${GRU}.py`, dataPath: `${GRU}.inputs.npy`, load: { weightsPath: `${GRU}.safetensors` }, backend: 'cpu' as const };

describe('the model child process', () => {
  it('has a memory cap of the larger of 1.5 GB and 4 times the input files', () => {
    assert.equal(memoryCapFor(1000), MIN_MEMORY_CAP);
    assert.equal(memoryCapFor(1e9), 4e9);
    assert.ok(inputBytes({ model: `${GRU}.py`, weights: `${GRU}.safetensors`, data: `${GRU}.inputs.npy` }) > 5000);
    assert.ok((residentBytes(process.pid) ?? 1) > 0);
  });

  it('is killed when its resident memory passes the cap, with a clear error', async () => {
    await assert.rejects(evaluateModelInWorker(OPTIONS, { memoryCapBytes: 40 * 1024 ** 2 }), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.file, OPTIONS.modelPath);
      assert.match(error.message, /the model run used [\d,]+ MB of memory, past its cap of 40 MB .* and was stopped/);
      return true;
    });
  });

  it('is killed at once when cancelled while it is still loading', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(evaluateModelInWorker(OPTIONS, { signal: controller.signal }), (error: unknown) => error instanceof CancelledError);
    assert.ok(performance.now() - started < 1500, 'the cancel did not wait for loading to finish');
  });

  it('reports a child that aborts as file: cause, with a bounded excerpt of its output', async () => {
    const script = tempFile('dies.js', `process.stderr.write('x'.repeat(${4 * MAX_CAPTURED_OUTPUT}) + '\\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n', () => process.abort());`);
    await assert.rejects(evaluateModelInWorker(OPTIONS, { workerPath: script }), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /the model process ended abnormally \(SIGABRT\) before it finished/);
      assert.ok(error.message.length < 1000, `message of ${error.message.length} characters`);
      return true;
    });
  });

  it('runs Verify Shapes and passes its input errors back', async () => {
    const check = await verifyShapesInWorker({ path: `${GRU}.py`, backend: 'cpu' });
    assert.equal(check.className, 'GRULastStep');
    assert.equal(check.mismatches, 0);
    const zero = tempFile('m.py', 'import torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(0, 0)\n\n    def forward(self, x):\n        return self.rnn(x)[0]\n');
    await assert.rejects(verifyShapesInWorker({ path: zero, backend: 'cpu' }), (error: unknown) => error instanceof InputError && error.line === 6 && /input_size=0/.test(error.message));
  });
});
