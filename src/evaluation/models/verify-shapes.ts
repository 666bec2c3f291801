// "Verify shapes": the analysed PyTorch model built in TensorFlow.js with random weights, one
// forward pass on a dummy batch, and each step's real output shape beside the shape the static
// analysis inferred for the same name on the same line. A dynamic check of the static analysis.
import type { Analyzer } from '../../analysis';
import { InputError } from '../errors';
import { tfjs } from './tf';
import type { InitValues } from './torch/constructor-sizes';
import { loadTorchModel } from './torch/model';
import type { StateDict } from './weights';
import { NpyArray, writeNpyFile } from '../datasets/npy';
import type { Shape } from './torch/layers';

export interface ShapeCheckRow {
  /** 1-based line in the analysed file. */
  line: number;
  /** The expression, as written in forward. */
  expression: string;
  /** `self.<attr>`'s layer kind (GRU, Linear, …), or the operation (index, cat, mean, …). */
  kind: string;
  /** The name forward binds the value to, when it does. */
  name: string | null;
  /** What the analyser's hover shows for that name on that line, e.g. `(B, T, 64)`; null when it has none. */
  analysedShape: string | null;
  /** The shape SeqLens' layer arithmetic expects, with B and T symbolic. */
  expectedShape: string;
  /** What TensorFlow.js actually produced for the dummy batch. */
  realShape: number[];
  /** False when a static shape disagrees with the real one (a bug in the analysis, or in the model). */
  agrees: boolean;
}

export interface ShapeCheck {
  className: string;
  /** The dummy batch: its size, its length, and the input shape fed to forward. */
  batch: number;
  length: number;
  inputShape: number[];
  rows: ShapeCheckRow[];
  /** The .npy file the batch came from, when it was given (--inputs). */
  inputs?: string;
  /** Rows whose static and real shapes differ. */
  mismatches: number;
  /** The state dict the model ran with, or null for random weights. */
  weights?: string | null;
  /** The model's notes: constructor arguments taken from the weights, unused weights. */
  notes?: string[];
  /** Where the raw outputs for the given inputs were written, and their shape. */
  outputs?: { path: string; shape: number[] };
}

export interface VerifyShapesOptions {
  path: string;
  source: string;
  analyzer: Analyzer;
  className?: string;
  /** A state dict to use instead of random weights (it also gives constructor sizes). */
  weights?: StateDict;
  /** Constructor arguments (--init). */
  init?: InitValues;
  /** The project the file belongs to, for what it imports from the project's other files. */
  workspace?: import('../../analysis').Workspace;
  /** Dummy sizes, chosen unlike any layer size so that B and T can be told apart in the result. */
  batch?: number;
  length?: number;
  /** Fixed inputs to run instead of a random batch: ids (B, T) or features (B, T, F), batch-major. */
  inputs?: { path: string; array: NpyArray };
  /** Forward parameters given by name (--input NAME=FILE.npy), batch first like `inputs`. */
  named?: { name: string; path: string; array: NpyArray }[];
  /** The pad id given explicitly (--pad-id): forward's lengths and masks count it. */
  padId?: number;
  /** Write the model's raw output for the batch (predictRaw: logits as forward returns them) here, as .npy. */
  outputsPath?: string;
}

function render(shape: Shape): string {
  return `(${shape.join(', ')})`;
}

