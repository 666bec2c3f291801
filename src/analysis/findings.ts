// The plain data the analysis core returns. Nothing here knows about VS Code:
// the extension and the CLI translate these objects into their own terms.
import type { CoverageStats } from './coverage';

/** Zero-based line and UTF-16 column, as tree-sitter and VS Code both count them. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix a user most likely wants; the editor marks it preferred. */
  isPreferred: boolean;
}

export interface RelatedLocation {
  range: Range;
  message: string;
  /** Absent when the location is in the analysed file itself. */
  path?: string;
}

export interface Finding {
  code: string;
  /** The rule's kebab-case name, e.g. `rnn-input-size-mismatch`. */
  name: string;
  severity: Severity;
  range: Range;
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** A layer constructor call, described for hovers (`nn.GRU(...)`, `layers.LSTM(...)`). */
export interface LayerSite {
  range: Range;
  framework: 'torch' | 'keras';
  /** e.g. `GRU`, `Embedding`. */
  kind: string;
  /** Markdown: what each argument means, shapes in and out with this call's numbers, common mistakes. */
  markdown: string;
}

/** A name bound to a tensor, with its inferred shape, for hovers and inlay hints. */
export interface TensorSite {
  range: Range;
  name: string;
  /** Compact shape label such as `(B, T, 100)`. */
  shape: string;
  /** Markdown: the shape and where each dimension came from. */
  markdown: string;
}

export interface AnalysisResult {
  findings: Finding[];
  layers: LayerSite[];
  tensors: TensorSite[];
  /** Set when part of the file was not followed to its end (the first place only); the findings are then partial. */
  incomplete?: IncompleteAnalysis;
  /** What the analysis knows of the names assigned in forward (`seqlens check --stats`). */
  coverage?: CoverageStats;
  /** Other workspace files whose text the analysis used (imported, or importing this one): redo it when one changes. */
  dependencies?: string[];
}

/** Why and where the analysis stopped following a statement; it went on with the rest of the file. */
export interface IncompleteAnalysis {
  reason: 'budget' | 'too-large' | 'internal';
  /** 0-based, like ranges. */
  line: number;
  /** One sentence for the CLI and the log, to follow `file:line:`, e.g. "the analysis budget ran out in the statement at this line; …". */
  message: string;
}

/** An edit to a document, in the form both VS Code and tree-sitter understand. */
export interface SourceEdit {
  /** Offsets are UTF-16 code unit offsets into the old text. */
  rangeOffset: number;
  rangeLength: number;
  text: string;
}
