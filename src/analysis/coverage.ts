// How much of a model's forward pass the analysis knows: every name assigned inside `forward` and the
// methods it calls, classified by what it holds, and the calls that turned a known shape into an unknown one.
import { foreignFileOf } from './workspace/modules';
import type { Range } from './findings';
import type { Value } from './values/value';
import type { FunctionDef } from './parse/ast';

/** What one assigned name holds, best over every run of its assignment. */
export type Knowledge = 'full' | 'rank' | 'value' | 'unknown';

const ORDER: Record<Knowledge, number> = { unknown: 0, value: 1, rank: 2, full: 3 };

export interface CoverageStats {
  /** Names assigned inside forward and what it calls (each assignment site once). */
  names: number;
  /** Tensors (or tuples of tensors) whose rank is known, fully known ones included. */
  rankKnown: number;
  /** Tensors whose every dimension is a known number. */
  fullyKnown: number;
  /** Names holding a known value that is not a tensor: a size, a layer, a flag. */
  knownValues: number;
  /** Names whose value the analysis could not follow, or tensors of unknown rank. */
  unknown: number;
  /**
   * Call sites whose tensor argument had a known rank but whose result did not, and whose other tensor arguments all
   * had a known rank (else the rank was lost before the call): call → number of sites.
   */
  lostAt: Record<string, number>;
  /**
   * Keras: the names assigned from a Keras layer call (functional API) or inside a Keras model's call(), each layer
   * added to a Sequential model (its output), and the x and y given to fit/evaluate/predict.
   */
  keras?: KnowledgeCounts;
  /** Keras layers the analysis does not model, by class name: what to model next. */
  kerasUnmodelled?: Record<string, number>;
}

export interface KnowledgeCounts {
  names: number;
  rankKnown: number;
  fullyKnown: number;
  knownValues: number;
  unknown: number;
}

/** The knowledge a value carries; tuples of tensors count as their least known item. */
export function knowledgeOf(value: Value, depth = 0): Knowledge {
  switch (value.kind) {
    case 'unknown':
      return 'unknown';
    case 'tensor': {
      if (!value.shape.rankKnown) return 'unknown';
      const dims = value.shape.dims;
      for (let i = 0; i < dims.length; i++) if (dims[i].kind !== 'int') return 'rank';
      return 'full';
    }
    case 'packed':
      return value.padded.shape.rankKnown ? 'rank' : 'unknown';
    case 'tuple':
    case 'list': {
      // The least known item (the first of them on a tie); 'value' when every item is one. Loops rather than
      // map/every/reduce: this runs for every call and assignment in a forward.
      if (value.element) return depth > 3 ? 'value' : knowledgeOf(value.element, depth + 1);
      const items = value.items;
      if (depth > 3 || items.length === 0) return 'value';
      let least: Knowledge = knowledgeOf(items[0], depth + 1);
      for (let i = 1; i < items.length; i++) {
        const k = knowledgeOf(items[i], depth + 1);
        if (ORDER[k] < ORDER[least]) least = k;
      }
      return least;
    }
    default:
      return 'value';
  }
}

/** True when a value carries a tensor of known rank (the input side of a lost shape). */
export function holdsKnownRank(value: Value): boolean {
  const k = knowledgeOf(value);
  return k === 'full' || k === 'rank';
}

function note(sites: Map<string, Knowledge>, range: Range, value: Value): void {
  const key = `${range.start.line}:${range.start.column}`;
  const k = knowledgeOf(value);
  const before = sites.get(key);
  if (!before || ORDER[k] > ORDER[before]) sites.set(key, k);
}

function countKnowledge(sites: Map<string, Knowledge>): KnowledgeCounts {
  const counts = { full: 0, rank: 0, value: 0, unknown: 0 };
  for (const k of sites.values()) counts[k]++;
  return { names: sites.size, rankKnown: counts.full + counts.rank, fullyKnown: counts.full, knownValues: counts.value, unknown: counts.unknown };
}

/**
 * A debugging hook: when set, every assignment counted by `assigned` is passed to it (before the best of a site's runs
 * is taken), so a script can list each site with what it holds (test/realcode/sites.mjs).
 */
