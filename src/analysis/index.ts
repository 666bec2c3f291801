// The analysis core's public face: parse → values and shapes → rules → findings, as plain data.
import type { AnalysisResult, SourceEdit } from './findings';
import { DocumentParser, loadPython, treeReader } from './parse/parser';
import { analyzeModule } from './interpret/analyze-module';
import { IncrementalInterpreter } from './interpret/incremental';
import { splitNotebookResult, joinNotebookCells } from './notebook';
import { DescribeOptions, ModelDescription, describeTorchModels } from './models';
import type { Module } from './parse/ast';
import type { Workspace } from './workspace/provider';
import { ParsedModules } from './workspace/modules';
import { ImporterIndex } from './workspace/importers';
import { WorkspaceImports } from './workspace/imports';
import { WORKSPACE_LIMITS } from './workspace/provider';
import { normalize } from 'node:path';

export type { ModuleProvider, Workspace } from './workspace/provider';

export { allRules, ruleByCode } from './rules/registry';
export type { ModelDescription, LayerDescription, ArgValue, DescribeOptions } from './models';
export type { RuleInfo } from './rules/rule';

export interface AnalyzerOptions {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (defaults: next to the bundle, then node_modules). */
  wasmDir?: string;
  /** Told once at start-up how syntax trees are read (from tree-sitter's memory, or through its cursor). */
  log?: (message: string) => void;
}

/** One open document: keeps its syntax tree so that an edit re-parses only what changed. */
export interface DocumentAnalysis {
  readonly text: string;
  readonly fileName: string;
  /** Edits are in the order the editor reports them, offsets relative to the text before each edit. */
  update(edits: SourceEdit[], newText: string): AnalysisResult;
  replace(newText: string): AnalysisResult;
  /** The workspace's files changed on disk: the next analysis follows its imports and importers again. */
  workspaceChanged(): void;
  dispose(): void;
}

export interface Analyzer {
  /** With a workspace, imports of its files are followed, and the files that import this one are run to see how it is called. */
  analyze(source: string, fileName: string, workspace?: Workspace): AnalysisResult;
  /** The nn.Module classes of a file with their layers' resolved arguments and forward syntax. */
  describeModels(source: string, fileName: string, options?: DescribeOptions): ModelDescription[];
  /**
   * Another file of the workspace, parsed (once per text, shared with import following): what the model
   * executor reads when a model's file imports a class or a constant from it. Undefined when it cannot be
   * read or is larger than WORKSPACE_LIMITS.maxBytes.
   */
  workspaceModule(path: string, workspace: Workspace): { module: Module; source: string } | undefined;
  /** Analyses notebook code cells as one program in cell order; results are per cell, in cell coordinates. */
  analyzeNotebook(cells: string[], fileName: string): AnalysisResult[];
  open(source: string, fileName: string, workspace?: Workspace): DocumentAnalysis;
  /** Parses done for workspace modules so far (each module is parsed once per text, whatever imports it). */
  readonly workspaceParses: number;
}

/** What one analyzer keeps between analyses to follow imports: parsed modules and import lines, by file and text. */
class WorkspaceFollowing {
  readonly parsed: ParsedModules;
  readonly importers = new ImporterIndex();

  constructor(parse: (source: string) => Module) {
    this.parsed = new ParsedModules(parse);
  }

  /** Analyses one module, following its workspace when there is one; the result names the files it used. */
  analyze(module: Module, source: string, fileName: string, workspace: Workspace | undefined): AnalysisResult {
    if (!workspace) return analyzeModule(module, source);
    const imports = new WorkspaceImports({ root: normalize(workspace.root), provider: workspace.provider }, normalize(fileName), this.parsed, this.importers);
    const result = analyzeModule(module, source, imports);
    return imports.dependencies.size ? { ...result, dependencies: [...imports.dependencies] } : result;
  }
}

class DocumentState implements DocumentAnalysis {
  /** An edit re-interprets only the top-level groups it touched and what depends on them (see incremental.ts). */
  private readonly incremental = new IncrementalInterpreter();
  /**
   * In a workspace: what the last analysis that followed it found. While it used no other file, and the
   * document's imports and whether it defines anything importers could build stay the same, an edit is
   * interpreted incrementally like a document with no workspace.
   */
  private followed: { usedOtherFiles: boolean; imports: string } | undefined;

