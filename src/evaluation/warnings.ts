// Every warning the engine can raise: a stable code (never reused), a kebab-case name, and
// the explanation a user needs, What it means / Why it matters / What to try. The CLI's
// report, the JSON output and the panel all draw on this one table.
import type { EvalWarning, Label } from './types';

export interface WarningRule {
  code: string;
  name: string;
  what: string;
  why: string;
  tryThis: string;
}

export const WARNING_CATALOGUE: Record<string, WarningRule> = {
  SLE101: {
    code: 'SLE101',
    name: 'accuracy-paradox',
    what: 'Accuracy is high, but it barely beats always predicting the majority class, or some class is mostly missed.',
    why: 'On imbalanced data accuracy rewards ignoring the rare class: 98% accuracy can mean 12% recall on spam.',
    tryThis: 'Judge the model by per-class recall, macro F1, balanced accuracy or MCC; rebalance the data or the loss; move the threshold using the precision-recall trade-off.',
  },
  SLE102: {
    code: 'SLE102',
    name: 'class-imbalance',
    what: 'The largest class has at least 10 times the samples of the smallest.',
    why: 'Averages over samples (accuracy, micro and weighted scores) then mostly describe the big classes.',
    tryThis: 'Read the macro average and the per-class rows; consider class weights, resampling or more data for the rare classes.',
  },
  SLE103: {
    code: 'SLE103',
    name: 'class-never-predicted',
    what: 'A class present in the true labels is never predicted.',
    why: 'Its recall is 0 and its precision is undefined (reported as 0): the model has given up on it.',
    tryThis: 'Check the class is in the training data and the output layer, and whether the threshold or class weights suppress it.',
  },
  SLE104: {
    code: 'SLE104',
    name: 'undefined-metric',
    what: 'A metric divided by zero and is reported as 0, as scikit-learn does by default (zero_division=0).',
    why: 'Precision is undefined for a class never predicted, recall for a class absent from the true labels; the 0 is a convention, not a measurement.',
    tryThis: 'Read those classes\' rows with care; evaluate on data that contains every class.',
  },
  SLE105: {
    code: 'SLE105',
    name: 'single-class',
    what: 'Only one class is present, so some metrics are undefined and reported as NaN (null in JSON).',
    why: 'ROC AUC needs positives and negatives; Cohen\'s kappa is 0/0 with one class.',
    tryThis: 'Evaluate on data that contains both outcomes.',
  },
  SLE106: {
    code: 'SLE106',
    name: 'label-only-predicted',
    what: 'The predictions contain classes that never occur in the true labels.',
    why: 'Balanced accuracy leaves those classes out (as scikit-learn does); their recall is undefined.',
    tryThis: 'Check the label encoding of the two columns matches.',
  },
  SLE107: {
    code: 'SLE107',
    name: 'probabilities-not-normalised',
    what: 'Per-class probabilities do not sum to 1 on some rows.',
    why: 'Log loss renormalises each row (as scikit-learn does); one-vs-rest AUC ranks each column as given. The columns may be logits or scores from different models.',
    tryThis: 'Apply softmax before saving, or name the columns logit_<class> so SeqLens applies it.',
  },
  SLE108: {
    code: 'SLE108',
    name: 'scores-not-probabilities',
    what: 'Scores fall outside [0, 1], so log loss is not computed.',
    why: 'Log loss needs probabilities; ROC and PR curves only need an ordering, so they are still exact.',
    tryThis: 'Pass probabilities (apply a sigmoid to logits), and set --threshold on the same scale as the scores.',
  },
  SLE109: {
    code: 'SLE109',
    name: 'constant-target',
    what: 'The true values are all equal, so R² is undefined; it is reported as 1.0 for a perfect fit and 0.0 otherwise, as scikit-learn does.',
    why: 'R² compares the error with the variance of the target, and that variance is zero.',
    tryThis: 'Use MSE or MAE on this data.',
  },
  SLE201: {
    code: 'SLE201',
    name: 'overfitting-gap',
    what: 'The model scores much better on the training file than on the evaluated file.',
    why: 'A large gap means the model memorised the training data rather than learning what generalises.',
    tryThis: 'Add regularisation (dropout, weight decay), stop earlier, or get more training data; compare again.',
  },
  SLE202: {
    code: 'SLE202',
    name: 'train-test-leakage',
    what: 'More than 5% of the evaluated samples also occur in the training file (after normalising case, punctuation and spacing).',
    why: 'Scores on samples the model trained on are optimistic: they measure memory, not generalisation.',
    tryThis: 'Deduplicate before splitting, and split by source (user, document, time) rather than by row.',
  },
  SLE203: {
    code: 'SLE203',
    name: 'leakage-not-checked',
    what: 'A training file was given, but there is no sample column (text, sentence, input, …) to compare.',
    why: 'Without the samples themselves, identical samples in both files cannot be found.',
    tryThis: 'Keep the input text or an id column in both files, or name it with --key.',
  },
  SLE301: {
    code: 'SLE301',
    name: 'default-mode-misreads-scheme',
    what: 'The tags use BILOU\'s L- and U- prefixes, which the default mode (seqeval\'s default, after conlleval) does not know.',
    why: 'The default mode knows only B, I, E, S and O: it reads L- as a continuation and U- as a start only on a type change, so B-X L-X B-X L-X is one entity there, not two. The scores follow seqeval, and are not BILOU\'s.',
    tryThis: 'Use --mode strict --scheme BILOU, which reads L- and U- as BILOU defines them.',
  },
  SLE302: {
    code: 'SLE302',
    name: 'entity-without-begin',
    what: 'Some entities begin with I- with no B- before them (an ill-formed IOB2 sequence).',
    why: 'The default mode (seqeval, conlleval) counts such a run as an entity; strict mode with IOB2 ignores it. The two modes can then differ by several points.',
    tryThis: 'Decode with a CRF or constrained decoding that forbids O → I-; report strict-mode scores (--mode strict --scheme IOB2) beside the default ones.',
  },
  SLE311: {
    code: 'SLE311',
    name: 'overconfident-model',
    what: 'The model is more confident than it is right: top-label ECE is at least 0.05 and the mean highest probability exceeds accuracy by at least 5 points.',
    why: 'Its probabilities cannot be read as chances: a threshold, a rejection rule or a downstream decision built on them acts on inflated numbers. Large networks trained with cross-entropy are typically overconfident (Guo et al., 2017).',
    tryThis: 'Fit a temperature on a held-out validation set (temperature scaling), or use label smoothing, mixup or fewer epochs; re-check the reliability diagram.',
  },
  SLE321: {
    code: 'SLE321',
    name: 'long-sequence-failure',
    what: 'Accuracy in the longest length bucket is at least 10 points below the shortest (at least 30 samples in each).',
    why: 'The classic recurrent-network failure: gradients vanish over many steps, so what came early in a long sequence is forgotten, or the readout sees only the last steps.',
    tryThis: 'Use an LSTM or GRU rather than a simple RNN, a bidirectional layer, or attention or pooling over all steps instead of the last hidden state; check that padding is masked (pack_padded_sequence, mask_zero=True) and that pre-padding does not bury the content.',
  },
  SLE322: {
    code: 'SLE322',
    name: 'truncated-sequences',
    what: 'At least 5% of the samples have exactly the longest length (and some are shorter).',
    why: 'A pile-up at the maximum is what truncation leaves: those samples were cut at maxlen, and what followed never reached the model.',
    tryThis: 'Raise maxlen (pad_sequences(maxlen=…), a tokenizer\'s max_length) to cover most samples, truncate from the side that matters less (truncating=\'pre\' or \'post\'), or split long inputs into windows.',
  },
};

