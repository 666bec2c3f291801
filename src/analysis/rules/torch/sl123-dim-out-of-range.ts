import type { Expr, Subscript } from '../../parse/ast';
import type { Range } from '../../findings';
import { formatShape, rankOf as shapeRank, shapeOf } from '../../shapes/shape';
import { knownValue, type Dim } from '../../shapes/dim';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { codeText, relatedOrigin, shapeAndOrigin } from './describe';
import { literalInt } from '../../ops/rank-from-use';

/**
 * Where an op reads its axis arguments: positions among its arguments (after the tensor) and keyword names, and
 * whether the axis may also be one past the last (`unsqueeze` and `stack` insert one).
 */
export interface AxisArgs {
  at: number[];
  keywords: string[];
  inserts?: true;
}

const DIM0: AxisArgs = { at: [0], keywords: ['dim', 'axis'] };
const DIM1: AxisArgs = { at: [1], keywords: ['dim', 'axis'] };

/** Tensor methods by name (the receiver is the tensor). */
const METHODS: Record<string, AxisArgs> = {
  sum: DIM0, mean: DIM0, prod: DIM0, softmax: DIM0, log_softmax: DIM0, argmax: DIM0, argmin: DIM0, cumsum: DIM0,
  cumprod: DIM0, logsumexp: DIM0, squeeze: DIM0, size: DIM0, max: DIM0, min: DIM0, std: DIM0, var: DIM0, all: DIM0,
  any: DIM0, select: DIM0, index_select: DIM0, gather: DIM0, narrow: DIM0, unbind: DIM0, median: DIM0, mode: DIM0,
  sort: DIM0, amax: DIM0, amin: DIM0, nansum: DIM0, count_nonzero: DIM0,
  unsqueeze: { at: [0], keywords: ['dim'], inserts: true },
  split: DIM1, chunk: DIM1, topk: DIM1, norm: DIM1, kthvalue: DIM1,
  transpose: { at: [0, 1], keywords: ['dim0', 'dim1'] },
  swapaxes: { at: [0, 1], keywords: ['axis0', 'axis1'] },
  flatten: { at: [0, 1], keywords: ['start_dim', 'end_dim'] },
};

/** The axis arguments of a tensor method, for the property test. */
export function methodAxes(name: string): AxisArgs | undefined {
  return Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
}

/** torch and torch.nn.functional functions: the tensor is the first argument, the axis arguments follow. */
const FUNCTIONS: Record<string, AxisArgs> = {};
for (const name of ['sum', 'mean', 'prod', 'softmax', 'log_softmax', 'argmax', 'argmin', 'cumsum', 'logsumexp', 'squeeze', 'max', 'min', 'std', 'var', 'select', 'index_select', 'gather', 'narrow', 'unbind', 'sort', 'amax', 'amin', 'unsqueeze', 'split', 'chunk', 'topk', 'transpose', 'flatten']) {
  const m = METHODS[name];
  FUNCTIONS[`torch.${name}`] = { ...m, at: m.at.map((p) => p + 1) };
}
FUNCTIONS['torch.nn.functional.softmax'] = { at: [1], keywords: ['dim'] };
FUNCTIONS['torch.nn.functional.log_softmax'] = { at: [1], keywords: ['dim'] };

/** Functions whose first argument is a list of tensors of one rank: cat joins along an axis, stack inserts one. */
const SEQUENCE_FUNCTIONS: Record<string, AxisArgs> = {
  'torch.cat': { at: [1], keywords: ['dim'] },
  'torch.concat': { at: [1], keywords: ['dim'] },
  'torch.stack': { at: [1], keywords: ['dim'], inserts: true },
};

/** The axis arguments of a torch / torch.nn.functional function whose tensor is its first argument. */
export function functionAxes(qualname: string): AxisArgs | undefined {
  return Object.hasOwn(FUNCTIONS, qualname) ? FUNCTIONS[qualname] : undefined;
}

/** The value given for an op's first axis argument: at its first position, else under the first of its keywords given. */
export function axisArgument(spec: AxisArgs, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const v = args[spec.at[0]];
  if (v) return v;
  for (let i = 0; i < spec.keywords.length; i++) {
    const w = kwargs.get(spec.keywords[i]);
    if (w) return w;
  }
  return undefined;
}

/** PyTorch's range for an axis of a tensor of this rank (a 0-D tensor takes -1 and 0, as PyTorch wraps it). */
export function axisRange(rank: number, inserts = false): [number, number] {
  const n = Math.max(rank + (inserts ? 1 : 0), 1);
  return [-n, n - 1];
}

