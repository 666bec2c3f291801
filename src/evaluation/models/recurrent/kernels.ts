// Recurrent layers as plain functions over TensorFlow.js tensors: the reset-after GRU that the
// stock tfjs GRUCell refuses, the LSTM and the Elman RNN, for PyTorch weights and for Keras.
// PyTorch's nn.GRU/LSTM/RNN run whole sequences through runRecurrent; its GRUCell/LSTMCell/RNNCell,
// stepped by the model's own Python loop, run one recurrentStep per call on the same weights.
//
// The gates' kernels sit side by side, so each step costs one matrix product (h · U, every gate
// at once: on the wasm backend one (256 × 128) · (128 × 512) product took 0.9 ms where four
// per-gate products took 2.2 ms), and the input projection of every step is one product over the
// whole sequence (time-major rows), whose step rows are then one contiguous slice. The gates'
// non-linearities run on the whole (batch, gates·units) block at once: tanh(x) is 2·sigmoid(2x) − 1
// (the wasm backend's sigmoid is ten times faster than its tanh), with the candidate's columns of
// the kernels and biases doubled once when the weights are prepared, so one sigmoid serves every gate.
// On the wasm backend the whole step after its product is one SIMD kernel instead (RecurrentGates,
// ../../wasm-kernels.ts), which reads the step's projection rows in place and writes h and c; and when
// the units are a multiple of 8, a whole layer (or one cell step) is one call, RecurrentRun, whose
// product is SeqLens' own SIMD matrix product on the recurrent kernel packed once (../../simd/gemm.ts):
// no TensorFlow.js dispatch, allocation or copy of the weights per step.
import { tfjs, Tensor } from '../tf';
import { RECURRENT_GATES, RECURRENT_RUN, recurrentGatesAvailable, recurrentRunAvailable } from '../../wasm-kernels';
import { PANEL, packPanels } from '../../simd/gemm';

export type Tensor1D = import('@tensorflow/tfjs').Tensor1D;
export type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
export type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

export type CellKind = 'gru' | 'lstm' | 'rnn';
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';

export const GATES: Record<CellKind, number> = { gru: 3, lstm: 4, rnn: 1 };
/** The gate that goes through the candidate activation: GRU n, LSTM g, the RNN's only one. */
const CANDIDATE: Record<CellKind, number> = { gru: 2, lstm: 2, rnn: 0 };

/**
 * A layer's weights as plain arrays, gates side by side in the order GRU r, z, n; LSTM i, f, g, o;
 * RNN one gate. The GRU is reset-after (PyTorch's, and Keras' default since TF 2): the reset gate
 * multiplies (h · U_n + b_hn).
 */
export interface RecurrentArrays {
  cell: CellKind;
  units: number;
  inputSize: number;
  /** (inputSize, gates·units), row-major. */
  kernel: Float32Array;
  /** (units, gates·units), row-major. */
  recurrentKernel: Float32Array;
  /** (gates·units): every bias that is simply added to its gate (input and recurrent biases summed); GRU n: the input bias only. */
  bias: Float32Array;
  /** GRU: b_hn, kept apart because the reset gate scales it; null for zeros. */
  candidateRecurrentBias: Float32Array | null;
  /** The candidate's activation (tanh in PyTorch GRU/LSTM; tanh or relu for nn.RNN). */
  activation: Activation;
}

/** The same weights as tensors, ready to run (the candidate's columns doubled when its activation is tanh). */
export interface RecurrentWeights {
  cell: CellKind;
  units: number;
  inputSize: number;
  kernel: Tensor2D;
  recurrentKernel: Tensor2D;
  bias: Tensor1D;
  /** GRU: zeros for r and z, then b_hn; added to h · U inside the step. Null for other cells. */
  recurrentBias: Tensor1D | null;
  activation: Activation;
  /** The candidate's columns are doubled: its tanh is computed as 2·sigmoid(·) − 1. */
  doubled: boolean;
  /** The scalars 1 and 2, made once with the weights (a number operand is a new tensor on every op). */
  one: Tensor;
  two: Tensor;
  /**
   * For RecurrentRun: the recurrent kernel packed in panels and the bias added to h · U, made on
   * first use on a backend that runs it (undefined until then, null where the weights do not fit it).
   */
  packed?: { weights: Tensor1D; bias: Tensor1D } | null;
  /** The values the packing is made from (the recurrent kernel as run, and the bias added to its product). */
  readonly recurrentValues: { kernel: Float32Array; bias: Float32Array };
}

