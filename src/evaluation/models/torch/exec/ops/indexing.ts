// Tensor subscripts, read and written: integers, slices (with steps), None, Ellipsis, and advanced
// indexing by one integer tensor or list (gather) or by integer tensors on consecutive leading axes
// (gatherND), and boolean masks on the whole tensor as reads. Writes (`out[t] = step`) take integers
// and slices and give a new tensor that the assignment binds back.
import { tfjs, Tensor } from '../../../tf';
import { CallSite, fail, refuse } from '../errors';
import type { TensorValue, Value } from '../values';
import { literalTensor, result } from './registry';
import { noteReadout } from '../readouts';
import { lookupOf, noteLookup } from '../lookups';

const tf = () => tfjs();

type Basic = { kind: 'int'; value: number } | { kind: 'slice'; start: number | null; stop: number | null; step: number } | { kind: 'new' } | { kind: 'all' };

function normalise(site: CallSite, items: Value[], rank: number): { basic: Basic[]; advanced: Map<number, Tensor> } {
  const ellipsis = items.filter((v) => v.kind === 'ellipsis').length;
  if (ellipsis > 1) throw fail(site, 'an index can only have a single ellipsis');
  const consuming = items.filter((v) => v.kind !== 'none' && v.kind !== 'ellipsis').length;
  if (consuming > rank) throw fail(site, `too many indices for tensor of dimension ${rank}`);
  const basic: Basic[] = [];
  const advanced = new Map<number, Tensor>();
  let dim = 0;
  for (const v of items) {
    if (v.kind === 'ellipsis') {
      for (let k = 0; k < rank - consuming; k++, dim++) basic.push({ kind: 'all' });
    } else if (v.kind === 'none') basic.push({ kind: 'new' });
    else if (v.kind === 'int' || v.kind === 'bool') {
      basic.push({ kind: 'int', value: v.kind === 'bool' ? (v.value ? 1 : 0) : v.value });
      dim++;
    } else if (v.kind === 'slice') {
      if (v.step !== null && v.step <= 0) throw fail(site, 'step must be greater than zero');
      basic.push({ kind: 'slice', start: v.start, stop: v.stop, step: v.step ?? 1 });
      dim++;
    } else if (v.kind === 'tensor' || v.kind === 'list' || v.kind === 'range') {
      const t = v.kind === 'tensor' ? v.t : v.kind === 'list' ? literalTensor(v, site) : tf().range(v.start, v.stop, v.step, 'int32');
      if (t.dtype === 'bool') {
        if (items.length !== 1) throw refuse(site, 'a boolean mask combined with other indices');
        advanced.set(-1, t);
      } else {
        if (t.dtype === 'float32') throw fail(site, 'tensors used as indices must be long, int, byte or bool tensors');
        advanced.set(basic.length, t);
      }
      basic.push({ kind: 'all' });
      dim++;
    } else throw refuse(site, `indexing a tensor with ${v.kind === 'tuple' ? 'a tuple inside the index' : `a ${v.kind}`}`);
  }
  while (dim < rank) {
    basic.push({ kind: 'all' });
    dim++;
  }
  return { basic, advanced };
}

function bounds(site: CallSite, item: Basic, size: number, axis: number): { begin: number; end: number; stride: number } {
  if (item.kind === 'int') {
    const at = item.value < 0 ? item.value + size : item.value;
    if (at < 0 || at >= size) throw fail(site, `index ${item.value} is out of bounds for dimension ${axis} with size ${size}`);
    return { begin: at, end: at + 1, stride: 1 };
  }
  if (item.kind === 'slice') {
    const clamp = (v: number | null, fallback: number) => (v === null ? fallback : v < 0 ? Math.max(0, v + size) : Math.min(size, v));
    const begin = clamp(item.start, 0);
    return { begin, end: Math.max(begin, clamp(item.stop, size)), stride: item.step };
  }
  return { begin: 0, end: size, stride: 1 };
}

