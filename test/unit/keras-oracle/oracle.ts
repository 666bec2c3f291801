// The TensorFlow.js oracle for the Keras fixtures. TensorFlow cannot be installed here, so each
// fixture in test/fixtures/keras is rebuilt with tfjs-layers (which ports Keras' layer code and
// raises the same class of errors) and run through the same steps as the Python program. An
// Observer records what tfjs did, step by step, as one line that must equal the fixture's
// `# tfjs-oracle:` header.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The repository root, from out/test/unit/keras-oracle once compiled. */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const KERAS_FIXTURES = join(REPO, 'test', 'fixtures', 'keras');

const HEADER = /^# tfjs-oracle: (.*)$/;

export interface KerasFixture {
  name: string;
  path: string;
  source: string;
  /** The recorded observation, from the first line. */
  header: string | null;
  expectations: { code: string; line: number }[];
}

export function readKerasFixtures(): KerasFixture[] {
  return readdirSync(KERAS_FIXTURES)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((name) => {
      const path = join(KERAS_FIXTURES, name);
      const source = readFileSync(path, 'utf8');
      const lines = source.split('\n');
      const expectations: { code: string; line: number }[] = [];
      lines.forEach((text, i) => {
        const m = /#\s*expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/.exec(text);
        if (m) for (const code of m[1].split(',')) expectations.push({ code: code.trim(), line: i + 1 });
      });
      const h = HEADER.exec(lines[0]);
      return { name: name.replace(/\.py$/, ''), path, source, header: h ? h[1] : null, expectations };
    });
}

