// Shape rules of tensor methods: view/reshape, permute, transpose, (un)squeeze, flatten, reductions, casts.
import { Dim, Origin, UNKNOWN_DIM, cancelledLeftover, dataCountDim, exactProduct, intDim, knownProduct, neverOne, sameDim, symDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { Bounds, DType, TensorValue, UNKNOWN, Value, intValue, keepStepMarkers, summary } from '../values/value';
import { dimsFromSizeArgs, reshapeSizeArgs, valueFromDim } from './dims-from-values';
import { broadcast, withNonTensorOperand } from './broadcast';
import { addmm, baddbmm, bmm, dot, matmul, mm, outer } from './products';
import { gather, indexSelect, multinomial, positionsAlong, sort, topk } from './selection';
import { chunk, split, unbind } from './splitting';
import { comparisonOrMask, isComparisonOrMask } from './comparison';
import { legacyConstructor, tensorFactory } from './tensor-factory';
import { LAYOUT_KEEPING, contiguousLayout, knownSizes, stridesOf, viewStrides } from './layout';
import { isMerged, regroupMethod, unmergedDims } from './regrouping';
import { reductionArgs } from './reductions';
import { repeatInterleave } from './repetition';
import { carryNormalised, markSoftmax, moveNormalised } from './normalised';
import { kindAfterOp } from './value-kind';
import { stft } from './spectral';

const SAME_SHAPE = new Set([
  'contiguous', 'detach', 'clone', 'cpu', 'cuda', 'numpy', 'detach_', 'relu', 'tanh', 'sigmoid', 'exp', 'log', 'abs', 'neg', 'sqrt', 'pow',
  'softmax', 'log_softmax', 'masked_fill', 'masked_fill_', 'clamp', 'clamp_', 'requires_grad_', 'zero_', 'fill_',
  'add_', 'mul_', 'sub_', 'div_', 'pin_memory', 'share_memory_', 'normal_', 'uniform_', 'retain_grad', 'round', 'floor', 'ceil', 'sign',
  'cumsum', 'cumprod', 'log1p', 'expm1', 'square', 'rsqrt', 'reciprocal', 'sin', 'cos', 'erf', 'log2', 'log10', 'gelu', 'silu', 'softplus',
  'nan_to_num', 'masked_scatter', 'index_fill', 'scatter', 'scatter_', 'flip', 'roll',
  // NumPy's array.copy() (a tensor has no copy(): arrays share this model).
  'copy',
]);

/**
 * Of those, the ones whose every step holds what that step held: a copy, a move, or an element-wise function of the
 * tensor alone (a bidirectional output's last step keeps its reverse half after one step; see SL152).
 */
const STEPWISE = new Set([
  'contiguous', 'detach', 'clone', 'cpu', 'cuda', 'detach_', 'relu', 'tanh', 'sigmoid', 'requires_grad_', 'pin_memory', 'share_memory_',
  'retain_grad', 'gelu', 'silu',
]);

/** Methods that broadcast the tensor against their first argument. */
/**
 * Element-wise functions of two operands, by the operator whose dtype promotion they follow ('/' for those that give a
 * float whatever they are given: float_power, atan2, hypot…); as methods and as torch functions.
 */
export const BINARY: Record<string, string> = { add: '+', sub: '-', subtract: '-', mul: '*', multiply: '*', div: '/', divide: '/', true_divide: '/', pow: '**', float_power: '/', remainder: '%', fmod: '%', floor_divide: '//', maximum: 'max', minimum: 'min', fmax: 'max', fmin: 'min', atan2: '/', arctan2: '/', hypot: '/', logaddexp: '/', logaddexp2: '/', copysign: '/' };

const NEW_FACTORIES: Record<string, string> = { new_zeros: 'zeros', new_ones: 'ones', new_empty: 'empty', new_full: 'full', new_tensor: 'tensor' };

/** The legacy tensor types `.type()` takes (`torch.LongTensor`, `'torch.cuda.FloatTensor'`) and their dtypes. */
// uint8 is no int64: PyTorch indexes with a uint8 tensor as a mask, so it is left unknown rather than called 'long'.
const LEGACY_TYPES: Record<string, DType> = {
  LongTensor: 'long', IntTensor: 'long', ShortTensor: 'long', ByteTensor: 'unknown', CharTensor: 'long',
  FloatTensor: 'float', DoubleTensor: 'float', HalfTensor: 'float', BFloat16Tensor: 'float', BoolTensor: 'bool',
};

/** Python's scalar types as `.to()` reads them: `bool`, `int` and `float` are torch.bool, torch.int64, torch.float64. */
const PYTHON_TYPES: Record<string, DType> = { 'builtins.bool': 'bool', 'builtins.int': 'long', 'builtins.float': 'float' };

/**
 * The dtype after `.to(...)` / `.type(...)`: a dtype argument (for `.to` also Python's bool, int or float; `.type(bool)`
 * raises), a legacy tensor type (class or string), or another tensor's (`.to(other)`); `.to(device)` keeps the dtype;
 * a `.type(...)` argument not understood gives unknown.
 */
function conversionDtype(t: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>): DType {
  const given = [...args, kwargs.get('dtype')];
  for (const a of given) {
    if (a?.kind === 'dtype') return a.dtype;
    if (name === 'to' && a?.kind === 'module' && Object.hasOwn(PYTHON_TYPES, a.path)) return PYTHON_TYPES[a.path];
    const path = a?.kind === 'module' ? a.path : a?.kind === 'str' ? a.value : undefined;
    const legacy = path?.match(/^torch\.(?:cuda\.)?(\w+Tensor)$/)?.[1];
    if (legacy) return Object.hasOwn(LEGACY_TYPES, legacy) ? LEGACY_TYPES[legacy] : 'unknown';
    if (name === 'to' && a?.kind === 'tensor') return a.dtype;
  }
  return name === 'type' && args.length + kwargs.size > 0 ? 'unknown' : t.dtype;
}

/** Shape-keeping methods that also keep every value (a copy, a move, a reordering): their bounds stay. */
const VALUE_KEEPING = new Set(['contiguous', 'copy', 'detach', 'clone', 'cpu', 'cuda', 'numpy', 'detach_', 'requires_grad_', 'pin_memory', 'share_memory_', 'retain_grad', 'flip', 'roll']);

/**
 * The value bounds of a shape-keeping method's result: kept when it keeps the values, widened by the fill
 * of `masked_fill` (a 0/1 mask filled with -inf is no longer 0/1), unknown for anything that computes.
 */
function valueBounds(t: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>): Bounds {
  if (VALUE_KEEPING.has(name)) return { minValue: t.minValue, maxValue: t.maxValue, minBoundOnly: t.minBoundOnly, maxBoundOnly: t.maxBoundOnly };
  // -x: the largest value becomes the smallest.
  if (name === 'neg' && t.dtype !== 'bool') return { minValue: t.maxValue === undefined ? undefined : -t.maxValue, maxValue: t.minValue === undefined ? undefined : -t.minValue, minBoundOnly: t.maxBoundOnly, maxBoundOnly: t.minBoundOnly };
  if (name === 'masked_fill' || name === 'masked_fill_') {
    const fill = args[1] ?? kwargs.get('value');
    const v = fill?.kind === 'int' || fill?.kind === 'float' ? fill.value : undefined;
    // Bounds reached only by some parts (the padding of pad_sequence) may be exactly what the mask fills over.
    if (v === undefined || Number.isNaN(v) || t.minValue === undefined || t.maxValue === undefined || t.mixedBounds) return { minValue: undefined, maxValue: undefined };
    // The fill is there only where the mask holds.
    return { minValue: Math.min(t.minValue, v), maxValue: Math.max(t.maxValue, v), minBoundOnly: v < t.minValue || t.minBoundOnly, maxBoundOnly: v > t.maxValue || t.maxBoundOnly };
  }
  return { minValue: undefined, maxValue: undefined };
}

/**
 * The shape of `x.masked_fill(mask, value)`: out of place, x and the mask broadcast to one shape (a mask of more axes
 * gives more), so a mask the analysis cannot follow may add leading axes. `masked_fill_` writes into x and keeps its
 * shape (PyTorch raises when the mask does not expand to it).
 */
function maskedFillShape(t: TensorValue, mask: Value | undefined, origin: Origin): Shape {
  if (mask?.kind === 'tensor') return broadcast(t, mask, origin).shape;
  return mask ? withNonTensorOperand(t.shape, mask) : t.shape;
}

const CASTS: Record<string, DType> = { float: 'float', double: 'float', half: 'float', bfloat16: 'float', long: 'long', int: 'long', short: 'long', byte: 'unknown', bool: 'bool' };

/** t's values in another shape (or dtype): a fresh tensor that keeps only t's value bounds. */
export function tensor(t: TensorValue, shape: Shape, origin: Origin, dtype: DType = t.dtype): TensorValue {
  // A bool tensor cast to a number holds 0 and 1: a 0/1 mask stays recognisable.
  const fromBool = t.dtype === 'bool' && dtype !== 'bool' && dtype !== 'unknown';
  const keep = dtype === t.dtype;
  const result: TensorValue = { kind: 'tensor', shape, dtype, origin, minValue: keep ? t.minValue : fromBool ? 0 : undefined, maxValue: keep ? t.maxValue : fromBool ? 1 : undefined };
  if (keep && t.mixedBounds) result.mixedBounds = true;
  if (keep && t.minBoundOnly) result.minBoundOnly = true;
  if (keep && t.maxBoundOnly) result.maxBoundOnly = true;
  return result;
}

export function numpyDtype(v: Value | undefined): DType {
  if (v?.kind === 'dtype') return v.dtype;
  const name = v?.kind === 'module' ? v.path.split('.').pop()! : v?.kind === 'str' ? v.value : v?.kind === 'qualname' ? v.name.split('.').pop()! : '';
  if (/^(float(16|32|64)?|double|half|single)$/.test(name)) return 'float';
  if (/^int(8|16|32|64)?$|^uint(16|32|64)$|^long$/.test(name)) return 'long';
  return name === 'bool' || name === 'bool_' ? 'bool' : 'unknown';
}

function axisArg(v: Value | undefined): number | undefined {
  return intValue(v);
}

/**
 * When a view's -1 takes in the num_layers × directions axis (> 1) of a recurrent state, as h_n.view(-1, hidden) does
 * on a 2-layer h_n: how, for messages about where the size meets another (2 × batch rows against batch targets).
 */
function foldedLayers(t: TensorValue, dims: Dim[], size: number, origin: Origin): string | undefined {
  const layers = t.shape.dims.find((d) => d.kind === 'int' && d.stateLayers && d.value > 1);
  if (!layers || layers.kind !== 'int' || size % layers.value !== 0 || dims.some((d) => d.kind === 'int' && d.stateLayers)) return undefined;
  return `${origin.text} (line ${origin.range.start.line + 1}) folds the num_layers × directions axis of a recurrent state into ${size} = ${layers.value} × ${size / layers.value}: each sample appears ${layers.value} times, once per layer and direction; take the last layer's state (h_n[-1]) instead`;
}

/**
 * The input axes a view's -1 merges, when the sizes around the -1 are the input's own leading and trailing sizes, or
 * products of consecutive ones ((B, T, C, F).reshape(-1, T, C * F)). An axis that merges the batch with others
 * (batch × seq rows), or is the batch alone, holds separate samples, so it is a batch axis.
 */
function mergedAxes(given: Dim[], dims: Dim[], minus: number): Dim[] | undefined {
  // A size merged earlier counts as the sizes it merged: the rows stay in that order, and the view may take some of
  // them apart ((r·n, T, H) tiled by a repeat, viewed (r, -1, H), merges n and T).
  const input = unmergedDims(given);
  const lead = groupedAxes(input, dims.slice(0, minus));
  const trail = groupedAxes([...input].reverse(), dims.slice(minus + 1).reverse());
  if (lead === undefined || trail === undefined || lead + trail >= input.length) return undefined;
  return input.slice(lead, input.length - trail);
}

/**
 * How many of the input's axes, from its start, the sizes `sizes` take in order when each size is either the next
 * axis's own or the product of the next few known ones (a view keeps (B, T, C, F) -> (B*…, T, C * F) grouped so):
 * undefined when the sizes do not group the axes that way.
 */
function groupedAxes(input: Dim[], sizes: Dim[]): number | undefined {
  let at = 0;
  for (const size of sizes) {
    if (at < input.length && sameDim(size, input[at])) {
      at++;
      continue;
    }
    if (size.kind !== 'int' || size.value < 1) return undefined;
    let product = 1;
    let end = at;
    while (end < input.length && product < size.value) {
      const d = input[end];
      if (d.kind !== 'int' || d.value < 1) return undefined;
      product *= d.value;
      end++;
    }
    if (product !== size.value || end - at < 2) return undefined;
    at = end;
  }
  return at;
}

/**
 * The -1 of a view over one symbolic axis S and known ones, the other sizes known: S times what the known sizes leave
 * (`x.view(-1, 3, 64, 64)` of (B, 32, 3, 64, 64) is (B*32, 3, 64, 64)), when they leave a whole number whatever S is.
 * A DataLoader's batch (its last batch smaller) stays that: every batch gives its rows, the last one its own.
 */
function symbolTimesLeftover(t: TensorValue, others: Dim[]): Dim | undefined {
  if (!t.shape.rankKnown || !others.every((d) => d.kind === 'int' && d.value > 0)) return undefined;
  const symbols = t.shape.dims.filter((d) => d.kind !== 'int');
  if (symbols.length !== 1 || symbols[0].kind !== 'sym') return undefined;
  // A symbol that is itself a multiple of another counts as that one times its factor.
  const s = symbols[0].scaled?.base.kind === 'sym' ? symbols[0].scaled.base : symbols[0];
  const by = s === symbols[0] ? 1 : symbols[0].scaled!.by;
  const known = by * knownProduct(t.shape.dims);
  const rest = knownProduct(others);
  if (!Number.isSafeInteger(known) || known % rest !== 0) return undefined;
  const k = known / rest;
  if (k === 1) return s;
  const last = s.lastBatch;
  return symDim(`${s.name}*${k}`, { scaled: { base: s, by: k }, ...(last ? { lastBatch: { ...last, size: last.size * k, last: last.last * k, per: (last.per ?? 1) * k } } : {}) });
}

/**
 * The -1 of a view whose other sizes name the input's symbols (its batch read with size(0)) and known numbers: the
 * known count left (`x.reshape(batch, -1, time)` of (B, 62, 40, T) with `batch, elec, n_freq, time = x.shape`: 2480).
 */
function symbolsCancelled(t: TensorValue, others: Dim[], origin: Origin): Dim {
  if (!t.shape.rankKnown) return UNKNOWN_DIM;
  const n = cancelledLeftover(t.shape.dims, others);
  return n === undefined ? UNKNOWN_DIM : intDim(n, { origin });
}

/**
 * A view's -1 over an input that holds a count the data decides (`x[mask].reshape(B, -1, C)`), every other size of the
 * input and of the view a known number or a symbol: the -1 is one number, the input's count over the other sizes'
 * product, fixed by this evaluation. It gets a count of its own (dataCountDim), so that what reads it later (`B, N, C =
 * x.shape`) shares it. A size not known on either side leaves it unknown.
 */
function leftoverOfDataCount(t: TensorValue, others: Dim[]): boolean {
  if (!t.shape.rankKnown || !t.shape.dims.some((d) => d.kind === 'sym' && d.dataCount)) return false;
  return t.shape.dims.every((d) => d.kind !== 'unknown') && others.every((d) => d.kind === 'sym' || (d.kind === 'int' && d.value > 0));
}

/** view/reshape with at most one -1. */
export function reshape(t: TensorValue, dims: Dim[], origin: Origin): TensorValue {
  const minus = dims.findIndex((d) => d.kind === 'int' && d.value === -1);
  if (minus === -1) return tensor(t, shapeOf(dims), origin);
  const out = [...dims];
  const total = t.shape.rankKnown ? exactProduct(t.shape.dims) : undefined;
  const others = dims.filter((_, i) => i !== minus);
  if (total !== undefined && others.every((d) => d.kind === 'int')) {
    const rest = knownProduct(others);
    const folds = rest > 0 && total % rest === 0 ? foldedLayers(t, dims, total / rest, origin) : undefined;
    const merged = folds ? undefined : mergedAxes(t.shape.dims, dims, minus);
    const role = merged?.some((d) => d.role === 'batch') ? 'batch' : undefined;
    // The sizes are kept when the batch is among them, or when the input holds axes merged earlier (a view's, a
    // repeat's): a later view then splits them in their memory order.
    const keep = (role !== undefined || t.shape.dims.some(isMerged)) && merged && merged.length >= 2 && merged.length <= 8;
    out[minus] = rest > 0 && total % rest === 0 ? intDim(total / rest, { origin, folds, role, merged: keep ? merged : undefined }) : UNKNOWN_DIM;
  } else if (t.shape.rankKnown && others.length === t.shape.dims.length - 1) {
    // x.view(B, -1) style where the known dims match the input's: the -1 is what is left over.
    const unmatched = t.shape.dims.filter((d) => !others.some((o) => sameDim(o, d)));
    out[minus] = unmatched.length === 1 ? unmatched[0] : symbolTimesLeftover(t, others) ?? UNKNOWN_DIM;
  } else {
    out[minus] = symbolTimesLeftover(t, others) ?? symbolsCancelled(t, others, origin);
  }
  if (out[minus].kind === 'unknown' && leftoverOfDataCount(t, others)) out[minus] = dataCountDim(origin);
  return tensor(t, shapeOf(out), origin);
}

/** `.T`, and NumPy's `transpose()` without an order: every axis in reverse order. */
function reversedAxes(t: TensorValue, origin: Origin): TensorValue {
  if (!t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
  return permute(t, t.shape.dims.map((_, i) => t.shape.dims.length - 1 - i), origin);
}

export function permute(t: TensorValue, order: (number | undefined)[], origin: Origin): TensorValue {
  // permute names every axis once: the result has as many axes as the order, whatever else is unknown.
  // So an input of unknown rank has exactly order.length axes, its known trailing ones at the end.
  const rank = order.length;
  if (t.shape.rankKnown ? rank !== t.shape.dims.length : rank === 0 || t.shape.dims.length > rank) return tensor(t, UNKNOWN_SHAPE, origin);
  if (!t.shape.rankKnown) t = { ...t, shape: shapeOf([...Array<Dim>(rank - t.shape.dims.length).fill(UNKNOWN_DIM), ...t.shape.dims]) };
  const axes = order.map((a) => (a === undefined ? undefined : normaliseAxis(a, rank)));
  if (axes.some((a) => a === undefined)) return tensor(t, UNKNOWN_SHAPE, origin);
  const result = tensor(t, shapeOf(axes.map((a) => t.shape.dims[a!])), origin);
  const strides = stridesOf(t);
  if (strides && new Set(axes).size === rank) result.strides = axes.map((a) => strides[a!]);
  if (new Set(axes).size === rank) moveNormalised(result, t, (a) => axes.indexOf(a));
  return result;
}

export function transpose(t: TensorValue, a: number | undefined, b: number | undefined, origin: Origin): TensorValue {
  const shape = t.shape;
  // Axes not known: two axes swap places, whichever they are, so the rank stays and every size is unknown.
  if (a === undefined || b === undefined) return tensor(t, shape.rankKnown ? shapeOf(shape.dims.map(() => UNKNOWN_DIM)) : UNKNOWN_SHAPE, origin);
  if (!shape.rankKnown) {
    // Negative axes on a partly known shape: only swapping trailing dims is safe.
    if (a < 0 && b < 0 && -a <= shape.dims.length && -b <= shape.dims.length) {
      const dims = [...shape.dims];
      const i = dims.length + a;
      const j = dims.length + b;
      [dims[i], dims[j]] = [dims[j], dims[i]];
      return tensor(t, { dims, rankKnown: false }, origin);
    }
    return tensor(t, UNKNOWN_SHAPE, origin);
  }
  const rank = shape.dims.length;
  const i = normaliseAxis(a, rank);
  const j = normaliseAxis(b, rank);
  if (i === undefined || j === undefined) return tensor(t, UNKNOWN_SHAPE, origin);
  const dims = [...shape.dims];
  [dims[i], dims[j]] = [dims[j], dims[i]];
  const result = tensor(t, shapeOf(dims), origin);
  const strides = stridesOf(t);
  if (strides) {
    result.strides = [...strides];
    [result.strides[i], result.strides[j]] = [result.strides[j], result.strides[i]];
  }
  moveNormalised(result, t, (a) => (a === i ? j : a === j ? i : a));
  return result;
}

/** `x.narrow(dim, start, length)`: a view with `length` entries along `dim`, the same strides. */
export function narrow(t: TensorValue, axis: number | undefined, length: Value | undefined, origin: Origin): TensorValue {
  if (axis === undefined || !t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
  const i = normaliseAxis(axis, t.shape.dims.length);
  const n = intValue(length);
  if (i === undefined) return tensor(t, UNKNOWN_SHAPE, origin);
  const dims = [...t.shape.dims];
  dims[i] = n !== undefined && n >= 0 ? intDim(n, { origin }) : UNKNOWN_DIM;
  const result = tensor(t, shapeOf(dims), origin);
  const strides = stridesOf(t);
  if (strides && stridesOf({ ...result, strides })) result.strides = strides;
  return result;
}

export function unsqueeze(t: TensorValue, axis: number | undefined, origin: Origin): TensorValue {
  if (axis === undefined || !t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
  const rank = t.shape.dims.length + 1;
  const i = normaliseAxis(axis, rank);
  if (i === undefined) return tensor(t, UNKNOWN_SHAPE, origin);
  const dims = [...t.shape.dims];
  dims.splice(i, 0, intDim(1, { origin }));
  const result = tensor(t, shapeOf(dims), origin);
  moveNormalised(result, t, (a) => (a >= i ? a + 1 : a));
  return result;
}

export function squeeze(t: TensorValue, axis: number | undefined, hasAxis: boolean, origin: Origin): TensorValue {
  if (!t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
  const dims = t.shape.dims;
  const isOne = (d: Dim) => d.kind === 'int' && d.value === 1;
  // Each kept axis moves down by the 1s squeezed before it; a squeezed axis is gone.
  const squeezed = (result: TensorValue, gone: (k: number) => boolean): TensorValue => {
    moveNormalised(result, t, (a) => (gone(a) ? undefined : a - dims.slice(0, a).filter((_, k) => gone(k)).length));
    return result;
  };
  // A size not known but certainly not 1 (neverOne) is kept, as a known size other than 1 is.
  if (!hasAxis) {
    if (dims.some((d) => d.kind !== 'int' && !neverOne(d))) return tensor(t, UNKNOWN_SHAPE, origin);
    return squeezed(tensor(t, shapeOf(dims.filter((d) => !isOne(d))), origin), (k) => isOne(dims[k]));
  }
  if (axis === undefined) {
    // An axis not known: squeezing keeps the rank when no axis can be a 1, and drops one when every axis is a 1.
    if (dims.every(neverOne)) return tensor(t, t.shape, origin);
    if (dims.every((d) => d.kind === 'int' && d.value === 1)) return tensor(t, shapeOf(dims.slice(1)), origin);
    return tensor(t, UNKNOWN_SHAPE, origin);
  }
  const i = normaliseAxis(axis, dims.length);
  if (i === undefined) return tensor(t, UNKNOWN_SHAPE, origin);
  const d = dims[i];
  if (d.kind === 'int' && d.value === 1) return squeezed(tensor(t, shapeOf(dims.filter((_, k) => k !== i)), origin), (k) => k === i);
  if (neverOne(d)) return squeezed(tensor(t, t.shape, origin), () => false);
  return tensor(t, UNKNOWN_SHAPE, origin);
}

/**
 * torch.diag(t, diagonal=0) (PyTorch 1.13): a 1-D tensor of n becomes the (n + |k|, n + |k|) matrix with it on the k-th
 * diagonal; a 2-D (a, b) one gives its k-th diagonal, of min(a, b − k) items (k ≥ 0) or min(a + k, b) (k < 0), or PyTorch
 * raises when that is below 0. Any other rank raises. An offset not known leaves the sizes unknown, never the rank.
 */
export function diag(t: TensorValue, offset: Value | undefined, origin: Origin): TensorValue {
  // The matrix holds zeros besides t's values, the diagonal only some of them: no bounds are carried.
  const result = (shape: Shape): TensorValue => ({ kind: 'tensor', shape, dtype: t.dtype, origin });
  const dims = t.shape.dims;
  if (!t.shape.rankKnown || (dims.length !== 1 && dims.length !== 2)) return result(UNKNOWN_SHAPE);
  const k = offset === undefined || offset.kind === 'none' ? 0 : intValue(offset);
  if (dims.length === 1) {
    const n = dims[0];
    const side = k === 0 ? n : k !== undefined && n.kind === 'int' ? intDim(n.value + Math.abs(k), { origin }) : UNKNOWN_DIM;
    return result(shapeOf([side, side]));
  }
  const [a, b] = dims;
  let length: Dim = UNKNOWN_DIM;
  if (k !== undefined && a.kind === 'int' && b.kind === 'int') {
    const n = k >= 0 ? Math.min(a.value, b.value - k) : Math.min(a.value + k, b.value);
    if (n < 0) return result(UNKNOWN_SHAPE);
    length = intDim(n, { origin });
  }
  return result(shapeOf([length]));
}

export function flatten(t: TensorValue, start: number, end: number, origin: Origin): TensorValue {
  if (!t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
  const rank = t.shape.dims.length;
  if (rank === 0) return tensor(t, shapeOf([intDim(1, { origin })]), origin);
  const s = normaliseAxis(start, rank);
  const e = normaliseAxis(end, rank);
  if (s === undefined || e === undefined || e < s) return tensor(t, UNKNOWN_SHAPE, origin);
  const merged = t.shape.dims.slice(s, e + 1);
  const product = merged.length === 1 ? merged[0] : merged.every((d) => d.kind === 'int') ? intDim(knownProduct(merged), { origin }) : UNKNOWN_DIM;
  return tensor(t, shapeOf([...t.shape.dims.slice(0, s), product, ...t.shape.dims.slice(e + 1)]), origin);
}

/** The whole reductions of a tensor whose contents are written in the code, and the one value each gives. */
const LITERAL_TOTALS: Record<string, (values: number[]) => number> = {
  max: (v) => Math.max(...v),
  amax: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  amin: (v) => Math.min(...v),
  sum: (v) => v.reduce((a, b) => a + b, 0),
};

/**
 * `lengths.max()` of lengths written in the code (`torch.LongTensor([25, 23, 4])`): the 0-D result holds that one value,
 * which `.item()` and `int()` then give (`max_len = lengths.max().item()` sizes the padded batch).
 */
function withLiteralTotal(result: TensorValue, t: TensorValue, name: string): TensorValue {
  const total = Object.hasOwn(LITERAL_TOTALS, name) ? LITERAL_TOTALS[name] : undefined;
  if (!total || !t.literal || t.literal.length === 0 || !t.literal.every(Number.isFinite) || !t.shape.rankKnown || t.shape.dims.length !== 1) return result;
  const value = total(t.literal);
  if (!Number.isSafeInteger(value) && t.dtype === 'long') return result;
  result.literal = [value];
  result.minValue = value;
  result.maxValue = value;
  delete result.minBoundOnly;
  delete result.maxBoundOnly;
  delete result.mixedBounds;
  return result;
}

/**
 * mean/sum/max/… over `dim` (with keepdim; undefined when not known). max/min with a dim return (values, indices).
 * Without a dim every axis goes, or (keepdim) becomes a 1.
 */
export function reduce(t: TensorValue, name: string, dimArg: Value | undefined, keepdim: boolean | undefined, origin: Origin): Value {
  const withIndices = name === 'max' || name === 'min' || name === 'median' || name === 'nanmedian' || name === 'mode' || name === 'topk';
  const dtype: DType = name.startsWith('arg') ? 'long' : t.dtype;
  if (dimArg === undefined || dimArg.kind === 'none') {
    if (keepdim === false) return withLiteralTotal(tensor(t, shapeOf([]), origin, dtype), t, name);
    return tensor(t, keepdim && t.shape.rankKnown ? shapeOf(t.shape.dims.map(() => intDim(1, { origin }))) : UNKNOWN_SHAPE, origin, dtype);
  }
  const axes = dimArg.kind === 'tuple' || dimArg.kind === 'list' ? (dimArg.element ? [undefined] : dimArg.items.map(intValue)) : [intValue(dimArg)];
  let shape: Shape = UNKNOWN_SHAPE;
  if (keepdim === undefined) {
    // One of two ranks: the axes stay as 1s or go.
  } else if (axes.every((a) => a !== undefined)) {
    if (t.shape.rankKnown) {
      const rank = t.shape.dims.length;
      const normalised = axes.map((a) => normaliseAxis(a!, rank));
      if (normalised.every((a) => a !== undefined)) {
        shape = shapeOf(keepdim ? t.shape.dims.map((d, i) => (normalised.includes(i) ? intDim(1, { origin }) : d)) : t.shape.dims.filter((_, i) => !normalised.includes(i)));
      }
    } else if (!keepdim && axes.every((a) => a! < 0 && -a! <= t.shape.dims.length)) {
      const n = t.shape.dims.length;
      shape = { dims: t.shape.dims.filter((_, i) => !axes.includes(i - n)), rankKnown: false };
    }
  }
  const values = tensor(t, shape, origin, dtype);
  // argmax's values and max's indices are positions along the one axis reduced: 0 to size - 1 (ids picked from a
  // generator's scores are bounded by its vocabulary), in place of the tensor's own bounds.
  const positions = axes.length === 1 ? positionsAlong(t, axes[0]) : {};
  if (name.startsWith('arg')) Object.assign(values, positions);
  if (withIndices) return { kind: 'tuple', items: [values, Object.assign(tensor(t, shape, origin, 'long'), positions)] };
  return values;
}

/**
 * x.repeat(r0, …, rk): the shape, padded with leading 1s to k+1 axes, times the repeats. An axis of size n tiled r times
 * holds r copies of its n entries one after another: it is (r, n) in memory order (DimInfo.merged), as a view of a
 * (r, n, …) tensor would merge them. Tiling the batch, its rows are (r, batch): the axis keeps the batch role.
 */
function repeatDims(dims: Dim[], repeats: Dim[], origin: Origin): Dim[] {
  const padded = [...Array.from({ length: repeats.length - dims.length }, () => intDim(1)), ...dims];
  return padded.map((d, i) => {
    const r = repeats[i];
    if (r.kind === 'int' && r.value === 1) return d;
    if (d.kind === 'int' && d.value === 1) return r;
    if (d.kind === 'int' && r.kind === 'int') {
      const merged = r.value > 1 ? [r, ...unmergedDims([d])] : undefined;
      const role = d.role === 'batch' ? { role: 'batch' as const } : {};
      return intDim(d.value * r.value, { origin, ...(merged && merged.length <= 8 ? { ...role, merged, tiled: true as const } : {}) });
    }
    return UNKNOWN_DIM;
  });
}

/** Methods that take some of a tensor's elements: mixed bounds (ops/torch-functions.ts) say nothing of the part taken. */
const PART_TAKING = new Set(['narrow', 'index_select', 'gather', 'select', 'masked_select', 'take', 'max', 'min', 'amax', 'amin', 'median', 'topk', 'kthvalue', 'mode']);

/**
 * `t.item()` and `t.tolist()` of an integer or floating-point tensor: a Python int or float of unknown value, or (tolist
 * of a tensor of known rank) nested lists of them, one level per axis, as long as the axis. Bools are not tracked.
 */
function pythonNumbers(t: TensorValue, name: string): Value {
  if (t.dtype !== 'long' && t.dtype !== 'float') return UNKNOWN;
  if (name === 'item') {
    const one = literalItem(t);
    if (one !== undefined) return t.dtype === 'long' ? { kind: 'int', value: one } : { kind: 'float', value: one };
  }
  const number: Value = t.dtype === 'long' ? { kind: 'symint', dim: UNKNOWN_DIM } : { kind: 'float' };
  if (name === 'item') return number;
  if (!t.shape.rankKnown) return UNKNOWN;
  return t.shape.dims.reduceRight((element: Value, d) => summary('list', d.kind === 'int' ? d.value : undefined, element), number);
}

/** The one value of a 0-D tensor whose content is known (see withLiteralTotal), else undefined. */
export function literalItem(t: TensorValue): number | undefined {
  if (!t.literal || t.literal.length !== 1 || !t.shape.rankKnown || t.shape.dims.length !== 0) return undefined;
  const value = t.literal[0];
  return t.dtype === 'long' ? (Number.isSafeInteger(value) ? value : undefined) : t.dtype === 'float' && Number.isFinite(value) ? value : undefined;
}

/** NumPy's names for an axis and for keeping it (`x.mean(axis=0)`, `keepdims=True`), which PyTorch also takes. */
export function withTorchAxisNames(kwargs: Map<string, Value>): Map<string, Value> {
  if (!kwargs.has('axis') && !kwargs.has('keepdims')) return kwargs;
  const renamed = new Map(kwargs);
  for (const [from, to] of [['axis', 'dim'], ['keepdims', 'keepdim']]) {
    if (renamed.has(from) && !renamed.has(to)) renamed.set(to, renamed.get(from)!);
  }
  return renamed;
}

export function tensorMethod(t: TensorValue, name: string, args: Value[], rawKwargs: Map<string, Value>, origin: Origin): Value {
  const kwargs = withTorchAxisNames(rawKwargs);
  const computed = methodResult(t, name, args, kwargs, origin);
  regroupMethod(t, name, args, computed, origin.range);
  kindAfterOp(computed, t, name, origin);
  if (!t.mixedBounds || !PART_TAKING.has(name)) return computed;
  const unbounded = (v: Value): Value => (v.kind === 'tensor' ? { ...v, minValue: undefined, maxValue: undefined, mixedBounds: undefined } : v);
  return computed.kind === 'tuple' ? { ...computed, items: computed.items.map(unbounded) } : unbounded(computed);
}

/**
 * `x.lerp(end, weight)`, `x.addcmul(t1, t2)`, `x.addcdiv(t1, t2)`: the tensor and both operands broadcast together, so
 * the result may be larger than x (`randn(3).lerp(randn(2, 3), 0.5)` is (2, 3)). Their in-place forms keep x's shape.
 */
const BLENDS: Record<string, [string, string]> = { lerp: ['end', 'weight'], addcmul: ['tensor1', 'tensor2'], addcdiv: ['tensor1', 'tensor2'] };

/**
 * What a view or reshape makes of a recurrent output's steps and features (see TensorValue.stepFeatures): the 3-D
 * output viewed as (rows, features) with its features of more than one kept last is `rows`; such rows viewed again as
 * two axes whose second is a whole number of rows of features, more than one, is `columns`.
 */
function stepFeaturesOfView(t: TensorValue, result: TensorValue): TensorValue['stepFeatures'] {
  if (!t.shape.rankKnown || !result.shape.rankKnown || result.shape.dims.length !== 2) return undefined;
  const [, second] = result.shape.dims;
  if (second.kind !== 'int') return undefined;
  const dims = t.shape.dims;
  const last = dims[dims.length - 1];
  if (t.rnnOutput && dims.length === 3 && last?.kind === 'int' && last.value > 1 && second.value === last.value) {
    return { layout: 'rows', features: last.value };
  }
  const flat = t.stepFeatures;
  if (flat?.layout === 'rows' && dims.length === 2 && second.value > flat.features && second.value % flat.features === 0) {
    return { layout: 'columns', features: flat.features, steps: second.value / flat.features };
  }
  return undefined;
}

function methodResult(t: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  if (name === 'stft') return stft(t, args, kwargs, origin) ?? UNKNOWN;
  const blend = Object.prototype.hasOwnProperty.call(BLENDS, name) ? BLENDS[name] : undefined;
  if (blend) {
    const operands = [args[0] ?? kwargs.get(blend[0]), args[1] ?? kwargs.get(blend[1])].filter((v): v is Value => v !== undefined);
    return operands.reduce<TensorValue>((acc, v) => broadcast(acc, v, origin), { ...t, origin });
  }
  if (SAME_SHAPE.has(name)) {
    // tensor() gives a fresh object: completed in place rather than copied.
    const result = tensor(t, t.shape, origin);
    const bounds = valueBounds(t, name, args, kwargs);
    result.rnnOutput = t.rnnOutput;
    if (STEPWISE.has(name)) keepStepMarkers(result, t);
    if (t.stepFeatures && STEPWISE.has(name)) result.stepFeatures = t.stepFeatures;
    if (name === 'softmax') markSoftmax(result, t, args[0] ?? kwargs.get('dim'), origin);
    else carryNormalised(result, t, name);
    result.minValue = bounds.minValue;
    result.maxValue = bounds.maxValue;
    // A copy or a move holds the same contents, in the same order.
    if (VALUE_KEEPING.has(name) && name !== 'flip' && name !== 'roll') {
      if (t.literal) result.literal = t.literal;
      if (t.sortedDescending !== undefined) result.sortedDescending = t.sortedDescending;
    }
    if (bounds.minBoundOnly) result.minBoundOnly = true;
    else delete result.minBoundOnly;
    if (bounds.maxBoundOnly) result.maxBoundOnly = true;
    else delete result.maxBoundOnly;
    const strides = name === 'contiguous' || name === 'copy' ? contiguousLayout(t) : LAYOUT_KEEPING.has(name) ? stridesOf(t) : undefined;
    if (strides) result.strides = strides;
    if (name === 'masked_fill') result.shape = maskedFillShape(t, args[0] ?? kwargs.get('mask'), origin);
    return result;
  }
  if (isComparisonOrMask(name)) return comparisonOrMask(t, name, args, kwargs, origin) ?? UNKNOWN;
  if (name === 'triu' || name === 'tril' || name === 'triu_' || name === 'tril_') {
    // Zeros the other triangle: the values now include 0.
    const kept = tensor(t, t.shape, origin);
    return { ...kept, minValue: kept.minValue === undefined ? undefined : Math.min(kept.minValue, 0), maxValue: kept.maxValue === undefined ? undefined : Math.max(kept.maxValue, 0), minBoundOnly: true, maxBoundOnly: true };
  }
  if (Object.hasOwn(CASTS, name)) return tensor(t, t.shape, origin, CASTS[name]);
  if (Object.hasOwn(BINARY, name)) {
    const other = args[0] ?? kwargs.get('other');
    if (!other) return tensor(t, UNKNOWN_SHAPE, origin);
    if (name === 'pow' && other.kind !== 'tensor') return tensor(t, t.shape, origin, other.kind === 'float' ? 'float' : t.dtype);
    return broadcast(t, other, origin, BINARY[name]);
  }
  if (Object.hasOwn(NEW_FACTORIES, name)) {
    const dtype = kwargs.get('dtype') ?? { kind: 'dtype', dtype: t.dtype };
    const made = tensorFactory(NEW_FACTORIES[name], name === 'new_full' ? [args[0] ?? kwargs.get('size') ?? { kind: 'unknown' }, args[1] ?? kwargs.get('fill_value') ?? { kind: 'unknown' }] : args.length ? args : kwargs.has('size') ? [kwargs.get('size')!] : [], new Map([['dtype', dtype]]), origin);
    return made ?? tensor(t, UNKNOWN_SHAPE, origin);
  }
  switch (name) {
    case 'matmul':
      return matmul(t, args[0], origin);
    case 'bmm':
      return bmm(t, args[0], origin);
    case 'mm':
      return mm(t, args[0], origin);
    case 'dot':
    case 'vdot':
      return dot(t, args[0], origin);
    case 'addmm':
      return addmm(t, args[0] ?? kwargs.get('mat1'), args[1] ?? kwargs.get('mat2'), origin);
    case 'baddbmm':
      return baddbmm(t, args[0] ?? kwargs.get('batch1'), args[1] ?? kwargs.get('batch2'), origin);
    case 'outer':
    case 'ger':
      return outer(t, args[0], origin);
    case 'new':
      // The legacy `x.new(sizes…)` / `x.new(data)`: read like torch.Tensor(...), in x's dtype.
      return legacyConstructor(t.dtype, args, origin);
    case 'topk':
      return topk(t, args[0] ?? kwargs.get('k'), args[1] ?? kwargs.get('dim'), origin);
    case 'sort':
    case 'argsort':
      return sort(t, origin, name === 'argsort', args[0] ?? kwargs.get('dim'), args[1] ?? kwargs.get('descending'));
    case 'index_select':
      return indexSelect(t, args[0] ?? kwargs.get('dim'), args[1] ?? kwargs.get('index'), origin);
    case 'diag':
      return diag(t, args[0] ?? kwargs.get('diagonal'), origin);
    case 'gather':
      return gather(t, args[1] ?? kwargs.get('index'), origin);
    case 'multinomial':
      return multinomial(t, args[0] ?? kwargs.get('num_samples'), origin);
    case 'to':
    case 'type': {
      const moved = tensor(t, t.shape, origin, conversionDtype(t, name, args, kwargs));
      keepStepMarkers(moved, t);
      carryNormalised(moved, t, name);
      return moved;
    }
    case 'view':
    case 'reshape': {
      const dims = dimsFromSizeArgs(reshapeSizeArgs(name, args, kwargs), origin);
      if (!dims) return tensor(t, UNKNOWN_SHAPE, origin);
      const result = reshape(t, dims, origin);
      const laidOut = stepFeaturesOfView(t, result);
      if (laidOut) result.stepFeatures = laidOut;
      // A view lies over the same memory; reshape copies (to a contiguous tensor) when a view is impossible.
      const before = stridesOf(t);
      const sizes = result.shape.rankKnown ? knownSizes(result.shape.dims) : undefined;
      const old = before ? knownSizes(t.shape.dims) : undefined;
      const strides = before && sizes && old ? viewStrides(old, before, sizes) ?? (name === 'reshape' ? contiguousLayout(result) : undefined) : undefined;
      if (strides) result.strides = strides;
      return result;
    }
    case 'astype':
      // NumPy's array.astype(np.float32): the same shape in the named dtype.
      return tensor(t, t.shape, origin, numpyDtype(args[0] ?? kwargs.get('dtype')));
    case 'type_as':
      return tensor(t, t.shape, origin, args[0]?.kind === 'tensor' ? args[0].dtype : 'unknown');
    case 'view_as':
    case 'reshape_as':
    case 'expand_as':
      return args[0]?.kind === 'tensor' ? tensor(t, args[0].shape, origin) : tensor(t, UNKNOWN_SHAPE, origin);
    case 'permute': {
      const order = args.length === 1 && (args[0].kind === 'tuple' || args[0].kind === 'list') ? args[0].items : args;
      if (args.length === 1 && (args[0].kind === 'tuple' || args[0].kind === 'list') && args[0].element) return tensor(t, UNKNOWN_SHAPE, origin);
      return permute(t, order.map(axisArg), origin);
    }
    case 'transpose':
      // NumPy's transpose (arrays share this model) takes a whole order, or none to reverse the axes; PyTorch's takes
      // exactly two axes and refuses anything else.
      if (args.length !== 2 && !kwargs.size) {
        if (args.length === 0) return reversedAxes(t, origin);
        const order = args.length === 1 && (args[0].kind === 'tuple' || args[0].kind === 'list') && !args[0].element ? args[0].items : args;
        return t.shape.rankKnown && order.length === t.shape.dims.length ? permute(t, order.map(axisArg), origin) : tensor(t, UNKNOWN_SHAPE, origin);
      }
      return transpose(t, axisArg(args[0] ?? kwargs.get('dim0')), axisArg(args[1] ?? kwargs.get('dim1')), origin);
    case 'swapaxes':
    case 'swapdims':
      return transpose(t, axisArg(args[0] ?? kwargs.get('dim0')), axisArg(args[1] ?? kwargs.get('dim1')), origin);
    case 't':
      // t() swaps the two axes of a matrix, leaves 0-D and 1-D tensors as they are, and refuses more axes.
      if (!t.shape.rankKnown) return tensor(t, UNKNOWN_SHAPE, origin);
      return t.shape.dims.length === 2 ? transpose(t, 0, 1, origin) : t.shape.dims.length < 2 ? tensor(t, t.shape, origin) : tensor(t, UNKNOWN_SHAPE, origin);
    case 'T':
      return reversedAxes(t, origin);
    case 'narrow':
      return narrow(t, axisArg(args[0] ?? kwargs.get('dim')), args[2] ?? kwargs.get('length'), origin);
    case 'unsqueeze':
      return unsqueeze(t, axisArg(args[0] ?? kwargs.get('dim')), origin);
    case 'squeeze': {
      const axis = args[0] ?? kwargs.get('dim');
      return squeeze(t, axisArg(axis), axis !== undefined, origin);
    }
    case 'flatten':
      return flatten(t, axisArg(args[0] ?? kwargs.get('start_dim')) ?? 0, axisArg(args[1] ?? kwargs.get('end_dim')) ?? -1, origin);
    case 'mean':
    case 'sum':
    case 'max':
    case 'min':
    case 'amax':
    case 'amin':
    case 'argmax':
    case 'argmin':
    case 'prod':
    case 'std':
    case 'var':
    case 'logsumexp':
    case 'norm':
    case 'median':
    case 'nanmedian':
    case 'nansum':
    case 'nanmean': {
      if ((name === 'max' || name === 'min') && args[0]?.kind === 'tensor') return broadcast(t, args[0], origin, name);
      const read = reductionArgs(name, args, kwargs);
      return read ? reduce(t, name, read.dim, read.keepdim, origin) : tensor(t, UNKNOWN_SHAPE, origin, name.startsWith('arg') ? 'long' : t.dtype);
    }
    case 'size': {
      const axis = args[0] ?? kwargs.get('dim');
      if (axis === undefined) return t.shape.rankKnown ? { kind: 'size', dims: t.shape.dims, of: t } : UNKNOWN;
      const i = intValue(axis);
      if (i === undefined) return UNKNOWN;
      const dims = t.shape.dims;
      const d = i < 0 ? dims[dims.length + i] : t.shape.rankKnown ? dims[i] : undefined;
      if (!d && t.name && i >= 0) return { kind: 'symint', dim: symDim(`${t.name}.size(${i})`, { origin }) };
      if (d?.kind === 'unknown') return { kind: 'symint', dim: d, of: { tensor: t, axis: i < 0 ? dims.length + i : i } };
      return d ? valueFromDim(d) : { kind: 'symint', dim: UNKNOWN_DIM };
    }
    case 'dim':
    case 'ndimension':
      return t.shape.rankKnown ? { kind: 'int', value: t.shape.dims.length } : UNKNOWN;
    case 'numel':
    case 'nelement':
      return { kind: 'symint', dim: UNKNOWN_DIM };
    case 'item':
    case 'tolist':
      return pythonNumbers(t, name);
    case 'repeat':
    case 'expand': {
      const dims = dimsFromSizeArgs(args, origin);
      if (dims && !t.shape.rankKnown && dims.length >= t.shape.dims.length) {
        // The sizes name every axis of the result (they cannot be fewer than the input's): its rank is known.
        const offset = dims.length - t.shape.dims.length;
        const known = (i: number) => (i >= offset ? t.shape.dims[i - offset] : UNKNOWN_DIM);
        if (name === 'expand') return tensor(t, shapeOf(dims.map((d, i) => (d.kind === 'int' && d.value === -1 ? known(i) : d))), origin);
        return tensor(t, shapeOf(dims.map((d, i) => (d.kind === 'int' && d.value === 1 && i >= offset ? known(i) : UNKNOWN_DIM))), origin);
      }
      if (!dims || !t.shape.rankKnown || dims.length < t.shape.dims.length) return tensor(t, UNKNOWN_SHAPE, origin);
      if (name === 'expand') return tensor(t, shapeOf(dims.map((d, i) => (d.kind === 'int' && d.value === -1 ? t.shape.dims[i - (dims.length - t.shape.dims.length)] ?? UNKNOWN_DIM : d))), origin);
      return tensor(t, shapeOf(repeatDims(t.shape.dims, dims, origin)), origin);
    }
    case 'repeat_interleave':
      return repeatInterleave(t, args[0] ?? kwargs.get('repeats'), args[1] ?? kwargs.get('dim'), kwargs.get('output_size'), origin);
    case 'chunk':
      return chunk(t, args[0] ?? kwargs.get('chunks'), args[1] ?? kwargs.get('dim'), origin);
    case 'split':
      return split(t, args[0] ?? kwargs.get('split_size') ?? kwargs.get('split_size_or_sections'), args[1] ?? kwargs.get('dim'), origin);
    case 'unbind':
      return unbind(t, args[0] ?? kwargs.get('dim'), origin);
    default:
      return UNKNOWN;
  }
}

