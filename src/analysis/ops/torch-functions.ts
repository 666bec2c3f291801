// torch.* and torch.nn.functional.* functions that move shapes: cat, stack, reductions, activations.
import { withTorchAxisNames } from './tensor-methods';
import { comparisonOrMaskFunction, isComparisonOrMask } from './comparison';
import { Dim, Origin, UNKNOWN_DIM, intDim, sameDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, dropStepMarkers, intValue, joinedBounds, sequenceLength } from '../values/value';
import { BINARY, diag, flatten, permute, reduce, reshape, squeeze, tensorMethod, transpose, unsqueeze } from './tensor-methods';
import { pool1d, pool2d } from './pooling';
import { interpolate } from './resizing';
import { functionalUnfold } from './unfold';
import { dimsFromSizeArgs } from './dims-from-values';
import { broadcast } from './broadcast';
import { LAYOUT_KEEPING } from './layout';
import { regroupFunction } from './regrouping';
import { addmm, baddbmm, bmm, dot, linear, matmul, mm, outer } from './products';
import { gather, indexSelect, multinomial, oneHot, sort, topk } from './selection';
import { chunk, split, unbind } from './splitting';
import { einsum } from './einsum';
import { reductionArgs } from './reductions';
import { meshgrid } from './grids';
import { repeatIndices, repeatInterleave } from './repetition';
import { cosineSimilarity, pairwiseDistance } from './similarity';
import { windowOutputLength } from '../layers/torch/convolution';
import { transposedLength } from '../layers/torch/transposed-convolution';
import { carryNormalised, markSoftmax } from './normalised';
import { forgetKind, kindAfterOp } from './value-kind';
import { WINDOW_FUNCTIONS, complexView, stft, windowFunction } from './spectral';

/** torch functions that broadcast their two operands, with the operator they stand for (for dtype promotion). */

const ELEMENTWISE = new Set([
  'relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'gelu', 'elu', 'leaky_relu', 'selu', 'silu', 'softplus', 'dropout', 'exp', 'log', 'abs', 'sqrt',
  'softmax', 'log_softmax', 'layer_norm', 'normalize', 'clamp', 'hardtanh', 'mish', 'relu6', 'logsigmoid', 'tanhshrink', 'softsign', 'glu_', 'neg', 'sign', 'round', 'floor', 'ceil', 'erf', 'log2', 'log10', 'reciprocal',
  'cumsum', 'cumprod', 'log1p', 'expm1', 'square', 'rsqrt', 'sin', 'cos', 'flip', 'roll', 'dropout1d', 'alpha_dropout', 'nan_to_num', 'clone',
]);

/**
 * Of those, the ones whose every step holds a function of what that step held (a bidirectional output's last step
 * keeps its reverse half after one step; see SL152): not flip, roll, cumsum or a softmax, which move or mix the steps.
 */
const STEPWISE = new Set([
  'relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'gelu', 'elu', 'leaky_relu', 'selu', 'silu', 'softplus', 'dropout', 'layer_norm',
  'hardtanh', 'mish', 'relu6', 'logsigmoid', 'tanhshrink', 'softsign', 'dropout1d', 'alpha_dropout', 'clone',
]);


/**
 * A tensor whose rank every other input of cat must share: cat skips only 1-D tensors of size 0 (the legacy empty
 * tensor), so one of two axes or more, or of a known non-zero length, fixes the result's rank. stack needs equal shapes.
 */
function fixesRank(t: TensorValue, stack: boolean): boolean {
  if (!t.shape.rankKnown) return false;
  const dims = t.shape.dims;
  return stack || dims.length >= 2 || (dims.length === 1 && dims[0].kind === 'int' && dims[0].value > 0);
}

