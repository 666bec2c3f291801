// Entity-level precision, recall and F1 as seqeval computes them from the entity sets, with its
// micro, macro and weighted averages; token accuracy; the tag confusion matrix; and an entity-type
// confusion matrix from exact spans.
import { compareCodePoints } from '../../labels';
import type { TaggedCorpus } from '../corpus';
import type { EntityList } from './entities';

export interface EntityTypeScores {
  type: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold entities of this type. */
  support: number;
  predicted: number;
  correct: number;
}

export interface EntityAverage {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EntityConfusion {
  /** Entity types in order; the matrix has one more row and column, the last, for "no entity". */
  types: string[];
  /**
   * `matrix[g][p]`: gold entities of type g predicted over exactly the same tokens with type p.
   * `matrix[g][last]`: gold entities with no predicted entity on exactly their tokens (missed, or cut
   * wrong). `matrix[last][p]`: predicted entities on tokens where no gold entity lies exactly.
   */
  matrix: number[][];
  /** Of the missed gold entities, how many overlap a predicted entity (a boundary error rather than a miss). */
  boundaryErrors: number;
}

export interface EntityScores {
  perType: EntityTypeScores[];
  micro: EntityAverage;
  macro: EntityAverage;
  weighted: EntityAverage;
  confusion: EntityConfusion;
}

function divide(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1Of(precision: number, recall: number): number {
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
}

/**
 * Called once per entry of the entity-type confusion: the gold and predicted type ids (-1 for "no
 * entity") and the entity behind it (the predicted one, or the gold one when it was missed).
 */
export type EntityCellVisitor = (goldType: number, predictedType: number, start: number, end: number) => void;

/** Entity scores from the gold and predicted entities over `tokens` tokens; type ids index `typeNames`. */
export function entityScores(gold: EntityList, predicted: EntityList, typeNames: string[], tokens: number, visit?: EntityCellVisitor): EntityScores {
  const kAll = typeNames.length;
  const goldPerType = new Float64Array(kAll);
  const predPerType = new Float64Array(kAll);
  const correctPerType = new Float64Array(kAll);
  // Gold entities by end token (unique within one side): type + 1 and start.
  const goldTypeAtEnd = new Int32Array(tokens + 1);
  const goldStartAtEnd = new Int32Array(tokens + 1);
  const goldIndexAtEnd = new Int32Array(tokens + 1);
  for (let e = 0; e < gold.end.length; e++) {
    goldTypeAtEnd[gold.end[e]] = gold.type[e] + 1;
    goldStartAtEnd[gold.end[e]] = gold.start[e];
    goldIndexAtEnd[gold.end[e]] = e;
    goldPerType[gold.type[e]]++;
  }
  const goldMatched = new Uint8Array(gold.end.length);
  // Confusion on all type ids first; types that never occur are dropped below.
  const none = kAll;
  const cells = new Float64Array((kAll + 1) * (kAll + 1));
  for (let e = 0; e < predicted.end.length; e++) {
    const type = predicted.type[e];
    const end = predicted.end[e];
    predPerType[type]++;
    const goldType = goldTypeAtEnd[end] - 1;
    if (goldType >= 0 && goldStartAtEnd[end] === predicted.start[e]) {
      if (goldType === type) correctPerType[type]++;
      cells[goldType * (kAll + 1) + type]++;
      goldMatched[goldIndexAtEnd[end]] = 1;
      visit?.(goldType, type, predicted.start[e], end);
    } else {
      cells[none * (kAll + 1) + type]++;
      visit?.(-1, type, predicted.start[e], end);
    }
  }
  // Overlaps of missed gold entities with any predicted entity: mark predicted coverage per token.
  const covered = new Uint8Array(tokens + 1);
  for (let e = 0; e < predicted.end.length; e++) covered.fill(1, predicted.start[e], predicted.end[e] + 1);
  let boundaryErrors = 0;
  for (let e = 0; e < gold.end.length; e++) {
    if (goldMatched[e]) continue;
    cells[gold.type[e] * (kAll + 1) + none]++;
    visit?.(gold.type[e], -1, gold.start[e], gold.end[e]);
    for (let t = gold.start[e]; t <= gold.end[e]; t++) if (covered[t]) { boundaryErrors++; break; }
  }

  const present: number[] = [];
  for (let t = 0; t < kAll; t++) if (goldPerType[t] > 0 || predPerType[t] > 0) present.push(t);
  present.sort((a, b) => compareCodePoints(typeNames[a], typeNames[b]));

  const perType: EntityTypeScores[] = present.map((t) => {
    const precision = divide(correctPerType[t], predPerType[t]);
    const recall = divide(correctPerType[t], goldPerType[t]);
    return { type: typeNames[t], precision, recall, f1: f1Of(precision, recall), support: goldPerType[t], predicted: predPerType[t], correct: correctPerType[t] };
  });
  let tp = 0;
  let pred = 0;
  let support = 0;
  for (const row of perType) { tp += row.correct; pred += row.predicted; support += row.support; }
  const microP = divide(tp, pred);
  const microR = divide(tp, support);
  const micro = { precision: microP, recall: microR, f1: f1Of(microP, microR), support };
  // numpy's average of an empty list is NaN, as seqeval returns with no entity anywhere.
  const mean = (pick: (r: EntityTypeScores) => number) => (perType.length === 0 ? NaN : perType.reduce((s, r) => s + pick(r), 0) / perType.length);
  const macro = { precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1), support };
  const weightedMean = (pick: (r: EntityTypeScores) => number) => (support === 0 ? 0 : perType.reduce((s, r) => s + pick(r) * r.support, 0) / support);
  const weighted = { precision: weightedMean((r) => r.precision), recall: weightedMean((r) => r.recall), f1: weightedMean((r) => r.f1), support };

  const order = [...present, none];
  const matrix = order.map((g) => order.map((p) => cells[g * (kAll + 1) + p]));
  return { perType, micro, macro, weighted, confusion: { types: present.map((t) => typeNames[t]), matrix, boundaryErrors } };
}

export interface TagScores {
  accuracy: number;
  /** Tag strings sorted by code point, as scikit-learn sorts string labels. */
  labels: string[];
  /** Rows gold, columns predicted. */
  confusion: number[][];
  /** Token-level precision, recall and F1 of each tag (in `labels` order), as scikit-learn's classification_report gives them. */
  perTag: TagClassScores[];
  macro: EntityAverage;
  weighted: EntityAverage;
}

export interface TagClassScores {
  tag: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold tokens with this tag. */
  support: number;
}

/** Token accuracy and the tag confusion matrix, as scikit-learn computes them on the flat tag lists. */
export function tagScores(corpus: TaggedCorpus): TagScores {
  const k = corpus.tags.length;
  const counts = new Float64Array(k * k);
  const { gold, predicted } = corpus;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    counts[gold[i] * k + predicted[i]]++;
    if (gold[i] === predicted[i]) correct++;
  }
  const order = corpus.tags.map((_, i) => i).sort((a, b) => compareCodePoints(corpus.tags[a], corpus.tags[b]));
  const confusion = order.map((g) => order.map((p) => counts[g * k + p]));
  // scikit-learn's zero_division default: 0 where nothing was predicted (precision) or is gold (recall).
  const perTag = order.map((id, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[i], 0);
    const precision = divide(tp, predictedCount);
    const recall = divide(tp, support);
    return { tag: corpus.tags[id], precision, recall, f1: f1Of(precision, recall), support };
  });
  const total = gold.length;
  const average = (weight: (r: TagClassScores) => number, sum: number): EntityAverage => {
    const of = (pick: (r: TagClassScores) => number) => (sum === 0 ? 0 : perTag.reduce((s, r) => s + pick(r) * weight(r), 0) / sum);
    return { precision: of((r) => r.precision), recall: of((r) => r.recall), f1: of((r) => r.f1), support: total };
  };
  return {
    accuracy: total === 0 ? NaN : correct / total,
    labels: order.map((i) => corpus.tags[i]),
    confusion,
    perTag,
    macro: average(() => 1, perTag.length),
    weighted: average((r) => r.support, total),
  };
}
