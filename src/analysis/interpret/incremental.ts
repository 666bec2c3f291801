// Interprets an open document's module by components: sets of top-level groups that share no value
// (top-level-groups.ts). Each component runs on its own interpreter, and its findings and sites are kept
// until one of its groups changes, so an edit re-runs only the definition it touched and what depends on it.
// The result is the one a run over the whole module gives; where that cannot be told from the parts (a step
// budget shared by the whole module was reached, a top-level statement leaves, a part stopped early), the
// whole module is run instead.
import type { AnalysisResult, Finding, LayerSite, Range, TensorSite } from '../findings';
import type { Module } from '../parse/ast';
import { allRules } from '../rules/registry';
import { AnalysisContext, byPosition, Collected, entriesOf, lineStartsOf, resultOf } from './context';
import { CoverageCollector } from '../coverage';
import { isSuppressed } from '../parse/suppressions';
import { Interpreter, MAIN_BUDGET, RunStats, STATEMENT_BUDGET, UNREACHED_BUDGET, UNREACHED_TOTAL } from './interpreter';
import { components, Group, groupNames } from './top-level-groups';
import { analyzeModule } from './analyze-module';

interface ComponentRun {
  collected: Collected;
  stats: RunStats;
  /** First and last line of each of its groups when it ran: a group moved since then moves what it found. */
  spans: [number, number][];
  /** Its result's entries, made when a result first needs them (a run that moved is a new run, with its own). */
  entries?: { findings: Finding[]; layers: LayerSite[]; tensors: TensorSite[] };
}

/** The keys (positions) of the kept runs, each with the run that holds it, so that an edit checks only what changed. */
interface Claims {
  runs: Set<ComponentRun>;
  findings: Map<string, ComponentRun>;
  layerSites: Map<string, ComponentRun>;
  layerCalls: Map<string, ComponentRun>;
  tensorSites: Map<string, ComponentRun>;
}

const CLAIMED = ['findings', 'layerSites', 'layerCalls', 'tensorSites'] as const;

const NO_SUPPRESSIONS = new Map<number, Set<string>>();

export class IncrementalInterpreter {
  /** Component runs by the groups they ran (each group named by its identity, which an edit elsewhere keeps). */
  private runs = new Map<string, ComponentRun>();
  private readonly ids = new WeakMap<Group, number>();
  private nextId = 0;
  /** How many components the last analysis interpreted (the others were reused), and how many it had. */
  lastInterpreted = 0;
  lastComponents = 0;
  /** Whether the last analysis had to run the whole module. */
  lastWhole = false;

  /** Drops the kept runs (the document was replaced whole, and analysed whole). */
  forget(): void {
    this.runs = new Map();
    this.lastSplit = undefined;
    this.claims = undefined;
  }

  /** Which run holds each key of the last result joined from several runs. */
  private claims: Claims | undefined;

  /** The last split into components, by the groups it was made of (an edit that only moved lines keeps every group). */
  private lastSplit: { groups: Group[]; components: number[][] } | undefined;

  /**
   * The components of the groups; the last split again when each group is the same object as before or one
   * doing the same with module-level names (an edit inside a function body mostly changes no name it reads):
   * the split depends on nothing else.
   */
  private componentsOf(groups: Group[], text: (range: Range) => string): number[][] {
    const last = this.lastSplit;
    if (last && last.groups.length === groups.length && last.groups.every((g, i) => g === groups[i] || sameNames(g, groups[i], text))) {
      this.lastSplit = { groups: [...groups], components: last.components };
      return last.components;
    }
    const split = components(groups, text);
    this.lastSplit = { groups: [...groups], components: split };
    return split;
  }