function concat(items: Value[], axisValue: Value | undefined, stack: boolean, origin: Origin): TensorValue {
  const tensors = items.filter((v): v is TensorValue => v.kind === 'tensor');
  const base: TensorValue = { kind: 'tensor', dtype: tensors[0]?.dtype ?? 'unknown', origin, shape: UNKNOWN_SHAPE, ...(tensors.length === items.length ? joinedBounds(tensors) : {}) };
  // An item the analysis cannot follow is a tensor of some shape, or PyTorch raises; anything else known is no tensor.
  if (tensors.length === 0 || items.some((v) => v.kind !== 'tensor' && v.kind !== 'unknown')) return base;
  const axis = intValue(axisValue) ?? 0;
  const reference = tensors.find((t) => fixesRank(t, stack));
  if (!reference) {
    // cat along the last axis of partly known shapes still tells the last dimension.
    if (!stack && axis === -1 && tensors.length === items.length && tensors.every((t) => !t.shape.rankKnown && t.shape.dims.length > 0)) {
      const lasts = tensors.map((t) => t.shape.dims[t.shape.dims.length - 1]);
      const total = lasts.every((d) => d.kind === 'int') ? intDim(lasts.reduce((s, d) => s + (d.kind === 'int' ? d.value : 0), 0), { origin }) : UNKNOWN_DIM;
      return { ...base, shape: { dims: [total], rankKnown: false } };
    }
    return base;
  }
  const rank = reference.shape.dims.length;
  // Inputs that must have the reference's rank; one of another rank makes PyTorch raise, which is for the rules to say.
  const sharing = tensors.filter((t) => fixesRank(t, stack));
  if (sharing.some((t) => t.shape.dims.length !== rank)) return base;
  const i = normaliseAxis(axis, stack ? rank + 1 : rank);
  if (i === undefined) return base;
  // Every input that is not skipped has the same size on the other axes: a known one says it.
  // (Loops rather than arrays per axis: a stacked list may hold hundreds of items.)
  const agreed = (k: number): Dim => {
    let firstInt: Dim | undefined;
    for (const t of sharing) {
      const d = t.shape.dims[k];
      if (d.kind !== 'int') continue;
      if (firstInt === undefined) firstInt = d;
      else if (!sameDim(d, firstInt)) return UNKNOWN_DIM;
    }
    if (firstInt !== undefined) return firstInt;
    const first = sharing[0].shape.dims[k];
    for (const t of sharing) if (!sameDim(t.shape.dims[k], first)) return UNKNOWN_DIM;
    return first;
  };
  if (stack) {
    const dims = reference.shape.dims.map((_, k) => agreed(k));
    dims.splice(i, 0, intDim(items.length, { origin }));
    return { ...base, shape: shapeOf(dims) };
  }
  const complete = tensors.length === items.length && tensors.every((t) => t.shape.rankKnown && t.shape.dims.length === rank);
  const along = tensors.map((t) => t.shape.dims[i]);
  const producer = along[0]?.kind === 'int' ? along[0].producer : undefined;
  const sameProducer = along.every((d) => d?.kind === 'int' && d.producer === producer);
  const total = complete && along.every((d) => d.kind === 'int')
    ? intDim(along.reduce((s, d) => s + (d.kind === 'int' ? d.value : 0), 0), { origin, role: along[0].role, producer: sameProducer ? producer : undefined })
    : UNKNOWN_DIM;
  const dims = reference.shape.dims.map((_, k) => (k === i ? total : agreed(k)));
  const shape = shapeOf(dims);
  // Parts of one known size: in memory order the result is their stack, which a later view may split the wrong way.
  const part = along[0];
  if (complete && items.length >= 2 && part?.kind === 'int' && along.every((d) => d.kind === 'int' && d.value === part.value) && total.kind === 'int') {
    const stacked = [...dims.slice(0, i), intDim(items.length, { origin }), part, ...dims.slice(i + 1)];
    return { ...base, shape, catParts: { dims: stacked, shape, axis: i, count: items.length, call: origin.range } };
  }
  return { ...base, shape };
}

/** cat/stack over a list of unknown length (a comprehension): the joined axis is unknown, the others stay. */
/**
 * cat or stack over a list known only by what its items are like (a loop's appends): the joined axis is unknown,
 * unless the list's length is known (`count`), which stack puts on its new axis and cat multiplies the axis by.
 */
