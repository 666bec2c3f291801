// `x[idx] = value` on a tensor: PyTorch copies value into the region idx selects, expanding value to the region's
// shape. Part of SL119 (broadcast-size-mismatch): the same broadcasting, one way only.
import { Dim, formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { RuleContext, TensorStoreEvent } from '../../interpret/events';
import { originNote, relatedOrigin } from './describe';

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

export function checkTensorStore(event: TensorStoreEvent, ctx: RuleContext): void {
  const { region, value, node } = event;
  if (value.kind !== 'tensor' || !region.shape.rankKnown) return;
  const clash = storeClash(region.shape.dims, value.shape.dims);
  if (!clash) return;
  const target = ctx.text(node.range);
  ctx.report({
    range: node.range,
    message: `${target} selects a ${formatShape(region.shape)} region, but the value written into it is ${formatShape(value.shape)}${originNote(value)}: ${formatDim(clash.value)} cannot be expanded to ${formatDim(clash.region)} (aligned from the last axis), so PyTorch raises "The expanded size of the tensor (${formatDim(clash.region)}) must match the existing size (${formatDim(clash.value)}) at non-singleton dimension ${clash.axis}"`,
    related: relatedOrigin(value, node.range, `the value, ${formatShape(value.shape)}, comes from here`),
    fixes: [],
  });
}