export function recurrentWeights(a: RecurrentArrays): RecurrentWeights {
  const tf = tfjs();
  const gates = GATES[a.cell];
  const width = gates * a.units;
  const doubled = a.activation === 'tanh';
  const from = CANDIDATE[a.cell] * a.units;
  const to = from + a.units;
  const scaled = (values: Float32Array, rows: number): Float32Array => {
    if (!doubled) return values;
    const out = Float32Array.from(values);
    for (let r = 0; r < rows; r++) for (let k = r * width + from; k < r * width + to; k++) out[k] *= 2;
    return out;
  };
  let recurrentBias: Tensor1D | null = null;
  const productBias = new Float32Array(width);
  if (a.cell === 'gru') {
    if (a.candidateRecurrentBias) productBias.set(a.candidateRecurrentBias, from);
    recurrentBias = tf.tensor1d(scaled(productBias, 1));
  }
  const recurrentKernel = scaled(a.recurrentKernel, a.units);
  return {
    cell: a.cell,
    units: a.units,
    inputSize: a.inputSize,
    kernel: tf.tensor2d(scaled(a.kernel, a.inputSize), [a.inputSize, width]),
    recurrentKernel: tf.tensor2d(recurrentKernel, [a.units, width]),
    bias: tf.tensor1d(scaled(a.bias, 1)),
    recurrentBias,
    activation: a.activation,
    doubled,
    one: tf.scalar(1),
    two: tf.scalar(2),
    recurrentValues: { kernel: recurrentKernel, bias: scaled(productBias, 1) },
  };
}

/**
 * PyTorch's layout (weight_ih (gates·hidden, input), weight_hh (gates·hidden, hidden), bias_ih and
 * bias_hh (gates·hidden), or no biases) → the kernel's arrays.
 */
export function fromTorchLayout(cell: CellKind, hidden: number, inputSize: number, wih: Float32Array, whh: Float32Array, bih: Float32Array | null, bhh: Float32Array | null, activation: Activation): RecurrentArrays {
  const width = GATES[cell] * hidden;
  const transposed = (w: Float32Array, columns: number) => {
    const out = new Float32Array(columns * width);
    for (let r = 0; r < width; r++) for (let c = 0; c < columns; c++) out[c * width + r] = w[r * columns + c];
    return out;
  };
  const bias = new Float32Array(width);
  const candidate = CANDIDATE[cell] * hidden;
  for (let k = 0; k < width; k++) {
    // GRU candidate gate: b_hn stays inside r * (W_hn h + b_hn); every other recurrent bias just adds.
    const addRecurrent = !(cell === 'gru' && k >= candidate);
    bias[k] = (bih ? bih[k] : 0) + (bhh && addRecurrent ? bhh[k] : 0);
  }
  return {
    cell,
    units: hidden,
    inputSize,
    kernel: transposed(wih, inputSize),
    recurrentKernel: transposed(whh, hidden),
    bias,
    candidateRecurrentBias: cell === 'gru' && bhh ? bhh.slice(candidate, candidate + hidden) : null,
    activation,
  };
}

export function disposeWeights(w: RecurrentWeights): void {
  tfjs().dispose([w.kernel, w.recurrentKernel, w.bias, w.one, w.two, ...(w.recurrentBias ? [w.recurrentBias] : []), ...(w.packed ? [w.packed.weights, w.packed.bias] : [])]);
  w.packed = undefined;
}

