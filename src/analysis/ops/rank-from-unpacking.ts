// What unpacking a tensor's size proves: `b, t, d = x.size()` runs only when x has exactly three axes (Python raises
// "too many values to unpack" / "not enough values" otherwise), so from that line on x is known to be 3-D. So does
// `b, t, d = list(x.size())`: the copy has as many items as the size.
import type * as A from '../parse/ast';
import { Dim, UNKNOWN_DIM, symDim } from '../shapes/dim';
import { MAX_RANK, shapeOf } from '../shapes/shape';
import type { TensorValue, Value } from '../values/value';

/**
 * The name whose size an assignment unpacks, and how: `x.size()` (a call, which only a tensor answers with a sequence
 * among the values that reach it) or `x.shape` (an attribute numpy arrays and data frames share, so only a value
 * already known to be a tensor is refined by it).
 */
export function unpackedSizeOf(stmt: A.Assign): { name: string; call: boolean; count: number; through?: 'list' | 'tuple' } | undefined {
  const unpacked = unpackedSizeExpr(stmt);
  return unpacked?.object.kind === 'name' ? { name: unpacked.object.id, call: unpacked.call, count: unpacked.count, through: unpacked.through } : undefined;
}

/**
 * The expression whose size an assignment unpacks (`x.size()`, `out.shape`, or either copied by `list(...)` or
 * `tuple(...)`, which keep its length), into how many names. `through` names the builtin that copies it: the caller
 * checks that the name is not rebound.
 */
export function unpackedSizeExpr(stmt: A.Assign): { object: A.Expr; call: boolean; count: number; through?: 'list' | 'tuple' } | undefined {
  if (stmt.op || stmt.targets.length !== 1) return undefined;
  const target = stmt.targets[0];
  if (target.kind !== 'tuple' && target.kind !== 'list') return undefined;
  if (target.items.length === 0) return undefined;
  for (let i = 0; i < target.items.length; i++) if (target.items[i].kind === 'starred') return undefined;
  let v = stmt.value;
  let through: 'list' | 'tuple' | undefined;
  if (v.kind === 'call' && v.func.kind === 'name' && (v.func.id === 'list' || v.func.id === 'tuple') && v.args.length === 1 && v.keywords.length === 0 && !v.hasStarArgs) {
    through = v.func.id;
    v = v.args[0];
  }
  if (v.kind === 'call' && v.args.length === 0 && v.keywords.length === 0 && !v.hasStarArgs && v.func.kind === 'attribute' && v.func.attr === 'size') {
    return { object: v.func.object, call: true, count: target.items.length, through };
  }
  if (v.kind === 'attribute' && v.attr === 'shape') return { object: v.object, call: false, count: target.items.length, through };
  return undefined;
}

/**
 * The tensor a value is once its size was unpacked into `count` names, or undefined when nothing new is learnt (the
 * rank is already known) or the value may not be a tensor. Known trailing sizes stay; the axes before them are the
 * symbols `x.size(i)` for the parameter x still bound to its name, else unknown. Trailing sizes already more than `count` contradict the unpacking
 * (Python raises): nothing is refined.
 */
export function refineRankByUnpacking(value: Value, count: number, viaCall: boolean, boundTo: string): TensorValue | undefined {
  if (count > MAX_RANK) return undefined;
  if (value.kind === 'unknown') {
    if (!viaCall) return undefined;
    return { kind: 'tensor', dtype: 'unknown', shape: shapeOf(Array.from({ length: count }, () => UNKNOWN_DIM)) };
  }
  if (value.kind !== 'tensor' || value.shape.rankKnown) return undefined;
  const known = value.shape.dims;
  if (known.length > count) return undefined;
  const lead: Dim[] = Array.from({ length: count - known.length }, (_, i) => (value.name === boundTo ? symDim(`${value.name}.size(${i})`, { origin: value.origin }) : UNKNOWN_DIM));
  return { ...value, shape: shapeOf([...lead, ...known]), strides: undefined };
}
