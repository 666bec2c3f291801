// `x[idx] = value` on a tensor: PyTorch copies value into the region idx selects, expanding value to the region's
// shape. Part of SL119 (broadcast-size-mismatch): the same broadcasting, one way only.
import { Dim, formatDim, neverOne } from '../../shapes/dim';
import { formatShape, shapeOf } from '../../shapes/shape';
import type { RuleContext, TensorStoreEvent } from '../../interpret/events';
import { bracketed, numpyTuple, originNote, relatedOrigin } from './describe';

export interface StoreClash {
  /** The region's axis where the value cannot be expanded, counted from the left. */
  axis: number;
  region: Dim;
  value: Dim;
}

/**
 * Where a value of shape `value` cannot be expanded into a region of shape `region`: aligned from the last axis, a
 * known value size that is neither 1 nor the region's known size. PyTorch drops the value's leading 1s first, and
 * checks from the last axis backwards, naming the first clash it meets; so does this. Unknown sizes never clash.
 */
export function storeClash(region: readonly Dim[], value: readonly Dim[]): StoreClash | undefined {
  const both = Math.min(region.length, value.length);
  for (let k = 1; k <= both; k++) {
    const r = region[region.length - k];
    const v = value[value.length - k];
    if (r.kind === 'int' && v.kind === 'int' && v.value !== r.value && v.value !== 1) return { axis: region.length - k, region: r, value: v };
  }
  return undefined;
}

/**
 * The value's axes once its leading 1s are dropped, when they are certainly more than the region has: PyTorch (and
 * NumPy) drop a value's leading axes of size 1 and then expand it to the region, which cannot remove an axis. A
 * leading size that may be 1 (unknown, or a symbol) is dropped too, so only a certain excess is returned.
 */
export function storeRankExcess(region: readonly Dim[], value: readonly Dim[]): readonly Dim[] | undefined {
  let start = 0;
  while (start < value.length && !neverOne(value[start])) start++;
  const kept = value.slice(start);
  return kept.length > region.length ? kept : undefined;
}

/** A value with more axes than the region it is written into, even without its leading 1s: PyTorch or NumPy raises. */
function checkStoreRank(event: TensorStoreEvent, ctx: RuleContext): void {
  const { region, value, node, tensor } = event;
  if (value.kind !== 'tensor' || !value.shape.rankKnown) return;
  const kept = storeRankExcess(region.shape.dims, value.shape.dims);
  if (!kept) return;
  const advanced = event.items.some((item) => item.kind === 'tensor' || item.kind === 'mask');
  const regionDims = region.shape.dims;
  const raised = tensor.numpy
    ? `NumPy raises "could not broadcast input array from shape ${numpyTuple(kept)} into shape ${numpyTuple(regionDims)}"`
    : advanced
      ? `PyTorch raises "shape mismatch: value tensor of shape ${bracketed(value.shape.dims)} cannot be broadcast to indexing result of shape ${bracketed(regionDims)}"`
      : `PyTorch raises "expand(…, size=${bracketed(regionDims)}): the number of sizes provided (${regionDims.length}) must be greater or equal to the number of dimensions in the tensor (${kept.length})"`;
  const dropped = kept.length < value.shape.dims.length ? ` (${formatShape(shapeOf([...kept]))} once its leading 1s are dropped)` : '';
  ctx.report({
    range: node.range,
    message: `${ctx.text(node.range)} selects a ${formatShape(region.shape)} region, but the value written into it is ${formatShape(value.shape)}${originNote(value)}${dropped}: it has more axes than the region, and expanding a value to the region cannot remove an axis, so ${raised}`,
    related: relatedOrigin(value, node.range, `the value, ${formatShape(value.shape)}, comes from here`),
    fixes: [],
  });
}

export function checkTensorStore(event: TensorStoreEvent, ctx: RuleContext): void {
  const { region, value, node } = event;
  if (value.kind !== 'tensor' || !region.shape.rankKnown) return;
  const clash = storeClash(region.shape.dims, value.shape.dims);
  if (!clash) {
    checkStoreRank(event, ctx);
    return;
  }
  const target = ctx.text(node.range);
  ctx.report({
    range: node.range,
    message: `${target} selects a ${formatShape(region.shape)} region, but the value written into it is ${formatShape(value.shape)}${originNote(value)}: ${formatDim(clash.value)} cannot be expanded to ${formatDim(clash.region)} (aligned from the last axis), so PyTorch raises "The expanded size of the tensor (${formatDim(clash.region)}) must match the existing size (${formatDim(clash.value)}) at non-singleton dimension ${clash.axis}"`,
    related: relatedOrigin(value, node.range, `the value, ${formatShape(value.shape)}, comes from here`),
    fixes: [],
  });
}