/**
 * The weights packed for RecurrentRun, when the active backend runs it and they fit it (a fused
 * gate kernel, units a multiple of 8 so that every gate's columns fill whole panels); else null.
 */
function packedForRun(w: RecurrentWeights): { weights: Tensor1D; bias: Tensor1D } | null {
  const tf = tfjs();
  if (!gatesKernel(w) || w.units % PANEL !== 0 || !recurrentRunAvailable(tf)) return null;
  if (!w.packed) {
    const width = GATES[w.cell] * w.units;
    // Kept: first made inside a forward's tf.tidy, it serves every later batch.
    w.packed = tf.tidy(() => ({
      weights: tf.keep(tf.tensor1d(packPanels(w.recurrentValues.kernel, w.units, width))),
      bias: tf.keep(tf.tensor1d(w.recurrentValues.bias)),
    }));
  }
  return w.packed;
}

/**
 * Steps of one layer in one RecurrentRun call: from state h (and c), the projections' rows from `row`
 * on, `steps` steps (the last first when reversed). The sequence (batch, steps, units) when asked.
 */
function runFused(w: RecurrentWeights, packed: { weights: Tensor1D; bias: Tensor1D }, projections: Projections, h: Tensor, c: Tensor | null, row: number, steps: number, reverse: boolean, sequence: boolean): Tensor[] {
  const inputs = { weights: packed.weights, bias: packed.bias, rows: projections.rows, h, ...(projections.ids ? { ids: projections.ids } : {}), ...(c ? { c } : {}) };
  return tfjs().engine().runKernel(RECURRENT_RUN, inputs, { kernel: gatesKernel(w)!, scale: w.doubled ? 0.5 : 1, row, steps, reverse, sequence }) as Tensor[];
}

/** x · kernel + bias for rows of inputs (…, inputSize) → (…, gates·units). */
export function projectInputs(x: Tensor2D, w: RecurrentWeights): Tensor2D {
  return tfjs().fused.matMul({ a: x, b: w.kernel, bias: w.bias }) as Tensor2D;
}

/** Floats the projection tables of one set of weights may hold (64 MB). */
const MAX_PROJECTION_TABLE = 16 * 1024 * 1024;

/**
 * A run's input projections, one row per (step, batch) pair in that order: the rows of `rows`, or,
 * with `ids`, the rows rows[ids[k]] — a projection table read through token ids. The fused step
 * (RecurrentGates) reads a table's rows where they are; separate ops gather them first.
 */
export interface Projections {
  rows: Tensor2D;
  ids: Tensor | null;
}

/**
 * Input projections of embedded tokens: for an embedding table E, the table E · kernel + bias
 * (one row per token id), made on first use and kept until dispose. A batch of token ids then
 * gets its projections as rows of that table, the same values as projectInputs(E[ids]).
 */
export class ProjectionTables {
  private readonly tables = new Map<Tensor, Tensor2D>();
  constructor(private readonly w: RecurrentWeights) {}

  /** The projections of the ids in their order; null when the table would be too large. */
  project(embedding: Tensor, ids: Tensor): Projections | null {
    const tf = tfjs();
    if (embedding.rank !== 2 || embedding.shape[1] !== this.w.inputSize || embedding.dtype !== 'float32') return null;
    let table = this.tables.get(embedding);
    if (!table) {
      if (embedding.shape[0] * this.w.kernel.shape[1] > MAX_PROJECTION_TABLE) return null;
      // Kept: it is first made inside a forward's tf.tidy and serves every later batch.
      table = tf.keep(projectInputs(embedding as Tensor2D, this.w));
      this.tables.set(embedding, table);
    }
    const flat = tf.reshape(ids, [-1]);
    return recurrentGatesAvailable(tf) ? { rows: table, ids: flat } : { rows: tf.gather(table, flat) as Tensor2D, ids: null };
  }

  dispose(): void {
    tfjs().dispose([...this.tables.values()]);
    this.tables.clear();
  }
}