function concatUnknownCount(element: Value, axisValue: Value | undefined, stack: boolean, origin: Origin, count?: number): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: element.kind === 'tensor' ? element.dtype : 'unknown', origin, shape: UNKNOWN_SHAPE, ...(element.kind === 'tensor' ? joinedBounds([element]) : {}) };
  if (element.kind !== 'tensor' || !element.shape.rankKnown) return base;
  const rank = element.shape.dims.length;
  const axis = intValue(axisValue) ?? 0;
  const i = normaliseAxis(axis, stack ? rank + 1 : rank);
  if (i === undefined) return base;
  const dims = [...element.shape.dims];
  const joined = dims[i];
  if (stack) dims.splice(i, 0, count !== undefined ? intDim(count, { origin }) : UNKNOWN_DIM);
  else dims[i] = count !== undefined && joined?.kind === 'int' && Number.isSafeInteger(count * joined.value) ? intDim(count * joined.value, { origin }) : UNKNOWN_DIM;
  return { ...base, shape: shapeOf(dims) };
}

/**
 * F.glu(x, dim=-1): the first half of `dim` gated by the second, so that axis is halved and the others stay. An odd
 * size makes PyTorch raise (as does a 0-D input), and a size not known as a number leaves that axis unknown.
 */
export function glu(t: TensorValue, dimArg: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: t.dtype, origin, shape: UNKNOWN_SHAPE };
  const axis = dimArg === undefined ? -1 : intValue(dimArg);
  if (axis === undefined || !t.shape.rankKnown) return base;
  const i = normaliseAxis(axis, t.shape.dims.length);
  if (i === undefined) return base;
  const d = t.shape.dims[i];
  if (d.kind === 'int' && d.value % 2 !== 0) return base;
  const dims = [...t.shape.dims];
  dims[i] = d.kind === 'int' ? intDim(d.value / 2, { origin }) : UNKNOWN_DIM;
  return { ...base, shape: shapeOf(dims) };
}

/**
 * F.pad(x, (l, r, t, b, …)): the pairs pad x's last axes, from the last one backwards, each growing by its two pads
 * (negative ones crop). The rank stays whatever the pads are: too many or an odd count make PyTorch raise.
 */
export function pad(t: TensorValue, padArg: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: t.dtype, origin, shape: UNKNOWN_SHAPE };
  if (!t.shape.rankKnown) return base;
  const rank = t.shape.dims.length;
  const dims = [...t.shape.dims];
  const seq = padArg?.kind === 'tuple' || padArg?.kind === 'list' ? padArg : undefined;
  const pads = seq ? (seq.element ? seq.length : seq.items.length) : undefined;
  if (pads === undefined) return { ...base, shape: shapeOf(dims.map(() => UNKNOWN_DIM)) };
  if (pads % 2 !== 0 || pads / 2 > rank) return base;
  // A summary's pads are not listed one by one: their axes are unknown.
  const items = seq!.items;
  for (let k = 0; k < pads / 2; k++) {
    const before = intValue(items[2 * k]);
    const after = intValue(items[2 * k + 1]);
    const d = dims[rank - 1 - k];
    const grown = d.kind === 'int' && before !== undefined && after !== undefined ? d.value + before + after : undefined;
    dims[rank - 1 - k] = grown !== undefined && grown >= 0 ? intDim(grown, { origin }) : before === 0 && after === 0 ? d : UNKNOWN_DIM;
  }
  return { ...base, shape: shapeOf(dims) };
}

/** An int window argument of a 1-D convolution (an int or a tuple of one), its default when not given; undefined when not known. */
function windowInt(v: Value | undefined, fallback: number): number | undefined {
  if (v === undefined || v.kind === 'none') return fallback;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.length === 1 && !v.element ? intValue(v.items[0]) : undefined;
  return intValue(v);
}

/**
 * The operands of F.conv1d or F.conv_transpose1d: the input of rank 2 or 3 and the weight's dims when it is 3-D.
 * `unknown` is the result when the input is a tensor of another or unknown rank (rank unknown), undefined when no tensor.
 */