  analyze(module: Module, source: string): AnalysisResult {
    const groups = module.groups;
    if (!groups) return this.whole(module, source);
    const text = textReader(source);
    const next = new Map<string, ComponentRun>();
    const runs: ComponentRun[] = [];
    let interpreted = 0;
    for (const members of this.componentsOf(groups, text)) {
      const key = members.map((g) => this.idOf(groups[g])).join(',');
      const kept = next.get(key) ?? this.runs.get(key);
      let run = kept && moved(kept, members.map((g) => groups[g]));
      if (!run) {
        run = interpret(members.map((g) => groups[g]), source);
        interpreted++;
      }
      next.set(key, run);
      runs.push(run);
    }
    this.runs = next;
    this.lastInterpreted = interpreted;
    this.lastComponents = runs.length;
    let main = 0;
    let unreached = 0;
    for (const { stats } of runs) {
      main += stats.main;
      unreached += stats.unreached;
    }
    // Every top-level statement and unreached definition had its full budget in a run of the whole module only
    // while the module's shared budgets were far from spent.
    if (runs.some((r) => r.stats.left) || main > MAIN_BUDGET - STATEMENT_BUDGET || unreached > UNREACHED_TOTAL - UNREACHED_BUDGET) return this.whole(module, source);
    if (runs.length === 1) {
      this.claims = undefined;
      this.lastWhole = false;
      return resultOf(runs[0].collected, module.suppressions);
    }
    const joined = this.join(runs, module.suppressions);
    if (!joined) return this.whole(module, source);
    this.lastWhole = false;
    return joined;
  }

  /**
   * The result of runs of parts of the module, as mergeCollected and resultOf would make it: undefined when two
   * runs reached the same key or one was incomplete (only a run of the whole module knows which came first).
   * Only the runs that are new since the last join have their keys checked, and the others' entries are reused.
   */
  private join(runs: ComponentRun[], suppressions: Map<number, Set<string>>): AnalysisResult | undefined {
    if (!this.claim(runs)) return undefined;
    const coverage = new CoverageCollector();
    const findings: Finding[] = [];
    const layers: LayerSite[] = [];
    const tensors: TensorSite[] = [];
    for (const run of runs) {
      if (!coverage.absorb(run.collected.coverage)) return undefined;
      const entries = (run.entries ??= entriesOf(run.collected));
      for (const f of entries.findings) if (!isSuppressed(suppressions, f.range.start.line, f.code)) findings.push(f);
      for (const l of entries.layers) layers.push(l);
      for (const t of entries.tensors) tensors.push(t);
    }
    return { findings: findings.sort(byPosition), layers: layers.sort(byPosition), tensors: tensors.sort(byPosition), coverage: coverage.result() };
  }

  /** Records the runs' keys, dropping those of runs no longer used; false when a key is held twice or a run is incomplete. */
  private claim(runs: ComponentRun[]): boolean {
    if (runs.some((run) => run.collected.incomplete)) {
      this.claims = undefined;
      return false;
    }
    const claims: Claims = this.claims ?? { runs: new Set(), findings: new Map(), layerSites: new Map(), layerCalls: new Map(), tensorSites: new Map() };
    this.claims = undefined;
    const current = new Set(runs);
    if (current.size !== runs.length) return false;
    for (const run of claims.runs) {
      if (current.has(run)) continue;
      for (const kind of CLAIMED) {
        const held = claims[kind];
        for (const key of run.collected[kind].keys()) if (held.get(key) === run) held.delete(key);
      }
    }
    for (const run of runs) {
      if (claims.runs.has(run)) continue;
      for (const kind of CLAIMED) {
        const held = claims[kind];
        for (const key of run.collected[kind].keys()) {
          if (held.has(key)) return false;
          held.set(key, run);
        }
      }
    }
    claims.runs = current;
    this.claims = claims;
    return true;
  }

  private whole(module: Module, source: string): AnalysisResult {
    this.lastWhole = true;
    this.claims = undefined;
    return analyzeModule(module, source);
  }

  private idOf(group: Group): number {
    let id = this.ids.get(group);
    if (id === undefined) this.ids.set(group, (id = this.nextId++));
    return id;
  }
}

/** One component's statements run on their own; suppressions are applied when the components are joined. */
function interpret(groups: Group[], source: string): ComponentRun {
  const ctx = new AnalysisContext(source, allRules(), NO_SUPPRESSIONS);
  let stats: RunStats;
  try {
    stats = new Interpreter(ctx).run(groups.flat());
  } catch {
    // The interpreter is written not to throw; if it does, the whole module is run, as a cold analysis would.
    stats = { main: 0, unreached: 0, left: true };
  }
  const collected = ctx.collected();
  // Findings are kept as they are now: the statements they point into may move in place later.
  const findings = new Map([...collected.findings].map(([key, finding]) => [key, copyFinding(finding, (line) => line, (text) => text)]));
  return { collected: { ...collected, findings }, stats, spans: groups.map(spanOf) };
}

