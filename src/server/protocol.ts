// What the SeqLens language server says beyond the Language Server Protocol: custom requests and
// notifications with plain-data results. Shared by the server and the VS Code client, so it holds
// names and types only (no import of the analysis core, of vscode or of the protocol library).

/** Options a client may pass in `initialize`'s `initializationOptions`. All are optional. */
export interface SeqLensInitializationOptions {
  /**
   * How a diagnostic's code and a hover link to the rule's documentation:
   * - `command`: `command:seqlens.showRuleDocs?["SL101"]`, for a client that registers that command (the VS Code extension);
   * - `file` (default): a Markdown page per rule, written once into a folder of the server's, as a `file:` URI.
   */
  ruleDocs?: 'command' | 'file';
  /**
   * The client runs the model commands (`seqlens.evaluateModel`, `seqlens.verifyShapes`): the server then
   * offers the Evaluate model / Verify shapes CodeLenses above model classes. Other clients get none.
   */
  modelCommands?: boolean;
  /** With `modelCommands`: whether the workspace is trusted (the lenses are offered only then). */
  trusted?: boolean;
  /** Stops a document's analysis past these limits (defaults: {@link DEFAULT_LIMITS}). */
  limits?: Partial<AnalysisLimits>;
  /**
   * Documents whose analysis stopped in an earlier run of the server, as `uri` + text hash, so that a
   * restarted server does not run them again (see {@link StoppedDocument}).
   */
  stopped?: StoppedDocument[];
  /** Settings for a client that answers no `workspace/configuration` request: the `seqlens` section. */
  settings?: unknown;
}

export interface AnalysisLimits {
  /** Milliseconds one analysis may take. */
  timeMs: number;
  /** Megabytes the server process (resident set) may reach while analysing. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: AnalysisLimits = { timeMs: 10_000, memoryMb: 2048 };

/** A document whose analysis was stopped, and why. */
export interface StoppedDocument {
  uri: string;
  /** FNV-1a hash of the text that was stopped (hex); the same text is not analysed again. */
  textHash: string;
  reason: string;
}

/** `seqlens/analysed` (server → client notification): a document (or notebook) was analysed. */
export const ANALYSED_NOTIFICATION = 'seqlens/analysed';
export interface AnalysedParams {
  /** The text document's URI, or the notebook's for a notebook. */
  uri: string;
  version: number;
  /** Milliseconds the analysis took in the server, parsing included. */
  analysisMs: number;
  /** Present when the analysis was stopped instead. */
  stopped?: StoppedDocument;
}

/** `seqlens/models` (client → server request): the PyTorch model classes of a Python document, as analysed. */
export const MODELS_REQUEST = 'seqlens/models';
export interface ModelsParams {
  uri: string;
}
export interface ModelSummary {
  className: string;
  /** The class statement, 0-based lines and UTF-16 columns. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** `self.<attr> = nn.<Kind>(...)` layers, with the arguments the analysis resolved (numbers, flags, strings). */
  layers: { attr: string; kind: string; args: Record<string, number | boolean | string | null> }[];
}
export interface ModelsResult {
  models: ModelSummary[];
}

/** `seqlens/ruleDocs` (client → server request): a rule's documentation page, or the list of rules. */
export const RULE_DOCS_REQUEST = 'seqlens/ruleDocs';
export interface RuleDocsParams {
  /** A rule code such as `SL101`; absent for the list. */
  code?: string;
}
export interface RuleDocsResult {
  /** The Markdown page of the rule (or a page listing the known rules when `code` is unknown). */
  markdown?: string;
  rules: { code: string; name: string; summary: string }[];
}

/** `seqlens/setTrusted` (client → server notification): the workspace was trusted. */
export const SET_TRUSTED_NOTIFICATION = 'seqlens/setTrusted';
export interface SetTrustedParams {
  trusted: boolean;
}

/** The command a diagnostic's code and a hover link to when the client registers it. */
export const SHOW_RULE_DOCS_COMMAND = 'seqlens.showRuleDocs';
export const EVALUATE_MODEL_COMMAND = 'seqlens.evaluateModel';
export const VERIFY_SHAPES_COMMAND = 'seqlens.verifyShapes';
