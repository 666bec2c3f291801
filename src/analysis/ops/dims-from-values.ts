// Turning Python values into tensor dimensions, keeping names and origins.
import { Dim, DimRole, Origin, UNKNOWN_DIM, intDim, roleFromName } from '../shapes/dim';
import { Value } from '../values/value';

export function dimFromValue(value: Value | undefined, origin: Origin | undefined): Dim {
  if (!value) return UNKNOWN_DIM;
  if (value.kind === 'int') return intDim(value.value, { origin, label: value.label, role: intRole(value) });
  if (value.kind === 'symint') return value.dim.kind === 'unknown' ? value.dim : { ...value.dim, origin: value.dim.origin ?? origin };
  return UNKNOWN_DIM;
}

/** The role a Python int's name or arithmetic gives it (`batch_size`, `b * num_windows`): the name's comes first. */
export function intRole(v: Value): DimRole | undefined {
  if (v.kind === 'int') return roleFromName(v.label) ?? v.role;
  if (v.kind === 'symint') return v.dim.role;
  return undefined;
}

/** A `size` argument given as separate ints, one tuple/list, or a `.shape`/`.size()` value. */
export function dimsFromSizeArgs(args: Value[], origin: Origin | undefined): Dim[] | undefined {
  if (args.length === 1) {
    const only = args[0];
    if (only.kind === 'tuple' || only.kind === 'list') {
      // A summary keeps no items: how many sizes it holds, or which, is not known.
      if (only.element) return only.length === undefined ? undefined : Array.from({ length: only.length }, () => dimFromValue(only.element, origin));
      return dimsOf(only.items, origin);
    }
    if (only.kind === 'size') return only.dims;
    if (only.kind === 'unknown') return undefined;
  }
  // Among separate sizes, a one-element integer tensor is read as its int (`x.expand(B, lengths.max())`): one size,
  // its value not known. A float tensor makes PyTorch raise. An attribute the analysis could not read (`self.dim` of a
  // module built elsewhere) is one size too when there are several: PyTorch takes separate sizes only as ints, so the
  // count of sizes is the result's rank even when the value of one is not known.
  const size = (a: Value) =>
    a.kind === 'int' || a.kind === 'symint' || a.kind === 'unknown' || (args.length > 1 && ((a.kind === 'tensor' && a.dtype !== 'float') || unreadAttribute(a)));
  if (!args.every(size)) return undefined;
  return dimsOf(args, origin);
}

/** An attribute read from an object whose attributes are not known: a placeholder the interpreter gives (kind 'method'). */
function unreadAttribute(a: Value): boolean {
  return a.kind === 'method' && a.receiver.kind !== 'tensor' && a.receiver.kind !== 'packed';
}

/**
 * One dim per value, in a list grown by push rather than `.map()`: once its caller is optimised, V8's inlined
 * `map` returns holey arrays, a second array layout that deoptimises every function reading shapes at once.
 */
function dimsOf(values: Value[], origin: Origin | undefined): Dim[] {
  const dims: Dim[] = [];
  for (let i = 0; i < values.length; i++) dims.push(dimFromValue(values[i], origin));
  return dims;
}

/**
 * Item i of a tensor's own sizes (`b, t, d = x.size()`, `list(x.shape)`) where that axis's size is not known: an int
 * linked to the axis, as `x.size(i)` gives it. Undefined for a known size, or sizes that are not the tensor's own.
 */
export function linkedSize(size: Extract<Value, { kind: 'size' }>, i: number): Value | undefined {
  const d = size.dims[i];
  return d?.kind === 'unknown' && size.dims === size.of.shape.dims ? { kind: 'symint', dim: d, of: { tensor: size.of, axis: i } } : undefined;
}

export function valueFromDim(dim: Dim): Value {
  if (dim.kind === 'int') return { kind: 'int', value: dim.value, origin: dim.origin, label: dim.label };
  return { kind: 'symint', dim };
}

/**
 * The sizes a view or reshape is given: its positional arguments, or the one keyword that can name them instead
 * (`x.view(size=(6, 4))`, `x.reshape(shape=(6, 4))`, `torch.reshape(x, shape=[6, 4])`), as one argument.
 */
export function reshapeSizeArgs(name: string, args: Value[], kwargs: Map<string, Value>): Value[] {
  if (args.length || (name !== 'view' && name !== 'reshape')) return args;
  const given = kwargs.get(name === 'view' ? 'size' : 'shape');
  return given ? [given] : args;
}
