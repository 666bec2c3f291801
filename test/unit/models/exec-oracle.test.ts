// The executor's op kernels and general constructs against PyTorch 1.13 (test/oracle/torch_exec.py
// wrote the cases and the models with real PyTorch): each op case's Python text runs through the
// executor to 1e-5 of PyTorch's result; each model's outputs match to 1e-4 with the same classes.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { Executor } from '../../../src/evaluation/models/torch/exec/interpreter';
import type { Value } from '../../../src/evaluation/models/torch/exec/values';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { maxAbsDifference, sharedAnalyzer } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'exec');

interface Encoded { dtype: 'float' | 'int' | 'bool'; shape: number[]; values: number[] }
interface OpCase { name: string; body: string; inputs: Record<string, Encoded>; output: Encoded }

const CASES: OpCase[] = JSON.parse(readFileSync(join(FIXTURES, 'ops.json'), 'utf8')).cases;
const MODELS = readdirSync(join(FIXTURES, 'models')).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();

function casesSource(): string {
  const methods = CASES.map((c, i) => {
    const body = c.body.split('\n').map((l) => `        ${l}`).join('\n');
    return `    def case_${i}(self, ${Object.keys(c.inputs).join(', ')}):\n${body}\n`;
  });
  return `import math\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Cases(nn.Module):\n${methods.join('\n')}`;
}

function tensorOf(e: Encoded): Value {
  const tf = tfjs();
  return { kind: 'tensor', t: tf.tensor(e.values, e.shape, e.dtype === 'float' ? 'float32' : e.dtype === 'int' ? 'int32' : 'bool') };
}

describe('the model executor matches PyTorch 1.13', () => {
  before(async () => {
    await useBackend('cpu');
  });

  describe('op kernels, to 1e-5', () => {
    let executor: Executor;
    let self: Value;
    before(async () => {
      const source = casesSource();
      const description = (await sharedAnalyzer()).describeModels(source, 'cases.py').find((d) => d.className === 'Cases')!;
      executor = new Executor(description.module, source);
      self = executor.instantiate(executor.classes.get('Cases')!, [], new Map(), { line: 1, text: 'Cases()' });
    });

    it('has every case the oracle wrote', () => {
      assert.ok(CASES.length >= 60, `${CASES.length} cases`);
    });

    CASES.forEach((c, i) => {
      it(c.name, () => {
        const tf = tfjs();
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const method = executor.findMethod(executor.classes.get('Cases')!, `case_${i}`)!;
          const out = executor.inForward(() => executor.callFunction(method.def, Object.values(c.inputs).map(tensorOf), new Map(), self, method.owner, { line: 1, text: c.name }));
          assert.equal(out.kind, 'tensor');
          const t = (out as { t: import('@tensorflow/tfjs').Tensor }).t;
          assert.deepEqual(t.shape, c.output.shape);
          const actual = t.dtype === 'bool' ? Array.from(t.dataSync()).map((v) => (v ? 1 : 0)) : Array.from(t.dataSync());
          let worst = 0;
          actual.forEach((v, k) => {
            const e = c.output.values[k];
            const err = e === v ? 0 : Math.abs(v - e) / Math.max(1, Math.abs(e));
            worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
          });
          assert.ok(worst <= 1e-5, `max error ${worst}`);
          return [];
        });
        assert.ok(tf.memory().numTensors - before <= 0, `${tf.memory().numTensors - before} tensors left behind`);
      });
    });
  });

  describe('models with submodules, loops, cells, buffers and initial states, to 1e-4', () => {
    after(async () => {
      await useBackend('cpu');
    });

    for (const [name, backend] of MODELS.flatMap((m) => (['cpu', 'wasm'] as const).map((b) => [m, b] as const))) {
      it(`${name} (${backend} backend)`, async () => {
        await useBackend(backend);
        const tf = tfjs();
        const path = join(FIXTURES, 'models', `${name}.py`);
        const source = readFileSync(path, 'utf8');
        // The oracle defines the model last, after its submodules.
        const className = [...source.matchAll(/^class (\w+)/gm)].pop()![1];
        const inputsPath = join(FIXTURES, 'models', `${name}.inputs.npy`);
        const inputs = readNpyFile(inputsPath);
        const expected = readNpyFile(join(FIXTURES, 'models', `${name}.outputs.npy`));
        const x = inputs.kind === 'int' ? tf.tensor(inputs.data, inputs.shape, 'int32') : tf.tensor(inputs.data, inputs.shape, 'float32');
        // The oracle's inputs are the given inputs: the model is loaded on them, as --inputs does, never on a dummy batch.
        // A second sequence input (a decoder's) is given by name, with the same array, as PyTorch was.
        const argsPath = join(FIXTURES, 'models', `${name}.args.json`);
        const given: [string, string][] = existsSync(argsPath) ? JSON.parse(readFileSync(argsPath, 'utf8')).args : [];
        const named = new Map(given.filter(([, how]) => how === 'input').slice(1).map(([param]) => [param, { path: inputsPath, batch: x }]));
        const model = loadTorchModel({ path, source, className, analyzer: await sharedAnalyzer(), weightsPath: join(FIXTURES, 'models', `${name}.safetensors`), example: { batch: x, path: inputsPath }, anyOutput: true, named });
        const y = model.predictRaw(x);
        try {
          assert.deepEqual(y.shape, expected.shape);
          const worst = maxAbsDifference(y.dataSync(), expected.data as Float32Array);
          // The fused_ models are every recurrent layer and cell's outputs side by side: a kernel's own check, to 1e-5.
          const tolerance = name.startsWith('fused_') ? 1e-5 : 1e-4;
          assert.ok(worst <= tolerance, `max abs difference ${worst}`);
        } finally {
          tf.dispose([x, y]);
          model.dispose();
        }
      });
    }
  });
});
