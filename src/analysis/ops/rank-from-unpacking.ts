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

/**
 * A test that compares a name's rank with a number: `x.dim() == 3`, `x.ndimension() != 2`, `x.ndim == 3`,
 * `len(x.shape) == 4`, `len(x.size()) == 2` (either side). `equal` says which branch knows the rank: the `==` one's body,
 * the `!=` one's else. `call`: the rank is read by a call only a tensor answers (`dim()`, `ndimension()`, `size()`),
 * so even a value of unknown kind is a tensor there. `through`: the builtin (`len`) the caller checks is not rebound.
 */
export function rankComparedIn(test: A.Expr): { name: string; rank: number; equal: boolean; call: boolean; through?: 'len' } | undefined {
  if (test.kind !== 'compare' || test.ops.length !== 1 || (test.ops[0] !== '==' && test.ops[0] !== '!=')) return undefined;
  const sides: [A.Expr, A.Expr][] = [
    [test.left, test.comparators[0]],
    [test.comparators[0], test.left],
  ];
  for (const [read, number] of sides) {
    if (number.kind !== 'int' || number.value < 0 || number.value > MAX_RANK) continue;
    const equal = test.ops[0] === '==';
    if (read.kind === 'call' && read.args.length === 0 && read.keywords.length === 0 && !read.hasStarArgs && read.func.kind === 'attribute' && (read.func.attr === 'dim' || read.func.attr === 'ndimension') && read.func.object.kind === 'name') {
      return { name: read.func.object.id, rank: number.value, equal, call: true };
    }
    if (read.kind === 'attribute' && read.attr === 'ndim' && read.object.kind === 'name') return { name: read.object.id, rank: number.value, equal, call: false };
    if (read.kind === 'call' && read.func.kind === 'name' && read.func.id === 'len' && read.args.length === 1 && read.keywords.length === 0 && !read.hasStarArgs) {
      const a = read.args[0];
      if (a.kind === 'attribute' && a.attr === 'shape' && a.object.kind === 'name') return { name: a.object.id, rank: number.value, equal, call: false, through: 'len' };
      if (a.kind === 'call' && a.args.length === 0 && a.keywords.length === 0 && !a.hasStarArgs && a.func.kind === 'attribute' && a.func.attr === 'size' && a.func.object.kind === 'name') {
        return { name: a.func.object.id, rank: number.value, equal, call: true, through: 'len' };
      }
    }
  }
  return undefined;
}
