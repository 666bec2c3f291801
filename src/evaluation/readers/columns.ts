// Which column plays which part, from the names people give them. Explicit options win;
// a named column that does not exist is an error that lists the columns that do.
import { InputError } from '../errors';
import type { EvaluateOptions } from '../types';
import { MAX_MATRIX_CLASSES } from './limits';

export interface ClassScoreColumn {
  name: string;
  /** The class, as written after the prefix: `p_spam` gives `spam`, `prob_3` gives `3`. */
  className: string;
  kind: 'probability' | 'logit';
}

export interface ColumnChoice {
  true?: string;
  pred?: string;
  score?: string;
  /** When the score came from one per-class column (`p_spam`), the class it scores. */
  scoreClass?: string;
  classScores: ClassScoreColumn[];
  logprob?: string;
  loss?: string;
  key?: string;
}

// In order of preference: the first name present wins.
const TRUE_NAMES = ['y_true', 'ytrue', 'true', 'true_label', 'label', 'labels', 'target', 'targets', 'gold', 'truth', 'ground_truth', 'actual', 'y'];
const PRED_NAMES = ['y_pred', 'ypred', 'pred', 'preds', 'prediction', 'predictions', 'predicted', 'predicted_label', 'pred_label', 'yhat', 'y_hat'];
const SCORE_NAMES = ['y_score', 'score', 'scores', 'y_prob', 'y_proba', 'prob', 'proba', 'probability', 'probabilities', 'confidence', 'logit', 'decision_function'];
const LOGPROB_NAMES = ['logprob', 'log_prob', 'logprobs', 'log_probs', 'token_logprob', 'token_log_prob', 'log_probability', 'log_likelihood'];
const LOSS_NAMES = ['loss', 'nll', 'token_loss', 'token_nll', 'neg_log_likelihood', 'cross_entropy'];
const KEY_NAMES = ['text', 'sentence', 'input', 'inputs', 'sample', 'document', 'review', 'content', 'utterance', 'prompt', 'source'];
const CLASS_SCORE = /^(p|prob|probs|proba|probability|probabilities|score|scores|logit|logits)[_:.-](.+)$/i;

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function chooseColumns(names: string[], options: EvaluateOptions['columns'] = {}, file: string): ColumnChoice {
  const byNormal = new Map<string, string>();
  for (const name of names) if (!byNormal.has(normaliseColumnName(name))) byNormal.set(normaliseColumnName(name), name);
  const explicit = (option: string | undefined, role: string): string | undefined => {
    if (option === undefined) return undefined;
    if (names.includes(option)) return option;
    const loose = byNormal.get(normaliseColumnName(option));
    if (loose !== undefined) return loose;
    throw new InputError(file, null, `unknown ${role} column '${option}' (the columns are: ${names.join(', ')})`);
  };
  const detect = (candidates: string[], taken: Set<string>): string | undefined => {
    for (const candidate of candidates) {
      const name = byNormal.get(candidate);
      if (name !== undefined && !taken.has(name)) return name;
    }
    return undefined;
  };

  const taken = new Set<string>();
  const pick = (option: string | undefined, role: string, candidates: string[]): string | undefined => {
    const name = explicit(option, role) ?? (option === undefined ? detect(candidates, taken) : undefined);
    if (name !== undefined) taken.add(name);
    return name;
  };
  const choice: ColumnChoice = { classScores: [] };
  choice.true = pick(options.true, 'true-label', TRUE_NAMES);
  choice.pred = pick(options.pred, 'prediction', PRED_NAMES);
  choice.logprob = pick(options.logprob, 'log-probability', LOGPROB_NAMES);
  choice.loss = pick(options.loss, 'loss', LOSS_NAMES);
  choice.key = pick(options.key, 'sample', KEY_NAMES);

  if (options.classScores && options.classScores.length > 0) {
    for (const option of options.classScores) {
      const name = explicit(option, 'class-score')!;
      taken.add(name);
      choice.classScores.push(classScoreColumn(name));
    }
  } else if (options.score === undefined) {
    for (const name of names) {
      if (taken.has(name) || !CLASS_SCORE.test(name.trim())) continue;
      choice.classScores.push(classScoreColumn(name));
    }
    for (const column of choice.classScores) taken.add(column.name);
  }
  if (choice.classScores.length === 1) {
    // One per-class column is a plain score for that class.
    choice.score = choice.classScores[0].name;
    choice.scoreClass = choice.classScores[0].className;
    choice.classScores = [];
  }
  if (choice.score === undefined) choice.score = pick(options.score, 'score', choice.classScores.length > 0 ? [] : SCORE_NAMES);
  if (choice.classScores.length > MAX_MATRIX_CLASSES) {
    throw new InputError(file, null, `${choice.classScores.length} per-class score columns (${choice.classScores[0].name}, ${choice.classScores[1].name}, …); a confusion matrix holds at most ${MAX_MATRIX_CLASSES} classes`);
  }
  const kinds = new Set(choice.classScores.map((c) => c.kind));
  if (kinds.size > 1) {
    throw new InputError(file, null, `the per-class columns mix probabilities and logits (${choice.classScores.map((c) => c.name).join(', ')}); name the ones to use with --class-scores`);
  }
  const classes = new Set<string>();
  for (const column of choice.classScores) {
    if (classes.has(column.className)) throw new InputError(file, null, `two per-class columns are for class '${column.className}'`);
    classes.add(column.className);
  }
  return choice;
}

function classScoreColumn(name: string): ClassScoreColumn {
  const match = CLASS_SCORE.exec(name.trim());
  if (!match) return { name, className: name, kind: 'probability' };
  return { name, className: match[2], kind: /^logit/i.test(match[1]) ? 'logit' : 'probability' };
}
