// Comparisons, logical ops and masks, as methods (`ids.eq(pad)`) and functions (`torch.eq(ids, pad)`):
// element-wise comparisons broadcast and give bool; masked_select and nonzero pick elements out, so only their rank
// is known; select drops one axis; in-place ops that write into the tensor return it unchanged in shape.
import { Dim, Origin, UNKNOWN_DIM, dataCountDim, intDim, knownProduct } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, boolValue, intValue } from '../values/value';
import { broadcast } from './broadcast';
import { isUnique, unique } from './unique';

/** Element-wise comparisons and logical binary ops: broadcast, bool. */
const COMPARISONS = new Set([
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal',
  'logical_and', 'logical_or', 'logical_xor',
]);

/**
 * Methods that write into the tensor (or make a copy of it) and keep its shape: scatter/index/masked writes, copies,
 * Bernoulli draws, in-place activations. Their values are not followed.
 */
const SHAPE_KEEPING_WRITES = new Set([
  'copy_', 'scatter_add', 'scatter_add_', 'index_add', 'index_add_', 'index_copy', 'index_copy_', 'index_fill_', 'masked_scatter_', 'index_put', 'index_put_',
  'bernoulli', 'bernoulli_', 'sigmoid_', 'tanh_', 'relu_', 'exp_', 'log_', 'abs_', 'neg_', 'sqrt_', 'pow_', 'clamp_min', 'clamp_max', 'clamp_min_', 'clamp_max_',
  'sign_', 'floor_', 'ceil_', 'round_', 'exponential_', 'geometric_', 'cauchy_', 'log_normal_', 'random_',
  // In-place blends: PyTorch raises unless the operands broadcast to the tensor's own shape.
  'lerp_', 'addcmul_', 'addcdiv_',
]);

export function isComparisonOrMask(name: string): boolean {
  return COMPARISONS.has(name) || SHAPE_KEEPING_WRITES.has(name) || name === 'logical_not' || name === 'masked_select' || name === 'nonzero' || name === 'select' || name === 'ravel' || name === 'all' || name === 'any' || isUnique(name);
}

const SCALARS = new Set(['int', 'float', 'bool', 'symint']);

/** `t.name(*args)`; `undefined` when the name is not one of these ops. */
export function comparisonOrMask(t: TensorValue, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const keep = (shape = t.shape, dtype = t.dtype): TensorValue => ({ kind: 'tensor', dtype, origin, shape });
  if (COMPARISONS.has(name)) {
    const other = args[0] ?? kwargs.get('other');
    if (!other) return UNKNOWN;
    // An argument that may be a tensor of any shape leaves the broadcast shape unknown.
    if (other.kind !== 'tensor' && !SCALARS.has(other.kind)) return keep(UNKNOWN_SHAPE, 'bool');
    return { ...broadcast(t, other, origin), dtype: 'bool', minValue: 0, maxValue: 1 };
  }
  if (name === 'logical_not') return { ...keep(t.shape, 'bool'), minValue: 0, maxValue: 1 };
  if (SHAPE_KEEPING_WRITES.has(name)) return keep();
  switch (name) {
    case 'masked_select':
      // As many elements as the mask selects: one axis, of a count of this evaluation's own.
      return keep(shapeOf([dataCountDim(origin)]));
    case 'nonzero': {
      const asTuple = kwargs.has('as_tuple') ? boolValue(kwargs.get('as_tuple')) : false;
      // As many rows as the tensor holds nonzero entries: a count of this evaluation's own, the same for every index
      // tensor of as_tuple=True.
      const count = dataCountDim(origin);
      if (asTuple === undefined || !t.shape.rankKnown) return asTuple === false ? keep(shapeOf([count, UNKNOWN_DIM]), 'long') : UNKNOWN;
      const rank = t.shape.dims.length;
      // as_tuple=True: one 1-D index tensor per axis (a 0-d input gives one of them).
      if (asTuple) return { kind: 'tuple', items: Array.from({ length: Math.max(rank, 1) }, () => keep(shapeOf([count]), 'long')) };
      return keep(shapeOf([count, intDim(rank, { origin })]), 'long');
    }
    case 'select': {
      const axis = intValue(args[0] ?? kwargs.get('dim'));
      if (axis === undefined || !t.shape.rankKnown) return keep(UNKNOWN_SHAPE);
      const i = normaliseAxis(axis, t.shape.dims.length);
      return i === undefined ? UNKNOWN : keep(shapeOf(t.shape.dims.filter((_, k) => k !== i)));
    }
    case 'ravel': {
      if (!t.shape.rankKnown) return keep(shapeOf([UNKNOWN_DIM]));
      const dims = t.shape.dims;
      const n: Dim = dims.every((d) => d.kind === 'int') ? intDim(knownProduct(dims), { origin }) : dims.length === 1 ? dims[0] : UNKNOWN_DIM;
      return keep(shapeOf([n]));
    }
    case 'all':
    case 'any': {
      const dim = args[0] ?? kwargs.get('dim');
      if (dim === undefined || dim.kind === 'none') return keep(shapeOf([]), 'bool');
      const axis = intValue(dim);
      const keepdim = boolValue(args[1] ?? kwargs.get('keepdim')) ?? (args[1] ?? kwargs.get('keepdim') ? undefined : false);
      if (axis === undefined || keepdim === undefined || !t.shape.rankKnown) return keep(UNKNOWN_SHAPE, 'bool');
      const i = normaliseAxis(axis, t.shape.dims.length);
      if (i === undefined) return UNKNOWN;
      return keep(shapeOf(keepdim ? t.shape.dims.map((d, k) => (k === i ? intDim(1, { origin }) : d)) : t.shape.dims.filter((_, k) => k !== i)), 'bool');
    }
    case 'unique':
    case 'unique_consecutive':
      return unique(t, name, args, kwargs, origin);
    default:
      return undefined;
  }
}

/** The function forms, `torch.eq(a, b)`, `torch.masked_select(x, mask)`, `torch.nonzero(x)`: the tensor comes first. */
export function comparisonOrMaskFunction(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const first = args[0] ?? kwargs.get('input');
  if (first?.kind !== 'tensor') {
    // torch.eq(3, t): a scalar first argument is refused by PyTorch for most of these; not followed.
    return undefined;
  }
  return comparisonOrMask(first, name, args.slice(1), kwargs, origin);
}
