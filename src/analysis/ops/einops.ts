// einops' rearrange, repeat, reduce and einsum: the pattern names every axis of the result, so its rank is known from
// the pattern alone (with an ellipsis, from the input's rank too), and each size is the one the input or the axis
// lengths given as keywords bind to that name. Anything einops refuses (names that do not match, a rank the pattern
// does not fit, a size that does not divide) gives undefined: the result is then unknown, never an error here.
import { Dim, Origin, UNKNOWN_DIM, intDim, sameSymbol } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { DType, TensorValue, Value, intValue } from '../values/value';

/** A bound on the pattern read: past it the result is unknown. */
const MAX_PATTERN = 512;

/** One axis of a side: a name, an anonymous length (`1`, `3`), the ellipsis, or a group of those (`(h d)`, `()`). */
type Item = { kind: 'name'; name: string } | { kind: 'number'; value: number } | { kind: 'ellipsis' } | { kind: 'group'; items: Item[] };

/** Reads one side of a pattern (`b (h d) ...`); undefined for anything einops' grammar does not allow. */
export function parseSide(text: string): Item[] | undefined {
  const top: Item[] = [];
  let group: Item[] | undefined;
  let ellipses = 0;
  const re = /\s*(\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|[0-9]+)\s*/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return /^\s*$/.test(text.slice(i)) ? top : undefined;
    i = re.lastIndex;
    const token = m[1];
    const into = group ?? top;
    if (token === '(') {
      if (group) return undefined;
      group = [];
    } else if (token === ')') {
      if (!group) return undefined;
      top.push({ kind: 'group', items: group });
      group = undefined;
    } else if (token === '...') {
      if (++ellipses > 1) return undefined;
      into.push({ kind: 'ellipsis' });
    } else if (/^[0-9]/.test(token)) {
      const value = Number(token);
      if (!Number.isSafeInteger(value) || value < 1) return undefined;
      into.push({ kind: 'number', value });
    } else {
      into.push({ kind: 'name', name: token });
    }
  }
  return group ? undefined : top;
}

function names(items: Item[], into: string[] = []): string[] {
  for (const item of items) {
    if (item.kind === 'name') into.push(item.name);
    else if (item.kind === 'group') names(item.items, into);
  }
  return into;
}

function hasEllipsis(items: Item[]): boolean {
  return items.some((item) => item.kind === 'ellipsis' || (item.kind === 'group' && hasEllipsis(item.items)));
}

function known(d: Dim | undefined): number | undefined {
  return d?.kind === 'int' ? d.value : undefined;
}

/** The product of some axes: known when each is, or the axis itself when there is one. */
function product(dims: Dim[], origin: Origin): Dim {
  if (dims.length === 1) return dims[0];
  const sizes = dims.map(known);
  return sizes.every((s) => s !== undefined) ? intDim(sizes.reduce((p, s) => p! * s!, 1)!, { origin }) : UNKNOWN_DIM;
}

/**
 * The axes of the input a left side names: each name bound to its length where the input or a keyword tells it.
 * Undefined when einops raises: a rank the side does not fit, lengths that disagree or do not divide.
 */
function bindLeft(left: Item[], input: TensorValue, sizes: Map<string, Dim>): { ellipsis: Dim[] } | undefined {
  const dims = input.shape.dims;
  const fixed = left.filter((item) => item.kind !== 'ellipsis').length;
  const ellipsisAt = left.findIndex((item) => item.kind === 'ellipsis');
  if (ellipsisAt === -1 ? dims.length !== fixed : dims.length < fixed) return undefined;
  const ellipsis = ellipsisAt === -1 ? [] : dims.slice(ellipsisAt, ellipsisAt + dims.length - fixed);
  let at = 0;
  for (const item of left) {
    if (item.kind === 'ellipsis') {
      at += ellipsis.length;
      continue;
    }
    const dim = dims[at++];
    if (!bindAxis(item, dim, sizes)) return undefined;
  }
  return { ellipsis };
}

