// Sorting: torch.sort / x.sort, x.argsort, torch.topk / x.topk. Equal values keep their order (the first
// index first, descending or ascending), as PyTorch 1.13's CPU sort gives them; values and indices keep the
// input's roles, since every axis keeps its size (topk shortens only the sorted one).
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import type { Value } from '../values';
import { axis, Bound, boolArg, intArg, op, result, rolesOf, tensorArg } from './registry';

const tf = () => tfjs();

/**
 * The `k` first entries along `ax` in the order asked for, as (values, indices). tfjs' topk works on the
 * last axis, largest first, the lower index first among equals: other axes are moved last and back, and
 * the smallest first is the largest of the negated values (integers and booleans as int32).
 */
function ordered(x: Tensor, ax: number, k: number, largest: boolean): { values: Tensor; indices: Tensor } {
  const last = x.rank - 1;
  const perm = [...Array(x.rank).keys()];
  if (ax !== last) [perm[ax], perm[last]] = [perm[last], perm[ax]];
  const moved = ax === last ? x : tf().transpose(x, perm);
  const numeric = moved.dtype === 'bool' ? tf().cast(moved, 'int32') : moved;
  const { indices } = tf().topk(largest ? numeric : tf().neg(numeric), k, true);
  // The values are read back from the input by index, so that negating never changes one.
  const values = tf().gather(numeric, indices, numeric.rank - 1, numeric.rank - 1);
  const back = (t: Tensor) => (ax === last ? t : tf().transpose(t, perm));
  return { values: back(moved.dtype === 'bool' ? tf().cast(values, 'bool') : values), indices: back(indices) };
}

function pair(a: Bound, sorted: { values: Tensor; indices: Tensor }): Value {
  const roles = rolesOf(a.get('input'));
  return { kind: 'tuple', items: [result(sorted.values, roles), result(sorted.indices, roles)], fields: ['values', 'indices'] };
}

function along(a: Bound, x: Tensor): number {
  if (x.rank === 0) throw fail(a.site, 'sorting a 0-d tensor is not something SeqLens runs');
  return axis(a, a.get('dim'), x.rank);
}

op(['sort'], 'input, dim=-1, descending=False, stable=False', (a) => {
  const x = tensorArg(a, 'input');
  const ax = along(a, x);
  return pair(a, ordered(x, ax, x.shape[ax], boolArg(a, 'descending')));
});

op(['argsort'], 'input, dim=-1, descending=False, stable=False', (a) => {
  const x = tensorArg(a, 'input');
  const ax = along(a, x);
  return result(ordered(x, ax, x.shape[ax], boolArg(a, 'descending')).indices, rolesOf(a.get('input')));
});

op(['topk'], 'input, k, dim=-1, largest=True, sorted=True', (a) => {
  const x = tensorArg(a, 'input');
  const ax = along(a, x);
  const k = intArg(a, 'k');
  if (k < 0 || k > x.shape[ax]) throw fail(a.site, `selected index k out of range (k=${k}, size ${x.shape[ax]})`);
  // sorted=False leaves PyTorch's order unspecified: the sorted order is one it may give, and the one compared.
  return pair(a, ordered(x, ax, k, boolArg(a, 'largest')));
});
