// The analysis core's public face: parse → values and shapes → rules → findings, as plain data.
import type { AnalysisResult, SourceEdit } from './findings';
import { DocumentParser, loadPython, treeReader } from './parse/parser';
import { analyzeModule } from './interpret/analyze-module';
import { splitNotebookResult, joinNotebookCells } from './notebook';
import { DescribeOptions, ModelDescription, describeTorchModels } from './models';

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
  /** Edits are in the order the editor reports them, offsets relative to the text before each edit. */
  update(edits: SourceEdit[], newText: string): AnalysisResult;
  replace(newText: string): AnalysisResult;
  dispose(): void;
}

export interface Analyzer {
  analyze(source: string, fileName: string): AnalysisResult;
  /** The nn.Module classes of a file with their layers' resolved arguments and forward syntax. */
  describeModels(source: string, fileName: string, options?: DescribeOptions): ModelDescription[];
  /** Analyses notebook code cells as one program in cell order; results are per cell, in cell coordinates. */
  analyzeNotebook(cells: string[], fileName: string): AnalysisResult[];
  open(source: string, fileName: string): DocumentAnalysis;
}

class DocumentState implements DocumentAnalysis {
  constructor(private readonly parser: DocumentParser) {}

  get text(): string {
    return this.parser.source;
  }

  update(edits: SourceEdit[], newText: string): AnalysisResult {
    return analyzeModule(this.parser.update(edits, newText), this.parser.source);
  }

  replace(newText: string): AnalysisResult {
    return analyzeModule(this.parser.reset(newText), this.parser.source);
  }

  dispose(): void {
    this.parser.dispose();
  }
}

export async function createAnalyzer(options: AnalyzerOptions = {}): Promise<Analyzer> {
  const language = await loadPython(options.wasmDir);
  options.log?.(treeReader() === 'memory'
    ? 'SeqLens: syntax trees are read from tree-sitter memory'
    : 'SeqLens: syntax trees are read through the tree-sitter cursor (its memory layout did not pass the self-check)');
  const scratch = DocumentParser.forLanguage(language);
  return {
    analyze(source) {
      return analyzeModule(scratch.reset(source), source);
    },
    describeModels(source, _fileName, options) {
      return describeTorchModels(scratch.reset(source), source, options);
    },
    analyzeNotebook(cells) {
      const joined = joinNotebookCells(cells);
      return splitNotebookResult(analyzeModule(scratch.reset(joined.source), joined.source), joined);
    },
    open(source) {
      const state = new DocumentState(DocumentParser.forLanguage(language));
      state.replace(source);
      return state;
    },
  };
}

let shared: Promise<Analyzer> | undefined;

/** Convenience for scripts: analyses one source text with a shared analyzer. */
export async function analyze(source: string, fileName = '<memory>.py'): Promise<AnalysisResult> {
  shared ??= createAnalyzer();
  return (await shared).analyze(source, fileName);
}