function conv1dOperands(args: Value[], kwargs: Map<string, Value>, origin: Origin): { input: TensorValue; base: TensorValue; rank: number; w: Dim[] | undefined } | { unknown: TensorValue } | undefined {
  const input = args[0] ?? kwargs.get('input');
  if (input?.kind !== 'tensor') return undefined;
  const base: TensorValue = { kind: 'tensor', dtype: input.dtype, origin, shape: UNKNOWN_SHAPE };
  if (!input.shape.rankKnown) return { unknown: base };
  const rank = input.shape.dims.length;
  if (rank !== 2 && rank !== 3) return { unknown: base };
  const weight = args[1] ?? kwargs.get('weight');
  const w = weight?.kind === 'tensor' && weight.shape.rankKnown && weight.shape.dims.length === 3 ? weight.shape.dims : undefined;
  return { input, base, rank, w };
}

/**
 * F.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1): (N, C, L) → (N, weight.size(0), L')
 * and (C, L) → (weight.size(0), L'), L' by the window formula with the kernel weight.size(2) (padding 'same' keeps L,
 * PyTorch taking it with stride 1 only). The rank is the input's, PyTorch refusing any other than 2 or 3; a weight or a
 * window argument not known leaves those sizes unknown.
 */
export function conv1dFunction(args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const operands = conv1dOperands(args, kwargs, origin);
  if (!operands || 'unknown' in operands) return operands?.unknown;
  const { input, base, rank, w } = operands;
  const stride = windowInt(args[3] ?? kwargs.get('stride'), 1);
  const dilation = windowInt(args[5] ?? kwargs.get('dilation'), 1);
  const paddingArg = args[4] ?? kwargs.get('padding');
  const padding = paddingArg?.kind === 'str' ? (paddingArg.value === 'same' || paddingArg.value === 'valid' ? paddingArg.value : undefined) : windowInt(paddingArg, 0);
  const length = input.shape.dims[rank - 1];
  const kernel = w && w[2].kind === 'int' ? w[2].value : undefined;
  let outLength: Dim = UNKNOWN_DIM;
  if (padding === 'same') outLength = stride === 1 ? length : UNKNOWN_DIM;
  else if (length.kind === 'int' && dilation !== undefined) {
    const n = windowOutputLength(length.value, { kernel, stride, padding, dilation });
    if (n !== undefined) outLength = intDim(n, { origin, role: length.role });
  }
  const dims = rank === 3 ? [input.shape.dims[0], w ? w[0] : UNKNOWN_DIM, outLength] : [w ? w[0] : UNKNOWN_DIM, outLength];
  return { ...base, shape: shapeOf(dims) };
}

/**
 * F.conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
 * (N, C, L) → (N, weight.size(1)·groups, L′) and (C, L) → (weight.size(1)·groups, L′), L′ by the transposed window rule
 * with the kernel weight.size(2). The rank is the input's, PyTorch refusing any other than 2 or 3; a weight or a window
 * argument not known leaves those sizes unknown.
 */
