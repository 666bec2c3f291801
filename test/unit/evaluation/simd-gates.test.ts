// The WebAssembly SIMD kernels (src/evaluation/simd/recurrent-gates.ts): the tanh approximation
// against Math.tanh, each cell's gate arithmetic against PyTorch's formulas computed in float64, both
// the four-lane loop and the one-lane tail, and the same kernels inside TensorFlow.js (the wasm
// backend's Tanh and a whole recurrent step) against the cpu backend's separate ops.
import { strict as assert } from 'node:assert';
import { chooseBackend } from '../../../src/evaluation/backend';
import { fromTorchLayout, recurrentStep, recurrentWeights, disposeWeights, CellKind, Tensor2D } from '../../../src/evaluation/models/recurrent/kernels';
import { tfjs } from '../../../src/evaluation/models/tf';
import { gateKernels, gateModule, GateKernel, tanhApproximation } from '../../../src/evaluation/simd/recurrent-gates';
import { recurrentGatesAvailable, recurrentRunAvailable } from '../../../src/evaluation/wasm-kernels';
import { packPanels } from '../../../src/evaluation/simd/gemm';
import { runRecurrent, Tensor3D } from '../../../src/evaluation/models/recurrent/kernels';

function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A fresh memory with the kernels on it, and float views into it. */
function kernelsOnOwnMemory(pages = 4): { k: NonNullable<ReturnType<typeof gateKernels>>; heap: Float32Array } {
  const memory = new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory({ initial: pages });
  const k = gateKernels(memory);
  assert.ok(k, 'this Node runs WebAssembly SIMD');
  return { k, heap: new Float32Array(memory.buffer) };
}

