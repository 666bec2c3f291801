// Models with one output per time step. A language model (forward returns next-token logits over
// its own vocabulary, (B, T, V), (T, B, V) or (B·T, V)) is scored against its input shifted by one:
// the output at step t is the distribution of token t + 1. Padding is left out only when the pad id is
// known (the input Embedding's padding_idx, or --pad-id): a target equal to it is not scored, as
// PyTorch's cross_entropy(ignore_index=pad) leaves it out. Without a pad id, sequences of different
// lengths are refused: their padding would be scored as text. The per-token log-probabilities are
// written as the sequence evaluation's per-token file (seq_id, position, token, logprob), which
// `seqlens eval FILE.csv` reads as a language model: the reported perplexity is that file's.
//
// A tagger (one output per token over its own classes, (B, T, C) in the same layouts) is scored
// against per-token gold labels: each token's predicted class is the argmax of its output. Tokens
// equal to the known pad id, and labels marked to ignore (negative, as PyTorch's -100), are left
// out; the rest is written as the sequence evaluation's tagged JSON Lines (one sequence a line,
// "tags" and "predictions"), which `seqlens eval FILE.jsonl` reads back to the same report.
import { createWriteStream } from 'node:fs';
import { InputError } from '../errors';
import { DatasetBatch, NO_TAG, SequenceDataset } from '../datasets';
import { CancelledError, DEFAULT_BATCH_SIZE, RunOptions } from './run';
import { tfjs, Tensor } from './tf';
import type { SequenceModel } from './types';

/** How a per-step output lays out batch and time. */
export type StepLayout = 'BTC' | 'TBC' | 'flat' | 'flatTB';

export interface PerStepOutput {
  /** What the output reads as: over the input's own vocabulary a language model, over other classes a tagger. */
  task: 'language-model' | 'tagging';
  layout: StepLayout;
  /** The pad id when the model or --pad-id gives it; null when unknown. */
  padId: number | null;
  /** Outputs per step: the vocabulary of a language model, the classes of a tagger. */
  classes: number;
}

/** (B, T, V) logits from a per-step output of the given layout. */
export function stepLogits(out: Tensor, layout: StepLayout, batch: number, steps: number): Tensor {
  const tf = tfjs();
  if (layout === 'TBC') return tf.transpose(out, [1, 0, 2]);
  if (layout === 'flat') return tf.reshape(out, [batch, steps, -1]);
  if (layout === 'flatTB') return tf.transpose(tf.reshape(out, [steps, batch, -1]), [1, 0, 2]);
  return out;
}

export interface TokenScores {
  /** Scored tokens: each one's sequence, its position in the padded row, its id and log-probability. */
  sequence: Int32Array;
  position: Int32Array;
  token: Int32Array;
  logprob: Float64Array;
  count: number;
  /** Sequences with nothing to score (one real token). */
  empty: number;
}