export function convTranspose1dFunction(args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const operands = conv1dOperands(args, kwargs, origin);
  if (!operands || 'unknown' in operands) return operands?.unknown;
  const { input, base, rank, w } = operands;
  const [stride, padding, outputPadding, groups, dilation] = (
    [['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['dilation', 1]] as const
  ).map(([name, fallback], i) => windowInt(args[3 + i] ?? kwargs.get(name), fallback));
  const length = input.shape.dims[rank - 1];
  const kernel = w && w[2].kind === 'int' ? w[2].value : undefined;
  const n =
    length.kind === 'int' && kernel !== undefined && stride !== undefined && padding !== undefined && outputPadding !== undefined && dilation !== undefined
      ? transposedLength(length.value, { kernel, stride, padding, outputPadding, dilation })
      : undefined;
  const outLength = n === undefined ? UNKNOWN_DIM : intDim(n, { origin, role: length.role });
  const perGroup = w?.[1];
  const channels = perGroup?.kind === 'int' && groups !== undefined && groups >= 1 ? intDim(perGroup.value * groups, { origin }) : groups === 1 && perGroup ? perGroup : UNKNOWN_DIM;
  const dims = rank === 3 ? [input.shape.dims[0], channels, outLength] : [channels, outLength];
  return { ...base, shape: shapeOf(dims) };
}

/**
 * `torch.sum(x)`, `torch.mean(x)` and the other reductions given x alone reduce every axis, and PyTorch takes only a
 * tensor there (a list, an array, a number or a tuple raises TypeError or AttributeError), so the result is 0-D
 * whatever the analysis knows of x: `torch.sum(batch_loss)` of a value read from a data loop is a 0-D tensor
 * (PyTorch 1.13, for each name below and inputs of rank 1 to 4). logsumexp needs a dim; a call with more arguments
 * depends on them (`torch.max(a, b)` broadcasts, `torch.sum(x, 1)` keeps the other axes); argmax and argmin give
 * int64, the others x's dtype, which is not known here.
 */
function wholeReductionOfAnyInput(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  if (name === 'logsumexp' || args.length !== 1 || kwargs.size > 0) return undefined;
  return { kind: 'tensor', dtype: name === 'argmax' || name === 'argmin' ? 'long' : 'unknown', origin, shape: shapeOf([]) };
}

/** `torch.<name>(...)` or `F.<name>(...)`, for functions that act on a tensor's shape. */
export function tensorFunction(name: string, args: Value[], rawKwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const kwargs = withTorchAxisNames(rawKwargs);
  const result = functionResult(name, args, kwargs, origin);
  regroupFunction(name, args, kwargs, result, origin.range);
  kindAfterOp(result, args[0] ?? kwargs.get('input'), name, origin);
  // `torch.sigmoid(x, out=o)` writes into o.
  forgetKind(kwargs.get('out'));
  return result;
}

function functionResult(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const first = args[0];
  switch (name) {
    case 'cat':
    case 'concat':
    case 'concatenate':
    case 'stack': {
      const seq = first ?? kwargs.get('tensors');
      if (seq?.kind !== 'tuple' && seq?.kind !== 'list') return { kind: 'tensor', dtype: 'unknown', origin, shape: UNKNOWN_SHAPE };
      if (seq.element) return concatUnknownCount(seq.element, args[1] ?? kwargs.get('dim'), name === 'stack', origin, sequenceLength(seq));
      return concat(seq.items, args[1] ?? kwargs.get('dim'), name === 'stack', origin);
    }
    case 'flatten':
      return first?.kind === 'tensor' ? flatten(first, intValue(args[1] ?? kwargs.get('start_dim')) ?? 0, intValue(args[2] ?? kwargs.get('end_dim')) ?? -1, origin) : undefined;
    case 'reshape': {
      const input = first ?? kwargs.get('input');
      const shape = args[1] ?? kwargs.get('shape');
      const dims = shape ? dimsFromSizeArgs([shape], origin) : undefined;
      return input?.kind === 'tensor' && dims ? reshape(input, dims, origin) : undefined;
    }
    case 'permute':
      return first?.kind === 'tensor' && (args[1]?.kind === 'tuple' || args[1]?.kind === 'list') && !args[1].element ? permute(first, args[1].items.map(intValue), origin) : undefined;
    case 'transpose':
    case 'swapaxes':
      return first?.kind === 'tensor' ? transpose(first, intValue(args[1]), intValue(args[2]), origin) : undefined;
    case 'unsqueeze':
      return first?.kind === 'tensor' ? unsqueeze(first, intValue(args[1] ?? kwargs.get('dim')), origin) : undefined;
    case 'squeeze':
      return first?.kind === 'tensor' ? squeeze(first, intValue(args[1] ?? kwargs.get('dim')), (args[1] ?? kwargs.get('dim')) !== undefined, origin) : undefined;
    case 'max':
    case 'min':
    case 'mean':
    case 'sum':
    case 'nansum':
    case 'nanmean':
    case 'prod':
    case 'amax':
    case 'amin':
    case 'argmax':
    case 'argmin':
    case 'logsumexp':
    case 'median':
    case 'nanmedian':
    case 'std':
    case 'var':
    case 'norm': {
      if ((name === 'max' || name === 'min') && first?.kind === 'tensor' && args[1]?.kind === 'tensor') return broadcast(first, args[1], origin, name);
      if (first?.kind !== 'tensor') return wholeReductionOfAnyInput(name, args, kwargs, origin);
      const read = reductionArgs(name, args.slice(1), kwargs);
      return read ? reduce(first, name, read.dim, read.keepdim, origin) : { kind: 'tensor', dtype: name.startsWith('arg') ? 'long' : first.dtype, origin, shape: UNKNOWN_SHAPE };
    }
    case 'matmul':
      return matmul(args[0], args[1], origin);
    case 'bmm':
      return bmm(args[0], args[1], origin);
    case 'mm':
      return mm(args[0], args[1], origin);
    case 'max_pool1d':
    case 'avg_pool1d':
    case 'adaptive_max_pool1d':
    case 'adaptive_avg_pool1d':
      return pool1d(name, args, kwargs, origin);
    case 'max_pool2d':
    case 'avg_pool2d':
    case 'adaptive_max_pool2d':
    case 'adaptive_avg_pool2d':
      return pool2d(name, args, kwargs, origin);
    case 'interpolate':
    case 'upsample':
      return interpolate(args, kwargs, origin);
    case 'unfold':
      return functionalUnfold(args, kwargs, origin);
    case 'dot':
    case 'vdot':
      return dot(args[0], args[1], origin);
    case 'addmm':
      return addmm(args[0] ?? kwargs.get('input'), args[1] ?? kwargs.get('mat1'), args[2] ?? kwargs.get('mat2'), origin);
    case 'baddbmm':
      return baddbmm(args[0] ?? kwargs.get('input'), args[1] ?? kwargs.get('batch1'), args[2] ?? kwargs.get('batch2'), origin);
    case 'outer':
    case 'ger':
      return outer(args[0], args[1], origin);
    case 'einsum':
      return einsum(args, origin);
    case 'pad': {
      const input = first ?? kwargs.get('input');
      return input?.kind === 'tensor' ? pad(input, args[1] ?? kwargs.get('pad'), origin) : undefined;
    }
    case 'conv1d':
      return conv1dFunction(args, kwargs, origin);
    case 'conv_transpose1d':
      return convTranspose1dFunction(args, kwargs, origin);
    case 'lerp':
    case 'addcmul':
    case 'addcdiv': {
      // torch.lerp(x, end, weight) is x.lerp(end, weight): the three broadcast together.
      const input = first ?? kwargs.get('input');
      return input?.kind === 'tensor' ? tensorMethod(input, name, args.slice(1), kwargs, origin) : undefined;
    }
    case 'glu': {
      const input = first ?? kwargs.get('input');
      return input?.kind === 'tensor' ? glu(input, args[1] ?? kwargs.get('dim'), origin) : undefined;
    }
    case 'masked_fill':
      return first?.kind === 'tensor' ? tensorMethod(first, 'masked_fill', args.slice(1), kwargs, origin) : undefined;
    case 'diag': {
      const input = first ?? kwargs.get('input');
      return input?.kind === 'tensor' ? diag(input, args[1] ?? kwargs.get('diagonal'), origin) : undefined;
    }
    case 'cosine_similarity':
      return cosineSimilarity(args[0] ?? kwargs.get('x1'), args[1] ?? kwargs.get('x2'), args[2] ?? kwargs.get('dim'), origin);
    case 'pairwise_distance':
      return pairwiseDistance(args[0] ?? kwargs.get('x1'), args[1] ?? kwargs.get('x2'), args[4] ?? kwargs.get('keepdim'), origin);
    case 'repeat_interleave': {
      const input = first ?? kwargs.get('input');
      if (input?.kind !== 'tensor') return undefined;
      // A lone tensor is the counts themselves.
      if (args.length + (kwargs.has('input') ? 1 : 0) === 1 && !kwargs.has('repeats')) return repeatIndices(input, kwargs.get('output_size'), origin);
      return repeatInterleave(input, args[1] ?? kwargs.get('repeats'), args[2] ?? kwargs.get('dim'), kwargs.get('output_size'), origin);
    }
    case 'linear':
      return linear(args[0] ?? kwargs.get('input'), args[1] ?? kwargs.get('weight'), origin);
    case 'where': {
      const [cond, a, b] = args;
      if (!cond || !a || !b) return undefined;
      const ab = a.kind === 'tensor' || b.kind === 'tensor' ? broadcast(a, b, origin, 'where') : undefined;
      return ab && cond.kind === 'tensor' ? { ...broadcast(cond, ab, origin, 'where'), dtype: ab.dtype } : undefined;
    }
    case 'topk':
      return first?.kind === 'tensor' ? topk(first, args[1] ?? kwargs.get('k'), args[2] ?? kwargs.get('dim'), origin) : undefined;
    case 'sort':
    case 'argsort':
      return first?.kind === 'tensor' ? sort(first, origin, name === 'argsort', args[1] ?? kwargs.get('dim'), args[2] ?? kwargs.get('descending')) : undefined;
    case 'index_select':
      return first?.kind === 'tensor' ? indexSelect(first, args[1] ?? kwargs.get('dim'), args[2] ?? kwargs.get('index'), origin) : undefined;
    case 'gather':
      return first?.kind === 'tensor' ? gather(first, args[2] ?? kwargs.get('index'), origin) : undefined;
    case 'multinomial':
      return first?.kind === 'tensor' ? multinomial(first, args[1] ?? kwargs.get('num_samples'), origin) : undefined;
    case 'one_hot':
      return first?.kind === 'tensor' ? oneHot(first, args[1] ?? kwargs.get('num_classes'), origin) : undefined;
    case 'chunk':
      return first?.kind === 'tensor' ? chunk(first, args[1] ?? kwargs.get('chunks'), args[2] ?? kwargs.get('dim'), origin) : undefined;
    case 'split':
      return first?.kind === 'tensor' ? split(first, args[1] ?? kwargs.get('split_size_or_sections'), args[2] ?? kwargs.get('dim'), origin) : undefined;
    case 'unbind':
      return first?.kind === 'tensor' ? unbind(first, args[1] ?? kwargs.get('dim'), origin) : undefined;
    case 'meshgrid':
      return meshgrid(args, kwargs, origin);
    case 'stft':
      return stft(first ?? kwargs.get('input'), args.slice(1), kwargs, origin);
    case 'view_as_real':
    case 'view_as_complex':
      return complexView(name, first ?? kwargs.get('input'), origin);
    default:
      if (WINDOW_FUNCTIONS.has(name)) return windowFunction(args, kwargs, origin);
      if (isComparisonOrMask(name)) return comparisonOrMaskFunction(name, args, kwargs, origin);
      if (Object.hasOwn(BINARY, name)) {
        const other = args[1] ?? kwargs.get('other');
        return first && other && (first.kind === 'tensor' || other.kind === 'tensor') ? broadcast(first, other, origin, BINARY[name]) : undefined;
      }
      if ((name === 'triu' || name === 'tril') && first?.kind === 'tensor') return tensorMethod(first, name, [], new Map(), origin);
      if (ELEMENTWISE.has(name) && first?.kind === 'tensor') {
        const result = tensorMethod(first, 'clone', [], new Map(), origin);
        if (result.kind === 'tensor' && !LAYOUT_KEEPING.has(name)) delete result.strides;
        if (result.kind === 'tensor' && !STEPWISE.has(name)) dropStepMarkers(result);
        if (result.kind === 'tensor' && name === 'softmax') markSoftmax(result, first, args[1] ?? kwargs.get('dim'), origin);
        else carryNormalised(result, first, name);
        return result;
      }
      return ELEMENTWISE.has(name) ? UNKNOWN : undefined;
  }
}
