// Interprets an open document's module by components: sets of top-level groups that share no value
// (top-level-groups.ts). Each component runs on its own interpreter, and its findings and sites are kept
// until one of its groups changes, so an edit re-runs only the definition it touched and what depends on it.
// The result is the one a run over the whole module gives; where that cannot be told from the parts (a step
// budget shared by the whole module was reached, a top-level statement leaves, a part stopped early), the
// whole module is run instead.
import type { AnalysisResult, Finding, IncompleteAnalysis, LayerSite, Range, TensorSite } from '../findings';
import type { Module } from '../parse/ast';
import { allRules } from '../rules/registry';
import { AnalysisContext, byPosition, Collected, entriesOf, lineStartsOf, Placement, ResultEntries } from './context';
import { CoverageCollector, CoverageStats } from '../coverage';
import { isSuppressed } from '../parse/suppressions';
import { Interpreter, MAIN_BUDGET, RunStats, STATEMENT_BUDGET, UNREACHED_BUDGET, UNREACHED_TOTAL } from './interpreter';
import { Group, groupNames, split } from './top-level-groups';
import { analyzeModule } from './analyze-module';

type Position = Range['start'];

/** What one interpretation of a component found, at the positions its groups had then; the runs it moved to share it. */
interface Interpreted {
  collected: Collected;
  stats: RunStats;
  /** First and last line of each of its groups when it ran. */
  spans: [number, number][];
  /**
   * Its keys that lie in groups of imports only, named by the group and their place in it, which moving the
   * groups in place keeps. Only those can be another run's keys too: every other group is in one component
   * (top-level-groups.ts), and a run's keys lie in its own groups. Undefined when a key lies in none of them.
   */
  keys?: Record<Claimed, string[]>;
  /** For each key of what it collected (in its maps' order), which of its groups holds it (an index into them); set with `keys`. */
  groups?: Record<Claimed, number[]>;
  /** Its findings, layer and tensor sites by group, in file order (made with the first entries). */
  order?: { findings: GroupOrder[]; layers: GroupOrder[]; tensors: GroupOrder[] };
  /** Where its groups are now: how often they moved since it ran, and the line where a line of then is now. */
  placed: Placement & { line?: (line: number) => number };
  /**
   * Its layer and tensor sites, made when a result first needs them and kept while its groups move: their ranges
   * are its statements' own, which move in place, and their hover texts are built where the statements are.
   */
  sites?: { layers: LayerSite[]; tensors: TensorSite[] };
}

/** A component's run where its groups are now: what it found moves with its groups. */
interface ComponentRun {
  of: Interpreted;
  /** First line of each of its groups now. */
  starts: number[];
  /** A line where the run was made, where it is now (what lies in none of its groups stays). */
  line?: (line: number) => number;
  /**
   * Its result's entries in the order it collected them (which is that of its keys), made when a result first
   * needs them (a run that moved is a new run, with its own).
   */
  entries?: ResultEntries;
}

/** The keys of the kept runs, each with the interpretation that holds it, so that an edit checks only what changed. */
interface Claims {
  held: Set<Interpreted>;
  findings: Map<string, Interpreted>;
  layerSites: Map<string, Interpreted>;
  layerCalls: Map<string, Interpreted>;
  tensorSites: Map<string, Interpreted>;
}

const CLAIMED = ['findings', 'layerSites', 'layerCalls', 'tensorSites'] as const;
type Claimed = (typeof CLAIMED)[number];

const NO_SUPPRESSIONS = new Map<number, Set<string>>();

/** Runs kept when no longer used (see IncrementalInterpreter.spare). */
const SPARE_RUNS = 16;

/** Splits kept (see IncrementalInterpreter.splits). */
const RECENT_SPLITS = 4;

/**
 * A split of a module's groups: its components, and for each the optimistic components it holds when there are
 * several (see top-level-groups.ts split), with the names the split followed.
 */