/** Binds one axis of the input to the item naming it; false when einops raises. */
function bindAxis(item: Item, dim: Dim, sizes: Map<string, Dim>): boolean {
  if (item.kind === 'number') return known(dim) === undefined || known(dim) === item.value;
  if (item.kind === 'name') {
    const bound = sizes.get(item.name);
    if (bound && known(bound) !== undefined && known(dim) !== undefined) return known(bound) === known(dim);
    if (!bound || (known(bound) === undefined && known(dim) !== undefined)) sizes.set(item.name, dim);
    return true;
  }
  if (item.kind !== 'group') return false;
  // A group: with one member of unknown length, the group's length over the others' product is that member's.
  const members = item.items;
  if (members.length === 0) return known(dim) === undefined || known(dim) === 1;
  const lengths = members.map((m) => (m.kind === 'number' ? m.value : m.kind === 'name' ? known(sizes.get(m.name)) : undefined));
  const missing = lengths.flatMap((l, i) => (l === undefined ? [i] : []));
  const total = known(dim);
  const rest = lengths.reduce<number>((p, l) => p * (l ?? 1), 1);
  if (missing.length === 0) return total === undefined || total === rest;
  if (missing.length === 1 && members[missing[0]].kind === 'name') {
    const name = (members[missing[0]] as { name: string }).name;
    if (total !== undefined) {
      if (total % rest !== 0) return false;
      sizes.set(name, intDim(total / rest));
    } else if (members.length === 1 && !sizes.has(name)) {
      sizes.set(name, dim);
    }
  }
  return true;
}

/** The axes a right side gives, with the lengths bound; the ellipsis stands for the input's axes it matched. */
function buildRight(right: Item[], sizes: Map<string, Dim>, ellipsis: Dim[], origin: Origin): Dim[] {
  const axis = (item: Item): Dim[] => {
    if (item.kind === 'ellipsis') return ellipsis;
    if (item.kind === 'number') return [intDim(item.value, { origin })];
    if (item.kind === 'name') return [sizes.get(item.name) ?? UNKNOWN_DIM];
    return [item.items.length === 0 ? intDim(1, { origin }) : product(item.items.flatMap(axis), origin)];
  };
  return right.flatMap(axis);
}

/** The axis lengths given as keywords (`h=8`): an int binds the name; anything else leaves it unknown. */
function keywordSizes(kwargs: Map<string, Value>): Map<string, Dim> {
  const sizes = new Map<string, Dim>();
  for (const [name, value] of kwargs) {
    const n = intValue(value);
    sizes.set(name, n !== undefined && n >= 1 ? intDim(n) : value.kind === 'symint' ? value.dim : UNKNOWN_DIM);
  }
  return sizes;
}

