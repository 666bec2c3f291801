// Ops that move, add or drop axes without computing: view/reshape, permute/transpose, squeeze/
// unsqueeze, flatten, expand/repeat, flip, narrow, and the methods that read a tensor's size.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import type { Role, Value } from '../values';
import { axis, Bound, intArg, isNone, op, result, rolesOf, sizesOf, tensorArg } from './registry';

const tf = () => tfjs();

/** Roles survive a reshape on the leading axes whose sizes it leaves alone. */
function keptPrefix(roles: Role[] | undefined, from: number[], to: number[]): Role[] | undefined {
  if (!roles) return undefined;
  const out: Role[] = to.map(() => null);
  for (let i = 0; i < Math.min(from.length, to.length) && from[i] === to[i]; i++) {
    // The axis keeps its role only when everything after it is regrouped, not moved across it.
    out[i] = roles[i];
  }
  return out;
}

export function reshape(a: Bound, x: Tensor, sizes: number[]): Tensor {
  const count = x.size;
  const unknown = sizes.filter((s) => s === -1).length;
  const known = sizes.filter((s) => s !== -1).reduce((p, s) => p * s, 1);
  if (unknown > 1 || sizes.some((s) => s < -1) || (unknown === 0 && known !== count) || (unknown === 1 && (known === 0 || count % known !== 0))) {
    throw fail(a.site, `shape '[${sizes.join(', ')}]' is invalid for input of size ${count}`);
  }
  return tf().reshape(x, sizes);
}

op(['view', 'reshape'], 'input, *shape', (a) => {
  const x = tensorArg(a, 'input');
  if (a.rest.length === 1 && a.rest[0].kind === 'dtype') throw fail(a.site, 'view(dtype) reinterprets memory, which SeqLens does not run');
  const out = reshape(a, x, sizesOf(a, a.rest));
  return result(out, keptPrefix(rolesOf(a.get('input')), x.shape, out.shape));
});

op(['view_as', 'reshape_as'], 'input, other', (a) => {
  const x = tensorArg(a, 'input');
  const out = reshape(a, x, tensorArg(a, 'other').shape);
  return result(out, rolesOf(a.get('other')));
});

function permuted(a: Bound, x: Tensor, order: number[]): Value {
  const roles = rolesOf(a.get('input'));
  return result(tf().transpose(x, order), roles ? order.map((d) => roles[d]) : undefined);
}

op(['permute'], 'input, *dims', (a) => {
  const x = tensorArg(a, 'input');
  const list = a.rest.length === 1 && (a.rest[0].kind === 'tuple' || a.rest[0].kind === 'list') ? a.rest[0].items : a.rest;
  const order = list.map((v) => axis(a, v, x.rank));
  if (order.length !== x.rank || new Set(order).size !== order.length) throw fail(a.site, `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.rank} is not equal to len(dims) = ${order.length}`);
  return permuted(a, x, order);
});

op(['transpose', 'swapaxes', 'swapdims'], 'input, dim0, dim1', (a) => {
  const x = tensorArg(a, 'input');
  const d0 = axis(a, a.get('dim0'), x.rank);
  const d1 = axis(a, a.get('dim1'), x.rank);
  const order = [...Array(x.rank).keys()];
  order[d0] = d1;
  order[d1] = d0;
  return permuted(a, x, order);
});

op(['t'], 'input', (a) => {
  const x = tensorArg(a, 'input');
  if (x.rank > 2) throw fail(a.site, `t() expects a tensor with <= 2 dimensions, but self is ${x.rank}D`);
  return x.rank < 2 ? a.get('input')! : permuted(a, x, [1, 0]);
});

op(['squeeze', 'squeeze_'], 'input, dim=None', (a) => {
  const x = tensorArg(a, 'input');
  const roles = rolesOf(a.get('input'));
  const d = a.get('dim');
  const drop = isNone(d) ? x.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0) : [axis(a, d, x.rank)].filter((i) => x.shape[i] === 1);
  if (drop.length === 0) return a.get('input')!;
  return result(tf().squeeze(x, drop), roles?.filter((_, i) => !drop.includes(i)));
});

op(['unsqueeze', 'unsqueeze_'], 'input, dim', (a) => {
  const x = tensorArg(a, 'input');
  const d = axis(a, a.get('dim'), x.rank + 1);
  const roles = rolesOf(a.get('input'));
  return result(tf().expandDims(x, d), roles ? [...roles.slice(0, d), null, ...roles.slice(d)] : undefined);
});

op(['flatten'], 'input, start_dim=0, end_dim=-1', (a) => {
  const x = tensorArg(a, 'input');
  if (x.rank === 0) return result(x.reshape([1]));
  const start = axis(a, a.get('start_dim'), x.rank);
  const end = axis(a, a.get('end_dim'), x.rank);
  if (start > end) throw fail(a.site, 'flatten() has invalid args: start_dim cannot come after end_dim');
  const sizes = [...x.shape.slice(0, start), x.shape.slice(start, end + 1).reduce((p, s) => p * s, 1), ...x.shape.slice(end + 1)];
  const roles = rolesOf(a.get('input'));
  return result(tf().reshape(x, sizes), roles ? [...roles.slice(0, start), start === end ? roles[start] : null, ...roles.slice(end + 1)] : undefined);
});

