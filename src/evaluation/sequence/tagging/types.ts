// The plain data a sequence-labelling evaluation returns.
import type { EvalWarning } from '../../types';
import type { EntityAverage, EntityConfusion, EntityTypeScores, TagClassScores } from './metrics';
import type { SchemeName } from './schemes';

export type TaggingMode = 'default' | 'strict';

export interface TaggingResult {
  task: 'sequence-labelling';
  /** Tokens. */
  n: number;
  sentences: number;
  source: { path: string; format: 'conll' | 'jsonl'; elapsedMs: number };
  mode: TaggingMode;
  /** The scheme strict mode read the tags with (given, or detected from the gold tags as seqeval does); null in default mode. */
  scheme: SchemeName | null;
  schemeDetected: boolean;
  tokenAccuracy: number;
  entities: {
    perType: EntityTypeScores[];
    micro: EntityAverage;
    macro: EntityAverage;
    weighted: EntityAverage;
    confusion: EntityConfusion;
  };
  /** Token-level: the tag confusion matrix and each tag's precision, recall and F1 (scikit-learn's classification_report on the flat tags). */
  tags: { labels: string[]; confusion: number[][]; perTag: TagClassScores[]; macro: EntityAverage; weighted: EntityAverage };
  warnings: EvalWarning[];
  /** The sentences behind each entity-type confusion cell, when asked for (the panel). */
  examples?: EntityExamples;
}

export interface ExampleLimits {
  /** Sentences listed per cell. */
  perCell: number;
  /** Sentences kept over all cells; once reached, later cells list none. */
  limit: number;
  /** Tokens shown of one sentence: a window around the entity. */
  window: number;
  /** Characters kept of one token. */
  tokenChars: number;
}

/** A span over the shown tokens: `start`..`end` inclusive, relative to the window. */
export interface ExampleSpan {
  start: number;
  end: number;
  type: string;
}

export interface ExampleSentence {
  /** 0-based sentence, and the file line where it begins. */
  sentence: number;
  line: number;
  /** Index in the sentence of the first shown token, and the sentence's length. */
  offset: number;
  length: number;
  /** The shown tokens' text; null when the file has none (a CoNLL file of tags only, JSONL without "tokens"). */
  tokens: string[] | null;
  /** Every gold and predicted entity that lies within the window (clipped to it). */
  gold: ExampleSpan[];
  predicted: ExampleSpan[];
}

export interface EntityExamples extends ExampleLimits {
  sentences: ExampleSentence[];
  /** Cells in the confusion's order (its types, then "no entity" last); cells with no kept sentence are left out. */
  cells: {
    gold: number;
    predicted: number;
    /** The listed examples: the sentence (an index into `sentences`) and the entity, relative to its window. */
    items: { sentence: number; start: number; end: number }[];
  }[];
}

