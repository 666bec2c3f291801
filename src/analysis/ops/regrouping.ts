// Where a reshape regroups the elements of several axes (SL120): the fact is found at the view and travels with the
// value through the ops that keep its elements as they are, so the rule can report it where a layer or a product
// reads the value, however it got there.
import type { Range } from '../findings';
import { Dim, sameDim } from '../shapes/dim';
import type { TensorValue, Value } from '../values/value';
import { dimsFromSizeArgs } from './dims-from-values';
import { knownSizes, resolveSizes } from './layout';

/** Where a view keeps a size on a new axis without carrying the axis that had it. */
export interface MixedAxes {
  /** The size kept (≥ 3, or a count the data decides: its symbol), its axis in the input and its axis in the view. */
  size: number | string;
  inputAxis: number;
  outputAxis: number;
  /** The input axes whose elements the view regroups together (first and last, inclusive). */
  from: number;
  to: number;
}

/**
 * A reshape lays a tensor's elements out again in memory order, so it keeps an axis only where the running
 * products of the old and new sizes meet on both sides of it. Between two such meeting points the elements of
 * several axes are regrouped: when a size of the old axes there reappears on a new axis that does not meet them,
 * the view puts that size on an axis whose elements come from other axes (the view was meant as a transpose or
 * permute). Sizes 1 and 2 are left alone: a 2 is as often a split in halves as a kept axis.
 * Reads only sizes that are known; the common leading and trailing axes may be unknown (a batch).
 */
export function mixedAxes(input: Dim[], requested: Dim[]): MixedAxes | undefined {
  const { lead, tail } = sharedEnds(input, requested);
  const inner = input.slice(lead, input.length - tail);
  const wanted = requested.slice(lead, requested.length - tail);
  if (inner.length < 2 || wanted.length < 2) return undefined;
  const counted = withDataCount(inner, wanted);
  const sizes = counted?.sizes ?? knownSizes(inner);
  const requestedSizes = counted?.requested ?? knownSizes(wanted);
  if (!sizes || !requestedSizes) return undefined;
  const numel = sizes.reduce((p, s) => p * s, 1);
  if (numel === 0) return undefined;
  const out = resolveSizes(requestedSizes, numel);
  if (!out || out.reduce((p, s) => p * s, 1) !== numel) return undefined;
  // Walk both size lists, cutting where their running products meet.
  let i = 0;
  let j = 0;
  while (i < sizes.length && j < out.length) {
    const gi = i;
    const gj = j;
    let a = sizes[i++];
    let b = out[j++];
    while (a !== b) {
      if (a < b) a *= sizes[i++];
      else b *= out[j++];
    }
    // Size-1 axes at the end of a group join it without changing anything.
    const oldAxes = sizes.slice(gi, i).map((s, k) => ({ s, axis: gi + k })).filter((x) => x.s > 1);
    const newAxes = out.slice(gj, j).map((s, k) => ({ s, axis: gj + k })).filter((x) => x.s > 1);
    if (oldAxes.length < 2 || newAxes.length < 2) continue;
    for (const n of newAxes) {
      const kept = oldAxes.find((o) => o.s === n.s && o.s > 2);
      if (kept) {
        return { size: counted && n.s === counted.stand ? counted.name : n.s, inputAxis: lead + kept.axis, outputAxis: lead + n.axis, from: lead + gi, to: lead + i - 1 };
      }
    }
  }
  return undefined;
}

/**
 * The sizes of a regroup's axes when exactly one of them, on each side, is one count the data decides (the same
 * symbol: one evaluation's count, DimInfo.dataCount) and every other is a known number: the count stands as a prime
 * above every known size and above their product, so running products meet, and a size is kept, at the count exactly
 * where they do whatever the count is (past 1, which regroups nothing). A -1 is resolved as the numbers say. Undefined
 * otherwise: two symbols may be one number, and that is never guessed.
 */
function withDataCount(inner: Dim[], wanted: Dim[]): { sizes: number[]; requested: number[]; stand: number; name: string } | undefined {
  const symbolsOf = (dims: Dim[]) => dims.filter((d) => d.kind !== 'int');
  const a = symbolsOf(inner);
  const b = symbolsOf(wanted);
  if (a.length !== 1 || b.length !== 1 || a[0].kind !== 'sym' || !a[0].dataCount || a[0].scaled || !sameDim(a[0], b[0])) return undefined;
  const name = a[0].name;
  let bound = 2;
  for (const d of [...inner, ...wanted]) if (d.kind === 'int') bound *= Math.max(1, Math.abs(d.value));
  if (!Number.isSafeInteger(bound) || bound > 2 ** 20) return undefined;
  const stand = primeAbove(bound);
  const read = (dims: Dim[]) => dims.map((d) => (d.kind === 'int' ? d.value : stand));
  const sizes = read(inner);
  const requested = read(wanted);
  // The products stay exact: at most the count times the known sizes, each below 2^20.
  return { sizes, requested, stand, name };
}

