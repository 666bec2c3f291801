// Which arguments of a reduction name its axes and keepdim, by each reduction's own PyTorch 1.13 signature, for the
// tensor method (`x.std(-1, True)`) and the torch function (`torch.std(x, -1, True)`) alike. The shape rule itself is
// tensor-methods' reduce.
import type { Value } from '../values/value';

/** std and var take (dim, unbiased, keepdim), or a lone unbiased flag: `x.std(1, True)` keeps no axis. */
const UNBIASED_SECOND = new Set(['std', 'var']);

export interface ReductionArgs {
  /** The axes given (an int, a tuple or list of ints, None), undefined when none is. */
  dim: Value | undefined;
  /** Whether the reduced axes stay as 1s; undefined when the call says so with a value the analysis does not know. */
  keepdim: boolean | undefined;
}

/**
 * The dim and keepdim of a reduction call, from its arguments after the tensor: (dim, keepdim) for sum, mean, amax
 * and the others. norm takes (p, dim, keepdim): its
 * first argument is the order of the norm, never an axis. std and var take (dim, unbiased, keepdim), and a first
 * argument that is a bool is unbiased (`x.std(True)` reduces every axis). Undefined when the first argument may be
 * either (a value not known) for std and var.
 */
export function reductionArgs(name: string, args: Value[], kwargs: Map<string, Value>): ReductionArgs | undefined {
  let dim: Value | undefined = kwargs.get('dim');
  let keep: Value | undefined = kwargs.get('keepdim');
  if (name === 'norm') {
    dim ??= args[1];
    keep ??= args[2];
  } else if (UNBIASED_SECOND.has(name)) {
    const first = args[0];
    if (first && first.kind !== 'bool') {
      if (first.kind !== 'int' && first.kind !== 'symint' && first.kind !== 'tuple' && first.kind !== 'list' && first.kind !== 'none') return undefined;
      dim ??= first;
    }
    keep ??= first?.kind === 'bool' ? undefined : args[2];
  } else {
    dim ??= args[0];
    keep ??= args[1];
  }
  return { dim, keepdim: keepdimOf(keep) };
}

/** A keepdim flag as Python reads it (None and 0 are False); undefined for a value not known. */
export function keepdimOf(v: Value | undefined): boolean | undefined {
  if (v === undefined || v.kind === 'none') return false;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'int') return v.value !== 0;
  return undefined;
}
