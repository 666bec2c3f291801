// Language-model metrics from per-token log-probabilities or per-token losses (natural log).
// Perplexity is the corpus perplexity, exp(total NLL / total tokens), not the mean of
// per-sequence perplexities that Hugging Face evaluate's mean_perplexity reports.
import { CompensatedSum } from './sum';

export interface LanguageModelMetrics {
  crossEntropy: number;
  perplexity: number;
}

/** A log-probability above this is not a log-probability: rounding in the writer allows no more. */
const LOG_PROB_SLACK = 1e-9;

/** Negative log-likelihoods per token: -logprob, or the loss as given. Throws at the first impossible value. */
export function languageModelMetrics(values: Float64Array, kind: 'logprob' | 'loss'): LanguageModelMetrics & { badRow: number; badReason: string } {
  const total = new CompensatedSum();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (kind === 'logprob' && v > LOG_PROB_SLACK) {
      return { crossEntropy: NaN, perplexity: NaN, badRow: i, badReason: `log-probability ${v} is above 0 (a probability above 1); is this column a probability or a loss?` };
    }
    if (kind === 'loss' && v < -LOG_PROB_SLACK) {
      return { crossEntropy: NaN, perplexity: NaN, badRow: i, badReason: `loss ${v} is negative; is this column a log-probability?` };
    }
    total.add(kind === 'logprob' ? -v : v);
  }
  const crossEntropy = total.value / values.length;
  return { crossEntropy, perplexity: Math.exp(crossEntropy), badRow: -1, badReason: '' };
}