export const siteTrace: {
  sink?: (range: Range, value: Value) => void;
  /** Each parameter of a function run inside a forward, with what it was bound to and how the run was made. */
  param?: (def: FunctionDef, name: string, value: Value, symbolic: boolean | 'tensors') => void;
  /** Each call counted in `lostAt`, with the name it is counted under, where it is, and what it was given. */
  lost?: (call: string, range: Range, callee: Value, args: Value[]) => void;
} = {};

export class CoverageCollector {
  private readonly sites = new Map<string, Knowledge>();
  private readonly kerasSites = new Map<string, Knowledge>();
  private readonly lost = new Map<string, number>();
  private readonly lostSites = new Set<string>();
  private readonly unmodelled = new Map<string, number>();
  /** Above 0 while a pass runs with one particular iteration's sizes (see AnalysisContext.sitesPaused): not counted. */
  paused = 0;

  assigned(range: Range, value: Value): void {
    // Names in another workspace file are counted by that file's own analysis.
    if (foreignFileOf(range) || this.paused > 0) return;
    siteTrace.sink?.(range, value);
    note(this.sites, range, value);
  }

  kerasAssigned(range: Range, value: Value): void {
    if (foreignFileOf(range) || this.paused > 0) return;
    if (this.kerasSites.size < 100_000) note(this.kerasSites, range, value);
  }

  kerasLayerUnmodelled(kind: string): void {
    if (this.unmodelled.size >= 512 && !this.unmodelled.has(kind)) return;
    this.unmodelled.set(kind, (this.unmodelled.get(kind) ?? 0) + 1);
  }

  /** A call site that lost a shape: each site counts once, however many runs of it lose it. */
  lostShape(call: string, range: Range): void {
    if (this.paused > 0) return;
    if (this.lost.size >= 512 && !this.lost.has(call)) return;
    const key = `${range.start.line}:${range.start.column}:${call}`;
    if (this.lostSites.has(key) || this.lostSites.size >= 100_000) return;
    this.lostSites.add(key);
    this.lost.set(call, (this.lost.get(call) ?? 0) + 1);
  }

  /** The keys (`line:column`) of the sites it counted, Keras sites included. */
  *siteKeys(): IterableIterator<string> {
    yield* this.sites.keys();
    yield* this.kerasSites.keys();
  }

  /**
   * The counts of collectors of several runs, as one collector of all their sites gives them, for runs whose sites the
   * caller knows to be apart; undefined when a bound was reached (only a run of the whole module counts right then).
   */
  static joined(parts: CoverageCollector[]): CoverageStats | undefined {
    const sites = { full: 0, rank: 0, value: 0, unknown: 0, names: 0 };
    const keras = { full: 0, rank: 0, value: 0, unknown: 0, names: 0 };
    const lost = new Map<string, number>();
    const unmodelled = new Map<string, number>();
    for (const part of parts) {
      for (const [counts, theirs] of [[sites, part.sites], [keras, part.kerasSites]] as const) {
        counts.names += theirs.size;
        for (const k of theirs.values()) counts[k]++;
      }
      for (const [mine, theirs] of [[lost, part.lost], [unmodelled, part.unmodelled]]) {
        for (const [key, n] of theirs) mine.set(key, (mine.get(key) ?? 0) + n);
      }
    }
    if (lost.size >= 512 || unmodelled.size >= 512 || keras.names >= 100_000) return undefined;
    const stats = ({ full, rank, value, unknown, names }: typeof sites): KnowledgeCounts => ({ names, rankKnown: full + rank, fullyKnown: full, knownValues: value, unknown });
    return {
      ...stats(sites),
      lostAt: Object.fromEntries(lost),
      ...(keras.names ? { keras: stats(keras) } : {}),
      ...(unmodelled.size ? { kerasUnmodelled: Object.fromEntries(unmodelled) } : {}),
    };
  }

  result(): CoverageStats {
    return {
      ...countKnowledge(this.sites),
      lostAt: Object.fromEntries(this.lost),
      ...(this.kerasSites.size ? { keras: countKnowledge(this.kerasSites) } : {}),
      ...(this.unmodelled.size ? { kerasUnmodelled: Object.fromEntries(this.unmodelled) } : {}),
    };
  }
}