interface Split {
  groups: Group[];
  components: number[][];
  parts: (number[][] | undefined)[];
  followed: Set<string>;
}

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
    this.spare = new Map();
    this.splits = [];
    this.ranLater = new Set();
    this.claims = undefined;
  }

  /**
   * Runs of earlier analyses that the last ones did not use, oldest first: a name typed in a function body can
   * join two components for a few edits, and the one whose groups did not change is the same again after.
   */
  private spare = new Map<string, ComponentRun>();

  /**
   * The optimistic components of the last analysis, by their groups' indices, whose runs ran code after the top
   * level: an edit of one mostly gives a run that does so again, so its component is run whole at once rather
   * than after it.
   */
  private ranLater = new Set<string>();

  /** Which run holds each key of the last result joined from several runs. */
  private claims: Claims | undefined;

  /**
   * The last splits into components, newest first, by the groups each was made of (an edit that only moved lines
   * keeps every group), with the names it followed (see followedNames): an edit undone, or retyped back and forth,
   * gives the split before it again.
   */
  private splits: Split[] = [];

  /**
   * The components of the groups; a recent split again when each group is the same object as then or one doing the
   * same with the module-level names the split follows (an edit inside a function body mostly changes no such
   * name): the split depends on nothing else.
   */
  private componentsOf(groups: Group[], text: (range: Range) => string): Split {
    for (let i = 0; i < this.splits.length; i++) {
      const last = this.splits[i];
      if (last.groups.length === groups.length && last.groups.every((g, j) => g === groups[j] || sameNames(g, groups[j], text, last.followed))) {
        const again = { ...last, groups: [...groups] };
        this.splits.splice(i, 1);
        this.splits.unshift(again);
        return again;
      }
    }
    const made = split(groups, text);
    const again = { groups: [...groups], components: made.components, parts: partsOf(made.components, made.optimistic), followed: made.followed };
    this.splits.unshift(again);
    if (this.splits.length > RECENT_SPLITS) this.splits.pop();
    return again;
  }

  /** The key of a component's run: the ids of its groups. */
  private keyOf(members: number[], groups: Group[]): string {
    return members.map((g) => this.idOf(groups[g])).join(',');
  }

  /** The run kept under a key: made earlier in this analysis, by the last one, or spare. */
  private keptRun(key: string, next: Map<string, ComponentRun>): ComponentRun | undefined {
    return next.get(key) ?? this.runs.get(key) ?? this.spare.get(key);
  }

  /** A component's run where its groups are now: the one kept for the same groups, or a new interpretation. */
  private runOf(members: number[], groups: Group[], source: string, next: Map<string, ComponentRun>): { key: string; run: ComponentRun; interpreted: boolean } {
    const key = this.keyOf(members, groups);
    const kept = this.keptRun(key, next);
    const run = kept && moved(kept, members.map((g) => groups[g]));
    if (run) return { key, run, interpreted: false };
    return { key, run: interpret(members.map((g) => groups[g]), members.map((g) => this.idOf(groups[g])), source), interpreted: true };
  }

  analyze(module: Module, source: string): AnalysisResult {
    const groups = module.groups;
    if (!groups) return this.whole(module, source);
    const text = textReader(source);
    const next = new Map<string, ComponentRun>();
    const runs: ComponentRun[] = [];
    const runMembers: number[][] = [];
    let interpreted = 0;
    const { components, parts } = this.componentsOf(groups, text);
    const ranLater = new Set<string>();
    components.forEach((members, k) => {
      // A component that is several optimistic ones (see split) is run as those when none of them ran code after
      // its top level: the kept ones are looked at first, and the first that did stops the others.
      const optimistic = parts[k];
      if (optimistic) {
        const tried: { key: string; run: ComponentRun }[] = [];
        const kept = optimistic.map((m) => this.keptRun(this.keyOf(m, groups), next));
        optimistic.forEach((m, i) => {
          if (kept[i] && kept[i]!.of.stats.exercised > 0) ranLater.add(m.join(','));
        });
        if (!optimistic.some((m, i) => (kept[i] ? kept[i]!.of.stats.exercised > 0 : this.ranLater.has(m.join(','))))) {
          for (const m of optimistic) {
            const got = this.runOf(m, groups, source, next);
            if (got.interpreted) interpreted++;
            next.set(got.key, got.run);
            tried.push(got);
            if (got.run.of.stats.exercised > 0) {
              ranLater.add(m.join(','));
              break;
            }
          }
          if (tried.length === optimistic.length && tried.every(({ run }) => run.of.stats.exercised === 0)) {
            tried.forEach(({ run }, i) => {
              runs.push(run);
              runMembers.push(optimistic[i]);
            });
            return;
          }
        }
      }
      const got = this.runOf(members, groups, source, next);
      if (got.interpreted) interpreted++;
      next.set(got.key, got.run);
      runs.push(got.run);
      runMembers.push(members);
    });
    for (const [key, run] of this.runs) {
      if (next.has(key)) continue;
      this.spare.delete(key);
      this.spare.set(key, run);
    }
    for (const key of next.keys()) this.spare.delete(key);
    for (const key of this.spare.keys()) {
      if (this.spare.size <= SPARE_RUNS) break;
      this.spare.delete(key);
    }
    this.runs = next;
    this.ranLater = ranLater;
    this.lastInterpreted = interpreted;
    this.lastComponents = runs.length;
    let main = 0;
    let unreached = 0;
    for (const { of: { stats } } of runs) {
      main += stats.main;
      unreached += stats.unreached;
    }
    // Every top-level statement and unreached definition had its full budget in a run of the whole module only
    // while the module's shared budgets were far from spent.
    if (runs.some((r) => r.of.stats.left) || main > MAIN_BUDGET - STATEMENT_BUDGET || unreached > UNREACHED_TOTAL - UNREACHED_BUDGET) return this.whole(module, source);
    const joined = this.join(runs, runMembers, module.suppressions);
    if (!joined) return this.whole(module, source);
    this.lastWhole = false;
    return joined;
  }

  /**
   * The result of runs of parts of the module, as a run of the whole module gives it: undefined when two runs
   * reached the same key or one of several was incomplete (only a run of the whole module knows which came
   * first). Only the runs interpreted since the last join have their keys checked, and the others' entries are
   * reused.
   */
  private join(runs: ComponentRun[], members: number[][], suppressions: Map<number, Set<string>>): AnalysisResult | undefined {
    let coverage: CoverageStats | undefined;
    let incomplete: IncompleteAnalysis | undefined;
    if (runs.length === 1) {
      this.claims = undefined;
      coverage = runs[0].of.collected.coverage.result();
      const { line } = runs[0];
      incomplete = runs[0].of.collected.incomplete;
      if (incomplete && line) incomplete = { ...incomplete, line: line(incomplete.line) };
    } else {
      // The runs' coverage sites are apart: each lies in one of its run's groups other than imports (see keysInGroups).
      if (!this.claim(runs)) return undefined;
      coverage = CoverageCollector.joined(runs.map((run) => run.of.collected.coverage));
      if (!coverage) return undefined;
    }
    const entries = runs.map((run) => (run.entries ??= entriesAt(run)));
    const kept = (f: Finding) => !isSuppressed(suppressions, f.range.start.line, f.code);
    if (runs.length === 1 || runs.some((run) => !run.of.groups)) {
      const all = <T extends { range: Range }>(pick: (e: ResultEntries) => T[]) => entries.flatMap(pick).sort(byPosition);
      return { findings: all((e) => e.findings).filter(kept), layers: all((e) => e.layers), tensors: all((e) => e.tensors), ...(incomplete ? { incomplete } : {}), coverage };
    }
    const parts = <T extends { range: Range }>(pick: (e: ResultEntries) => T[], kind: 'findings' | 'layers' | 'tensors') =>
      runs.map((run, i) => {
        const { of } = run;
        of.order ??= {
          findings: orderOf(entries[i].findings, of.groups!.findings),
          layers: orderOf(entries[i].layers, of.groups!.layerSites),
          tensors: orderOf(entries[i].tensors, of.groups!.tensorSites),
        };
        return { entries: pick(entries[i]), order: of.order[kind], members: members[i] };
      });
    return {
      findings: inFileOrder(parts((e) => e.findings, 'findings')).filter(kept),
      layers: inFileOrder(parts((e) => e.layers, 'layers')),
      tensors: inFileOrder(parts((e) => e.tensors, 'tensors')),
      coverage,
    };
  }

  /**
   * Records the runs' keys, dropping those of interpretations no longer used; false when a key is held twice or
   * a run is incomplete.
   */
  private claim(runs: ComponentRun[]): boolean {
    const claims: Claims = this.claims ?? { held: new Set(), findings: new Map(), layerSites: new Map(), layerCalls: new Map(), tensorSites: new Map() };
    this.claims = undefined;
    const current = new Set(runs.map((run) => run.of));
    if (current.size !== runs.length) return false;
    for (const { collected, keys } of current) if (collected.incomplete || !keys) return false;
    for (const of of claims.held) {
      if (current.has(of)) continue;
      for (const kind of CLAIMED) {
        const held = claims[kind];
        for (const key of of.keys![kind]) if (held.get(key) === of) held.delete(key);
      }
    }
    for (const of of current) {
      if (claims.held.has(of)) continue;
      for (const kind of CLAIMED) {
        const held = claims[kind];
        for (const key of of.keys![kind]) {
          if (held.has(key)) return false;
          held.set(key, of);
        }
      }
    }
    claims.held = current;
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
function interpret(groups: Group[], ids: number[], source: string): ComponentRun {
  const ctx = new AnalysisContext(source, allRules(), NO_SUPPRESSIONS);
  let stats: RunStats;
  try {
    stats = new Interpreter(ctx).run(groups.flat());
  } catch {
    // The interpreter is written not to throw; if it does, the whole module is run, as a cold analysis would.
    stats = { main: 0, unreached: 0, left: true, exercised: 0 };
  }
  const collected = ctx.collected();
  // Findings are kept as they are now: the statements they point into may move in place later.
  const findings = new Map([...collected.findings].map(([key, finding]) => [key, copyFinding(finding, (line) => line, (text) => text)]));
  const of: Interpreted = { collected: { ...collected, findings }, stats, spans: groups.map(spanOf), placed: { moves: 0 } };
  const placed = keysInGroups(of.collected, groups, ids);
  if (placed) {
    of.keys = placed.keys;
    of.groups = placed.groups;
  }
  return { of, starts: of.spans.map(([start]) => start) };
}

/**
 * Which of the groups holds the position of each key of what a run collected (`code@line:column` or
 * `line:column`), and the keys in groups of imports only named by the group and their line within it, so that
 * they stay the same while the groups move in place; undefined when a position lies in none of the groups, or a
 * coverage site in none but groups of imports only (every other group is in one component, so the sites of
 * several runs are then apart).
 */
function keysInGroups(collected: Collected, groups: Group[], ids: number[]): { keys: Record<Claimed, string[]>; groups: Record<Claimed, number[]> } | undefined {
  const starts = groups.map((g) => g[0].range.start);
  const ends = groups.map((g) => g[g.length - 1].range.end);
  const before = (a: Position, line: number, column: number) => a.line < line || (a.line === line && a.column <= column);
  const importsOnly = groups.map((g) => g.every((s) => s.kind === 'import'));
  const out = { findings: [], layerSites: [], layerCalls: [], tensorSites: [] } as Record<Claimed, string[]>;
  const holders = { findings: [], layerSites: [], layerCalls: [], tensorSites: [] } as Record<Claimed, number[]>;
  /** The group holding a position: the last one starting at or before it, which must end at or after it. */
  const holder = (line: number, column: number): number | undefined => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (before(starts[mid], line, column)) lo = mid;
      else hi = mid - 1;
    }
    return !before(starts[lo], line, column) || before(ends[lo], line, column - 1) ? undefined : lo;
  };
  for (const kind of CLAIMED) {
    for (const key of collected[kind].keys()) {
      const at = key.lastIndexOf(':');
      const column = Number(key.slice(at + 1));
      const split = key.lastIndexOf('@', at) + 1;
      const line = Number(key.slice(split, at));
      const lo = holder(line, column);
      if (lo === undefined) return undefined;
      if (importsOnly[lo]) out[kind].push(`${key.slice(0, split)}${ids[lo]}+${line - starts[lo].line}:${column}`);
      holders[kind].push(lo);
    }
  }
  for (const key of collected.coverage.siteKeys()) {
    const at = key.indexOf(':');
    const g = holder(Number(key.slice(0, at)), Number(key.slice(at + 1)));
    if (g === undefined || importsOnly[g]) return undefined;
  }
  return { keys: out, groups: holders };
}

