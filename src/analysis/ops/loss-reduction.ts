// How a loss reduces, read one way for the nn.*Loss modules and the F.* loss functions (PyTorch 1.13):
// - when size_average or reduce is not None, they decide and `reduction` is ignored: reduce=False gives one loss per
//   element, anything else a mean or a sum (torch.nn._reduction.legacy_get_string);
// - otherwise 'mean', 'sum' and the deprecated alias 'elementwise_mean' give a scalar, 'none' one loss per element,
//   and 'batchmean' a scalar for kl_div only (any other string raises).
// The unreduced output: one loss per sample and position for cross_entropy and nll_loss (the class axis 1 gone), one
// per batch entry for ctc_loss, and one per element of the broadcast input and target for the others.
import { Origin } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue } from '../values/value';
import { broadcast } from './broadcast';

/** A loss by its functional name: cross_entropy, nll_loss, mse_loss, …, ctc_loss. */
export type LossName =
  | 'cross_entropy' | 'nll_loss' | 'mse_loss' | 'l1_loss' | 'smooth_l1_loss' | 'huber_loss'
  | 'binary_cross_entropy' | 'binary_cross_entropy_with_logits' | 'kl_div' | 'ctc_loss';

/** The module class of each loss (nn.CrossEntropyLoss is F.cross_entropy's module). */
export const LOSS_MODULES: Record<string, LossName> = {
  CrossEntropyLoss: 'cross_entropy', NLLLoss: 'nll_loss', MSELoss: 'mse_loss', L1Loss: 'l1_loss', SmoothL1Loss: 'smooth_l1_loss',
  HuberLoss: 'huber_loss', BCELoss: 'binary_cross_entropy', BCEWithLogitsLoss: 'binary_cross_entropy_with_logits', KLDivLoss: 'kl_div',
  CTCLoss: 'ctc_loss',
};

/** Losses that still take the legacy size_average and reduce (huber_loss and ctc_loss never did). */
const LEGACY = new Set<LossName>(['cross_entropy', 'nll_loss', 'mse_loss', 'l1_loss', 'smooth_l1_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'kl_div']);

/** What `reduction` alone says: true for a mean or a sum, false for 'none', undefined when not known or refused. */
function reductionReduces(loss: LossName, reduction: Value | undefined): boolean | undefined {
  if (reduction === undefined) return true; // the default, 'mean'
  if (reduction.kind !== 'str') return undefined;
  if (reduction.value === 'none') return false;
  if (reduction.value === 'mean' || reduction.value === 'sum' || reduction.value === 'elementwise_mean') return true;
  return loss === 'kl_div' && reduction.value === 'batchmean' ? true : undefined;
}

/**
 * Whether the loss reduces to a scalar: true or false as PyTorch 1.13 decides, undefined when not known.
 * `given` is an argument's value, undefined when not passed (its default). A value not known may be None: both
 * readings (legacy and `reduction`) must then agree.
 */
export function lossReduces(loss: LossName, given: (param: 'size_average' | 'reduce' | 'reduction') => Value | undefined): boolean | undefined {
  const fromReduction = reductionReduces(loss, given('reduction'));
  if (!LEGACY.has(loss)) return fromReduction;
  const sizeAverage = given('size_average');
  const reduce = given('reduce');
  const isNone = (v: Value | undefined) => v === undefined || v.kind === 'none';
  if (isNone(sizeAverage) && isNone(reduce)) return fromReduction;
  // reduce None counts as True; size_average only picks between a mean and a sum.
  const fromLegacy = isNone(reduce) ? true : boolValue(reduce);
  const surelyLegacy = (v: Value | undefined) => !isNone(v) && v!.kind !== 'unknown';
  if (surelyLegacy(sizeAverage) || surelyLegacy(reduce)) return fromLegacy;
  return fromLegacy === fromReduction ? fromLegacy : undefined;
}

/** The loss's output when it reduces: a float scalar. */
export function reducedLoss(origin: Origin): TensorValue {
  return { kind: 'tensor', dtype: 'float', origin, shape: shapeOf([]) };
}

/**
 * The loss's output when it does not reduce, from its first two tensor arguments (input and target; log_probs and
 * targets for ctc_loss). Unknown shape when they do not say it.
 */
export function unreducedLoss(loss: LossName, input: Value | undefined, target: Value | undefined, origin: Origin): TensorValue {
  const base: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  if (input?.kind !== 'tensor') return base;
  if (loss === 'cross_entropy' || loss === 'nll_loss') {
    // (C) scores give one loss, (N, C, d1, …) one per sample and position: the shape of class-index targets.
    if (!input.shape.rankKnown) return target?.kind === 'tensor' && target.dtype === 'long' && target.shape.rankKnown ? { ...base, shape: target.shape } : base;
    const dims = input.shape.dims;
    if (dims.length === 0) return base;
    return { ...base, shape: shapeOf(dims.length === 1 ? [] : dims.filter((_, i) => i !== 1)) };
  }
  if (loss === 'ctc_loss') {
    // log_probs (T, N, C) give one loss per batch entry; unbatched (T, C) one loss.
    if (!input.shape.rankKnown) return base;
    const dims = input.shape.dims;
    if (dims.length === 3) return { ...base, shape: shapeOf([dims[1]]) };
    return dims.length === 2 ? { ...base, shape: shapeOf([]) } : base;
  }
  if (target?.kind !== 'tensor') return base;
  return { ...broadcast(input, target, origin), dtype: 'float' };
}