/** The candidate's activation of a pre-activation whose columns were doubled when `w.doubled`. */
function candidate(pre: Tensor, w: RecurrentWeights): Tensor {
  const tf = tfjs();
  if (w.doubled) return tf.sub(tf.mul(tf.sigmoid(pre), w.two), w.one);
  switch (w.activation) {
    case 'relu': return tf.relu(pre);
    case 'sigmoid': return tf.sigmoid(pre);
    case 'tanh': return tf.tanh(pre);
    default: return pre;
  }
}

/** tanh, as the cell state's activation (always tanh in an LSTM), by the same sigmoid. */
function tanhBySigmoid(x: Tensor, w: RecurrentWeights): Tensor {
  const tf = tfjs();
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, w.two)), w.two), w.one);
}

/**
 * The fused kernel that runs a step of these weights, or null when only separate ops can: its
 * candidate is tanh (a Keras LSTM or GRU may be given another activation), or relu for an Elman RNN.
 */
function gatesKernel(w: RecurrentWeights): string | null {
  if (w.activation === 'tanh') return w.cell === 'rnn' ? 'rnn_tanh' : w.cell;
  return w.activation === 'relu' && w.cell === 'rnn' ? 'rnn_relu' : null;
}

/**
 * One step from the input projections and the state: the next h (and c for an LSTM). The step's
 * projections (batch, gates·units) are the projections' rows `row` … `row + batch − 1`.
 * The caller owns the tensors it gets (run it inside tf.tidy).
 */
export function recurrentStep(w: RecurrentWeights, projections: Projections, h: Tensor, c: Tensor | null, row = 0): [Tensor, Tensor | null] {
  const tf = tfjs();
  const u = w.units;
  const batch = h.shape[0];
  const kernel = gatesKernel(w);
  const packed = packedForRun(w);
  if (packed) {
    const [nextH, nextC] = runFused(w, packed, projections, h, c, row, 1, false, false);
    return [nextH, nextC ?? null];
  }
  if (kernel && recurrentGatesAvailable(tf)) {
    const hu = w.recurrentBias ? tf.fused.matMul({ a: h as Tensor2D, b: w.recurrentKernel, bias: w.recurrentBias }) : tf.matMul(h, w.recurrentKernel);
    const inputs = { a: hu, b: projections.rows, state: c ?? h, ...(projections.ids ? { ids: projections.ids } : {}) };
    const out = tf.engine().runKernel(RECURRENT_GATES, inputs, { kernel, row, scale: w.doubled ? 0.5 : 1 }) as Tensor[];
    hu.dispose();
    return [out[0], out[1] ?? null];
  }
  const { rows, ids } = projections;
  const xProjected = ids ? tf.gather(rows, tf.slice(tf.reshape(ids, [-1]), [row], [batch]))
    : row === 0 && rows.shape[0] === batch ? rows : tf.slice(rows, [row, 0], [batch, rows.shape[1]]);
  if (w.cell === 'lstm') {
    const pre = tf.add(xProjected, tf.matMul(h, w.recurrentKernel));
    let i: Tensor; let f: Tensor; let g: Tensor; let o: Tensor;
    if (w.doubled) {
      const [si, sf, sg, so] = tf.split(tf.sigmoid(pre), 4, 1);
      [i, f, o] = [si, sf, so];
      g = tf.sub(tf.mul(sg, w.two), w.one);
    } else {
      const [pi, pf, pg, po] = tf.split(pre, 4, 1);
      [i, f, o] = [tf.sigmoid(pi), tf.sigmoid(pf), tf.sigmoid(po)];
      g = candidate(pg, w);
    }
    const nextC = tf.add(tf.mul(f, c!), tf.mul(i, g));
    return [tf.mul(o, tanhBySigmoid(nextC, w)), nextC];
  }
  if (w.cell === 'gru') {
    const hu = tf.fused.matMul({ a: h as Tensor2D, b: w.recurrentKernel, bias: w.recurrentBias! });
    // sigmoid over all three blocks: only r and z are read from it.
    const [r, z] = tf.split(tf.sigmoid(tf.add(xProjected, hu)), 3, 1);
    const xn = tf.slice(xProjected, [0, 2 * u], [batch, u]);
    const hn = tf.slice(hu, [0, 2 * u], [batch, u]);
    const n = candidate(tf.add(xn, tf.mul(r, hn)), w);
    return [tf.add(n, tf.mul(z, tf.sub(h, n))), null];
  }
  return [candidate(tf.add(xProjected, tf.matMul(h, w.recurrentKernel)), w), null];
}

