// Where the analysis of one file reads the other files of its workspace from. The analysis core never
// touches the disk itself: the CLI gives it a provider that reads files, the language server one that
// reads the open documents first and the disk after.

export interface ModuleProvider {
  /** The text of the file at `path` (as the resolver builds paths), or undefined when there is none or it may not be read. */
  read(path: string): string | undefined;
  /** The workspace's Python files, bounded by the provider: where the analysis looks for files that import the analysed one. */
  pythonFiles?(): readonly string[];
}

/** The workspace an analysis may follow imports into: nothing outside `root` is ever read. */
export interface Workspace {
  root: string;
  provider: ModuleProvider;
}

/** Bounds on what one analysis reads from its workspace; past them an import is unknown. */
export const WORKSPACE_LIMITS = {
  /** Other files one analysis may load (imports and the files that import it). */
  maxFiles: 24,
  /** A file larger than this is not loaded. */
  maxBytes: 512 * 1024,
  /** Imports followed from the analysed file: config.py imported by model.py imported by train.py is depth 2. */
  maxDepth: 4,
  /** Files that import the analysed one, run to see how its classes and functions are called. */
  maxImporters: 4,
  /** Files scanned for imports of the analysed one. */
  maxScanned: 400,
};
