// The analysis thread: the analysis core runs here, in a worker_threads Worker, so that the server's
// main thread stays free to answer the client and to stop a runaway analysis (terminate() ends the
// thread whatever it is doing, and frees its heap and its WebAssembly memory).
//
// Messages are plain data both ways (see AnalysisJob / AnalysisReply). Results are copied into plain
// objects before they are posted, so what crosses the thread boundary is exactly what the server uses.
import { parentPort } from 'node:worker_threads';
import { normalize } from 'node:path';
import { createAnalyzer, type Analyzer, type DocumentAnalysis, type ModuleProvider, type Workspace } from '../analysis';
import type { AnalysisResult, LayerSite, SourceEdit, TensorSite } from '../analysis/findings';
import { insideRoot } from '../analysis/workspace/resolver';
import { Workspaces } from '../workspace/disk-provider';
import { codeCacheWanted, saveCodeCache } from './code-cache';
import { trace } from './trace';

export type AnalysisJob =
  /** Analyse a text document: incrementally from `edits` when the thread holds the previous text, else from scratch. */
  | { id: number; op: 'document'; key: string; fileName: string; text: string; edits: SourceEdit[] | null; root?: string }
  /** Files changed on disk: what was read of them is forgotten. */
  | { id: number; op: 'files-changed'; paths: string[] }
  | { id: number; op: 'close'; key: string }
  | { id: number; op: 'notebook'; fileName: string; cells: string[] }
  | { id: number; op: 'models'; fileName: string; text: string }
  /** The hover texts of sites of a posted result, by their index in its `layers` and `tensors`. */
  | { id: number; op: 'hover-texts'; resultId: string; layers: number[]; tensors: number[] }
  /** Answers once every job before it is done (and the code cache written, when a reply said it would be). */
  | { id: number; op: 'settle' };

/** What a 'hover-texts' job answers: the texts in the order asked, or null when the result is no longer kept. */
export type HoverTexts = { layers: string[]; tensors: string[] } | null;

export type AnalysisReply =
  /** `cache`: the thread writes its code cache before it reads its next job. */
  | { id: number; ok: true; value: unknown; analysisMs: number; cache?: true }
  | { id: number; ok: false; error: string };

/** What the thread posts once the parser has loaded (or failed to). */
export type WorkerReady = { ready: true } | { ready: false; error: string };

/**
 * A result as the server holds it: plain data without the hover texts of its layers and tensors.
 * Those are built on this thread only when a hover asks for them ('hover-texts' with `resultId`):
 * building them for every site on every keystroke cost more than the analysis of an edit.
 */
export interface PostedResult extends Omit<AnalysisResult, 'layers' | 'tensors' | 'coverage'> {
  /** Names the result on the analysis thread that made it; '' when its hover texts are not kept. */
  resultId: string;
  layers: Omit<LayerSite, 'markdown'>[];
  tensors: Omit<TensorSite, 'markdown'>[];
}

/** The result as plain data: the fields the server reads, nothing else. */
export function plainResult(result: AnalysisResult, resultId = ''): PostedResult {
  return {
    resultId,
    findings: result.findings.map((f) => ({
      code: f.code,
      name: f.name,
      severity: f.severity,
      range: f.range,
      message: f.message,
      related: f.related.map((r) => ({ range: r.range, message: r.message, ...(r.path !== undefined ? { path: r.path } : {}) })),
      fixes: f.fixes.map((x) => ({ title: x.title, isPreferred: x.isPreferred, edits: x.edits.map((e) => ({ range: e.range, newText: e.newText })) })),
    })),
    layers: result.layers.map((l) => ({ range: l.range, framework: l.framework, kind: l.kind })),
    tensors: result.tensors.map((t) => ({ range: t.range, name: t.name, shape: t.shape })),
    ...(result.dependencies ? { dependencies: [...result.dependencies] } : {}),
  };
}

/** How many posted results keep their hover texts here: the open documents' latest, and a few notebooks' cells. */
const KEPT_RESULTS = 256;