/**
 * Whether two groups read and bind the same module-level names in the same order, and read the same of the
 * `followed` names later (what the split is made of). With the same events in every group the split follows
 * the same names, and a later read of any other name joins nothing.
 */
function sameNames(a: Group, b: Group, text: (range: Range) => string, followed: Set<string>): boolean {
  if ((a.length === 0) !== (b.length === 0)) return false;
  const x = groupNames(a, text);
  const y = groupNames(b, text);
  if (x.importsOnly !== y.importsOnly || x.events.length !== y.events.length) return false;
  for (let i = 0; i < x.events.length; i++) {
    const [a, b] = [x.events[i], y.events[i]];
    if (a.kind !== b.kind || a.name !== b.name || (a.kind === 'join' && b.kind === 'join' && a.back !== b.back)) return false;
  }
  for (const name of x.later) if (followed.has(name) && !y.later.has(name)) return false;
  for (const name of y.later) if (followed.has(name) && !x.later.has(name)) return false;
  return true;
}

/**
 * For each component, the optimistic components in it when there are several (in file order of their first
 * groups); none where one is not wholly inside a single component (which the split does not make).
 */
function partsOf(components: number[][], optimistic: number[][]): (number[][] | undefined)[] {
  const parts: (number[][] | undefined)[] = components.map(() => undefined);
  if (optimistic.length === components.length) return parts;
  // The component holding each group; -1 for groups of imports, which are in every component.
  const componentOf = new Map<number, number>();
  components.forEach((members, k) => {
    for (const g of members) componentOf.set(g, componentOf.has(g) ? -1 : k);
  });
  const found: number[][][] = components.map(() => []);
  for (const members of optimistic) {
    const owners = new Set(members.map((g) => componentOf.get(g) ?? -2).filter((k) => k !== -1));
    const [k] = owners;
    if (owners.size !== 1 || k < 0) return components.map(() => undefined);
    found[k].push(members);
  }
  found.forEach((list, k) => {
    if (list.length < 2) return;
    const covered = new Set(list.flat());
    if (covered.size === components[k].length && components[k].every((g) => covered.has(g))) parts[k] = list;
  });
  return parts;
}