/** The first axis an argument names outside `range`: one int, or an int of a tuple/list (`sum(dim=(1, 2))`). */
function axisOutside(v: Value | undefined, range: [number, number]): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'int') return v.value < range[0] || v.value > range[1] ? v.value : undefined;
  if ((v.kind === 'tuple' || v.kind === 'list') && !v.element) {
    for (let i = 0; i < v.items.length; i++) {
      const item = v.items[i];
      if (item.kind === 'int' && (item.value < range[0] || item.value > range[1])) return item.value;
    }
  }
  return undefined;
}

/**
 * Which of the tensors joined PyTorch 1.13 wraps a join's axis against, when they differ in rank: torch.stack the
 * first; torch.cat the first that is not a legacy empty tensor of shape (0,), which it skips. Each tensor is given by
 * its sizes, or undefined where its rank is not known. Undefined where that tensor is not known: an unknown rank on
 * the way, or a 1-D tensor whose length may be 0, or none but empty ones (which PyTorch joins whatever the axis).
 */
export function joinAxisTensor(shapes: (Dim[] | undefined)[], stacks: boolean): number | undefined {
  for (let i = 0; i < shapes.length; i++) {
    const dims = shapes[i];
    if (!dims) return undefined;
    if (stacks || dims.length !== 1) return i;
    const n = knownValue(dims[0]);
    if (n === undefined) return undefined;
    if (n > 0) return i;
  }
  return undefined;
}

function rankOf(v: Value | undefined): number | undefined {
  return v?.kind === 'tensor' ? shapeRank(v.shape) : undefined;
}

/** The first axis argument outside the range, with the range. */
export function axisOutOfRange(rank: number, spec: AxisArgs, args: Value[], kwargs: Map<string, Value>): { axis: number; range: [number, number] } | undefined {
  // A 0-D tensor: some ops take axis 0 or -1, others refuse any axis, each in its own words; left alone.
  if (rank === 0) return undefined;
  const range = axisRange(rank, spec.inserts);
  // Positions first, then keywords, each value's axes in order, with no list built: this runs for every call given an axis.
  for (let i = 0; i < spec.at.length; i++) {
    const axis = axisOutside(args[spec.at[i]], range);
    if (axis !== undefined) return { axis, range };
  }
  for (let i = 0; i < spec.keywords.length; i++) {
    const axis = axisOutside(kwargs.get(spec.keywords[i]), range);
    if (axis !== undefined) return { axis, range };
  }
  return undefined;
}

function report(ctx: RuleContext, range: Range, call: string, t: TensorValue, rank: number, spec: AxisArgs, args: Value[], kwargs: Map<string, Value>, what = 'the tensor'): void {
  const out = axisOutOfRange(rank, spec, args, kwargs);
  if (!out) return;
  ctx.report({
    range,
    message: `${call} is given axis ${out.axis}, but ${what} is ${rank}-D ${shapeAndOrigin(t)}: its axes run from ${out.range[0]} to ${out.range[1]}, so PyTorch raises "Dimension out of range (expected to be in range of [${out.range[0]}, ${out.range[1]}], but got ${out.axis})"`,
    related: relatedOrigin(t, range, `the ${rank}-D tensor comes from here`),
    fixes: [],
  });
}

/** How many axes an index item surely takes: a slice or an int literal one, anything else (None, a mask, a name) none. */
function takes(e: Expr): number {
  return e.kind === 'slice' || literalInt(e) !== undefined ? 1 : 0;
}

/** `x.numpy()[…]`: the array is numpy's, and so is the IndexError, in numpy's own words. */
function indexesNumpyArray(node: Subscript): boolean {
  const v = node.value;
  return v.kind === 'call' && v.args.length === 0 && v.func.kind === 'attribute' && v.func.attr === 'numpy';
}

/**
 * numpy's refusal: "too many indices for array: array is 0-dimensional, but 1 were indexed" (numpy counts the ints and
 * slices). The count is quoted only when every item is one of those, None or `...`, so that it is numpy's.
 */
function numpyIndexMessage(node: Subscript, t: TensorValue, rank: number, taken: number): string {
  const counted = node.index.every((e) => e.kind === 'none' || e.kind === 'ellipsis' || takes(e) === 1);
  const what = rank === 0 ? `an index on the 0-D array ${shapeAndOrigin(t)} (a loss, a reduction, an element of a 1-D tensor, turned into numpy)` : `${taken} indices for the ${rank}-D array ${shapeAndOrigin(t)}`;
  const quoted = counted ? `"too many indices for array: array is ${rank}-dimensional, but ${taken} were indexed"` : `"too many indices for array: array is ${rank}-dimensional, …"`;
  return `${what}: numpy raises ${quoted}${rank === 0 ? ' (a 0-D value is read with `.item()`)' : ''}`;
}

