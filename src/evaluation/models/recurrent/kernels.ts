// Recurrent layers as plain functions over TensorFlow.js tensors: the reset-after GRU that the
// stock tfjs GRUCell refuses, the LSTM and the Elman RNN, for PyTorch weights and for Keras.
//
// The input projection of every time step is one matrix product over the whole sequence
// (time-major rows); each step then costs one small product per gate and a few element-wise ops.
// Measured on the wasm backend, slicing a step's rows out of a large tensor copies the whole
// tensor (4 ms a step at 256 × 50 × 128), and so does splitting columns, so the projections are
// read out once and each step's rows become a tensor of their own, and every gate keeps its own
// matrices. tanh is computed as 2·sigmoid(2x) − 1, which the wasm backend runs three times faster.
import { tfjs, Tensor } from '../tf';

export type Tensor1D = import('@tensorflow/tfjs').Tensor1D;
export type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
export type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

export type CellKind = 'gru' | 'lstm' | 'rnn';
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';

/** Gate order: GRU r, z, n; LSTM i, f, g, o; RNN one gate. Kernels are (input, units), as in Keras. */
export interface RecurrentWeights {
  cell: CellKind;
  units: number;
  inputSize: number;
  kernels: Tensor2D[];
  recurrentKernels: Tensor2D[];
  /** Per gate, every bias that is simply added to that gate (input and recurrent biases summed). */
  biases: Tensor1D[];
  /** GRU: true when the reset gate multiplies (h·U_n + b_hn), as PyTorch and Keras 2+ do. */
  resetAfter: boolean;
  /** GRU reset-after: b_hn, kept apart because the reset gate scales it. */
  candidateRecurrentBias: Tensor1D | null;
  /** The candidate's activation (tanh in PyTorch GRU/LSTM; tanh or relu for nn.RNN). */
  activation: Activation;
}

export const GATES: Record<CellKind, number> = { gru: 3, lstm: 4, rnn: 1 };

export interface RecurrentResult {
  /** (batch, time, units) in input time order, when asked for. */
  sequence: Tensor3D | null;
  /** The state after the last processed step (the first time step when reversed). */
  lastH: Tensor2D;
  lastC: Tensor2D | null;
}

function activate(x: Tensor, activation: Activation): Tensor {
  const tf = tfjs();
  switch (activation) {
    case 'tanh': return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
    case 'relu': return tf.relu(x);
    case 'sigmoid': return tf.sigmoid(x);
    default: return x;
  }
}

/** Options of one run: direction, whether every step's output is kept, and the state to start from (zeros when absent). */
export interface RunOptions {
  reverse: boolean;
  returnSequence: boolean;
  initial?: { h: Tensor2D; c: Tensor2D | null };
}

/**
 * Runs one direction of one recurrent layer over `x` (batch, time, features), from zero state or `options.initial`.
 * `reverse` processes the last step first; the returned sequence is still in input time order,
 * as in a PyTorch bidirectional output.
 */
export function runRecurrent(x: Tensor3D, w: RecurrentWeights, options: RunOptions): RecurrentResult {
  const tf = tfjs();
  const [batch, time, features] = x.shape;
  // Input projections of every step at once: rows are (t, b) in time-major order.
  const projections: Float32Array[] = tf.tidy(() => {
    const rows = tf.reshape(tf.transpose(x, [1, 0, 2]), [time * batch, features]) as Tensor2D;
    return w.kernels.map((kernel, g) => tf.fused.matMul({ a: rows, b: kernel, bias: w.biases[g] }));
  }).map((p) => {
    const values = p.dataSync() as Float32Array;
    p.dispose();
    return values;
  });
  return runProjected(projections, batch, time, w, options);
}

/**
 * Each token's input projection, per gate: (vocabulary, units) rows of E·W_g + b_g. When an
 * Embedding feeds a recurrent layer directly, a batch's projections are then rows copied from
 * these tables instead of an embedding lookup and a (batch·time, features) matrix product.
 */
