// `x.expand_as(other)`: PyTorch expands x to other's shape, one way only (the same check as a store's value into its
// region, storeClash). Part of SL119 (broadcast-size-mismatch).
import { formatDim } from '../../shapes/dim';
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