export function warning(code: keyof typeof WARNING_CATALOGUE, message: string): EvalWarning {
  return { code, message };
}

export function listLabels(labels: Label[], limit = 8): string {
  const shown = labels.slice(0, limit).map((l) => `'${String(l)}'`);
  return labels.length > limit ? `${shown.join(', ')} and ${labels.length - limit} more` : shown.join(', ');
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(value * 100 >= 10 ? 1 : 2)}%`;
}

/** Accuracy counts as high from here, for the accuracy paradox. */
export const HIGH_ACCURACY = 0.9;
/** Accuracy that beats the majority baseline by less than this is "barely". */
export const PARADOX_MARGIN = 0.05;
/** Recall below this, while accuracy is high, is a class "mostly missed". */
export const LOW_RECALL = 0.5;
/** Largest over smallest class support from which the data counts as imbalanced. */
export const IMBALANCE_RATIO = 10;
/** A train-minus-test gap in accuracy, macro F1 or R² from which we warn. */
export const OVERFIT_GAP = 0.1;
/** A test/train perplexity ratio from which we warn. */
export const OVERFIT_PERPLEXITY_RATIO = 1.2;
/** Share of evaluated samples also in training above which we warn (Deepchecks passes at 5%). */
export const LEAKAGE_SHARE = 0.05;