describe('WebAssembly SIMD gate kernels', () => {
  it('the module is valid WebAssembly SIMD here', () => {
    assert.ok(gateModule());
  });

  it('tanh approximation: within 4e-7 of Math.tanh from −20 to 20, ±1 beyond, NaN for NaN', () => {
    let worst = 0;
    for (let i = 0; i <= 400000; i++) {
      const x = Math.fround(-20 + i * 1e-4);
      worst = Math.max(worst, Math.abs(tanhApproximation(x) - Math.tanh(x)));
    }
    assert.ok(worst < 4e-7, `max error ${worst}`);
    assert.equal(tanhApproximation(0), 0);
    assert.ok(Math.abs(tanhApproximation(1e-30) - 1e-30) < 1e-36);
    assert.ok(Math.abs(tanhApproximation(Infinity) - 1) < 4e-7 && Math.abs(tanhApproximation(-Infinity) + 1) < 4e-7);
    assert.ok(Number.isNaN(tanhApproximation(NaN)));
    // Odd, as tanh is.
    for (const x of [0.3, 1.7, 5.5, 12]) assert.equal(tanhApproximation(-x), -tanhApproximation(x));
  });

  it('the SIMD tanh gives the approximation bit for bit, in the four-lane loop and the one-lane tail', () => {
    const { k, heap } = kernelsOnOwnMemory();
    const n = 1003; // 250 groups of four, then three alone
    const random = generator(3);
    for (let i = 0; i < n; i++) heap[i] = (random() - 0.5) * 24;
    // The clamp keeps NaN (in the four-lane loop and in the tail) and bounds infinities.
    heap.set([NaN, Infinity, -Infinity, 0], 8);
    heap.set([NaN, -Infinity], n - 2);
    k.tanh(0, 0, 0, 4096 * 4, 0, 1, n, 1, 0);
    for (let i = 0; i < n; i++) assert.equal(heap[4096 + i], tanhApproximation(heap[i]), `element ${i}`);
    assert.ok(Number.isNaN(heap[4096 + 8]) && Number.isNaN(heap[4096 + n - 2]));
    // Nothing written past the end.
    assert.equal(heap[4096 + n], 0);
  });

  /** Runs a kernel on random gates and returns the inputs and outputs, rows (batch) × units. */
  function runGates(kernel: GateKernel, rows: number, units: number, scale: number, seed: number, ids?: number[]) {
    const { k, heap } = kernelsOnOwnMemory();
    const gates = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1, tanh: 1 }[kernel];
    const width = gates * units;
    const at = { a: 0, b: 1 * 4096, state: 3 * 4096, h: 4 * 4096, c: 5 * 4096, ids: 6 * 4096 };
    if (ids) new Int32Array(heap.buffer).set(ids, at.ids);
    const random = generator(seed);
    // b holds a longer run of rows: the step's rows start at row 2.
    for (let i = 0; i < rows * width; i++) heap[at.a + i] = (random() - 0.5) * 6;
    for (let i = 0; i < (rows + 4) * width; i++) heap[at.b + i] = (random() - 0.5) * 6;
    for (let i = 0; i < rows * units; i++) heap[at.state + i] = (random() - 0.5) * 2;
    k[kernel](at.a * 4, ids ? at.b * 4 : (at.b + 2 * width) * 4, at.state * 4, at.h * 4, at.c * 4, rows, units, scale, ids ? at.ids * 4 : 0);
    const a = (r: number, g: number, j: number) => heap[at.a + r * width + g * units + j];
    const b = (r: number, g: number, j: number) => heap[at.b + (ids ? ids[r] : r + 2) * width + g * units + j];
    const state = (r: number, j: number) => heap[at.state + r * units + j];
    const h = (r: number, j: number) => heap[at.h + r * units + j];
    const c = (r: number, j: number) => heap[at.c + r * units + j];
    return { a, b, state, h, c, outside: heap[at.h + rows * units] };
  }

  // 7 units: one group of four and a tail of three in each row; 3 rows.
  for (const units of [7, 8, 1]) {
    it(`LSTM step with ${units} units: c' = f·c + i·g, h' = o·tanh(c'), within 1e-6 of float64`, () => {
      const { a, b, state, h, c, outside } = runGates('lstm', 3, units, 1, 11 + units);
      for (let r = 0; r < 3; r++) {
        for (let j = 0; j < units; j++) {
          const p = (g: number) => a(r, g, j) + b(r, g, j);
          const cNext = sigmoid(p(1)) * state(r, j) + sigmoid(p(0)) * Math.tanh(p(2));
          assert.ok(Math.abs(c(r, j) - cNext) < 1e-6, `c[${r}, ${j}] = ${c(r, j)}, expected ${cNext}`);
          assert.ok(Math.abs(h(r, j) - sigmoid(p(3)) * Math.tanh(cNext)) < 1e-6, `h[${r}, ${j}]`);
        }
      }
      assert.equal(outside, 0);
    });
  }

  it("GRU step: r and z gates, the reset gate scaling a's candidate columns, h' = n + z·(h − n)", () => {
    const units = 7;
    const { a, b, state, h } = runGates('gru', 3, units, 1, 5);
    for (let r = 0; r < 3; r++) {
      for (let j = 0; j < units; j++) {
        const reset = sigmoid(a(r, 0, j) + b(r, 0, j));
        const update = sigmoid(a(r, 1, j) + b(r, 1, j));
        const n = Math.tanh(b(r, 2, j) + reset * a(r, 2, j));
        assert.ok(Math.abs(h(r, j) - ((1 - update) * n + update * state(r, j))) < 1e-6, `h[${r}, ${j}]`);
      }
    }
  });

  it("with ids, row r's projections are b's row ids[r] (a projection table read in place)", () => {
    const units = 7;
    const ids = [4, 0, 4, 2];
    const { a, b, state, h, c } = runGates('lstm', 4, units, 1, 17, ids);
    const plain = runGates('lstm', 4, units, 1, 17);
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < units; j++) {
        const p = (g: number) => a(r, g, j) + b(r, g, j);
        const cNext = sigmoid(p(1)) * state(r, j) + sigmoid(p(0)) * Math.tanh(p(2));
        assert.ok(Math.abs(c(r, j) - cNext) < 1e-6 && Math.abs(h(r, j) - sigmoid(p(3)) * Math.tanh(cNext)) < 1e-6, `row ${r}, unit ${j}`);
      }
    }
    // The same random inputs read without ids give other rows, so the ids were followed.
    assert.notEqual(h(0, 0), plain.h(0, 0));
  });

  it('scale multiplies only the candidate pre-activation (weights whose candidate columns were doubled)', () => {
    const units = 5;
    const { a, b, state, c } = runGates('lstm', 2, units, 0.5, 9);
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < units; j++) {
        const p = (g: number) => a(r, g, j) + b(r, g, j);
        const cNext = sigmoid(p(1)) * state(r, j) + sigmoid(p(0)) * Math.tanh(0.5 * p(2));
        assert.ok(Math.abs(c(r, j) - cNext) < 1e-6);
      }
    }
  });

  it('packPanels lays out eight columns per panel, row by row, and refuses other widths', () => {
    const b = Float32Array.from({ length: 3 * 16 }, (_, i) => i);
    const packed = packPanels(b, 3, 16);
    // Panel 1, row 2, column 3 of the panel: b[2][11].
    assert.equal(packed[1 * 3 * 8 + 2 * 8 + 3], b[2 * 16 + 11]);
    assert.deepEqual(Array.from(packed.slice(0, 8)), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.throws(() => packPanels(new Float32Array(12), 3, 4), /multiple of 8/);
  });

  // Rows past the 4-row blocks, a depth past the unrolled groups of four, strided a and c.
  for (const [m, k, n] of [[9, 7, 16], [4, 4, 8], [1, 1, 8], [13, 33, 24]]) {
    it(`gemm (${m} × ${k}) · (${k} × ${n}) + bias equals the float64 product to 1e-5, leaving c's other columns alone`, () => {
      const { k: kernels, heap } = kernelsOnOwnMemory(8);
      const random = generator(m * 100 + k * 10 + n);
      const [lda, ldc] = [k + 3, n + 5];
      const at = { a: 0, b: 4096, bias: 2 * 4096, c: 3 * 4096 };
      for (let i = 0; i < m * lda; i++) heap[at.a + i] = random() - 0.5;
      const b = Float32Array.from({ length: k * n }, () => random() - 0.5);
      heap.set(packPanels(b, k, n), at.b);
      for (let j = 0; j < n; j++) heap[at.bias + j] = random() - 0.5;
      heap.fill(7, at.c, at.c + m * ldc);
      kernels.gemm(at.a * 4, lda * 4, at.b * 4, at.bias * 4, at.c * 4, ldc * 4, m, k, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ldc; j++) {
          const got = heap[at.c + i * ldc + j];
          if (j >= n) {
            assert.equal(got, 7, `c[${i}, ${j}] is past the product`);
            continue;
          }
          let expected = heap[at.bias + j];
          for (let q = 0; q < k; q++) expected += heap[at.a + i * lda + q] * b[q * n + j];
          assert.ok(Math.abs(got - expected) < 1e-5, `c[${i}, ${j}] = ${got}, expected ${expected}`);
        }
      }
    });
  }

  it('copy_rows copies rows between strided blocks, sixteen bytes at a time', () => {
    const { k, heap } = kernelsOnOwnMemory();
    for (let i = 0; i < 3 * 8; i++) heap[i] = i + 1;
    k.copy_rows(0, 8 * 4, 1000 * 4, 20 * 4, 3, 8 * 4);
    for (let r = 0; r < 3; r++) for (let j = 0; j < 20; j++) assert.equal(heap[1000 + r * 20 + j], j < 8 ? r * 8 + j + 1 : 0, `row ${r}, column ${j}`);
  });

  it('Elman steps: tanh and relu of a + b', () => {
    const t = runGates('rnn_tanh', 3, 6, 1, 21);
    const r = runGates('rnn_relu', 3, 6, 1, 21);
    for (let row = 0; row < 3; row++) {
      for (let j = 0; j < 6; j++) {
        assert.ok(Math.abs(t.h(row, j) - Math.tanh(t.a(row, 0, j) + t.b(row, 0, j))) < 1e-6);
        assert.equal(r.h(row, j), Math.max(0, Math.fround(r.a(row, 0, j) + r.b(row, 0, j))));
      }
    }
  });
});