export function indexTensor(site: CallSite, x: TensorValue, items: Value[]): TensorValue {
  const { basic, advanced } = normalise(site, items, x.t.rank);
  if (advanced.has(-1)) {
    const mask = advanced.get(-1)!;
    if (mask.shape.some((s, i) => s !== x.t.shape[i])) throw fail(site, `The shape of the mask ${JSON.stringify(mask.shape)} does not match the shape of the indexed tensor ${JSON.stringify(x.t.shape)}`);
    const rows = tf().reshape(x.t, [-1, ...x.t.shape.slice(mask.rank)]);
    const flat = mask.reshape([-1]).dataSync();
    const picked: number[] = [];
    flat.forEach((v, i) => { if (v) picked.push(i); });
    return result(tf().gather(rows, tf().tensor1d(picked, 'int32')));
  }
  let t = x.t;
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  const squeeze: number[] = [];
  const newAxes: number[] = [];
  let axis = 0;
  const advancedAxes: number[] = [];
  basic.forEach((item, k) => {
    if (item.kind === 'new') {
      newAxes.push(k);
      return;
    }
    const b = bounds(site, item, t.shape[axis], axis);
    begin.push(b.begin);
    end.push(b.end);
    strides.push(b.stride);
    if (item.kind === 'int') squeeze.push(axis);
    if (advanced.has(k)) advancedAxes.push(axis);
    axis++;
  });
  t = tf().stridedSlice(t, begin, end, strides);
  const keptRoles = (x.roles ?? t.shape.map(() => null)).map((r, i) => (squeeze.includes(i) || begin[i] !== 0 || end[i] !== x.t.shape[i] || strides[i] !== 1 ? null : r));
  if (advancedAxes.length > 0) {
    if (newAxes.length > 0) throw refuse(site, 'None combined with tensor indices');
    const indices = [...advanced.values()].map((ix, i) => {
      const size = t.shape[advancedAxes[i]];
      const whole = ix.dtype === 'int32' ? ix : tf().cast(ix, 'int32');
      return tf().where(tf().less(whole, 0), tf().add(whole, tf().scalar(size, 'int32')), whole);
    });
    for (const [i, ix] of indices.entries()) {
      const size = t.shape[advancedAxes[i]];
      const [lo, hi] = [tf().min(ix).dataSync()[0], tf().max(ix).dataSync()[0]];
      if (ix.size > 0 && (lo < 0 || hi >= size)) throw fail(site, `index ${hi >= size ? hi : lo} is out of bounds for dimension ${advancedAxes[i]} with size ${size}`);
    }
    let out: Tensor;
    if (indices.length === 1) {
      out = tf().gather(t, indices[0], advancedAxes[0]);
      const grow = indices[0].rank - 1;
      const drop = squeeze.map((a) => (a > advancedAxes[0] ? a + grow : a));
      return result(drop.length > 0 ? tf().squeeze(out, drop) : out);
    } else {
      if (squeeze.length > 0) throw refuse(site, 'integer indices mixed with several tensor indices');
      const first = advancedAxes[0];
      if (advancedAxes.some((a, i) => a !== first + i)) throw refuse(site, 'tensor indices on axes that are not next to each other');
      const moved = first === 0 ? t : tf().transpose(t, [...advancedAxes, ...[...Array(t.rank).keys()].filter((a) => !advancedAxes.includes(a))]);
      let shape = indices[0].shape;
      for (const ix of indices) {
        const s = shape.length >= ix.shape.length ? shape : ix.shape;
        shape = s;
      }
      const stacked = tf().stack(indices.map((ix) => tf().broadcastTo(ix, shape)), -1);
      out = tf().gatherND(moved, stacked);
      if (first !== 0) {
        // PyTorch keeps the indexed block where the first tensor index was when the indices are adjacent.
        const lead = shape.length;
        const restBefore = first;
        const order = [...Array(out.rank).keys()];
        const moveBack = [...order.slice(lead, lead + restBefore), ...order.slice(0, lead), ...order.slice(lead + restBefore)];
        out = tf().transpose(out, moveBack);
      }
    }
    return result(out);
  }
  if (squeeze.length > 0) t = tf().squeeze(t, squeeze);
  if (newAxes.length === 0) keepLookup(x.t, t, begin, end, strides, squeeze);
  const readout = readoutOf(site, x, basic);
  let outRoles = keptRoles.filter((_, i) => !squeeze.includes(i));
  for (const k of newAxes) {
    // Position of the new axis among the output axes: items before it that keep an axis.
    const before = basic.slice(0, k).filter((b) => b.kind !== 'int').length;
    t = tf().expandDims(t, before);
    outRoles = [...outRoles.slice(0, before), null, ...outRoles.slice(before)];
  }
  const out = result(t, x.roles ? outRoles : undefined);
  if (readout) {
    noteReadout(readout);
    out.readout = readout;
  }
  return out;
}