  constructor(
    private readonly parser: DocumentParser,
    private readonly following: WorkspaceFollowing,
    readonly fileName: string,
    private readonly workspace: Workspace | undefined,
  ) {
    // The statements an edit only moved keep their identity, so their interpretation is kept too.
    parser.movesInPlace = true;
  }

  get text(): string {
    return this.parser.source;
  }

  update(edits: SourceEdit[], newText: string): AnalysisResult {
    return this.analyze(this.parser.update(edits, newText), true);
  }

  /**
   * A text given whole (opening the document) is analysed whole, as fast as a cold analysis: the components an
   * edit re-uses are interpreted at the first edit.
   */
  replace(newText: string): AnalysisResult {
    return this.analyze(this.parser.reset(newText), false);
  }

  workspaceChanged(): void {
    this.followed = undefined;
  }

  private analyze(module: Module, edited: boolean): AnalysisResult {
    const source = this.parser.source;
    if (this.workspace) {
      const imports = workspaceReach(module, source);
      if (!edited || !this.followed || this.followed.usedOtherFiles || this.followed.imports !== imports) {
        const result = this.following.analyze(module, source, this.fileName, this.workspace);
        this.followed = { usedOtherFiles: (result.dependencies?.length ?? 0) > 0, imports };
        this.incremental.forget();
        return result;
      }
    }
    if (!edited) {
      this.incremental.forget();
      return analyzeModule(module, source);
    }
    return this.incremental.analyze(module, source);
  }

  dispose(): void {
    this.parser.dispose();
  }
}

/**
 * What decides whether a module reaches other workspace files: the text of its import statements (any of
 * them may name a workspace module), and whether it defines a class or function (the files that import it
 * are run only then).
 */
function workspaceReach(module: Module, source: string): string {
  const parts: string[] = [];
  let defines = false;
  for (const stmt of module.body) {
    if (stmt.kind === 'def' || stmt.kind === 'class') defines = true;
    else if (stmt.kind === 'import') parts.push(JSON.stringify(stmt.names));
  }
  // Imports inside functions or branches are statements of those bodies: any edit then follows the workspace again.
  if (/^[ \t]+(?:from|import)[ \t]/m.test(source)) parts.push(source);
  parts.push(defines ? 'defines' : '');
  return parts.join('\n');
}

export async function createAnalyzer(options: AnalyzerOptions = {}): Promise<Analyzer> {
  const language = await loadPython(options.wasmDir);
  options.log?.(treeReader() === 'memory'
    ? 'SeqLens: syntax trees are read from tree-sitter memory'
    : 'SeqLens: syntax trees are read through the tree-sitter cursor (its memory layout did not pass the self-check)');
  const scratch = DocumentParser.forLanguage(language);
  const modules = DocumentParser.forLanguage(language);
  const following = new WorkspaceFollowing((source) => modules.parseAlone(source));
  return {
    analyze(source, fileName, workspace) {
      return following.analyze(scratch.reset(source), source, fileName, workspace);
    },
    describeModels(source, fileName, options) {
      const module = scratch.reset(source);
      if (!options?.workspace) return describeTorchModels(module, source, options);
      const { root, provider } = options.workspace;
      const imports = new WorkspaceImports({ root: normalize(root), provider }, normalize(fileName), following.parsed, following.importers, false);
      return describeTorchModels(module, source, options, imports);
    },
    workspaceModule(path, workspace) {
      const source = workspace.provider.read(path);
      if (source === undefined || source.length > WORKSPACE_LIMITS.maxBytes) return undefined;
      return { module: following.parsed.get(path, source).module, source };
    },
    analyzeNotebook(cells) {
      const joined = joinNotebookCells(cells);
      return splitNotebookResult(analyzeModule(scratch.reset(joined.source), joined.source), joined);
    },
    open(source, fileName, workspace) {
      const state = new DocumentState(DocumentParser.forLanguage(language), following, fileName, workspace);
      state.replace(source);
      return state;
    },
    get workspaceParses() {
      return following.parsed.parses;
    },
  };
}

let shared: Promise<Analyzer> | undefined;

/** Convenience for scripts: analyses one source text with a shared analyzer. */
export async function analyze(source: string, fileName = '<memory>.py'): Promise<AnalysisResult> {
  shared ??= createAnalyzer();
  return (await shared).analyze(source, fileName);
}
