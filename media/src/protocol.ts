// The messages between the evaluation panel and the extension host. The host validates every
// message it receives (src/extension/panel/messages.ts); these types only describe them.
import type { PanelRun, PanelWarning } from '../../src/evaluation/report/panel';
import type { ShapeCheckRow, ShapeCheckView } from '../../src/extension/panel/shape-check';

export type { PanelRun, PanelWarning, ShapeCheckRow, ShapeCheckView };

/** Host → panel. */
export type HostMessage =
  | { type: 'show'; runs: PanelRun[]; shapeCheck?: ShapeCheckView | null }
  | { type: 'busy'; text: string }
  | { type: 'error'; message: string };

export type ReportFormat = 'markdown' | 'csv' | 'json';

/** Panel → host. */
export type PanelMessage =
  | { type: 'ready' }
  /** painted: false when the document was hidden (nothing is painted until it is shown); error: the result could not be drawn. */
  | { type: 'rendered'; runs: number; ms: number; painted: boolean; error?: string }
  | { type: 'openRow'; run: number; row: number }
  /** A tagged file's sentence: the 1-based line where it begins. */
  | { type: 'openLine'; run: number; line: number }
  | { type: 'evaluateAgain'; run: number }
  | { type: 'compare' }
  | { type: 'closeCompare' }
  | { type: 'exportReport'; run: number; format: ReportFormat }
  | { type: 'exportImage'; format: 'png'; dataUrl: string; name: string }
  | { type: 'exportImage'; format: 'svg'; svg: string; name: string };

/** What the webview keeps with setState, so a reload (or a hidden tab) shows the same view. */
export interface PanelState {
  runs: PanelRun[];
  /** The last "Verify Shapes" result, listed above the runs. */
  shapeCheck?: ShapeCheckView | null;
  view: ViewState;
}

export type Normalisation = 'counts' | 'row' | 'column';

export interface ViewState {
  normalisation: Normalisation;
  /** Index into the panel sweep, or null while the matrix shows the evaluated predictions. */
  sweepIndex: number | null;
  /** Matrix zoom factor (1 = fit). */
  zoom: number;
  /** The cell whose samples are listed. */
  selected: { truth: number; predicted: number } | null;
  /** Which run's details are shown (0 or 1), or 'compare' for both side by side. */
  tab: number | 'compare';
  /** Class whose one-versus-rest curves are drawn (multi-class scores). */
  curveClass: number;
  /** Reliability curve drawn: -1 the top label, otherwise a class's index in the calibration; null for the default. */
  calibrationCurve: number | null;
}