/** The least prime above n (n ≤ 2^20: a few hundred steps at most). */
function primeAbove(n: number): number {
  for (let p = n + 1; ; p++) {
    let prime = p > 1;
    for (let k = 2; k * k <= p && prime; k++) if (p % k === 0) prime = false;
    if (prime) return p;
  }
}

/** How many leading and trailing axes a reshape of `input` to `requested` keeps as they were (the same sizes at both ends). */
export function sharedEnds(input: Dim[], requested: Dim[]): { lead: number; tail: number } {
  let lead = 0;
  while (lead < input.length && lead < requested.length && sameDim(input[lead], requested[lead])) lead++;
  let tail = 0;
  while (tail < input.length - lead && tail < requested.length - lead && sameDim(input[input.length - 1 - tail], requested[requested.length - 1 - tail])) tail++;
  return { lead, tail };
}

/** A tensor whose elements a view regrouped across axes (see mixedAxes), as it travels on. */
export interface Regrouping {
  /** The view or reshape call that regrouped them: where SL120 reports. */
  view: Range;
  /**
   * The shape the elements had before that view, while they are still in its memory order (only reshapes and ops
   * that keep every element in place since): a reshape of the value is then a reshape of that tensor, and undoes
   * the regrouping when it mixes none of its axes. Unset once the axes were moved (transpose, permute) or other
   * elements joined (cat, arithmetic).
   */
  source?: Dim[];
  /**
   * The axis along which the view's output, as it came out, was joined with other tensors by torch.cat: each part keeps
   * its elements where the view put them, so the result's other axes are still the view's. Unset once the axes move.
   */
  joinedOn?: number;
}

/** Methods and functions whose result holds the same elements in the same memory order (sizes 1 aside). */
const IN_PLACE = new Set([
  'contiguous', 'detach', 'detach_', 'clone', 'cpu', 'cuda', 'to', 'type', 'type_as', 'float', 'double', 'half', 'bfloat16', 'requires_grad_',
  'pin_memory', 'retain_grad', 'squeeze', 'squeeze_', 'unsqueeze', 'unsqueeze_',
  // Element-wise: each element is computed from itself alone.
  'relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'gelu', 'elu', 'leaky_relu', 'selu', 'silu', 'softplus', 'exp', 'log', 'abs', 'sqrt',
  'neg', 'dropout', 'dropout1d', 'alpha_dropout', 'hardtanh', 'relu6', 'mish', 'logsigmoid', 'clamp', 'clamp_', 'mul_', 'add_', 'sub_', 'div_',
]);

/** Functions that make a tensor of an array or a tensor, element for element at the same indices. */
const CONVERSIONS = new Set(['as_tensor', 'from_numpy', 'tensor']);

/** The same elements with their axes moved: still regrouped, but no longer in the memory order of the view's input. */
const AXES_MOVED = new Set(['transpose', 'transpose_', 'permute', 't', 'swapaxes', 'swapdims', 'movedim']);

const RESHAPES = new Set(['view', 'reshape', 'flatten', 'view_as', 'reshape_as']);

/**
 * The sizes `t`'s elements have in memory order: its shape, or, for the result of torch.cat of equal parts still as it
 * came out, their stack (the joined axis split into (parts, size)); an axis a view merged from the batch and other axes
 * counts as the sizes it merged ((B × T, H) rows are (B, T, H)).
 */
export function memoryDims(t: TensorValue): Dim[] {
  if (t.catParts && t.catParts.shape === t.shape) return t.catParts.dims;
  return unmergedDims(t.shape.dims);
}

/** Dims with each axis a view merged (DimInfo.merged) counted as the sizes it merged, in memory order. */
export function unmergedDims(dims: Dim[]): Dim[] {
  return dims.some(isMerged) ? dims.flatMap((d) => (isMerged(d) ? d.merged : [d])) : dims;
}

/** An axis of known size that a view merged from several (the batch among them, or an axis merged earlier), or a repeat tiled (DimInfo.merged). */
export function isMerged(d: Dim): d is Dim & { kind: 'int'; merged: Dim[] } {
  return d.kind === 'int' && d.merged !== undefined;
}

/** The regrouping left by a reshape of `t` to `requested` (sizes as given, -1 allowed) made at `at`. */
export function regroupingAfterReshape(t: TensorValue, requested: Dim[] | undefined, at: Range): Regrouping | undefined {
  const before = t.regrouped;
  if (before?.source) {
    // Still the view's input in memory order: this reshape is one of that input, which may put its axes back.
    return requested && mixedAxes(before.source, requested) ? before : undefined;
  }
  if (!t.shape.rankKnown || !requested) return undefined;
  // A reshape after the axes were moved is not followed (it may be one that puts them back): only a new regrouping.
  const dims = memoryDims(t);
  return mixedAxes(dims, requested) ? { view: at, source: dims } : undefined;
}

function mark(result: Value, regrouping: Regrouping | undefined, input: TensorValue): void {
  // A result that is the input itself (or shares nothing new) is left as it is.
  if (!regrouping || result.kind !== 'tensor' || result === input) return;
  result.regrouped = regrouping;
}

