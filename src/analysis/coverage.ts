// How much of a model's forward pass the analysis knows: every name assigned inside `forward` and the
// methods it calls, classified by what it holds, and the calls that turned a known shape into an unknown one.
import { foreignFileOf } from './workspace/modules';
import type { Range } from './findings';
import type { Value } from './values/value';

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
  /** Calls whose tensor argument had a known rank but whose result did not: call → count. */
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
    case 'tensor':
      return !value.shape.rankKnown ? 'unknown' : value.shape.dims.every((d) => d.kind === 'int') ? 'full' : 'rank';
    case 'packed':
      return value.padded.shape.rankKnown ? 'rank' : 'unknown';
    case 'tuple':
    case 'list': {
      const items = value.element ? [value.element] : value.items;
      if (depth > 3 || items.length === 0) return 'value';
      const kinds = items.map((v) => knowledgeOf(v, depth + 1));
      if (kinds.every((k) => k === 'value')) return 'value';
      return kinds.reduce((a, b) => (ORDER[a] <= ORDER[b] ? a : b));
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

export class CoverageCollector {
  private readonly sites = new Map<string, Knowledge>();
  private readonly kerasSites = new Map<string, Knowledge>();
  private readonly lost = new Map<string, number>();
  private readonly unmodelled = new Map<string, number>();

  assigned(range: Range, value: Value): void {
    // Names in another workspace file are counted by that file's own analysis.
    if (foreignFileOf(range)) return;
    note(this.sites, range, value);
  }

  kerasAssigned(range: Range, value: Value): void {
    if (foreignFileOf(range)) return;
    if (this.kerasSites.size < 100_000) note(this.kerasSites, range, value);
  }

  kerasLayerUnmodelled(kind: string): void {
    if (this.unmodelled.size >= 512 && !this.unmodelled.has(kind)) return;
    this.unmodelled.set(kind, (this.unmodelled.get(kind) ?? 0) + 1);
  }

  lostShape(call: string): void {
    if (this.lost.size >= 512 && !this.lost.has(call)) return;
    this.lost.set(call, (this.lost.get(call) ?? 0) + 1);
  }

  /**
   * Adds what another run collected over other sites. False when a site was in both or a bound was reached:
   * then only a run over the whole module counts right.
   */
  absorb(other: CoverageCollector): boolean {
    for (const [mine, theirs] of [[this.sites, other.sites], [this.kerasSites, other.kerasSites]]) {
      for (const [key, k] of theirs) {
        if (mine.has(key)) return false;
        mine.set(key, k);
      }
    }
    for (const [mine, theirs] of [[this.lost, other.lost], [this.unmodelled, other.unmodelled]]) {
      for (const [key, n] of theirs) mine.set(key, (mine.get(key) ?? 0) + n);
      if (mine.size >= 512) return false;
    }
    return this.kerasSites.size < 100_000;
  }

  /** The same counts with each site's line moved by `line` (its statement moved since it was counted). */
  moved(line: (line: number) => number): CoverageCollector {
    const copy = new CoverageCollector();
    for (const [mine, theirs] of [[copy.sites, this.sites], [copy.kerasSites, this.kerasSites]]) {
      for (const [key, k] of theirs) {
        const [at, column] = key.split(':');
        mine.set(`${line(Number(at))}:${column}`, k);
      }
    }
    for (const [key, n] of this.lost) copy.lost.set(key, n);
    for (const [key, n] of this.unmodelled) copy.unmodelled.set(key, n);
    return copy;
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