function expandTo(a: Bound, x: Tensor, sizes: number[]): Tensor {
  if (sizes.length < x.rank) throw fail(a.site, `expand: the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.rank})`);
  const lead = sizes.length - x.rank;
  const target = sizes.map((s, i) => (s === -1 ? (i >= lead ? x.shape[i - lead] : NaN) : s));
  target.forEach((s, i) => {
    const own = i >= lead ? x.shape[i - lead] : 1;
    if (Number.isNaN(s) || (own !== 1 && own !== s)) throw fail(a.site, `The expanded size of the tensor (${sizes[i]}) must match the existing size (${own}) at non-singleton dimension ${i}`);
  });
  return tf().broadcastTo(x.rank < target.length ? x.reshape([...Array(lead).fill(1), ...x.shape]) : x, target);
}

op(['expand'], 'input, *sizes', (a) => {
  const x = tensorArg(a, 'input');
  const sizes = sizesOf(a, a.rest);
  const roles = rolesOf(a.get('input'));
  const lead = sizes.length - x.rank;
  return result(expandTo(a, x, sizes), roles ? [...Array(lead).fill(null), ...roles] : undefined);
});

op(['expand_as'], 'input, other', (a) => result(expandTo(a, tensorArg(a, 'input'), tensorArg(a, 'other').shape), rolesOf(a.get('other'))));

op(['repeat'], 'input, *sizes', (a) => {
  const x = tensorArg(a, 'input');
  const reps = sizesOf(a, a.rest);
  if (reps.length < x.rank) throw fail(a.site, 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const lifted = x.reshape([...Array(reps.length - x.rank).fill(1), ...x.shape]);
  return result(tf().tile(lifted, reps));
});

op(['flip'], 'input, *dims', (a) => {
  const x = tensorArg(a, 'input');
  const axes = sizesOf(a, a.rest).map((d) => (d < 0 ? d + x.rank : d));
  return result(tf().reverse(x, axes), rolesOf(a.get('input')));
});

op(['narrow'], 'input, dim, start, length', (a) => {
  const x = tensorArg(a, 'input');
  const d = axis(a, a.get('dim'), x.rank);
  let start = intArg(a, 'start');
  if (start < 0) start += x.shape[d];
  const length = intArg(a, 'length');
  if (start < 0 || start + length > x.shape[d]) throw fail(a.site, `start (${start}) + length (${length}) exceeds dimension size (${x.shape[d]}).`);
  const begin = x.shape.map((_, i) => (i === d ? start : 0));
  const size = x.shape.map((s, i) => (i === d ? length : s));
  return result(tf().slice(x, begin, size), rolesOf(a.get('input'))?.map((r, i) => (i === d ? null : r)));
});

op(['size'], 'input, dim=None', (a) => {
  const x = tensorArg(a, 'input');
  if (isNone(a.get('dim'))) return { kind: 'tuple', items: x.shape.map((s) => ({ kind: 'int', value: s })) };
  return { kind: 'int', value: x.shape[axis(a, a.get('dim'), x.rank)] };
});
op(['dim', 'ndimension'], 'input', (a) => ({ kind: 'int', value: tensorArg(a, 'input').rank }));
op(['numel', 'nelement'], 'input', (a) => ({ kind: 'int', value: tensorArg(a, 'input').size }));

/** `.tolist()`: nested Python lists of the values (a 0-d tensor gives one number), bounded like any list. */
op(['tolist'], 'input', (a) => {
  const x = tensorArg(a, 'input');
  if (x.size > MAX_TOLIST) throw fail(a.site, `tolist() of ${x.size} values is more than SeqLens builds as Python lists (${MAX_TOLIST})`);
  const data = x.dataSync();
  let at = 0;
  const build = (axis: number): Value => {
    if (axis === x.rank) return pythonScalar(x, data[at++]);
    const items: Value[] = [];
    for (let i = 0; i < x.shape[axis]; i++) items.push(build(axis + 1));
    return { kind: 'list', items };
  };
  return build(0);
});
const MAX_TOLIST = 100_000;

op(['item'], 'input', (a) => {
  const x = tensorArg(a, 'input');
  if (x.size !== 1) throw fail(a.site, `a Tensor with ${x.size} elements cannot be converted to Scalar`);
  return pythonScalar(x, x.dataSync()[0]);
});

/** One value of tensor x as the Python number .item() and .tolist() give: float, bool or int by its dtype. */
function pythonScalar(x: Tensor, v: number): Value {
  return x.dtype === 'float32' ? { kind: 'float', value: v } : x.dtype === 'bool' ? { kind: 'bool', value: v !== 0 } : { kind: 'int', value: v };
}