/** list() and tuple() iterate their argument; a tensor is iterated along its first axis. */
const ITERATING = new Set(['builtins.list', 'builtins.tuple']);

/** list(t) / tuple(t) of a 0-D tensor: there is no first axis to iterate, and PyTorch (or NumPy) raises a TypeError. */
function reportIteratedScalar(name: string, t: Value | undefined, range: Range, ctx: RuleContext): void {
  if (t?.kind !== 'tensor' || rankOf(t) !== 0) return;
  // An item of a NumPy array of unknown dtype may be a Python object (a tuple in a pandas column), which iterates.
  if (t.numpy && t.dtype === 'unknown') return;
  ctx.report({
    range,
    message: `${name}() iterates a 0-D ${t.numpy ? 'array' : 'tensor'} ${shapeAndOrigin(t)} (a reduction, or a squeeze() that also removed the batch axis of a batch of one): ${t.numpy ? 'Python raises a TypeError (a 0-d array or a NumPy scalar is not iterable)' : 'PyTorch raises "iteration over a 0-d tensor"'}`,
    related: relatedOrigin(t, range, 'the 0-D tensor comes from here'),
    fixes: [],
  });
}

/** `x.shape[k]` / `x.size()[k]` with k past the axes: the size is a tuple, and Python raises "tuple index out of range". */
function reportSizeIndex(node: Subscript, dims: Dim[], t: TensorValue, ctx: RuleContext): void {
  if (node.index.length !== 1) return;
  const n = dims.length;
  const k = literalInt(node.index[0]);
  if (k === undefined || (k < n && k >= -n)) return;
  ctx.report({
    range: node.range,
    message: `${codeText(ctx, node.range)} reads entry ${k} of the sizes ${formatShape(shapeOf(dims))}, which has ${n} entr${n === 1 ? 'y' : 'ies'} (of ${shapeAndOrigin(t)}), so Python raises "IndexError: tuple index out of range"`,
    related: relatedOrigin(t, node.range, `the ${t.shape.rankKnown ? `${t.shape.dims.length}-D ` : ''}tensor comes from here`),
    fixes: [],
  });
}