function spanOf(group: Group): [number, number] {
  return [group[0].range.start.line, group[group.length - 1].range.end.line];
}


/**
 * A kept run whose groups moved (lines inserted or removed above them, the statements moved in place): its
 * findings, sites and the line numbers its messages name move with them. The same run when nothing moved.
 */
function moved(run: ComponentRun, groups: Group[]): ComponentRun {
  const starts = groups.map((group) => group[0].range.start.line);
  if (starts.every((start, i) => start === run.starts[i])) return run;
  const { spans } = run.of;
  const deltas = starts.map((start, i) => start - spans[i][0]);
  const { placed } = run.of;
  placed.moves++;
  placed.line = undefined;
  if (deltas.every((d) => d === 0)) return { of: run.of, starts };
  const line = (at: number): number => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid][0] <= at) lo = mid;
      else hi = mid - 1;
    }
    const [start, end] = spans[lo];
    return at >= start && at <= end ? at + deltas[lo] : at;
  };
  placed.line = line;
  return { of: run.of, starts, line };
}

const LINE_IN_TEXT = /\bline (\d+)/g;

/** One group's entries of one kind in a run, in file order: their indices in the run's entries. */
interface GroupOrder {
  /** The group's index among the run's groups. */
  group: number;
  indices: number[];
}

