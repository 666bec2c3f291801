// The plain data a sequence-labelling evaluation returns.
import type { EvalWarning } from '../../types';
import type { EntityAverage, EntityConfusion, EntityTypeScores } from './metrics';
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
  tags: { labels: string[]; confusion: number[][] };
  warnings: EvalWarning[];
}