/** The results whose hover texts may still be asked for, by id; a document's older result is dropped when a newer one is posted. */
class KeptResults {
  private readonly byId = new Map<string, AnalysisResult>();
  private readonly byOwner = new Map<string, string[]>();
  private nextId = 1;

  /** `thread`: this thread's number, so that an id never names a result of a thread that was restarted. */
  constructor(private readonly thread: number) {}

  /** Keeps `results` as `owner`'s latest (dropping its previous ones) and returns their ids. */
  keep(owner: string, results: AnalysisResult[]): string[] {
    this.drop(owner);
    const ids = results.map((result) => {
      const id = `${this.thread}:${this.nextId++}`;
      this.byId.set(id, result);
      return id;
    });
    this.byOwner.set(owner, ids);
    // Bounded: the oldest go first (a Map iterates in insertion order).
    for (const id of this.byId.keys()) {
      if (this.byId.size <= KEPT_RESULTS) break;
      this.byId.delete(id);
    }
    return ids;
  }

  drop(owner: string): void {
    for (const id of this.byOwner.get(owner) ?? []) this.byId.delete(id);
    this.byOwner.delete(owner);
  }

  texts(resultId: string, layers: number[], tensors: number[]): HoverTexts {
    const result = this.byId.get(resultId);
    if (!result) return null;
    return {
      layers: layers.map((i) => result.layers[i]?.markdown ?? ''),
      tensors: tensors.map((i) => result.tensors[i]?.markdown ?? ''),
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}

/** How long what was read from disk is trusted before its modification time is looked at again. */
const DISK_MAX_AGE_MS = 2000;

class AnalysisThread {
  private readonly documents = new Map<string, DocumentAnalysis>();
  /** The open documents' texts by file path: imports read them before the disk. */
  private readonly openTexts = new Map<string, string>();
  private readonly disk = new Workspaces(DISK_MAX_AGE_MS);
  private readonly workspaces = new Map<string, Workspace>();
  private readonly kept: KeptResults;

  constructor(private readonly analyzer: Analyzer, thread: number) {
    this.kept = new KeptResults(thread);
  }

  /** A workspace whose files are the open documents first, then the disk. */
  private workspaceAt(root: string): Workspace {
    const key = normalize(root);
    let workspace = this.workspaces.get(key);
    if (!workspace) {
      const disk = this.disk.for(key).provider;
      const open = this.openTexts;
      const provider: ModuleProvider = {
        read: (path) => open.get(path) ?? disk.read(path),
        pythonFiles: () => {
          const files = [...disk.pythonFiles()];
          for (const path of open.keys()) if (path.endsWith('.py') && insideRoot(key, path) && !files.includes(path)) files.push(path);
          return files;
        },
      };
      workspace = { root: key, provider };
      this.workspaces.set(key, workspace);
    }
    return workspace;
  }

  run(job: AnalysisJob): unknown {
    switch (job.op) {
      case 'document': {
        this.openTexts.set(normalize(job.fileName), job.text);
        // Another document's unsaved text is part of the workspace the others follow: their next edit follows it again.
        for (const [key, other] of this.documents) if (key !== job.key) other.workspaceChanged();
        const result = this.document(job.key, job.fileName, job.text, job.edits, job.root);
        return plainResult(result, this.kept.keep(`document:${job.key}`, [result])[0]);
      }
      case 'close': {
        const analysis = this.documents.get(job.key);
        if (analysis) this.openTexts.delete(normalize(analysis.fileName));
        this.discard(job.key);
        return null;
      }
      case 'files-changed':
        this.disk.forget(job.paths.map((p) => normalize(p)));
        for (const analysis of this.documents.values()) analysis.workspaceChanged();
        return null;
      case 'notebook': {
        const results = this.analyzer.analyzeNotebook(job.cells, job.fileName);
        const ids = this.kept.keep(`notebook:${job.fileName}`, results);
        return results.map((result, i) => plainResult(result, ids[i]));
      }
      case 'hover-texts':
        return this.kept.texts(job.resultId, job.layers, job.tensors);
      case 'settle':
        return null;
      case 'models':
        return this.analyzer.describeModels(job.text, job.fileName).map((model) => ({
          className: model.className,
          range: model.range,
          layers: model.layers.map((layer) => ({
            attr: layer.attr,
            kind: layer.kind,
            args: Object.fromEntries(Object.entries(layer.args).filter(([, value]) => value !== undefined)),
          })),
        }));
    }
  }

  private document(key: string, fileName: string, text: string, edits: SourceEdit[] | null, root: string | undefined): AnalysisResult {
    let analysis = this.documents.get(key);
    if (!analysis) {
      // Opened empty, then given the text, so that the first analysis is also the one whose result is kept.
      analysis = this.analyzer.open('', fileName, root !== undefined ? this.workspaceAt(root) : undefined);
      this.documents.set(key, analysis);
      return analysis.replace(text);
    }
    if (edits === null || edits.length === 0) return analysis.replace(text);
    try {
      return analysis.update(edits, text);
    } catch {
      // An incremental update that went wrong must not leave the document stuck: start over from its text.
      return analysis.replace(text);
    }
  }

  forget(job: AnalysisJob): void {
    if (job.op === 'document') this.discard(job.key);
  }

  /** Drops a document's analysis and the hover texts of its last result. */
  private discard(key: string): void {
    this.kept.drop(`document:${key}`);
    this.documents.get(key)?.dispose();
    this.documents.delete(key);
  }
}

/** The worker's entry: load the parser, then answer jobs one at a time. */
export function runAnalysisWorker(wasmDir?: string, thread = 1): void {
  const port = parentPort;
  if (!port) throw new Error('runAnalysisWorker() runs only inside a worker thread');
  let analysis: AnalysisThread | undefined;
  const early: AnalysisJob[] = [];
  const answer = (job: AnalysisJob) => {
    trace(`job ${job.op} starts`);
    const start = performance.now();
    let reply: AnalysisReply;
    try {
      const value = analysis!.run(job);
      reply = { id: job.id, ok: true, value, analysisMs: performance.now() - start };
    } catch (error) {
      // The document's state may be half-updated: drop it, the next analysis starts from its text.
      analysis!.forget(job);
      reply = { id: job.id, ok: false, error: describe(error) };
    }
    trace(`job ${job.op} done in ${(performance.now() - start).toFixed(1)} ms`);
    // Once the thread has analysed something, the code cache can hold the analysis' compiled functions:
    // written just after the reply is posted, so that it delays no diagnostics (the next job waits for it).
    const saveCache = reply.ok && (job.op === 'document' || job.op === 'notebook') && codeCacheWanted();
    if (saveCache && reply.ok) reply.cache = true;
    port.postMessage(reply);
    if (saveCache) trace(`code cache ${saveCodeCache() ? 'written' : 'not written'}`);
  };
  // Listening from the start keeps this thread's event loop alive while the parser loads. A worker
  // whose loop runs out of work waits for every pending background task of V8 (the optimising
  // compilation of the grammar's WebAssembly among them) before it looks at its loop again: the
  // first job then sat unread for that long, hundreds of milliseconds on a busy machine.
  const receive = (job: AnalysisJob) => (analysis ? answer(job) : early.push(job));
  port.on('message', receive);
  trace('loading the parser');
  createAnalyzer({ wasmDir }).then(
    (analyzer) => {
      analysis = new AnalysisThread(analyzer, thread);
      trace('parser ready');
      port.postMessage({ ready: true } satisfies WorkerReady);
      for (const job of early.splice(0)) answer(job);
    },
    (error: unknown) => {
      port.postMessage({ ready: false, error: describe(error) } satisfies WorkerReady);
      // Nothing left to wait for: the thread ends, and the next job starts a new one that tries again.
      port.off('message', receive);
    },
  );
}
