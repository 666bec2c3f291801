// A tensor dimension is a known integer, a named symbol (batch, time, a parameter with no value)
// or unknown. Only two known integers can disagree: unknowns never produce findings.
import type { Range } from '../findings';

/** Where a number came from, for messages such as "100 features (torch.randn(32, 10, 100), line 5)". */
export interface Origin {
  range: Range;
  /** Source text or a short description, e.g. `torch.randn(32, 10, 100)` or `hidden_size=100`. */
  text: string;
}

/** What a dimension means, when something tells us: the layer that produced it, or the names in the code. */
export type DimRole = 'batch' | 'time' | 'feature';

export interface DimInfo {
  origin?: Origin;
  role?: DimRole;
  /** The variable or parameter the number was read from, e.g. `seq_len`. */
  label?: string;
  /** A layer that produced this dimension (its output size), for rules that explain stacked layers. */
  producer?: unknown;
  /** The num_layers × directions axis of a recurrent layer's h_0/h_n. */
  stateLayers?: boolean;
  /** Set on a size that a view folded a recurrent state's num_layers × directions axis into: says how, for messages. */
  folds?: string;
  /**
   * The sizes, in memory order, of the input axes a view's -1 merged into this axis when one of them is the batch
   * ((B, T, H).view(-1, H) gives B × T rows, sample-major) or was itself merged, and of a repeat's copies of an axis
   * ((n, …).repeat(r, …) gives r × n entries, copy-major): a later view that splits it in another order regroups them
   * (SL120). The batch role says whether the samples are among them.
   */
  merged?: Dim[];
  /** Set with `merged` when a repeat tiled the axis (copies, entries), not a view merged it: for messages. */
  tiled?: true;
  /**
   * The batch axis of a DataLoader over a dataset of known length whose batches do not divide it (no drop_last): most
   * batches hold `size` samples, the last one `last`. An axis that is that batch times `per` rows of each sample (a view's
   * -1) holds `size` and `last` rows, `per` times the loader's batches.
   */
  lastBatch?: { size: number; last: number; samples: number; loader?: Origin; per?: number };
  /** A symbol that is another one times a known number (a view's -1 over it): `base` × `by`. */
  scaled?: { base: Dim; by: number };
  /**
   * A size not known but known to be at least this: pack_padded_sequence's padded length is the longest of lengths
   * whose values are at least that. squeeze() reads it (a size of at least 2 is never squeezed).
   */
  atLeast?: number;
  /**
   * An axis of one entry that a slice from its start asked this many entries of (`pe[:, :n]` of a (B, 1, d) table):
   * Python clamps the stop to the axis, so the slice kept the one entry there is. Broadcasting then spreads it over as
   * many entries as were asked for, silently (SL170).
   */
  clampedFrom?: number;
  /**
   * A batch or time axis a recurrent layer's output was given when its input's rank was not known: PyTorch also takes
   * an unbatched 2-D sequence, whose output has no batch axis, so a rule must not claim what this axis holds. The axes
   * left when such an axis is dropped (see afterDropping) carry it too: where they stand rests on the same assumption.
   */
  layoutAssumed?: true;
  /**
   * A count the data decides (the rows a boolean mask selects, the entries np.where or nonzero finds, the values
   * torch.unique keeps), minted where that op ran (dataCountDim): one evaluation's count, the same wherever that value
   * flows, never another evaluation's.
   */
  dataCount?: true;
  /**
   * The loop (one not unrolled) or comprehension the count was minted in, open while it runs: its one pass stands for
   * every iteration, so once it ended, values left by different iterations may carry this one symbol, and it is no
   * longer the same size as itself (sameDim).
   */
  mintedIn?: DataCountLoop;
}

export interface DataCountLoop {
  open: boolean;
}

export type Dim =
  | ({ kind: 'int'; value: number } & DimInfo)
  | ({ kind: 'sym'; name: string } & DimInfo)
  | { kind: 'unknown'; role?: DimRole };

export const UNKNOWN_DIM: Dim = { kind: 'unknown' };

/**
 * The axes left when `dropped` goes (a tensor iterated or unpacked along it, an integer index into it). When that axis
 * was only assumed (layoutAssumed: a recurrent layer's output of an input whose rank was not known, which has no
 * batch axis when the input was an unbatched sequence), each axis left is marked assumed too: a row of `(b?, t?, 9)`
 * reduced over time is `(9,)` only if the batch axis exists, and the 9 logits may be the whole output's one row each.
 */
export function afterDropping(dropped: Dim | undefined, rest: readonly Dim[]): Dim[] {
  if (!dropped || dropped.kind === 'unknown' || !dropped.layoutAssumed) return [...rest];
  return rest.map((d) => (d.kind === 'unknown' || d.layoutAssumed ? d : { ...d, layoutAssumed: true as const }));
}

/** A known size. A number that is not a finite integer (NaN from an unknown slice bound, 2.5) is no size: unknown. */
export function intDim(value: number, info: DimInfo = {}): Dim {
  if (!Number.isSafeInteger(value)) return info.role ? { kind: 'unknown', role: info.role } : UNKNOWN_DIM;
  return { kind: 'int', value, ...info };
}

