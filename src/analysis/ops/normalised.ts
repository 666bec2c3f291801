// Where a softmax's weights come from: the axis they sum to 1 over, carried on the tensor while it is still the
// softmax's output (copies, dropout, and the ops that only move or add axes of size 1: transpose, permute, unsqueeze,
// squeeze, which take the axis along), for SL153. Anything else that makes a new tensor drops it.
import type { Origin } from '../shapes/dim';
import { TensorValue, Value, intValue } from '../values/value';

/** Copies and moves of a tensor: its values are the softmax's, axis for axis. */
export const KEEPS_NORMALISED = new Set([
  'contiguous', 'detach', 'detach_', 'clone', 'cpu', 'cuda', 'to', 'type', 'requires_grad_', 'retain_grad', 'pin_memory', 'share_memory_',
  'dropout', 'dropout1d', 'alpha_dropout',
]);

/** Marks `result` as the softmax of `input` over `dim`, when that axis is known (the implicit legacy dim is not). */
export function markSoftmax(result: TensorValue, input: TensorValue, dim: Value | undefined, origin: Origin): void {
  delete result.normalisedOver;
  if (!input.shape.rankKnown || dim === undefined) return;
  const d = intValue(dim);
  const rank = input.shape.dims.length;
  if (d === undefined || rank === 0 || d < -rank || d >= rank) return;
  result.normalisedOver = { axis: d < 0 ? d + rank : d, rank, call: origin.range };
}

/** What `result`, made from `input` by `name`, keeps of its softmax origin. */
export function carryNormalised(result: Value, input: TensorValue, name: string): void {
  if (result.kind !== 'tensor') return;
  if (input.normalisedOver && KEEPS_NORMALISED.has(name) && result.shape.rankKnown && result.shape.dims.length === input.normalisedOver.rank) result.normalisedOver = input.normalisedOver;
  else delete result.normalisedOver;
}

/**
 * What `result`, `input` with its axes moved (transpose, permute) or axes of size 1 added or taken away (unsqueeze,
 * squeeze), keeps of its softmax origin: the same weights, normalised over the axis where `to` puts the old one. An
 * axis `to` drops (a squeezed 1) leaves nothing to say.
 */
export function moveNormalised(result: TensorValue, input: TensorValue, to: (axis: number) => number | undefined): void {
  const n = input.normalisedOver;
  if (!n || !input.shape.rankKnown || input.shape.dims.length !== n.rank || !result.shape.rankKnown) return;
  const axis = to(n.axis);
  if (axis === undefined || axis < 0 || axis >= result.shape.dims.length) return;
  result.normalisedOver = { axis, rank: result.shape.dims.length, call: n.call, moved: true };
}
