// Augmented assignment on a tensor (`q += residual`, `x *= mask`): torch.Tensor and numpy.ndarray define the in-place
// operators, which write the result into the left operand. Its shape and dtype never change: the right operand must
// broadcast to the left's shape, or PyTorch raises "output with shape [2, 3] doesn't match the broadcast shape
// [4, 2, 3]" (numpy: "non-broadcastable output operand"). So after the statement the name holds a tensor of the
// shape it had, whatever the right operand is, known or not. `@=` has no in-place form: Python falls back to
// `q = q @ k`, whose shape is the product's.
import type { TensorValue, Value } from '../values/value';

const IN_PLACE = new Set(['+', '-', '*', '/', '//', '%', '**', '&', '|', '^', '<<', '>>']);

/**
 * What `target op= operand` leaves in the target, given the target's value before and `result`, the value of
 * `target op operand` (its origin names the statement). Only a tensor target is written in place.
 */
export function inPlaceResult(op: string, target: Value, result: Value): Value {
  if (target.kind !== 'tensor' || !IN_PLACE.has(op)) return result;
  return rewritten(target, result.kind === 'tensor' ? result.origin ?? target.origin : target.origin);
}

/**
 * A tensor written in place (`q += r`, `nn.init.xavier_uniform_(w)`): its layout stays (shape, strides, axis roles,
 * the parameter it arrived as); its values change, so bounds and literal contents do not carry over.
 */
export function rewritten(target: TensorValue, origin: TensorValue['origin']): TensorValue {
  const written: TensorValue = { kind: 'tensor', shape: target.shape, dtype: target.dtype, origin };
  if (target.strides) written.strides = target.strides;
  if (target.name) written.name = target.name;
  if (target.rnnOutput) written.rnnOutput = target.rnnOutput;
  if (target.regrouped) written.regrouped = target.regrouped;
  return written;
}