export function symDim(name: string, info: DimInfo = {}): Dim {
  return { kind: 'sym', name, ...info };
}

/** Data counts minted so far (see dataCountDim): a run that mints one is not replayed for another call (run-memo). */
let dataCountsMinted = 0;

export function dataCountsSoFar(): number {
  return dataCountsMinted;
}

/**
 * A fresh symbol for a size the data decides, at one evaluation of the op that makes it: its name (`N#7`) is that of
 * no other symbol (a parameter's name has no `#`), so two evaluations, two masks, or two passes of a loop never share
 * one, and where their states join (sameDim on the names) the size goes to unknown, as two different numbers do.
 */
export function dataCountDim(origin?: Origin): Dim {
  dataCountsMinted = dataCountsMinted >= Number.MAX_SAFE_INTEGER ? 1 : dataCountsMinted + 1;
  const loop = dataCountLoops.current;
  return { kind: 'sym', name: `N#${dataCountsMinted}`, dataCount: true, ...(origin ? { origin } : {}), ...(loop ? { mintedIn: loop } : {}) };
}

/** Whether a symbol's name is a data count's (dataCountDim). */
export function isDataCountName(name: string): boolean {
  return /^N#\d+$/.test(name);
}

/** The loop or comprehension running now, innermost (see DimInfo.mintedIn). */
const dataCountLoops: { current?: DataCountLoop } = {};

/** Runs a loop that is not unrolled, or a comprehension: the counts minted in it stop being themselves when it ends. */
export function inDataCountLoop<T>(run: () => T): T {
  const outer = dataCountLoops.current;
  const loop: DataCountLoop = { open: true };
  dataCountLoops.current = loop;
  try {
    return run();
  } finally {
    loop.open = false;
    dataCountLoops.current = outer;
  }
}

/** Two symbols that are one size: the same name, and not a count whose loop ended (DimInfo.mintedIn). */
export function sameSymbol(a: Dim, b: Dim): boolean {
  return a.kind === 'sym' && b.kind === 'sym' && a.name === b.name && !loopEnded(a) && !loopEnded(b);
}

/** A count (or a multiple of one, DimInfo.scaled) minted in a loop or comprehension that has ended. */
function loopEnded(d: Dim): boolean {
  // Bounded: each step goes to a base that was built before the scaled symbol.
  for (let depth = 0; d.kind === 'sym' && depth < 8; depth++) {
    if (d.mintedIn && !d.mintedIn.open) return true;
    if (!d.scaled) return false;
    d = d.scaled.base;
  }
  return false;
}

/** True only when both are the same known number or the same symbol. */
export function sameDim(a: Dim, b: Dim): boolean {
  if (a.kind === 'int' && b.kind === 'int') return a.value === b.value;
  if (a.kind === 'sym' && b.kind === 'sym') return sameSymbol(a, b);
  return false;
}

/**
 * True only when the size is certainly not 1 (so squeeze() keeps it): a known size other than 1, a symbol at least 2,
 * or a DataLoader's batch whose batches and last batch all hold 2 or more.
 */
export function neverOne(d: Dim): boolean {
  if (d.kind === 'int') return d.value !== 1;
  if (d.kind !== 'sym') return false;
  if (d.atLeast !== undefined && d.atLeast >= 2) return true;
  return d.lastBatch !== undefined && d.lastBatch.size >= 2 && d.lastBatch.last >= 2;
}

/** True only when the sizes certainly differ: two known numbers that differ, or a number below a symbol's least size. */
export function certainlyDiffer(a: Dim, b: Dim): boolean {
  if (a.kind === 'int' && b.kind === 'int') return a.value !== b.value;
  const [n, s] = a.kind === 'int' ? [a, b] : [b, a];
  return n.kind === 'int' && s.kind === 'sym' && s.atLeast !== undefined && n.value < s.atLeast;
}

/** formatDim, with what is known of a symbol's least size: `T (at least 20)`. */
export function formatDimBound(d: Dim): string {
  return d.kind === 'sym' && d.atLeast !== undefined ? `${formatDim(d)} (at least ${d.atLeast})` : formatDim(d);
}

/** True only when both are known numbers that differ. */
export function conflicting(a: Dim, b: Dim): boolean {
  return a.kind === 'int' && b.kind === 'int' && a.value !== b.value;
}

export function knownValue(d: Dim): number | undefined {
  return d.kind === 'int' ? d.value : undefined;
}

/** The product of the sizes that are known numbers, a size not known counting as 1. */
export function knownProduct(dims: readonly Dim[]): number {
  let product = 1;
  for (const d of dims) if (d.kind === 'int') product *= d.value;
  return product;
}

/**
 * Known numbers multiplied, and the symbols left over, of a list of sizes (undefined when one is not known). A symbol
 * that is another one times a known number (DimInfo.scaled: the B*150 rows a view's -1 merged from (B, 150, …)) counts
 * as that symbol and its factor, so that it cancels against the same symbol elsewhere.
 */
