// Models with one output per time step. A language model (forward returns next-token logits over
// its own vocabulary, (B, T, V), (T, B, V) or (B·T, V)) is scored against its input shifted by one:
// the output at step t is the distribution of token t + 1. Padding is left out only when the pad id is
// known (the input Embedding's padding_idx, or --pad-id): a target equal to it is not scored, as
// PyTorch's cross_entropy(ignore_index=pad) leaves it out. Without a pad id, sequences of different
// lengths are refused: their padding would be scored as text. The per-token log-probabilities are
// written as the sequence evaluation's per-token file (seq_id, position, token, logprob), which
// `seqlens eval FILE.csv` reads as a language model: the reported perplexity is that file's.
import { createWriteStream } from 'node:fs';
import { InputError } from '../errors';
import type { SequenceDataset } from '../datasets';
import { CancelledError, DEFAULT_BATCH_SIZE, RunOptions } from './run';
import { tfjs, Tensor } from './tf';
import type { SequenceModel } from './types';

/** How a per-step output lays out batch and time. */
export type StepLayout = 'BTC' | 'TBC' | 'flat' | 'flatTB';

export interface PerStepOutput {
  task: 'language-model';
  layout: StepLayout;
  /** The pad id when the model or --pad-id gives it; null when unknown. */
  padId: number | null;
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
export async function scoreLanguageModel(model: SequenceModel, dataset: SequenceDataset, perStep: PerStepOutput, options: RunOptions = {}): Promise<TokenScores> {
  const tf = tfjs();
  if (dataset.kind === 'features') throw new InputError(dataset.path, null, 'a language model is scored on token ids, not features');
  if (perStep.padId === null && dataset.padded > 0) {
    throw new InputError(dataset.path, null, `${dataset.padded} sequence${dataset.padded === 1 ? ' is' : 's are'} shorter than ${dataset.length} tokens and the pad id is not known (the input Embedding has no padding_idx): their padding would be scored as text. Give the pad id with --pad-id N`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const capacity = dataset.n * Math.max(dataset.length - 1, 0);
  const scores: TokenScores = { sequence: new Int32Array(capacity), position: new Int32Array(capacity), token: new Int32Array(capacity), logprob: new Float64Array(capacity), count: 0, empty: 0 };
  let done = 0;
  for await (const batch of dataset.batches(batchSize)) {
    if (options.signal?.aborted) throw new CancelledError(done, dataset.n);
    const steps = batch.length;
    const x = tf.tensor2d(batch.ids!, [batch.count, steps], 'int32');
    let logprobs: Float32Array;
    let vocabulary: number;
    try {
      const raw = model.predictRaw(x);
      const picked = tf.tidy(() => {
        const logits = stepLogits(raw, perStep.layout, batch.count, steps);
        if (logits.rank !== 3 || logits.shape[0] !== batch.count || logits.shape[1] !== steps) {
          throw new InputError(model.summary.path, null, `${model.summary.name}.forward returns ${JSON.stringify(raw.shape)} for a batch of ${batch.count} × ${steps} tokens, not one output per token`);
        }
        vocabulary = logits.shape[2] as number;
        const scored = tf.slice(logits, [0, 0, 0], [-1, steps - 1, -1]);
        // Probabilities (a softmax in forward) are taken as they are; logits and log-probabilities go through log_softmax.
        const log = model.summary.outputActivation === 'softmax' ? tf.log(scored) : tf.logSoftmax(scored);
        const targets = tf.slice(x, [0, 1], [-1, -1]);
        return tf.sum(tf.mul(log, tf.oneHot(targets, vocabulary)), 2);
      });
      raw.dispose();
      logprobs = picked.dataSync() as Float32Array;
      picked.dispose();
    } finally {
      x.dispose();
    }
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

/** The per-token file the sequence evaluation reads: seq_id, position, token, logprob (nats). */
export async function writeTokenScoresCsv(scores: TokenScores, path: string): Promise<void> {
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
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
  out.end();
  await done;
}