/**
 * A run's entries of one kind by group, each group's in file order (a stable sort by position). Moving the
 * groups in place keeps that order, so it is worked out once per interpretation.
 */
function orderOf(entries: { range: Range }[], groups: number[]): GroupOrder[] {
  const byGroup = new Map<number, number[]>();
  groups.forEach((group, j) => {
    const list = byGroup.get(group);
    if (list) list.push(j);
    else byGroup.set(group, [j]);
  });
  return [...byGroup].sort((a, b) => a[0] - b[0]).map(([group, indices]) => ({ group, indices: indices.sort((a, b) => byPosition(entries[a], entries[b]) || a - b) }));
}

/**
 * The entries of several runs in file order, as a stable sort by position of them all (run after run) gives:
 * the runs' groups do not overlap, so the entries go group by group in the order of the module's groups.
 * `members` are the module's groups a run ran. A group that several runs reached (imports run in every run)
 * is sorted on its own.
 */
function inFileOrder<T extends { range: Range }>(parts: { entries: T[]; order: GroupOrder[]; members: number[] }[]): T[] {
  const pieces: { group: number; part: number; order: GroupOrder }[] = [];
  parts.forEach(({ order, members }, part) => {
    for (const o of order) pieces.push({ group: members[o.group], part, order: o });
  });
  pieces.sort((a, b) => a.group - b.group || a.part - b.part);
  const out: T[] = [];
  for (let i = 0; i < pieces.length; ) {
    let end = i + 1;
    while (end < pieces.length && pieces[end].group === pieces[i].group) end++;
    if (end - i === 1) {
      const { entries } = parts[pieces[i].part];
      for (const j of pieces[i].order.indices) out.push(entries[j]);
    } else {
      const shared = pieces.slice(i, end).flatMap(({ part, order }) => order.indices.map((j) => parts[part].entries[j]));
      for (const entry of shared.sort(byPosition)) out.push(entry);
    }
    i = end;
  }
  return out;
}

/** A run's result entries where its groups are now. */
function entriesAt(run: ComponentRun): ResultEntries {
  const { of } = run;
  const { collected, placed } = of;
  // Most texts name no line: those are kept as they are, without running the expression.
  const text = (message: string) => {
    const { line } = placed;
    return line && message.includes('line ') ? message.replace(LINE_IN_TEXT, (_, n: string) => `line ${line(Number(n) - 1) + 1}`) : message;
  };
  if (!of.sites) {
    const { layers, tensors } = entriesOf(collected, text, placed);
    of.sites = { layers, tensors };
  }
  const { line } = run;
  const findings = [...collected.findings.values()];
  return { findings: line ? findings.map((f) => copyFinding(f, line, text)) : findings, layers: of.sites.layers, tensors: of.sites.tensors };
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

/** Reads the source of a range; the line starts are found at the first read (most edits read no text here). */
function textReader(source: string): (range: Range) => string {
  let starts: number[] | undefined;
  const offset = (p: Range['start']) => ((starts ??= lineStartsOf(source))[p.line] ?? source.length) + p.column;
  return (range) => source.slice(offset(range.start), offset(range.end));
}