export const dimOutOfRange: Rule = {
  code: 'SL123',
  name: 'dim-out-of-range',
  severity: 'error',
  framework: 'torch',
  summary: 'An axis argument (dim=, transpose, softmax, cat, unsqueeze…) or an index reaches past the tensor\'s axes: PyTorch raises "Dimension out of range" or "too many indices".',
  docs: {
    whatItDoes:
      'Checks the axis arguments of reductions, `softmax`, `transpose`, `squeeze`/`unsqueeze`, `split`/`chunk`, `cat`/`stack`, `flatten`, `size(d)` and their torch functions, the length of a `permute`, the slices and numbers of an index, and the entry read from `x.shape` or `x.size()`, against the rank of the tensor where the rank is known. When the tensors joined by `cat`/`stack` differ in rank, the axis is checked against the one PyTorch 1.13 wraps it with: the first tensor for `stack`, the first that is not an empty (0,) tensor for `cat`. Unknown ranks and axes given by a value not followed are never checked.',
    whyIsThisBad:
      'PyTorch raises `IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)` or `IndexError: too many indices for tensor of dimension 2`, and `x.shape[2]` of a 2-D tensor `IndexError: tuple index out of range`. The axis is rarely the mistake itself: a state lost its layer axis, a `squeeze()` took the batch of one, an output was read as if it were batch-first or 3-D.',
    example: 'h = h_n.squeeze(0)                   # (B, H)\nlast = h[:, -1, :]                   # read as if it were (B, T, H)',
    useInstead: 'last = h_n[-1]                       # (B, H): the last layer\'s final state',
    references: ['https://pytorch.org/docs/stable/tensor_view.html', 'https://pytorch.org/docs/stable/generated/torch.permute.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => !!FUNCTIONS[qualname] || !!SEQUENCE_FUNCTIONS[qualname] || ITERATING.has(qualname),
      tensorMethod: (name) => name === 'permute' || (Object.hasOwn(METHODS, name) && !!METHODS[name]),
    },
    tensorMethod(event, ctx) {
      if (event.call.hasStarArgs) return;
      const t = event.receiver;
      const rank = rankOf(t);
      if (rank === undefined) return;
      if (event.name === 'permute') {
        const order = event.args.length === 1 && (event.args[0].kind === 'tuple' || event.args[0].kind === 'list') ? event.args[0] : undefined;
        const count = order ? (order.element ? order.length : order.items.length) : event.args.length;
        if (count === undefined || count === 0 || count === rank) return;
        ctx.report({
          range: event.call.range,
          message: `.permute() is given ${count} axes, but the tensor is ${rank}-D ${shapeAndOrigin(t)}, so PyTorch raises "number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${rank} is not equal to len(dims) = ${count}"`,
          related: relatedOrigin(t, event.call.range, `the ${rank}-D tensor comes from here`),
          fixes: [],
        });
        return;
      }
      const spec = Object.hasOwn(METHODS, event.name) ? METHODS[event.name] : undefined;
      if (!spec) return;
      // max/min with a tensor are element-wise; norm's first argument is p.
      if ((event.name === 'max' || event.name === 'min') && event.args[0]?.kind === 'tensor') return;
      report(ctx, event.call.range, `.${event.name}()`, t, rank, spec, event.args, event.kwargs);
    },
    functionCall(event, ctx) {
      if (event.call.hasStarArgs) return;
      if (ITERATING.has(event.qualname)) {
        reportIteratedScalar(event.qualname.slice('builtins.'.length), event.args[0], event.call.range, ctx);
        return;
      }
      const spec = FUNCTIONS[event.qualname];
      if (spec) {
        const t = event.args[0];
        const rank = rankOf(t);
        if (rank === undefined || t?.kind !== 'tensor') return;
        if ((event.qualname === 'torch.max' || event.qualname === 'torch.min') && event.args[1]?.kind === 'tensor') return;
        report(ctx, event.call.range, event.qualname, t, rank, spec, event.args, event.kwargs);
        return;
      }
      const seq = SEQUENCE_FUNCTIONS[event.qualname];
      const list = event.args[0];
      if (!seq || (list?.kind !== 'list' && list?.kind !== 'tuple')) return;
      const items = list.element ? [list.element] : list.items;
      const ranks = new Set(items.map(rankOf));
      const first = items[0];
      if (ranks.size !== 1) {
        // Tensors of several ranks: PyTorch wraps the axis against one of them before comparing ranks.
        const at = joinAxisTensor(items.map((v) => (v.kind === 'tensor' && v.shape.rankKnown ? v.shape.dims : undefined)), seq.inserts === true);
        const wrapping = at === undefined ? undefined : items[at];
        const r = rankOf(wrapping);
        if (wrapping?.kind !== 'tensor' || r === undefined || r === 0) return;
        report(ctx, event.call.range, event.qualname, wrapping, r, seq, event.args, event.kwargs, wrapping === first ? 'the first tensor joined' : 'the first non-empty tensor joined');
        return;
      }
      if (first?.kind !== 'tensor') return;
      const rank = rankOf(first);
      if (rank === undefined || rank === 0) return;
      report(ctx, event.call.range, event.qualname, first, rank, seq, event.args, event.kwargs, 'each tensor joined');
    },
    subscript(event, ctx) {
      if (event.value.kind === 'size') {
        reportSizeIndex(event.node, event.value.dims, event.value.of, ctx);
        return;
      }
      const t = event.value;
      const rank = rankOf(t);
      if (rank === undefined || t.kind !== 'tensor') return;
      if (event.node.index.some((e) => e.kind === 'ellipsis')) return;
      // An item of a NumPy array of unknown dtype may be a Python object (a tuple in a pandas column), which indexes.
      if (rank === 0 && t.numpy && t.dtype === 'unknown') return;
      const taken = event.node.index.reduce((n, e) => n + takes(e), 0);
      if (taken <= rank) return;
      ctx.report({
        range: event.node.range,
        message: indexesNumpyArray(event.node) || (t.numpy && rank > 0)
          ? numpyIndexMessage(event.node, t, rank, taken)
          : rank === 0
            ? `an index on a 0-D tensor ${shapeAndOrigin(t)} (a loss, a reduction, an element of a 1-D tensor): PyTorch raises "invalid index of a 0-dim tensor. Use \`tensor.item()\` in Python or \`tensor.item<T>()\` in C++ to convert a 0-dim tensor to a number" (since 0.4, where \`loss.data[0]\` became \`loss.item()\`)`
            : `${taken} indices for a ${rank}-D tensor ${shapeAndOrigin(t)}, so PyTorch raises "too many indices for tensor of dimension ${rank}"`,
        related: relatedOrigin(t, event.node.range, `the ${rank}-D tensor comes from here`),
        fixes: [],
      });
    },
  },
};