/** Runs a language model over the dataset: the log-probability of every token it predicts from the ones before. */
/** Runs the model on one batch of ids and reads `pick` of its (B, T, C) per-step outputs. */
function perStepBatch(model: SequenceModel, batch: DatasetBatch, layout: StepLayout, pick: (outputs: Tensor, x: Tensor) => Tensor): Float32Array | Int32Array {
  const tf = tfjs();
  const steps = batch.length;
  const x = tf.tensor2d(batch.ids!, [batch.count, steps], 'int32');
  try {
    const raw = model.predictRaw(x);
    try {
      const picked = tf.tidy(() => {
        const outputs = stepLogits(raw, layout, batch.count, steps);
        if (outputs.rank !== 3 || outputs.shape[0] !== batch.count || outputs.shape[1] !== steps) {
          throw new InputError(model.summary.path, null, `${model.summary.name}.forward returns ${JSON.stringify(raw.shape)} for a batch of ${batch.count} × ${steps} tokens, not one output per token`);
        }
        return pick(outputs, x);
      });
      const data = picked.dataSync() as Float32Array | Int32Array;
      picked.dispose();
      return data;
    } finally {
      raw.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** Sequences padded with an id nobody named would have their padding scored as text. */
function refuseUnknownPadding(dataset: SequenceDataset, perStep: PerStepOutput): void {
  if (perStep.padId === null && dataset.padded > 0) {
    throw new InputError(dataset.path, null, `${dataset.padded} sequence${dataset.padded === 1 ? ' is' : 's are'} shorter than ${dataset.length} tokens and the pad id is not known (the input Embedding has no padding_idx): their padding would be scored as text. Give the pad id with --pad-id N`);
  }
}

export async function scoreLanguageModel(model: SequenceModel, dataset: SequenceDataset, perStep: PerStepOutput, options: RunOptions = {}): Promise<TokenScores> {
  const tf = tfjs();
  if (dataset.kind === 'features') throw new InputError(dataset.path, null, 'a language model is scored on token ids, not features');
  refuseUnknownPadding(dataset, perStep);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const capacity = dataset.n * Math.max(dataset.length - 1, 0);
  const scores: TokenScores = { sequence: new Int32Array(capacity), position: new Int32Array(capacity), token: new Int32Array(capacity), logprob: new Float64Array(capacity), count: 0, empty: 0 };
  let done = 0;
  for await (const batch of dataset.batches(batchSize)) {
    if (options.signal?.aborted) throw new CancelledError(done, dataset.n);
    const steps = batch.length;
    const logprobs = perStepBatch(model, batch, perStep.layout, (logits, x) => {
      const scored = tf.slice(logits, [0, 0, 0], [-1, steps - 1, -1]);
      // Probabilities (a softmax in forward) are taken as they are; logits and log-probabilities go through log_softmax.
      const log = model.summary.outputActivation === 'softmax' ? tf.log(scored) : tf.logSoftmax(scored);
      const targets = tf.slice(x, [0, 1], [-1, -1]);
      return tf.sum(tf.mul(log, tf.oneHot(targets, logits.shape[2] as number)), 2);
    }) as Float32Array;
    const ids = batch.ids!;
    for (let b = 0; b < batch.count; b++) {
      let scored = 0;
      for (let t = 1; t < steps; t++) {
        const token = ids[b * steps + t];
        if (perStep.padId !== null && token === perStep.padId) continue;
        const lp = logprobs[b * (steps - 1) + t - 1];
        if (!Number.isFinite(lp)) throw new InputError(model.summary.path, null, `sample ${batch.start + b}: the model gives token ${token} at position ${t} a log-probability of ${lp}`);
        const k = scores.count++;
        scores.sequence[k] = batch.start + b;
        scores.position[k] = t;
        scores.token[k] = token;
        scores.logprob[k] = lp;
        scored++;
      }
      if (scored === 0) scores.empty++;
    }
    done += batch.count;
    options.onProgress?.(done, dataset.n);
  }
  if (scores.count === 0) throw new InputError(dataset.path, null, 'no token to score: every sequence has at most one real token');
  return scores;
}

/** A text file written in chunks, waiting on the stream when it is full. */
function textWriter(path: string): { write: (text: string) => Promise<void>; close: () => Promise<void> } {
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  return {
    write: (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()))),
    close: () => {
      out.end();
      return done;
    },
  };
}

/** The per-token file the sequence evaluation reads: seq_id, position, token, logprob (nats). */
export async function writeTokenScoresCsv(scores: TokenScores, path: string): Promise<void> {
  const { write, close } = textWriter(path);
  await write('seq_id,position,token,logprob\n');
  let chunk = '';
  for (let i = 0; i < scores.count; i++) {
    chunk += `${scores.sequence[i]},${scores.position[i]},${scores.token[i]},${String(scores.logprob[i])}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await close();
}

export interface TaggedTokens {
  /** Scored tokens in order: each one's sequence, position in the padded row, token id, gold and predicted class. */
  sequence: Int32Array;
  position: Int32Array;
  token: Int32Array;
  gold: Int32Array;
  predicted: Int32Array;
  count: number;
  /** Tokens left out: equal to the pad id, or labelled to ignore (negative, --ignore-label). */
  padding: number;
  ignored: number;
  /** Sequences with no token left to score. */
  empty: number;
}

/** Runs a tagger over the dataset: each token's predicted class (the argmax of its output) beside its gold label. */
export async function tagTokens(model: SequenceModel, dataset: SequenceDataset, perStep: PerStepOutput, options: RunOptions = {}): Promise<TaggedTokens> {
  const tf = tfjs();
  if (dataset.kind === 'features') throw new InputError(dataset.path, null, 'a tagger is scored on token ids, not features');
  if (!dataset.tokenLabels) throw new InputError(dataset.path, null, 'a tagger is scored against one gold label per token: give them as a "tags" array beside each sample\'s ids (JSONL), or as an (N, T) labels .npy beside the (N, T) ids');
  refuseUnknownPadding(dataset, perStep);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const capacity = dataset.n * dataset.length;
  const out: TaggedTokens = { sequence: new Int32Array(capacity), position: new Int32Array(capacity), token: new Int32Array(capacity), gold: new Int32Array(capacity), predicted: new Int32Array(capacity), count: 0, padding: 0, ignored: 0, empty: 0 };
  let done = 0;
  for await (const batch of dataset.batches(batchSize)) {
    if (options.signal?.aborted) throw new CancelledError(done, dataset.n);
    const steps = batch.length;
    // The argmax of logits, log-probabilities and probabilities is the same class.
    const argmax = perStepBatch(model, batch, perStep.layout, (outputs) => tf.argMax(outputs, 2)) as Int32Array;
    const ids = batch.ids!;
    const tags = batch.tags!;
    for (let b = 0; b < batch.count; b++) {
      let scored = 0;
      for (let t = 0; t < steps; t++) {
        const i = b * steps + t;
        const token = ids[i];
        if (perStep.padId !== null && token === perStep.padId) { out.padding++; continue; }
        const gold = tags[i];
        if (gold === NO_TAG) { out.ignored++; continue; }
        if (gold >= perStep.classes) throw new InputError(dataset.path, null, `sample ${batch.start + b}: the label of token ${t} is ${gold}, but ${model.summary.name} tags over ${perStep.classes} classes (0 to ${perStep.classes - 1})`);
        const k = out.count++;
        out.sequence[k] = batch.start + b;
        out.position[k] = t;
        out.token[k] = token;
        out.gold[k] = gold;
        out.predicted[k] = argmax[i];
        scored++;
      }
      if (scored === 0) out.empty++;
    }
    done += batch.count;
    options.onProgress?.(done, dataset.n);
  }
  if (out.count === 0) throw new InputError(dataset.path, null, 'no token to score: every token is padding or labelled to ignore');
  return out;
}

/**
 * The tagged JSON Lines the sequence evaluation reads: one sequence a line, its scored tokens' ids,
 * positions, gold tags and predicted tags, the classes named by `names`.
 */
export async function writeTaggedJsonl(tokens: TaggedTokens, names: string[], path: string): Promise<void> {
  const { write, close } = textWriter(path);
  let chunk = '';
  for (let k = 0; k < tokens.count;) {
    const sequence = tokens.sequence[k];
    let end = k;
    while (end < tokens.count && tokens.sequence[end] === sequence) end++;
    const ids: number[] = [];
    const positions: number[] = [];
    const gold: string[] = [];
    const predicted: string[] = [];
    for (let i = k; i < end; i++) {
      ids.push(tokens.token[i]);
      positions.push(tokens.position[i]);
      gold.push(names[tokens.gold[i]]);
      predicted.push(names[tokens.predicted[i]]);
    }
    chunk += `${JSON.stringify({ seq_id: sequence, positions, tokens: ids, tags: gold, predictions: predicted })}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
    k = end;
  }
  await write(chunk);
  await close();
}
