// `x.expand_as(other)` and `x.expand(*sizes)`: PyTorch expands x to the target sizes, one way only (the same check as
// a store's value into its region, storeClash). Part of SL119 (broadcast-size-mismatch).
import { Dim, formatDim } from '../../shapes/dim';
import { dimsFromSizeArgs } from '../../ops/dims-from-values';
import { formatShape } from '../../shapes/shape';
import type { RuleContext, TensorMethodEvent } from '../../interpret/events';
import { operandText, relatedOrigin } from './describe';
import { storeClash } from './store-broadcast';

export function checkExpandAs(event: TensorMethodEvent, ctx: RuleContext): void {
  if (event.name !== 'expand_as' || event.call.hasStarArgs || event.args.length !== 1) return;
  const target = event.args[0];
  const { receiver, call } = event;
  if (target.kind !== 'tensor' || !target.shape.rankKnown) return;
  const clash = storeClash(target.shape.dims, receiver.shape.dims);
  if (!clash) return;
  const func = call.func;
  const self = operandText(ctx, func.kind === 'attribute' ? func.object : undefined, receiver);
  ctx.report({
    range: call.range,
    message: `.expand_as(): ${self} cannot be expanded to ${formatShape(target.shape)} (${formatDim(clash.value)} against ${formatDim(clash.region)}, aligned from the last axis; only sizes of 1 expand), so PyTorch raises "The expanded size of the tensor (${formatDim(clash.region)}) must match the existing size (${formatDim(clash.value)}) at non-singleton dimension ${clash.axis}"`,
    related: relatedOrigin(receiver, call.range, `the expanded tensor, ${formatShape(receiver.shape)}, comes from here`),
    fixes: [],
  });
}

/** Why `x.expand(*sizes)` raises, where the sizes and the tensor's sizes show it; see expandClash. */
export type ExpandClash =
  | { kind: 'fewer'; provided: number; rank: number }
  | { kind: 'leading-minus-one'; axis: number }
  | { kind: 'size'; axis: number; target: number; existing: number };

/**
 * PyTorch's expand geometry (inferExpandGeometry): at least as many sizes as the tensor has axes; then from the last
 * size back to the first, -1 keeps the tensor's own size (refused on a new leading axis), and any other size must
 * equal the tensor's or meet a size of 1. The first clash met, in that order, is the one PyTorch names. Sizes or
 * existing sizes not known are never compared (a -1 over a new leading axis is known by its place alone).
 */
export function expandClash(source: readonly Dim[], sizes: readonly Dim[]): ExpandClash | undefined {
  if (sizes.length < source.length) return { kind: 'fewer', provided: sizes.length, rank: source.length };
  for (let i = sizes.length - 1; i >= 0; i--) {
    const dim = source.length - (sizes.length - i);
    const target = sizes[i];
    if (target.kind !== 'int') continue;
    if (target.value === -1) {
      if (dim < 0) return { kind: 'leading-minus-one', axis: i };
      continue;
    }
    if (dim < 0 || target.value < 0) continue;
    const existing = source[dim];
    if (existing.kind === 'int' && existing.value !== target.value && existing.value !== 1) return { kind: 'size', axis: i, target: target.value, existing: existing.value };
  }
  return undefined;
}

/** The clash of each `x.expand(...)` event, worked out once for the two rules that report its kinds. */
const clashes = new WeakMap<TensorMethodEvent, { sizes: Dim[]; clash: ExpandClash } | undefined>();

/**
 * The sizes `x.expand(...)` is given and why PyTorch refuses them (see expandClash), where the sizes and the tensor's
 * rank are known; undefined for another method, or where nothing is sure to raise. SL119 reports the size clashes,
 * SL118 too few sizes.
 */
export function expandClashOf(event: TensorMethodEvent): { sizes: Dim[]; clash: ExpandClash } | undefined {
  if (event.name !== 'expand' || event.call.hasStarArgs || event.kwargs.size > 0 || event.args.length === 0 || !event.receiver.shape.rankKnown) return undefined;
  if (clashes.has(event)) return clashes.get(event);
  const sizes = dimsFromSizeArgs(event.args, undefined);
  const clash = sizes && expandClash(event.receiver.shape.dims, sizes);
  const found = sizes && clash ? { sizes, clash } : undefined;
  clashes.set(event, found);
  return found;
}

export function checkExpand(event: TensorMethodEvent, ctx: RuleContext): void {
  const found = expandClashOf(event);
  // Fewer sizes than axes is SL118's (repeat-fewer-sizes) to report.
  if (!found || found.clash.kind === 'fewer') return;
  const { sizes, clash } = found;
  const { receiver, call } = event;
  const func = call.func;
  const self = operandText(ctx, func.kind === 'attribute' ? func.object : undefined, receiver);
  const written = `(${sizes.map((d) => formatDim(d)).join(', ')})`;
  const raises =
    clash.kind === 'size'
      ? `The expanded size of the tensor (${clash.target}) must match the existing size (${clash.existing}) at non-singleton dimension ${clash.axis}`
      : `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${clash.axis}`;
  const why =
    clash.kind === 'size'
      ? `size ${clash.existing} cannot be expanded to ${clash.target} (aligned from the last axis; only sizes of 1 expand)`
      : `-1 keeps a size the tensor has, but axis ${clash.axis} of the result is new`;
  ctx.report({
    range: call.range,
    message: `.expand${written}: ${self} cannot be expanded to those sizes: ${why}, so PyTorch raises "${raises}"`,
    related: relatedOrigin(receiver, call.range, `the expanded tensor, ${formatShape(receiver.shape)}, comes from here`),
    fixes: [],
  });
}
