// Reductions: sum, mean, max/min (with their indices when a dim is given), argmax, prod, std/var,
// logsumexp, norm, all/any. A reduced axis leaves the roles; keepdim keeps it as a size-1 axis with no role.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import type { Role, Value } from '../values';
import { noteReadout } from '../readouts';
import { axis, Bound, boolArg, isNone, isTensor, numberArg, op, result, rolesOf, tensorArg } from './registry';

const tf = () => tfjs();

function dims(a: Bound, x: Tensor): number[] | null {
  const d = a.get('dim');
  if (isNone(d)) return null;
  if (d!.kind === 'tuple' || d!.kind === 'list') return d!.items.map((v) => axis(a, v, x.rank));
  return [axis(a, d, x.rank)];
}

function reducedRoles(roles: Role[] | undefined, axes: number[] | null, keep: boolean, rank: number): Role[] | undefined {
  if (!roles) return undefined;
  const all = axes ?? [...Array(rank).keys()];
  return keep ? roles.map((r, i) => (all.includes(i) ? null : r)) : roles.filter((_, i) => !all.includes(i));
}

function reduction(names: string[], f: (x: Tensor, axes: number[] | null, keep: boolean) => Tensor, floatOnly = false): void {
  op(names, 'input, dim=None, keepdim=False, dtype=None', (a) => {
    let x = tensorArg(a, 'input');
    if (floatOnly && x.dtype !== 'float32') {
      if (names[0] === 'mean') throw fail(a.site, 'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype');
      x = tf().cast(x, 'float32');
    }
    if (x.dtype === 'bool') x = tf().cast(x, 'int32');
    const axes = dims(a, x);
    const keep = boolArg(a, 'keepdim');
    poolingReadout(a, names[0], axes);
    return result(f(x, axes, keep), reducedRoles(rolesOf(a.get('input')), axes, keep, x.rank));
  });
}

function poolingReadout(a: Bound, name: string, axes: number[] | null): void {
  const time = rolesOf(a.get('input'))?.indexOf('T') ?? -1;
  if (time >= 0 && axes?.includes(time)) noteReadout(`${name === 'amax' ? 'max' : name === 'amin' ? 'min' : name} pooling over time ${a.site.text}`);
}

reduction(['sum'], (x, axes, keep) => tf().sum(x, axes ?? undefined, keep));
reduction(['mean'], (x, axes, keep) => tf().mean(x, axes ?? undefined, keep), true);
reduction(['prod'], (x, axes, keep) => tf().prod(x, axes ?? undefined, keep));
reduction(['amax'], (x, axes, keep) => tf().max(x, axes ?? undefined, keep));
reduction(['amin'], (x, axes, keep) => tf().min(x, axes ?? undefined, keep));
reduction(['logsumexp'], (x, axes, keep) => tf().logSumExp(x, axes ?? undefined, keep), true);

/** torch.all / torch.any (and x.all(dim)): true where every (some) element is non-zero, as a bool tensor. */
function logical(names: string[], which: 'all' | 'any'): void {
  op(names, 'input, dim=None, keepdim=False', (a) => {
    const x = tensorArg(a, 'input');
    const truth = x.dtype === 'bool' ? x : tf().notEqual(x, 0);
    const axes = dims(a, x);
    const keep = boolArg(a, 'keepdim');
    const out = which === 'all' ? tf().all(truth, axes ?? undefined, keep) : tf().any(truth, axes ?? undefined, keep);
    return result(out, reducedRoles(rolesOf(a.get('input')), axes, keep, x.rank));
  });
}
logical(['all'], 'all');
logical(['any'], 'any');

/** torch.max(x) → a 0-d tensor; torch.max(x, dim) → (values, indices); torch.max(x, y) → element-wise. */
function maxMin(names: string[], which: 'max' | 'min'): void {
  op(names, 'input, dim=None, keepdim=False', (a) => {
    const x = tensorArg(a, 'input');
    const d = a.get('dim');
    if (isTensor(d)) return result(which === 'max' ? tf().maximum(x, d.t) : tf().minimum(x, d.t), rolesOf(a.get('input')));
    if (isNone(d)) return result(which === 'max' ? tf().max(x) : tf().min(x));
    const ax = axis(a, d, x.rank);
    const keep = boolArg(a, 'keepdim');
    poolingReadout(a, which, [ax]);
    const roles = reducedRoles(rolesOf(a.get('input')), [ax], keep, x.rank);
    const values = which === 'max' ? tf().max(x, ax, keep) : tf().min(x, ax, keep);
    // PyTorch returns the first index of the extreme value, as argMax does.
    let indices = which === 'max' ? tf().argMax(x, ax) : tf().argMin(x, ax);
    if (keep) indices = tf().expandDims(indices, ax);
    return { kind: 'tuple', items: [result(values, roles), result(indices, roles)], fields: ['values', 'indices'] } satisfies Value;
  });
}
maxMin(['max'], 'max');
maxMin(['min'], 'min');

function argExtreme(names: string[], which: 'max' | 'min'): void {
  op(names, 'input, dim=None, keepdim=False', (a) => {
    const x = tensorArg(a, 'input');
    const d = a.get('dim');
    if (isNone(d)) return result(which === 'max' ? tf().argMax(x.reshape([-1])) : tf().argMin(x.reshape([-1])));
    const ax = axis(a, d, x.rank);
    const keep = boolArg(a, 'keepdim');
    let out = which === 'max' ? tf().argMax(x, ax) : tf().argMin(x, ax);
    if (keep) out = tf().expandDims(out, ax);
    return result(out, reducedRoles(rolesOf(a.get('input')), [ax], keep, x.rank));
  });
}
argExtreme(['argmax'], 'max');
argExtreme(['argmin'], 'min');

function moments(names: string[], which: 'var' | 'std'): void {
  op(names, 'input, dim=None, unbiased=True, keepdim=False', (a) => {
    const x = tf().cast(tensorArg(a, 'input'), 'float32');
    const axes = dims(a, x);
    const keep = boolArg(a, 'keepdim');
    const count = (axes ?? [...Array(x.rank).keys()]).reduce((n, ax) => n * x.shape[ax], 1);
    const m = tf().moments(x, axes ?? undefined, keep);
    const correction = boolArg(a, 'unbiased') ? count / Math.max(count - 1, 1) : 1;
    const variance = tf().mul(m.variance, correction);
    return result(which === 'var' ? variance : tf().sqrt(variance), reducedRoles(rolesOf(a.get('input')), axes, keep, x.rank));
  });
}
moments(['var'], 'var');
moments(['std'], 'std');

op(['norm'], 'input, p=2, dim=None, keepdim=False, dtype=None', (a) => {
  const x = tf().cast(tensorArg(a, 'input'), 'float32');
  const p = a.get('p');
  if (p?.kind === 'str') throw fail(a.site, `norm with p='${p.value}' is not something SeqLens runs`);
  const axes = dims(a, x);
  const keep = boolArg(a, 'keepdim');
  const out = pNorm(x, numberArg(a, 'p'), axes ?? undefined, keep);
  return result(out, reducedRoles(rolesOf(a.get('input')), axes, keep, x.rank));
});

/** The p-norm of x over `axes` (all when undefined), as torch.norm computes it for a numeric p. */
export function pNorm(x: Tensor, order: number, axes: number | number[] | undefined, keep: boolean): Tensor {
  return order === 2 ? tf().sqrt(tf().sum(tf().square(x), axes, keep))
    : order === 1 ? tf().sum(tf().abs(x), axes, keep)
      : tf().pow(tf().sum(tf().pow(tf().abs(x), order), axes, keep), 1 / order);
}