export function projectionTables(embedding: Tensor2D, w: RecurrentWeights): Float32Array[] {
  const tf = tfjs();
  return w.kernels.map((kernel, g) => {
    const table = tf.fused.matMul({ a: embedding, b: kernel, bias: w.biases[g] });
    const values = table.dataSync() as Float32Array;
    table.dispose();
    return values;
  });
}

/** Runs from token ids (batch-major, `batch` × `time`) through projection tables. */
export function runRecurrentFromIds(ids: Int32Array, batch: number, time: number, tables: Float32Array[], w: RecurrentWeights, options: RunOptions): RecurrentResult {
  const units = w.units;
  const projections = tables.map((table) => {
    const out = new Float32Array(time * batch * units);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        const id = ids[b * time + t];
        out.set(table.subarray(id * units, (id + 1) * units), (t * batch + b) * units);
      }
    }
    return out;
  });
  return runProjected(projections, batch, time, w, options);
}

function runProjected(projections: Float32Array[], batch: number, time: number, w: RecurrentWeights, options: RunOptions): RecurrentResult {
  const tf = tfjs();
  const units = w.units;
  const stepSize = batch * units;

  // Copies of the given state: the loop disposes each state once the next one is made.
  let h: Tensor2D = options.initial ? tf.clone(options.initial.h) : tf.zeros([batch, units]);
  let c: Tensor2D | null = w.cell === 'lstm' ? (options.initial?.c ? tf.clone(options.initial.c) : tf.zeros([batch, units])) : null;
  const outputs: Tensor2D[] = new Array(options.returnSequence ? time : 0);
  for (let step = 0; step < time; step++) {
    const t = options.reverse ? time - 1 - step : step;
    const previous = h;
    const previousC = c;
    const next: Tensor[] = tf.tidy(() => {
      const xs = projections.map((p) => tf.tensor2d(p.subarray(t * stepSize, (t + 1) * stepSize), [batch, units]));
      const hs = (k: number) => tf.matMul(previous, w.recurrentKernels[k]);
      if (w.cell === 'gru') {
        const r = tf.sigmoid(tf.add(xs[0], hs(0)));
        const z = tf.sigmoid(tf.add(xs[1], hs(1)));
        const candidate = w.resetAfter
          ? tf.add(xs[2], tf.mul(r, w.candidateRecurrentBias ? tf.fused.matMul({ a: previous, b: w.recurrentKernels[2], bias: w.candidateRecurrentBias }) : hs(2)))
          : tf.add(xs[2], tf.matMul(tf.mul(r, previous), w.recurrentKernels[2]));
        const n = activate(candidate, w.activation);
        return [tf.add(n, tf.mul(z, tf.sub(previous, n)))];
      }
      if (w.cell === 'lstm') {
        const i = tf.sigmoid(tf.add(xs[0], hs(0)));
        const f = tf.sigmoid(tf.add(xs[1], hs(1)));
        const g = activate(tf.add(xs[2], hs(2)), w.activation);
        const o = tf.sigmoid(tf.add(xs[3], hs(3)));
        const newC = tf.add(tf.mul(f, previousC!), tf.mul(i, g)) as Tensor2D;
        return [tf.mul(o, activate(newC, w.activation)), newC];
      }
      return [activate(tf.add(xs[0], hs(0)), w.activation)];
    });
    h = next[0] as Tensor2D;
    c = (next[1] as Tensor2D | undefined) ?? null;
    if (options.returnSequence) outputs[t] = h;
    else previous.dispose();
    if (previousC) previousC.dispose();
  }
  let sequence: Tensor3D | null = null;
  if (options.returnSequence) {
    sequence = tf.tidy(() => (time === 0 ? tf.zeros([batch, 0, units]) : tf.stack(outputs, 1)) as Tensor3D);
    // h is one of the outputs: keep it, drop the rest.
    for (const o of outputs) if (o !== h) o.dispose();
  }
  return { sequence, lastH: h, lastC: c };
}

export function disposeWeights(w: RecurrentWeights): void {
  tfjs().dispose([...w.kernels, ...w.recurrentKernels, ...w.biases, ...(w.candidateRecurrentBias ? [w.candidateRecurrentBias] : [])]);
}