/** A static shape label agrees when every numeric dim equals the real one and B/T are the dummy sizes. */
export function agreesWith(label: string, real: number[], batch: number, length: number): boolean {
  const tokens = label.replace(/^\(|\)$/g, '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== '…');
  if (label.includes('…')) return tokens.every((t, i) => matches(t, real[real.length - tokens.length + i], batch, length));
  if (tokens.length !== real.length) return false;
  return tokens.every((t, i) => matches(t, real[i], batch, length));
}

function matches(token: string, real: number | undefined, batch: number, length: number): boolean {
  if (real === undefined) return false;
  if (/^\d+$/.test(token)) return Number(token) === real;
  if (token === 'B' || token === 'batch') return real === batch;
  if (token === 'T' || token === 'seq' || token === 'L') return real === length;
  return true; // another symbol: the analysis did not pin it down
}

export function verifyShapes(options: VerifyShapesOptions): ShapeCheck {
  const tf = tfjs();
  const given = options.inputs?.array;
  if (given?.kind === 'text') throw new InputError(options.inputs!.path, null, `the array holds text (${given.shape.join(', ')}); a model takes integer ids or float features`);
  // Given inputs are run as they are, from the first pass on: their shape is the model's to accept.
  const example = given ? { batch: tf.tensor(given.data, given.shape, given.kind === 'int' ? 'int32' : 'float32'), path: options.inputs!.path } : undefined;
  for (const n of options.named ?? []) {
    if (n.array.kind === 'text') throw new InputError(n.path, null, `the array holds text (${n.array.shape.join(', ')}); forward's ${n.name} takes integer ids or float features`);
  }
  const named = new Map((options.named ?? []).map((n) => [n.name, { path: n.path, batch: tf.tensor(n.array.data as Float32Array | Int32Array, n.array.shape, n.array.kind === 'int' ? 'int32' : 'float32') }]));
  let model;
  try {
    model = loadTorchModel({ path: options.path, source: options.source, analyzer: options.analyzer, className: options.className, weights: options.weights, init: options.init, anyOutput: true, example, named, padId: options.padId, workspace: options.workspace });
  } catch (error) {
    example?.batch.dispose();
    named.forEach((n) => n.batch.dispose());
    throw error;
  }
  // A 1-D input is one sequence (or one token): a batch of 1.
  const given0 = example?.batch.shape ?? [];
  const [batch, length]: number[] = example
    ? (given0.length >= 2 ? [given0[0], given0[1]] : [1, given0[0] ?? 1])
    : [options.batch ?? 3, options.length ?? 13];
  try {
    const analysis = options.analyzer.analyze(options.source, options.path);
    const sites = new Map<string, string>();
    for (const site of analysis.tensors) sites.set(`${site.range.start.line + 1}:${site.name}`, site.shape);
    const input = model.summary.input;
    const inputShape = example ? example.batch.shape.slice() : input.kind === 'ids' ? [batch, length] : [batch, length, input.features!];
    const dummy = example ? example.batch : input.kind === 'ids'
      ? tf.tidy(() => tf.cast(tf.floor(tf.mul(tf.randomUniform(inputShape, 0, 1, 'float32', 7), input.vocabulary ?? 1)), 'int32'))
      : tf.randomNormal(inputShape, 0, 1, 'float32', 7);
    let trace;
    let outputs: ShapeCheck['outputs'];
    try {
      trace = model.trace(dummy);
      if (options.outputsPath) {
        const raw = model.predictRaw(dummy);
        try {
          writeNpyFile(options.outputsPath, raw.shape.slice(), raw.dataSync() as Float32Array);
          outputs = { path: options.outputsPath, shape: raw.shape.slice() };
        } finally {
          raw.dispose();
        }
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(options.path, null, `TensorFlow.js could not run ${model.summary.name} on ${given ? 'the inputs' : 'a dummy batch'} ${JSON.stringify(inputShape)}: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      dummy.dispose();
    }
    const rows: ShapeCheckRow[] = [];
    for (const step of trace) {
      const name = step.name === '' || step.name === 'return' ? null : step.name;
      const analysedShape = name ? sites.get(`${step.line}:${name}`) ?? null : null;
      // B and T where the executed tensor's axes still are the input's batch and time axes.
      const expected: Shape = step.shape.map((d, i) => step.roles?.[i] ?? d);
      rows.push({
        line: step.line,
        expression: step.expression,
        kind: step.kind,
        name,
        analysedShape,
        expectedShape: render(expected),
        realShape: step.shape,
        agrees: analysedShape === null || agreesWith(analysedShape, step.shape, batch, length),
      });
    }
    return {
      className: model.summary.name, batch, length, inputShape, ...(options.inputs ? { inputs: options.inputs.path } : {}), rows, mismatches: rows.filter((r) => !r.agrees).length,
      weights: options.weights?.path ?? null, notes: model.summary.notes, ...(outputs ? { outputs } : {}),
    };
  } finally {
    model.dispose();
    example?.batch.dispose();
    named.forEach((n) => n.batch.dispose());
  }
}

export function formatShapeCheck(check: ShapeCheck): string {
  const header = ['line', 'expression', 'kind', 'static', 'from', 'real', ''];
  const rows = check.rows.map((r) => [
    String(r.line), r.expression, r.kind,
    r.analysedShape ?? r.expectedShape, r.analysedShape !== null ? 'analysis' : 'layer sizes',
    `(${r.realShape.join(', ')})`, r.agrees ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    `${check.className}: one forward pass with ${check.weights ? `the weights of ${check.weights}` : 'random weights'} on ${check.inputs ? `the inputs of ${check.inputs}, a batch` : 'a dummy batch'} of ${check.batch} sequences of length ${check.length}, input (${check.inputShape.join(', ')}); B = ${check.batch}, T = ${check.length}`,
    line(header),
    ...rows.map(line),
    check.mismatches === 0 ? 'Every static shape matches the real one.' : `${check.mismatches} static shape(s) differ from the real ones.`,
    ...(check.notes ?? []).map((n) => `Note: ${n}`),
    ...(check.outputs ? [`Outputs (${check.outputs.shape.join(', ')}) written to ${check.outputs.path}`] : []),
  ].join('\n') + '\n';
}