export interface RecurrentResult {
  /** (batch, time, units) in input time order, when asked for. */
  sequence: Tensor3D | null;
  /** The state after the last processed step (the first time step when reversed). */
  lastH: Tensor2D;
  lastC: Tensor2D | null;
}

/** Options of one run: direction, whether every step's output is kept, and the state to start from (zeros when absent). */
export interface RunOptions {
  reverse: boolean;
  returnSequence: boolean;
  initial?: { h: Tensor2D; c: Tensor2D | null };
  /** The input projections, when the caller has them (ProjectionTables): rows (t, b), time-major. */
  projected?: Projections;
}

/**
 * Runs one direction of one recurrent layer over `x` (batch, time, features), from zero state or `options.initial`.
 * `reverse` processes the last step first; the returned sequence is still in input time order,
 * as in a PyTorch bidirectional output.
 */
export function runRecurrent(x: Tensor3D, w: RecurrentWeights, options: RunOptions): RecurrentResult {
  const tf = tfjs();
  const [batch, time, features] = x.shape;
  const units = w.units;
  // Input projections of every step at once: rows are (t, b), time-major, so a step is one contiguous block.
  const projections = options.projected ?? { rows: tf.tidy(() => projectInputs(tf.reshape(tf.transpose(x, [1, 0, 2]), [time * batch, features]) as Tensor2D, w)), ids: null };
  const packed = packedForRun(w);
  if (packed) {
    try {
      const out = tf.tidy(() => {
        const h0 = options.initial?.h ?? tf.zeros([batch, units]);
        const c0 = w.cell === 'lstm' ? (options.initial?.c ?? tf.zeros([batch, units])) : null;
        return runFused(w, packed, projections, h0, c0, 0, time, options.reverse, options.returnSequence);
      });
      const sequence = options.returnSequence ? out.shift() as Tensor3D : null;
      return { sequence, lastH: out[0] as Tensor2D, lastC: (out[1] ?? null) as Tensor2D | null };
    } finally {
      if (projections !== options.projected) projections.rows.dispose();
    }
  }
  // Copies of the given state: the loop disposes each state once the next one is made.
  let h: Tensor = options.initial ? tf.clone(options.initial.h) : tf.zeros([batch, units]);
  let c: Tensor | null = w.cell === 'lstm' ? (options.initial?.c ? tf.clone(options.initial.c) : tf.zeros([batch, units])) : null;
  const outputs: Tensor[] = new Array(options.returnSequence ? time : 0);
  try {
    for (let step = 0; step < time; step++) {
      const t = options.reverse ? time - 1 - step : step;
      const previous = h;
      const previousC = c;
      const [nextH, nextC] = tf.tidy(() => {
        const [hh, cc] = recurrentStep(w, projections, previous, previousC, t * batch);
        return cc ? [hh, cc] : [hh];
      });
      h = nextH;
      c = nextC ?? null;
      if (options.returnSequence) outputs[t] = h;
      else previous.dispose();
      if (previousC) previousC.dispose();
    }
  } finally {
    if (projections !== options.projected) projections.rows.dispose();
  }
  let sequence: Tensor3D | null = null;
  if (options.returnSequence) {
    sequence = (time === 0 ? tf.zeros([batch, 0, units]) : tf.stack(outputs, 1)) as Tensor3D;
    // h is one of the outputs: keep it, drop the rest.
    for (const o of outputs) if (o !== h) o.dispose();
  }
  return { sequence, lastH: h as Tensor2D, lastC: c as Tensor2D | null };
}