/** rearrange/repeat/reduce(tensor, pattern, [reduction,] **axes_lengths); a list of tensors is stacked on a new first axis. */
export function einopsCall(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  if (name === 'einsum') return einopsEinsum(args, origin);
  if (name !== 'rearrange' && name !== 'repeat' && name !== 'reduce') return undefined;
  const input = stacked(args[0] ?? kwargs.get('tensor'));
  const pattern = args[1] ?? kwargs.get('pattern');
  if (!input || pattern?.kind !== 'str' || pattern.value === undefined || pattern.value.length > MAX_PATTERN) return undefined;
  const axes = new Map(kwargs);
  for (const key of ['tensor', 'pattern', 'reduction']) axes.delete(key);
  const sides = pattern.value.split('->');
  if (sides.length !== 2) return undefined;
  const left = parseSide(sides[0]);
  const right = parseSide(sides[1]);
  if (!left || !right || left.some((item) => item.kind === 'group' && hasEllipsis(item.items))) return undefined;
  const leftNames = names(left);
  const rightNames = names(right);
  if (new Set(leftNames).size !== leftNames.length || new Set(rightNames).size !== rightNames.length) return undefined;
  const leftSet = new Set(leftNames);
  const rightSet = new Set(rightNames);
  // Which names each operation lets a side have alone; and an ellipsis on the right needs one on the left.
  if (hasEllipsis(right) && !hasEllipsis(left)) return undefined;
  if (name === 'rearrange' && (leftNames.some((n) => !rightSet.has(n)) || rightNames.some((n) => !leftSet.has(n)) || hasEllipsis(left) !== hasEllipsis(right))) return undefined;
  if (name === 'repeat' && (leftNames.some((n) => !rightSet.has(n)) || rightNames.some((n) => !leftSet.has(n) && !axes.has(n)))) return undefined;
  if (name === 'reduce' && rightNames.some((n) => !leftSet.has(n))) return undefined;
  if (name === 'rearrange' && right.some(function nonUnit(item): boolean { return (item.kind === 'number' && item.value !== 1) || (item.kind === 'group' && item.items.some(nonUnit)); })) return undefined;
  const dtype: DType = input.dtype;
  const base: TensorValue = { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
  const sizes = keywordSizes(axes);
  if (!input.shape.rankKnown) {
    // Without an ellipsis the right side alone gives the rank; the lengths are those the keywords give.
    if (hasEllipsis(left)) return base;
    return { ...base, shape: shapeOf(buildRight(right, sizes, [], origin)) };
  }
  const bound = bindLeft(left, input, sizes);
  if (!bound) return undefined;
  return { ...base, shape: shapeOf(buildRight(right, sizes, bound.ellipsis, origin)) };
}

/** The tensor einops reads: a tensor, or a list or tuple of tensors of one rank (stacked along a new first axis). */
function stacked(v: Value | undefined): TensorValue | undefined {
  if (v?.kind === 'tensor') return v;
  if ((v?.kind !== 'list' && v?.kind !== 'tuple') || v.element || v.items.length === 0) return undefined;
  const items = v.items;
  if (!items.every((t): t is TensorValue => t.kind === 'tensor' && t.shape.rankKnown)) return undefined;
  const first = items[0];
  const rank = first.shape.dims.length;
  if (items.some((t) => t.shape.dims.length !== rank)) return undefined;
  const dims = first.shape.dims.map((d, i) => (items.every((t) => sameSize(t.shape.dims[i], d)) ? d : UNKNOWN_DIM));
  return { ...first, shape: shapeOf([intDim(items.length), ...dims]) };
}

function sameSize(a: Dim, b: Dim): boolean {
  return (a.kind === 'int' && b.kind === 'int' && a.value === b.value) || sameSymbol(a, b);
}

/** einops.einsum(x, y, 'b i d, b j d -> b i j'): the pattern comes last; names may be words. */
function einopsEinsum(args: Value[], origin: Origin): TensorValue | undefined {
  const pattern = args[args.length - 1];
  const operands = args.slice(0, -1);
  if (pattern?.kind !== 'str' || pattern.value === undefined || pattern.value.length > MAX_PATTERN || operands.length === 0) return undefined;
  if (!operands.every((t): t is TensorValue => t.kind === 'tensor')) return undefined;
  const sides = pattern.value.split('->');
  if (sides.length !== 2) return undefined;
  const inputs = sides[0].split(',').map(parseSide);
  const right = parseSide(sides[1]);
  if (!right || inputs.length !== operands.length || inputs.some((s) => !s)) return undefined;
  // Only plain names: no groups, numbers or ellipsis (einops' einsum allows no groups; the rest is left unknown).
  const plain = (side: Item[]) => side.every((item) => item.kind === 'name');
  if (!plain(right) || inputs.some((s) => !plain(s!))) return undefined;
  const rightNames = names(right);
  const leftNames = new Set(inputs.flatMap((s) => names(s!)));
  if (new Set(rightNames).size !== rightNames.length || rightNames.some((n) => !leftNames.has(n))) return undefined;
  const sizes = new Map<string, Dim>();
  for (const [i, side] of inputs.entries()) {
    const t = operands[i];
    if (!t.shape.rankKnown) continue;
    if (t.shape.dims.length !== side!.length) return undefined;
    for (const [j, item] of side!.entries()) if (!bindAxis(item, t.shape.dims[j], sizes)) return undefined;
  }
  return { kind: 'tensor', dtype: operands[0].dtype, origin, shape: shapeOf(buildRight(right, sizes, [], origin)) };
}