function sizeFactors(dims: readonly Dim[]): { product: number; symbols: string[] } | undefined {
  let product = 1;
  const symbols: string[] = [];
  for (const dim of dims) {
    let d: Dim = dim;
    // Bounded: each step goes to a base that was built before the scaled symbol.
    for (let depth = 0; d.kind === 'sym' && d.scaled && depth < 8; depth++) {
      product *= d.scaled.by;
      d = d.scaled.base;
    }
    if (d.kind === 'int') product *= d.value;
    else if (d.kind === 'sym' && !d.scaled && !loopEnded(d)) symbols.push(d.name);
    else return undefined;
  }
  return Number.isSafeInteger(product) ? { product, symbols } : undefined;
}

/**
 * Two lists of sizes factored (sizeFactors) when their symbols cancel exactly: every symbol of `others` is one of
 * `input`'s, and none of `input`'s is left over. Gives both known products and `input`'s symbols; undefined otherwise.
 */
export function cancelledFactors(input: readonly Dim[], others: readonly Dim[]): { have: number; want: number; symbols: string[] } | undefined {
  const have = sizeFactors(input);
  const want = sizeFactors(others);
  if (!have || !want) return undefined;
  const left = [...have.symbols];
  for (const s of want.symbols) {
    const i = left.indexOf(s);
    if (i < 0) return undefined;
    left.splice(i, 1);
  }
  return left.length ? undefined : { have: have.product, want: want.product, symbols: have.symbols };
}

/**
 * What a view's -1 holds when the symbols of the input and of the other requested sizes cancel exactly ((B*150, 33)
 * viewed as (B, 150, -1): 33; (B, 62, 40, T) viewed as (B, -1, T): 2480): the known count left over, when it is a
 * whole positive number; else undefined.
 */
export function cancelledLeftover(input: readonly Dim[], others: readonly Dim[]): number | undefined {
  const c = cancelledFactors(input, others);
  if (!c || !c.symbols.length || c.want <= 0 || c.have <= 0 || c.have % c.want !== 0) return undefined;
  return c.have / c.want;
}

/** The product of the sizes when every one is a known number (1 for none), else undefined. */
export function exactProduct(dims: readonly Dim[]): number | undefined {
  return dims.every((d) => d.kind === 'int') ? knownProduct(dims) : undefined;
}

export function withRole(d: Dim, role: DimRole | undefined): Dim {
  if (!role) return d;
  return { ...d, role };
}

const SYMBOL_ABBREVIATIONS: Record<string, string> = { batch: 'B', time: 'T', seq: 'T' };

export function formatDim(d: Dim): string {
  if (d.kind === 'int') return String(d.value);
  // A count the data decides has a name of the analysis' own (`N#7`, numbered as it runs): shown as a size not known.
  if (d.kind === 'sym' && (d.dataCount || isDataCountName(d.name))) return '?';
  if (d.kind === 'sym') {
    // `x.size(0)` read as the batch prints as B, as the time axis as T.
    if (d.name.endsWith(')') && d.name.includes('.size(') && (d.role === 'batch' || d.role === 'time')) return d.role === 'batch' ? 'B' : 'T';
    return SYMBOL_ABBREVIATIONS[d.name] ?? d.name;
  }
  return '?';
}

/** "line 5" style location, 1-based, for messages. */
export function lineOf(origin: Origin): string {
  return `line ${origin.range.start.line + 1}`;
}

export function describeOrigin(origin: Origin | undefined): string {
  return origin ? `${origin.text}, ${lineOf(origin)}` : 'unknown origin';
}

const BATCH_NAMES = /^(batch(_?size)?|bs|bsz|n_?batch|batch_?sz|b|num_samples|n_samples)$/i;
const TIME_NAMES = /^(seq(_?len(gth)?)?|sequence_?len(gth)?|max_?len(gth)?|time_?steps?|timesteps|n_?steps|num_?steps|steps|t|window(_?size)?|seqlen|len_?seq|context(_?len(gth)?)?|block_?size|bptt)$/i;

/** Reads a role from a variable name: `batch_size` is a batch, `seq_len` a time axis. */
export function roleFromName(name: string | undefined): DimRole | undefined {
  if (!name) return undefined;
  // Names recur (each use of `batch_size`): the regular expressions run once per name.
  const known = rolesByName.get(name);
  if (known !== undefined) return known || undefined;
  if (rolesByName.size >= 10_000) rolesByName.clear();
  const role = roleOfBareName(name);
  rolesByName.set(name, role ?? '');
  return role;
}

const rolesByName = new Map<string, DimRole | ''>();

function roleOfBareName(name: string): DimRole | undefined {
  const bare = name.replace(/^(self\.|cfg\.|config\.|args\.|hparams\.)/, '').replace(/^(self|cfg|config|args)\[['"](.*)['"]\]$/, '$2');
  if (BATCH_NAMES.test(bare)) return 'batch';
  if (TIME_NAMES.test(bare)) return 'time';
  return undefined;
}
