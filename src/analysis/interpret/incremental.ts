// Interprets an open document's module by components: sets of top-level groups that share no value
// (top-level-groups.ts). Each component runs on its own interpreter, and its findings and sites are kept
// until one of its groups changes, so an edit re-runs only the definition it touched and what depends on it.
// The result is the one a run over the whole module gives; where that cannot be told from the parts (a step
// budget shared by the whole module was reached, a top-level statement leaves, a part stopped early), the
// whole module is run instead.
import type { AnalysisResult, Range } from '../findings';
import type { Module } from '../parse/ast';
import { allRules } from '../rules/registry';
import { AnalysisContext, Collected, lineStartsOf, mergeCollected, resultOf } from './context';
import { Interpreter, MAIN_BUDGET, RunStats, STATEMENT_BUDGET, UNREACHED_BUDGET, UNREACHED_TOTAL } from './interpreter';
import { components, Group } from './top-level-groups';
import { analyzeModule } from './analyze-module';

interface ComponentRun {
  collected: Collected;
  stats: RunStats;
}

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

  analyze(module: Module, source: string): AnalysisResult {
    const groups = module.groups;
    if (!groups) return this.whole(module, source);
    const text = textReader(source);
    const next = new Map<string, ComponentRun>();
    const runs: ComponentRun[] = [];
    let interpreted = 0;
    for (const members of components(groups, text)) {
      const key = members.map((g) => this.idOf(groups[g])).join(',');
      let run = next.get(key) ?? this.runs.get(key);
      if (!run) {
        run = interpret(members.flatMap((g) => groups[g]), source);
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
    const merged = mergeCollected(runs.map((r) => r.collected));
    if (!merged) return this.whole(module, source);
    this.lastWhole = false;
    return resultOf(merged, module.suppressions);
  }

  private whole(module: Module, source: string): AnalysisResult {
    this.lastWhole = true;
    return analyzeModule(module, source);
  }

  private idOf(group: Group): number {
    let id = this.ids.get(group);
    if (id === undefined) this.ids.set(group, (id = this.nextId++));
    return id;
  }
}

/** One component's statements run on their own; suppressions are applied when the components are joined. */
function interpret(stmts: Group, source: string): ComponentRun {
  const ctx = new AnalysisContext(source, allRules(), NO_SUPPRESSIONS);
  let stats: RunStats;
  try {
    stats = new Interpreter(ctx).run(stmts);
  } catch {
    // The interpreter is written not to throw; if it does, the whole module is run, as a cold analysis would.
    stats = { main: 0, unreached: 0, left: true };
  }
  return { collected: ctx.collected(), stats };
}

function textReader(source: string): (range: Range) => string {
  const starts = lineStartsOf(source);
  const offset = (p: Range['start']) => (starts[p.line] ?? source.length) + p.column;
  return (range) => source.slice(offset(range.start), offset(range.end));
}