/** Sets on `result` what `t.name(args)` leaves of a regrouping: a new one made by a view, or the receiver's carried on. */
export function regroupMethod(t: TensorValue, name: string, args: Value[], result: Value, at: Range): void {
  if (result.kind !== 'tensor' || result === t) return;
  if (name === 'view' || name === 'reshape') {
    if (args.length === 1 && args[0].kind === 'dtype') return;
    return mark(result, regroupingAfterReshape(t, dimsFromSizeArgs(args, { range: at, text: '' }), at), t);
  }
  if (!t.regrouped) return;
  if (RESHAPES.has(name)) return mark(result, regroupingAfterReshape(t, result.shape.rankKnown ? result.shape.dims : undefined, at), t);
  if (IN_PLACE.has(name) && result.shape.rankKnown) {
    // squeeze/unsqueeze renumber the axes: what was joined on which axis no longer says where the view's axes are.
    const { joinedOn, ...kept } = t.regrouped;
    const sameRank = t.shape.rankKnown && t.shape.dims.length === result.shape.dims.length;
    return mark(result, joinedOn !== undefined && !sameRank ? kept : t.regrouped, t);
  }
  if (AXES_MOVED.has(name)) return mark(result, { view: t.regrouped.view }, t);
}

/** The regrouping carried by a tensor in a list or tuple of tensors (one level deep), if any. */
function regroupedItem(v: Value | undefined): Regrouping | undefined {
  if (v?.kind === 'tensor') return v.regrouped;
  if (v?.kind !== 'list' && v?.kind !== 'tuple') return undefined;
  if (v.element?.kind === 'tensor' && v.element.regrouped) return v.element.regrouped;
  for (const item of v.items) if (item.kind === 'tensor' && item.regrouped) return item.regrouped;
  return undefined;
}

/** Sets on `result` the regrouping `torch.name(...)` / `F.name(...)` carries from its tensor arguments. */
export function regroupFunction(name: string, args: Value[], kwargs: Map<string, Value>, result: Value | undefined, at: Range): void {
  if (result?.kind !== 'tensor') return;
  const first = args[0] ?? kwargs.get('input');
  if (name === 'cat' || name === 'concat' || name === 'concatenate' || name === 'stack') {
    // The regrouped elements keep their places in their part: still regrouped, now among other elements. A part that
    // is the view's output as it came out keeps the view's axes other than the joined one (torch.stack adds an axis).
    const carried = regroupedItem(first ?? kwargs.get('tensors'));
    if (!carried) return;
    result.regrouped = { view: carried.view };
    const axis = name === 'stack' ? undefined : joinAxis(args[1] ?? kwargs.get('dim') ?? kwargs.get('axis'), result);
    if (axis !== undefined && (carried.source !== undefined || carried.joinedOn === axis)) result.regrouped.joinedOn = axis;
    return;
  }
  if (first?.kind !== 'tensor' || result === first) return;
  if (name === 'reshape') return regroupMethod(first, name, args.slice(1, 2), result, at);
  if (!first.regrouped) return;
  // A tensor made from an array (or a tensor) holds its elements at the same indices: `torch.as_tensor(a)`.
  if (CONVERSIONS.has(name) && args.length === 1 && result.shape.rankKnown && first.shape.rankKnown && result.shape.dims.length === first.shape.dims.length) return mark(result, first.regrouped, first);
  if (name === 'flatten' || IN_PLACE.has(name) || AXES_MOVED.has(name)) regroupMethod(first, name, args.slice(1), result, at);
}

/** The axis torch.cat joined along (dim defaults to 0), counted from the front of its result. */
function joinAxis(dim: Value | undefined, result: TensorValue): number | undefined {
  if (!result.shape.rankKnown) return undefined;
  const rank = result.shape.dims.length;
  const value = dim === undefined ? 0 : dim.kind === 'int' ? dim.value : undefined;
  if (value === undefined || value < -rank || value >= rank) return undefined;
  return value < 0 ? value + rank : value;
}

/**
 * Indexing or slicing a regrouped tensor (`h[i]` of its layers): the elements taken are still the ones the view put in
 * the wrong places, no longer in the memory order of the view's input.
 */
export function regroupIndex(t: TensorValue, result: Value): void {
  if (t.regrouped && result.kind === 'tensor' && result !== t && result.shape.rankKnown && result.shape.dims.length > 0) result.regrouped = { view: t.regrouped.view };
}

/** Element-wise arithmetic: a regrouped operand leaves its elements regrouped in the result. */
export function regroupBinary(left: Value, right: Value, result: Value): void {
  if (result.kind !== 'tensor' || result === left || result === right) return;
  const carried = (left.kind === 'tensor' && left.regrouped) || (right.kind === 'tensor' && right.regrouped) || undefined;
  // Other elements may have been broadcast in: the memory order of the view's input is not kept.
  if (carried) result.regrouped = { view: carried.view };
}
