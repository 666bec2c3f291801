// Where each run the panel shows came from, kept by the extension, not by the webview. The webview's
// saved state comes back after a reload and is only as trustworthy as the webview: a run restored
// from it is matched by its id to what the extension recorded when it showed the run, and its file
// path, format and re-run arguments are taken from that record. A run whose id the extension does not
// know is drawn, but cannot open a file or run anything. No vscode import: `Memento` is structural.
import { randomBytes } from 'node:crypto';
import type { PanelRun } from '../../evaluation/report/panel';

/** The part of vscode.Memento (workspaceState) used here. */
export interface RunMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** What the extension itself recorded about a run. */
export interface RunRecord {
  id: string;
  path: string;
  format: string;
  rerun?: string[];
}

/** A run as the panel holds it: the webview sees its id. */
export type IdentifiedRun = PanelRun & { runId?: string };

const KEY = 'seqlens.panel.runs';
/** Records kept: enough for the runs of every panel a reload can restore. */
const KEPT = 50;

export class RunRegistry {
  constructor(private readonly memento: RunMemento) {}

  private records(): RunRecord[] {
    const saved = this.memento.get<unknown>(KEY);
    return Array.isArray(saved) ? saved.filter(isRecord) : [];
  }

  /** Records a run the extension itself produced and gives it an id (the same run keeps its id). */
  async register(run: IdentifiedRun): Promise<IdentifiedRun> {
    const known = run.runId !== undefined ? this.lookup(run.runId) : undefined;
    if (known && known.path === run.source.path) return run;
    const record: RunRecord = { id: randomBytes(12).toString('hex'), path: run.source.path, format: String(run.source.format), ...(Array.isArray(run.rerun) ? { rerun: run.rerun as string[] } : {}) };
    await this.memento.update(KEY, [record, ...this.records()].slice(0, KEPT));
    return { ...run, runId: record.id };
  }

  lookup(id: unknown): RunRecord | undefined {
    return typeof id === 'string' ? this.records().find((r) => r.id === id) : undefined;
  }

  /**
   * Runs restored from the webview's state, with path, format and re-run arguments replaced by the
   * extension's record of each; `trusted[i]` is false for a run the extension has no record of.
   */
  restore(runs: IdentifiedRun[]): { runs: IdentifiedRun[]; trusted: boolean[] } {
    const trusted: boolean[] = [];
    const restored = runs.map((run) => {
      const record = this.lookup(run.runId);
      trusted.push(record !== undefined);
      const { rerun: _ignored, ...rest } = run;
      return record
        ? { ...rest, source: { ...run.source, path: record.path, format: record.format as PanelRun['source']['format'] }, ...(record.rerun ? { rerun: record.rerun } : {}) } as IdentifiedRun
        : ({ ...rest } as IdentifiedRun);
    });
    return { runs: restored, trusted };
  }
}

function isRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.id === 'string' && typeof r.path === 'string' && typeof r.format === 'string' &&
    (r.rerun === undefined || (Array.isArray(r.rerun) && r.rerun.every((a) => typeof a === 'string')));
}
