// Joining and splitting: cat, stack, split, chunk, unbind.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import type { Role, Value } from '../values';
import { joinReadouts } from '../readouts';
import { axis, Bound, intArg, op, promote, result } from './registry';

const tf = () => tfjs();

function tensorsOf(a: Bound, name: string): { tensors: Tensor[]; roles: (Role[] | undefined)[] } {
  const v = a.get(name);
  if (!v || (v.kind !== 'list' && v.kind !== 'tuple')) throw fail(a.site, `expected a list or tuple of tensors, not ${v ? v.kind : 'nothing'}`);
  const tensors: Tensor[] = [];
  const roles: (Role[] | undefined)[] = [];
  for (const item of v.items) {
    if (item.kind !== 'tensor') throw fail(a.site, `expected a list of tensors, found ${item.kind}`);
    tensors.push(item.t);
    roles.push(item.roles);
  }
  if (tensors.length === 0) throw fail(a.site, 'expected a non-empty list of Tensors');
  return { tensors, roles };
}

function sameDtype(tensors: Tensor[]): Tensor[] {
  if (tensors.every((t) => t.dtype === tensors[0].dtype)) return tensors;
  const float = tensors.some((t) => t.dtype === 'float32');
  return tensors.map((t) => promote(t, tf().zeros([], float ? 'float32' : 'int32'))[0]);
}

op(['cat', 'concat', 'concatenate'], 'tensors, dim=0', (a) => {
  const { tensors, roles } = tensorsOf(a, 'tensors');
  // PyTorch skips 1-D empty tensors in cat (legacy behaviour).
  const kept = tensors.filter((t) => !(t.rank === 1 && t.size === 0));
  if (kept.length === 0) return result(tensors[0]);
  const rank = kept[0].rank;
  const d = axis(a, a.get('dim'), rank);
  kept.forEach((t, k) => {
    if (t.rank !== rank) throw fail(a.site, `Tensors must have same number of dimensions: got ${rank} and ${t.rank}`);
    t.shape.forEach((s, i) => {
      if (i !== d && s !== kept[0].shape[i]) throw fail(a.site, `Sizes of tensors must match except in dimension ${d}. Expected size ${kept[0].shape[i]} but got size ${s} for tensor number ${k} in the list.`);
    });
  });
  const first = roles[tensors.indexOf(kept[0])];
  const items = (a.get('tensors') as { items: Value[] }).items;
  const finals = items.map((v) => (v.kind === 'tensor' && v.readout?.startsWith('final') ? v.readout : null));
  if (finals.length > 1 && finals.every((f) => f !== null)) joinReadouts(finals as string[], a.site.text);
  return result(tf().concat(sameDtype(kept), d), first?.map((r, i) => (i === d ? null : r)));
});

op(['stack'], 'tensors, dim=0', (a) => {
  const { tensors, roles } = tensorsOf(a, 'tensors');
  const d = axis(a, a.get('dim'), tensors[0].rank + 1);
  tensors.forEach((t, k) => {
    if (t.shape.length !== tensors[0].shape.length || t.shape.some((s, i) => s !== tensors[0].shape[i])) {
      throw fail(a.site, `stack expects each tensor to be equal size, but got ${JSON.stringify(tensors[0].shape)} at entry 0 and ${JSON.stringify(t.shape)} at entry ${k}`);
    }
  });
  const r = roles[0];
  return result(tf().stack(sameDtype(tensors), d), r ? [...r.slice(0, d), null, ...r.slice(d)] : undefined);
});

function pieces(x: Tensor, d: number, sizes: number[], roles: Role[] | undefined): Value {
  const parts = tf().split(x, sizes, d);
  return { kind: 'tuple', items: parts.map((p) => result(p, roles?.map((r, i) => (i === d ? null : r)))) };
}

op(['split'], 'input, split_size_or_sections, dim=0', (a) => {
  const x = a.get('input')!;
  if (x.kind !== 'tensor') throw fail(a.site, 'split expects a tensor');
  const d = axis(a, a.get('dim'), x.t.rank);
  const size = a.get('split_size_or_sections')!;
  const total = x.t.shape[d];
  let sizes: number[];
  if (size.kind === 'list' || size.kind === 'tuple') {
    sizes = size.items.map((v) => (v.kind === 'int' ? v.value : NaN));
    if (sizes.some(Number.isNaN) || sizes.reduce((p, s) => p + s, 0) !== total) throw fail(a.site, `split_with_sizes expects split_sizes to sum exactly to ${total} (input tensor's size at dimension ${d}), but got split_sizes=${JSON.stringify(sizes)}`);
  } else {
    const each = intArg(a, 'split_size_or_sections');
    if (each <= 0) throw fail(a.site, 'split_size can only be 0 if dimension size is 0');
    sizes = [];
    for (let at = 0; at < total; at += each) sizes.push(Math.min(each, total - at));
  }
  return pieces(x.t, d, sizes, x.roles);
});

op(['chunk'], 'input, chunks, dim=0', (a) => {
  const x = a.get('input')!;
  if (x.kind !== 'tensor') throw fail(a.site, 'chunk expects a tensor');
  const d = axis(a, a.get('dim'), x.t.rank);
  const chunks = intArg(a, 'chunks');
  if (chunks <= 0) throw fail(a.site, 'chunk expects `chunks` to be greater than 0');
  const total = x.t.shape[d];
  const each = Math.ceil(total / chunks);
  const sizes: number[] = [];
  for (let at = 0; at < total; at += Math.max(each, 1)) sizes.push(Math.min(each, total - at));
  return pieces(x.t, d, sizes, x.roles);
});

op(['unbind'], 'input, dim=0', (a) => {
  const x = a.get('input')!;
  if (x.kind !== 'tensor') throw fail(a.site, 'unbind expects a tensor');
  const d = axis(a, a.get('dim'), x.t.rank);
  return { kind: 'tuple', items: tf().unstack(x.t, d).map((p) => result(p, x.roles?.filter((_, i) => i !== d))) };
});