/**
 * Indexing an Embedding's rows on the id axes only (`embedded[:, t, :]`, `embedded[:, t]`) gives
 * the rows of the ids indexed the same way: the result stays a lookup (see ../lookups.ts).
 */
function keepLookup(x: Tensor, out: Tensor, begin: number[], end: number[], strides: number[], squeeze: number[]): void {
  const lookup = lookupOf(x);
  const last = x.rank - 1;
  if (!lookup || last < 1 || begin[last] !== 0 || end[last] !== x.shape[last] || strides[last] !== 1) return;
  const ids = tf().stridedSlice(lookup.ids, begin.slice(0, last), end.slice(0, last), strides.slice(0, last));
  noteLookup(out, { table: lookup.table, ids: squeeze.length > 0 ? tf().squeeze(ids, squeeze) : ids });
}

/** `out[:, -1, :]` on the time axis, `h_n[-1]` on a final state's layer axis. */
function readoutOf(site: CallSite, x: TensorValue, basic: { kind: string; value?: number }[]): string | null {
  const axes = basic.filter((b) => b.kind !== 'new');
  if (x.state && axes[0]?.kind === 'int') return `final ${x.state} state ${site.text}`;
  const time = x.roles?.indexOf('T') ?? -1;
  if (time >= 0 && axes[time]?.kind === 'int') return axes[time].value === -1 ? `last step ${site.text}` : `time step ${site.text}`;
  return null;
}

/** `x[items] = value` as a new tensor: the region's elements (steps allowed) replaced by `value` broadcast to it. */
export function assignIndex(site: CallSite, x: TensorValue, items: Value[], value: Value): TensorValue {
  const { basic, advanced } = normalise(site, items, x.t.rank);
  if (advanced.size > 0 || basic.some((b) => b.kind === 'new')) throw refuse(site, 'assigning through tensor or None indices');
  const perAxis: number[][] = [];
  const regionShape: number[] = [];
  basic.forEach((item, axis) => {
    const b = bounds(site, item, x.t.shape[axis], axis);
    const picks: number[] = [];
    for (let i = b.begin; i < b.end; i += b.stride) picks.push(i);
    perAxis.push(picks);
    if (item.kind !== 'int') regionShape.push(picks.length);
  });
  let v: Tensor;
  if (value.kind === 'tensor') v = value.t;
  else if (value.kind === 'int' || value.kind === 'float' || value.kind === 'bool') v = tf().scalar(value.kind === 'bool' ? (value.value ? 1 : 0) : value.value, x.t.dtype === 'bool' ? 'int32' : x.t.dtype as 'float32');
  else throw fail(site, `cannot assign a ${value.kind} into a tensor`);
  if (v.dtype !== x.t.dtype) v = tf().cast(v, x.t.dtype);
  let region: Tensor;
  try {
    // PyTorch drops leading size-1 axes of the value that the region does not have.
    let fitted = v;
    while (fitted.rank > regionShape.length && fitted.shape[0] === 1) fitted = fitted.squeeze([0]);
    region = tf().broadcastTo(fitted, regionShape);
  } catch {
    throw fail(site, `shape mismatch: value tensor of shape [${v.shape.join(', ')}] cannot be broadcast to indexing result of shape [${regionShape.join(', ')}]`);
  }
  const count = perAxis.reduce((n, p) => n * p.length, 1);
  if (count === 0) return x;
  const strides = x.t.shape.map((_, i) => x.t.shape.slice(i + 1).reduce((n, d) => n * d, 1));
  const positions = new Int32Array(count);
  let k = 0;
  const walk = (axis: number, offset: number) => {
    if (axis === perAxis.length) {
      positions[k++] = offset;
      return;
    }
    for (const i of perAxis[axis]) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  const at = tf().tensor2d(positions, [count, 1], 'int32');
  const flat = tf().reshape(x.t, [-1]);
  const placed = tf().scatterND(at, tf().reshape(region, [-1]), [x.t.size]);
  const mask = tf().scatterND(at, tf().ones([count], 'int32'), [x.t.size]);
  return result(tf().reshape(tf().where(tf().cast(mask, 'bool'), placed, flat), x.t.shape), x.roles);
}