describe('the SIMD kernels inside the wasm backend', () => {
  after(async () => {
    await tfjs().setBackend('cpu');
  });

  it('Tanh on the wasm backend is within 4e-7 of Math.tanh, for every size and an empty tensor', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    for (const n of [0, 1, 3, 4, 5, 64, 1001]) {
      const values = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.037);
      const got = tf.tidy(() => Array.from(tf.tanh(tf.tensor1d(values)).dataSync()));
      assert.equal(got.length, n);
      got.forEach((v, i) => assert.ok(Math.abs(v - Math.tanh(Math.fround(values[i]))) < 4e-7, `tanh(${values[i]}) = ${v}`));
    }
  });

  // A Keras LSTM or GRU with another activation than tanh runs as separate ops on wasm too.
  const cases: [CellKind, 'tanh' | 'relu'][] = [['lstm', 'tanh'], ['gru', 'tanh'], ['rnn', 'tanh'], ['rnn', 'relu'], ['lstm', 'relu'], ['gru', 'relu']];
  for (const [cell, activation] of cases) {
    it(`a ${cell} ${activation} step on the wasm backend equals the separate ops of the cpu backend to 1e-6, at a row offset and through ids`, async () => {
      const tf = tfjs();
      const random = generator(cell.length * 13 + activation.length);
      const hidden = 6;
      const inputSize = 5;
      const batch = 3;
      const gates = { lstm: 4, gru: 3, rnn: 1 }[cell];
      const arr = (n: number) => Float32Array.from({ length: n }, () => (random() - 0.5) * 1.5);
      const arrays = fromTorchLayout(cell, hidden, inputSize, arr(gates * hidden * inputSize), arr(gates * hidden * hidden), arr(gates * hidden), arr(gates * hidden), activation);
      const x = arr(4 * batch * inputSize);
      const h0 = arr(batch * hidden);
      const c0 = arr(batch * hidden);
      const step = (): number[][] => {
        const w = recurrentWeights(arrays);
        try {
          return tf.tidy(() => {
            // Four steps' worth of projected rows; this step reads rows 6…8.
            const projections = tf.fused.matMul({ a: tf.tensor2d(x, [4 * batch, inputSize]), b: w.kernel, bias: w.bias }) as Tensor2D;
            const h = tf.tensor2d(h0, [batch, hidden]);
            const c = cell === 'lstm' ? tf.tensor2d(c0, [batch, hidden]) : null;
            const [h1, c1] = recurrentStep(w, { rows: projections, ids: null }, h, c, 2 * batch);
            // The same step through ids into the rows: step rows 6…8 are rows 11, 0, 6.
            const [h2, c2] = recurrentStep(w, { rows: projections, ids: tf.tensor1d([9, 9, 9, 9, 9, 9, 11, 0, 6, 9], 'int32') }, h, c, 2 * batch);
            return [h1, ...(c1 ? [c1] : []), h2, ...(c2 ? [c2] : [])].map((t) => Array.from(t.dataSync()));
          });
        } finally {
          disposeWeights(w);
        }
      };
      await chooseBackend('cpu');
      await tf.setBackend('cpu');
      const expected = step();
      await chooseBackend('wasm');
      await tf.setBackend('wasm');
      assert.ok(recurrentGatesAvailable(tf), 'the fused step runs on this wasm backend');
      const before = tf.memory().numTensors;
      const actual = step();
      assert.equal(tf.memory().numTensors, before, 'tensors left behind');
      assert.equal(actual.length, expected.length);
      actual.forEach((values, k) => values.forEach((v, i) => assert.ok(Math.abs(v - expected[k][i]) < 1e-6, `output ${k}[${i}]: ${v}, expected ${expected[k][i]}`)));
    });
  }

  // Units a multiple of 8: a whole layer runs as one RecurrentRun call (packed-panel product and gates per step).
  const runCases: [CellKind, 'tanh' | 'relu', number][] = [['lstm', 'tanh', 8], ['gru', 'tanh', 16], ['rnn', 'tanh', 8], ['rnn', 'relu', 8]];
  for (const [cell, activation, hidden] of runCases) {
    it(`a ${cell} ${activation} layer in one RecurrentRun equals the cpu backend's steps to 1e-5: forward, reversed, from a given state, through ids`, async () => {
      const tf = tfjs();
      const random = generator(hidden * 7 + cell.length);
      const [inputSize, batch, time] = [5, 5, 4];
      const gates = { lstm: 4, gru: 3, rnn: 1 }[cell];
      const arr = (n: number) => Float32Array.from({ length: n }, () => (random() - 0.5) * 1.5);
      const arrays = fromTorchLayout(cell, hidden, inputSize, arr(gates * hidden * inputSize), arr(gates * hidden * hidden), arr(gates * hidden), arr(gates * hidden), activation);
      const x = arr(batch * time * inputSize);
      const h0 = arr(batch * hidden);
      const c0 = arr(batch * hidden);
      const table = arr(7 * inputSize);
      const ids = Array.from({ length: time * batch }, () => Math.floor(random() * 7));
      const run = (): number[][] => {
        const w = recurrentWeights(arrays);
        try {
          return tf.tidy(() => {
            const xs = tf.tensor3d(x, [batch, time, inputSize]) as Tensor3D;
            const initial = { h: tf.tensor2d(h0, [batch, hidden]) as Tensor2D, c: cell === 'lstm' ? tf.tensor2d(c0, [batch, hidden]) as Tensor2D : null };
            const projected = { rows: tf.fused.matMul({ a: tf.tensor2d(table, [7, inputSize]), b: w.kernel, bias: w.bias }) as Tensor2D, ids: tf.tensor1d(ids, 'int32') };
            const results = [
              runRecurrent(xs, w, { reverse: false, returnSequence: true }),
              runRecurrent(xs, w, { reverse: true, returnSequence: true, initial }),
              runRecurrent(xs, w, { reverse: false, returnSequence: false, initial, projected }),
            ];
            return results.flatMap((r) => [r.sequence, r.lastH, r.lastC]).filter((t): t is Tensor2D => t !== null).map((t) => Array.from(t.dataSync()));
          });
        } finally {
          disposeWeights(w);
        }
      };
      await chooseBackend('cpu');
      await tf.setBackend('cpu');
      const expected = run();
      await chooseBackend('wasm');
      await tf.setBackend('wasm');
      assert.ok(recurrentRunAvailable(tf), 'RecurrentRun runs on this wasm backend');
      const before = tf.memory().numTensors;
      const actual = run();
      assert.equal(tf.memory().numTensors, before, 'tensors left behind');
      assert.equal(actual.length, expected.length);
      actual.forEach((values, k) => values.forEach((v, i) => assert.ok(Math.abs(v - expected[k][i]) < 1e-5, `output ${k}[${i}]: ${v}, expected ${expected[k][i]}`)));
    });
  }

  it('RecurrentRun refuses inputs that do not fit the run, and ids outside the projections', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const inputs = { weights: tf.zeros([8 * 32]), bias: tf.zeros([32]), rows: tf.zeros([6, 32]), h: tf.zeros([2, 8]), c: tf.zeros([2, 8]) };
      const attrs = { kernel: 'lstm', scale: 1, row: 0, steps: 3, reverse: false, sequence: true };
      assert.equal((tf.engine().runKernel('SeqLensRecurrentRun', inputs, attrs) as unknown[]).length, 3);
      // No step: the state comes back as given, and the sequence is empty.
      const given = { ...inputs, h: tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [2, 8]) };
      const [none, h] = tf.engine().runKernel('SeqLensRecurrentRun', given, { ...attrs, steps: 0 }) as import('@tensorflow/tfjs').Tensor[];
      assert.deepEqual(none.shape, [2, 0, 8]);
      assert.deepEqual(Array.from(h.dataSync()), Array.from(given.h.dataSync()));
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentRun', inputs, { ...attrs, steps: 4 }), /do not fit/);
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentRun', { ...inputs, c: tf.zeros([2, 7]) }, attrs), /do not fit/);
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentRun', { ...inputs, weights: tf.zeros([8 * 31]) }, attrs), /do not fit/);
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentRun', { ...inputs, ids: tf.tensor1d([0, 1, 2, 3, 4, 6], 'int32') }, attrs), /id 6 is not a row/);
      return [];
    });
  });

  it('RecurrentGates refuses inputs that do not fit the step', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const a = tf.zeros([2, 8]);
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentGates', { a, b: tf.zeros([2, 8]), state: tf.zeros([2, 2]) }, { kernel: 'lstm', row: 1, scale: 1 }), /do not fit/);
      assert.throws(() => tf.engine().runKernel('SeqLensRecurrentGates', { a, b: tf.zeros([2, 8]), state: tf.zeros([2, 3]) }, { kernel: 'lstm', row: 0, scale: 1 }), /do not fit/);
      return [];
    });
  });
});
