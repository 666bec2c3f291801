// Runs a model over a dataset in batches: one batch's tensors alive at a time, progress after
// every batch, and cancellation between batches. What is kept is what the evaluation needs:
// each sample's class probabilities and its label.
import { InputError } from '../errors';
import type { SequenceDataset } from '../datasets';
import type { Label } from '../types';
import { tfjs } from './tf';
import type { SequenceModel } from './types';

export interface RunOptions {
  batchSize?: number;
  /** Called after each batch with the samples done so far. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Names of classes 0..K-1; by default the integers themselves, or the sorted text labels when there are K. */
  classNames?: string[];
}

export interface ModelPredictions {
  n: number;
  /** The class each probability column stands for, in column order. */
  classes: Label[];
  /** (n, classes) row-major. */
  probabilities: Float32Array;
  /** Index into `classes` of each sample's most probable class. */
  predicted: Int32Array;
  labels: Label[];
  elapsedMs: number;
}

export class CancelledError extends Error {
  constructor(done: number, total: number) {
    super(`cancelled after ${done} of ${total} samples`);
    this.name = 'CancelledError';
  }
}

export const DEFAULT_BATCH_SIZE = 256;

export function classLabels(units: number, labels: Label[], classNames: string[] | undefined, where: string): Label[] {
  const k = units === 1 ? 2 : units;
  if (classNames && classNames.length > 0) {
    if (classNames.length !== k) throw new InputError(where, null, `--class-names gives ${classNames.length} names but the model has ${k} classes`);
    return classNames;
  }
  const text = labels.some((l) => typeof l === 'string');
  if (!text) return Array.from({ length: k }, (_, i) => i);
  const distinct = [...new Set(labels.map(String))].sort();
  if (distinct.length !== k) {
    throw new InputError(where, null, `the labels are text (${distinct.slice(0, 5).join(', ')}${distinct.length > 5 ? ', …' : ''}: ${distinct.length} distinct) and the model has ${k} outputs; name its classes in output order with --class-names`);
  }
  return distinct;
}

/** Index of the first NaN or infinite value, or -1. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

export async function runModel(model: SequenceModel, dataset: SequenceDataset, options: RunOptions = {}): Promise<ModelPredictions> {
  const tf = tfjs();
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const names = options.classNames && options.classNames.length > 0 ? options.classNames : null;
  // Integer labels with class names: label k is the class named names[k].
  const labels = names ? dataset.labels.map((l) => (typeof l === 'number' && Number.isInteger(l) && l >= 0 && l < names.length ? names[l] : l)) : dataset.labels;
  const classes = classLabels(model.summary.outputUnits, labels, options.classNames, dataset.path);
  const k = classes.length;
  const probabilities = new Float32Array(dataset.n * k);
  const predicted = new Int32Array(dataset.n);
  let done = 0;
  for await (const batch of dataset.batches(batchSize)) {
    if (options.signal?.aborted) throw new CancelledError(done, dataset.n);
    const x = batch.ids
      ? tf.tensor2d(batch.ids, [batch.count, batch.length], 'int32')
      : tf.tensor3d(batch.features!, [batch.count, batch.length, dataset.features!], 'float32');
    let values: Float32Array;
    try {
      const p = model.predictProbabilities(x);
      values = (await p.data()) as Float32Array;
      p.dispose();
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(model.summary.path, null, `TensorFlow.js could not run the model on samples ${batch.start} to ${batch.start + batch.count - 1} of ${dataset.path}: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      x.dispose();
    }
    const broken = firstNonFinite(values);
    if (broken >= 0) {
      const sample = batch.start + Math.floor(broken / k);
      throw new InputError(model.summary.path, null, `the model's output for sample ${sample} of ${dataset.path} is ${values[broken]} (the probability of class ${String(classes[broken % k])}): its weights or that input give non-finite values, which no metric can score`);
    }
    probabilities.set(values, batch.start * k);
    for (let r = 0; r < batch.count; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (values[r * k + c] > values[r * k + best]) best = c;
      predicted[batch.start + r] = best;
    }
    done += batch.count;
    options.onProgress?.(done, dataset.n);
    // Let a cancel request (or the editor) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { n: dataset.n, classes, probabilities, predicted, labels, elapsedMs: performance.now() - started };
}
