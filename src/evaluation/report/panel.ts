// `--format panel`: what the editor's evaluation panel draws. The JSON report's metrics, plus the
// threshold sweep (as plain arrays, at most MAX_PANEL_SWEEP_POINTS of them), the rows behind each
// matrix cell, the residual sample and each warning's explanation. NaN and infinities become null.
import type { EntityExamples, TaggingResult } from '../sequence/tagging/types';
import type { CellSamples, EvalWarning, EvaluationResult, Label, ResidualSample, SourceInfo, Task, BackendName } from '../types';
import { WARNING_CATALOGUE } from '../warnings';
import { toJsonObject } from './json';
import { taggingJsonObject } from './tagging';

/** A slider needs no more points than this to move smoothly; past it the sweep is thinned evenly. */
export const MAX_PANEL_SWEEP_POINTS = 20_001;

export interface PanelWarning extends EvalWarning {
  name: string;
  what: string;
  why: string;
  tryThis: string;
}

/**
 * The threshold sweep the panel's slider walks. Point 0 predicts nothing positive (its threshold is
 * above every score); point i > 0 predicts positive when score >= thresholds[i].
 */
export interface PanelSweep {
  positiveLabel: Label;
  positives: number;
  negatives: number;
  thresholds: number[];
  tp: number[];
  fp: number[];
  /** Distinct scores in the data: when greater than the points kept, the slider moves in even steps through them. */
  distinct: number;
}

/** One evaluated file, as the panel receives it. The metric fields are those of `seqlens eval --format json`. */
export interface PanelRun {
  version: 1;
  task: Task | 'sequence-labelling';
  /** The counting backend; null for sequence labelling, which counts without TensorFlow.js. */
  backend: BackendName | null;
  /** Rows; tokens for language models and sequence labelling. */
  n: number;
  source: Omit<SourceInfo, 'format'> & { format: SourceInfo['format'] | 'conll' };
  warnings: PanelWarning[];
  /** The JSON report (`toJsonObject`), metric for metric. */
  report: Record<string, unknown>;
  sweep: PanelSweep | null;
  cellSamples: CellSamples | null;
  residuals: ResidualSample | null;
  /** Sequence labelling: the sentences behind each entity-type confusion cell. */
  entityExamples?: EntityExamples | null;
  /** Set by the editor for a model run: the `seqlens eval` arguments that run the model again. */
  rerun?: string[];
}

export function toPanelRun(result: EvaluationResult): PanelRun {
  const warnings = panelWarnings(result.warnings);
  let sweep: PanelSweep | null = null;
  let cellSamples: CellSamples | null = null;
  let residuals: ResidualSample | null = null;
  if (result.task === 'classification') {
    cellSamples = result.cellSamples ?? null;
    const full = result.scores?.sweep;
    if (full) {
      const m = full.thresholds.length;
      const keep = new Set<number>();
      if (m + 1 <= MAX_PANEL_SWEEP_POINTS) {
        for (let i = 0; i < m; i++) keep.add(i);
      } else {
        const steps = MAX_PANEL_SWEEP_POINTS - 2;
        for (let j = 0; j <= steps; j++) keep.add(Math.round((j * (m - 1)) / steps));
        // The threshold that made the predictions stays exact, so the slider can start on it.
        const threshold = result.scores?.threshold;
        if (threshold !== null && threshold !== undefined) {
          let lo = 0;
          let hi = m;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (full.thresholds[mid] >= threshold) lo = mid + 1;
            else hi = mid;
          }
          if (lo > 0) keep.add(lo - 1);
        }
      }
      const indices = [...keep].sort((a, b) => a - b);
      sweep = {
        positiveLabel: full.positiveLabel,
        positives: full.positives,
        negatives: full.negatives,
        thresholds: [m > 0 ? full.thresholds[0] + 1 : 1, ...indices.map((i) => full.thresholds[i])],
        tp: [0, ...indices.map((i) => full.tp[i])],
        fp: [0, ...indices.map((i) => full.fp[i])],
        distinct: m,
      };
    }
  } else if (result.task === 'regression') {
    residuals = result.residuals ?? null;
  }
  return {
    version: 1,
    task: result.task,
    backend: result.backend,
    n: result.n,
    source: result.source,
    warnings,
    report: toJsonObject(result),
    sweep,
    cellSamples,
    residuals,
  };
}

function panelWarnings(warnings: EvalWarning[]): PanelWarning[] {
  return warnings.map((w) => {
    const rule = WARNING_CATALOGUE[w.code];
    return { code: w.code, message: w.message, name: rule?.name ?? '', what: rule?.what ?? '', why: rule?.why ?? '', tryThis: rule?.tryThis ?? '' };
  });
}

/** A sequence-labelling evaluation for the panel: the JSON report and the sentences behind the entity-type cells. */
export function toTaggingPanelRun(result: TaggingResult): PanelRun {
  return {
    version: 1,
    task: 'sequence-labelling',
    backend: null,
    n: result.n,
    source: { path: result.source.path, format: result.source.format, columns: {}, elapsedMs: result.source.elapsedMs },
    warnings: panelWarnings(result.warnings),
    report: taggingJsonObject(result),
    sweep: null,
    cellSamples: null,
    residuals: null,
    entityExamples: result.examples ?? null,
  };
}

export function formatTaggingPanel(result: TaggingResult): string {
  return `${JSON.stringify(toTaggingPanelRun(result))}\n`;
}

export function formatPanel(result: EvaluationResult): string {
  return `${JSON.stringify(toPanelRun(result))}\n`;
}