/** Whether two groups read and bind the same module-level names in the same order (what the split is made of). */
function sameNames(a: Group, b: Group, text: (range: Range) => string): boolean {
  if ((a.length === 0) !== (b.length === 0)) return false;
  const x = groupNames(a, text);
  const y = groupNames(b, text);
  if (x.importsOnly !== y.importsOnly || x.events.length !== y.events.length || x.later.size !== y.later.size) return false;
  for (let i = 0; i < x.events.length; i++) if (x.events[i].kind !== y.events[i].kind || x.events[i].name !== y.events[i].name) return false;
  for (const name of x.later) if (!y.later.has(name)) return false;
  return true;
}

function spanOf(group: Group): [number, number] {
  return [group[0].range.start.line, group[group.length - 1].range.end.line];
}

const LINE_IN_TEXT = /\bline (\d+)/g;

/**
 * A kept run whose groups moved (lines inserted or removed above them, the statements moved in place): its
 * findings, sites and the line numbers its messages name move with them. The same run when nothing moved.
 */
function moved(run: ComponentRun, groups: Group[]): ComponentRun {
  const deltas = groups.map((group, i) => group[0].range.start.line - run.spans[i][0]);
  if (deltas.every((d) => d === 0)) return run;
  const line = (at: number): number => {
    let lo = 0;
    let hi = run.spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (run.spans[mid][0] <= at) lo = mid;
      else hi = mid - 1;
    }
    const [start, end] = run.spans[lo];
    return at >= start && at <= end ? at + deltas[lo] : at;
  };
  // Most texts name no line: those are kept as they are, without running the expression.
  const text = (message: string) => (message.includes('line ') ? message.replace(LINE_IN_TEXT, (_, n: string) => `line ${line(Number(n) - 1) + 1}`) : message);
  const key = (old: string) => {
    const at = old.lastIndexOf(':');
    const head = old.slice(0, at);
    const split = Math.max(head.lastIndexOf('@'), -1) + 1;
    return `${head.slice(0, split)}${line(Number(head.slice(split)))}${old.slice(at)}`;
  };
  const rekey = <V>(map: Map<string, V>, value: (v: V) => V = (v) => v) => {
    const out = new Map<string, V>();
    for (const [k, v] of map) out.set(key(k), value(v));
    return out;
  };
  const { collected } = run;
  return {
    stats: run.stats,
    spans: run.spans.map(([start, end], i) => [start + deltas[i], end + deltas[i]]),
    collected: {
      findings: rekey(collected.findings, (f) => copyFinding(f, line, text)),
      layerSites: rekey(collected.layerSites),
      layerCalls: rekey(collected.layerCalls, (calls) => new Set([...calls].map(text))),
      tensorSites: rekey(collected.tensorSites),
      incomplete: collected.incomplete && { ...collected.incomplete, line: line(collected.incomplete.line) },
      coverage: collected.coverage.moved(line),
    },
  };
}

/** A finding with its own positions, each line given by `line`, and its texts by `text`. */
function copyFinding(finding: Finding, line: (line: number) => number, text: (text: string) => string): Finding {
  const range = (r: Range): Range => ({ start: { line: line(r.start.line), column: r.start.column }, end: { line: line(r.end.line), column: r.end.column } });
  return {
    ...finding,
    range: range(finding.range),
    message: text(finding.message),
    related: finding.related.map((r) => ({ ...r, range: range(r.range), message: text(r.message) })),
    fixes: finding.fixes.map((fix) => ({ ...fix, title: text(fix.title), edits: fix.edits.map((e) => ({ ...e, range: range(e.range) })) })),
  };
}

function textReader(source: string): (range: Range) => string {
  const starts = lineStartsOf(source);
  const offset = (p: Range['start']) => (starts[p.line] ?? source.length) + p.column;
  return (range) => source.slice(offset(range.start), offset(range.end));
}