/** Rewrites the header of a fixture (SEQLENS_ORACLE_UPDATE=1). */
export function writeHeader(fixture: KerasFixture, observed: string): void {
  const lines = fixture.source.split('\n');
  if (HEADER.test(lines[0])) lines[0] = `# tfjs-oracle: ${observed}`;
  else lines.unshift(`# tfjs-oracle: ${observed}`);
  writeFileSync(fixture.path, lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** A shape as Keras prints it: (None, 10, 32). */
export function kerasShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

function outputShapes(model: tf.LayersModel): string {
  const shapes = model.outputs.map((o) => kerasShape(o.shape));
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}

/**
 * An error as one line, with tfjs' numbered layer names (lstm_LSTM3, embedding_Embedding7_input)
 * put back to the Keras base names (lstm, embedding_input) so that the text does not depend on
 * how many layers earlier tests made.
 */
export function errorLine(error: unknown): string {
  // tfjs' ValueError keeps name "Error"; its class name is the Keras one.
  const name = error instanceof Error ? (error.constructor.name !== 'Error' ? error.constructor.name : error.name) : 'throw';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  const text = `${name}: ${message.replace(/\b([a-z][a-z0-9_]*?)_[A-Z][A-Za-z]*\d+/g, '$1')}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// The observer

class Stopped extends Error {}

export class Observer {
  readonly clauses: string[] = [];
  private readonly models: tf.LayersModel[] = [];

  /** Runs one step of the program. On a throw it records it and ends the program, as Python would. */
  async step<T>(label: string, run: () => T | Promise<T>, describe: (value: T) => string): Promise<T> {
    let value: T;
    try {
      value = await run();
    } catch (error) {
      this.clauses.push(`${label} throws ${errorLine(error)}`);
      throw new Stopped();
    }
    const text = describe(value);
    this.clauses.push(text ? `${label} ${text}` : label);
    return value;
  }

  /**
   * A step that tfjs refuses where Keras does not (documented in the header): the throw is recorded
   * and the program goes on.
   */
  async attempt(label: string, run: () => unknown): Promise<void> {
    try {
      await run();
      this.clauses.push(`${label} ok`);
    } catch (error) {
      this.clauses.push(`${label} throws ${errorLine(error)}`);
    }
  }

  /** A fact computed from tfjs' results (never a constant). */
  note(text: string): void {
    this.clauses.push(text);
  }

  build(run: () => tf.LayersModel, label = 'build'): Promise<tf.LayersModel> {
    return this.step(label, () => {
      const model = run();
      this.models.push(model);
      return model;
    }, outputShapes);
  }

  compile(model: tf.LayersModel, args: CompileArgs): Promise<void> {
    const { metrics, missing } = tfjsMetrics(args.metrics ?? []);
    return this.step(
      'compile',
      () => model.compile({ optimizer: args.optimizer ?? 'adam', loss: tfjsLoss(args.loss), metrics }),
      () => '',
    ).then(() => {
      // A silent compile is not worth a clause; a metric tfjs lacks is.
      this.clauses.pop();
      if (missing.length) this.clauses.push(`compile without ${missing.join(', ')} (no tfjs metric)`);
    });
  }

  fit(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor, args: tf.ModelFitArgs = {}, label = 'fit'): Promise<tf.History> {
    // No shuffling: tfjs shuffles with Math.random, and the first bad id it meets would vary.
    return this.step(label, () => model.fit(x, y, { epochs: 1, verbose: 0, shuffle: false, ...args }), () => 'ok');
  }

  evaluate(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor): Promise<string[]> {
    return this.step('evaluate', async () => {
      const result = model.evaluate(x, y, { verbose: 0 });
      const list = Array.isArray(result) ? result : [result];
      await Promise.all(list.map((t) => t.data()));
      return model.metricsNames;
    }, (names) => `ok (${names.join(', ')})`);
  }

  /** model.predict(x), or model(x) with label 'call'. */
  predict(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], label = 'predict'): Promise<tf.Tensor> {
    return this.step(label, () => model.predict(x) as tf.Tensor, (t) => kerasShape(t.shape));
  }

  dispose(): void {
    for (const model of this.models) {
      try {
        model.dispose();
      } catch {
        // already disposed
      }
    }
  }
}

/** Runs a program against tfjs and returns the observation line. */
export async function observe(program: (o: Observer) => Promise<void>): Promise<string> {
  const o = new Observer();
  tf.engine().startScope();
  try {
    await program(o);
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
  } finally {
    o.dispose();
    tf.engine().endScope();
  }
  return o.clauses.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Keras names in tfjs

export interface CompileArgs {
  optimizer?: string | tf.Optimizer;
  /** The Keras loss name as written in the fixture (or the snake_case name of a loss object). */
  loss: string;
  /** The Keras metrics as written in the fixture. */
  metrics?: string[];
}

const LOSSES: Record<string, string> = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  mse: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
};

export function tfjsLoss(name: string): string {
  const loss = LOSSES[name];
  if (!loss) throw new Error(`no tfjs name for the Keras loss ${name}`);
  return loss;
}

type Metric = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

/**
 * Keras metric names to tfjs. tfjs' precision/recall are batch functions rather than Keras'
 * stateful classes; they take the same tensors, which is all the oracle needs.
 */
export function tfjsMetrics(names: string[]): { metrics: Metric[]; missing: string[] } {
  const metrics: Metric[] = [];
  const missing: string[] = [];
  for (const name of names) {
    if (name === 'accuracy' || name === 'mae') metrics.push(name);
    else if (name === 'Precision') metrics.push(tf.metrics.precision);
    else if (name === 'Recall') metrics.push(tf.metrics.recall);
    else if (name === 'AUC' && !('auc' in tf.metrics)) missing.push(name);
    else throw new Error(`no tfjs mapping for the Keras metric ${name}`);
  }
  return { metrics, missing };
}

// ---------------------------------------------------------------------------------------------
// Layers. Two departures from Keras' defaults, neither of which touches a shape or an error:
// recurrent kernels start from glorotUniform (tfjs' orthogonal initializer runs a QR
// decomposition in JavaScript that takes seconds per layer), and embedding tables and
// convolutions are frozen (tfjs' CPU gradients of gather and conv1d take seconds per batch).

const RECURRENT_INIT = { recurrentInitializer: 'glorotUniform' } as const;

export const K = {
  lstm: (args: Parameters<typeof tf.layers.lstm>[0]) => tf.layers.lstm({ ...RECURRENT_INIT, ...args }),
  gru: (args: Parameters<typeof tf.layers.gru>[0]) => tf.layers.gru({ ...RECURRENT_INIT, ...args }),
  simpleRNN: (args: Parameters<typeof tf.layers.simpleRNN>[0]) => tf.layers.simpleRNN({ ...RECURRENT_INIT, ...args }),
  embedding: (args: Parameters<typeof tf.layers.embedding>[0]) => tf.layers.embedding({ trainable: false, ...args }),
  conv1d: (args: Parameters<typeof tf.layers.conv1d>[0]) => tf.layers.conv1d({ trainable: false, ...args }),
};

// ---------------------------------------------------------------------------------------------
// Data. The fixtures build their data with numpy; the oracle builds data of the same shape and
// range, but with N = 8 samples (a fixture's sample count is not part of any rule), from a seeded
// generator so that every run sees the same values. Where the model does not fix the sequence
// length (no input_length, input_shape or Input shape), sequences longer than 20 steps are cut to
// 20 with `short`: tfjs runs a recurrent layer step by step in JavaScript.

export const N = 8;

export function short(timesteps: number): number {
  return Math.min(timesteps, 20);
}

let seed = 0x5eed;
export function reseed(value = 0x5eed): void {
  seed = value;
}

function random(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** np.random.randint(low, high, size=shape): int32 ids in [low, high). */
export function randint(low: number, high: number, shape: number[]): tf.Tensor {
  const values = Int32Array.from({ length: size(shape) }, () => low + Math.floor(random() * (high - low)));
  return tf.tensor(values, shape, 'int32');
}

/** np.random.randint(...) used as labels: float32, as Keras casts them for the loss. */
export function randlabels(low: number, high: number, shape: number[]): tf.Tensor {
  return randint(low, high, shape).toFloat();
}

/** np.random.rand(*shape). */
export function rand(shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: size(shape) }, random), shape, 'float32');
}

/** keras.utils.to_categorical(ids, n). */
export function toCategorical(ids: tf.Tensor, n: number): tf.Tensor {
  return tf.oneHot(ids.toInt().flatten(), n).reshape([...ids.shape, n]).toFloat();
}

// ---------------------------------------------------------------------------------------------
// Facts about predictions

export async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** "all 1" when every predicted value is the same (a softmax over one unit), else "not all equal". */
export async function constantValue(t: tf.Tensor): Promise<string> {
  const v = await values(t);
  return v.every((x) => x === v[0]) ? `all ${v[0]}` : 'not all equal';
}

/** Whether every row of class probabilities sums to 1 (to 1e-5). */
export async function rowSums(t: tf.Tensor): Promise<string> {
  const sums = await values(t.sum(-1));
  if (sums.every((s) => Math.abs(s - 1) <= 1e-5)) return 'rows sum to 1';
  return sums.every((s) => Math.abs(s - 1) > 1e-5) ? 'no row sums to 1' : 'some rows do not sum to 1';
}

/**
 * Sets the last layer's kernel to zeros and its bias to `bias` (one value, or one per unit): a model
 * whose output ignores its input.
 */
export function constantHead(model: tf.LayersModel, bias: number | number[]): void {
  const head = model.layers[model.layers.length - 1];
  const [kernel, b] = head.getWeights();
  head.setWeights([tf.zerosLike(kernel), Array.isArray(bias) ? tf.tensor1d(bias) : tf.fill(b.shape, bias)]);
}

/** keras.preprocessing.sequence.pad_sequences(seqs, maxlen, padding="post"|"pre"), truncating "pre". */
export function padSequences(seqs: number[][], maxlen: number, padding: 'pre' | 'post' = 'pre'): tf.Tensor {
  const rows = seqs.map((s) => {
    const kept = s.slice(Math.max(0, s.length - maxlen));
    const pad = new Array<number>(maxlen - kept.length).fill(0);
    return padding === 'post' ? [...kept, ...pad] : [...pad, ...kept];
  });
  return tf.tensor2d(rows, [seqs.length, maxlen], 'int32');
}
