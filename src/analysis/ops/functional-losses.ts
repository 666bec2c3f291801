// Loss functions of torch.nn.functional (F.cross_entropy, F.mse_loss, …): a scalar when they reduce, one loss per
// sample or element with reduction='none' or the legacy reduce=False. The input/target layout checks live in the rules.
import { Origin } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue } from '../values/value';
import { broadcast } from './broadcast';

/** Each loss's parameters after input and target, in PyTorch 1.13's positional order. */
const PARAMETERS: Record<string, string[]> = {
  cross_entropy: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'],
  nll_loss: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'],
  mse_loss: ['size_average', 'reduce', 'reduction'],
  l1_loss: ['size_average', 'reduce', 'reduction'],
  smooth_l1_loss: ['size_average', 'reduce', 'reduction', 'beta'],
  huber_loss: ['reduction', 'delta'],
  binary_cross_entropy: ['weight', 'size_average', 'reduce', 'reduction'],
  binary_cross_entropy_with_logits: ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'],
  kl_div: ['size_average', 'reduce', 'reduction', 'log_target'],
};

/** Losses whose inputs hold class scores on axis 1: one loss per sample, the class axis gone. */
const CLASSIFICATION = new Set(['cross_entropy', 'nll_loss']);

export function isFunctionalLoss(name: string): boolean {
  return Object.hasOwn(PARAMETERS, name);
}

/** What `reduction` says: true for a mean or a sum, false for 'none', undefined when not known. */
function reductionReduces(name: string, reduction: Value | undefined): boolean | undefined {
  if (reduction === undefined) return true;
  if (reduction.kind !== 'str') return undefined;
  if (reduction.value === 'none') return false;
  if (reduction.value === 'mean' || reduction.value === 'sum' || reduction.value === 'elementwise_mean') return true;
  return name === 'kl_div' && reduction.value === 'batchmean' ? true : undefined;
}

/**
 * Whether the loss reduces to a scalar. When size_average or reduce is not None, PyTorch 1.13 ignores `reduction`:
 * reduce=False gives one loss per element, and anything else (reduce None or true) a mean or a sum. A value not
 * known may be None: both readings must then agree. Undefined when not known.
 */
function reduces(name: string, given: (param: string) => Value | undefined): boolean | undefined {
  const sizeAverage = given('size_average');
  const reduce = given('reduce');
  const isNone = (v: Value | undefined) => v === undefined || v.kind === 'none';
  const fromReduction = reductionReduces(name, given('reduction'));
  if (isNone(sizeAverage) && isNone(reduce)) return fromReduction;
  const fromLegacy = isNone(reduce) ? true : boolValue(reduce!);
  const surelyLegacy = (v: Value | undefined) => !isNone(v) && v!.kind !== 'unknown';
  if (surelyLegacy(sizeAverage) || surelyLegacy(reduce)) return fromLegacy;
  return fromLegacy === fromReduction ? fromLegacy : undefined;
}

/** `F.<name>(input, target, …)` for the loss functions above; undefined for any other name. */
export function functionalLoss(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  if (!isFunctionalLoss(name)) return undefined;
  const base: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  const params = PARAMETERS[name];
  // Arguments past the signature make PyTorch raise; so does a keyword it does not take.
  if (args.length > params.length + 2 || [...kwargs.keys()].some((k) => k !== 'input' && k !== 'target' && !params.includes(k))) return base;
  const given = (param: string): Value | undefined => {
    const i = params.indexOf(param);
    return (i >= 0 ? args[i + 2] : undefined) ?? kwargs.get(param);
  };
  const reduced = reduces(name, given);
  if (reduced) return { ...base, shape: shapeOf([]) };
  const input = args[0] ?? kwargs.get('input');
  const target = args[1] ?? kwargs.get('target');
  if (reduced === undefined || input?.kind !== 'tensor' || !input.shape.rankKnown) return base;
  if (CLASSIFICATION.has(name)) {
    const dims = input.shape.dims;
    // (C) scores give one loss, (N, C, d1, …) one per sample and position.
    if (dims.length === 0) return base;
    return { ...base, shape: shapeOf(dims.length === 1 ? [] : dims.filter((_, i) => i !== 1)) };
  }
  if (target?.kind !== 'tensor') return base;
  return { ...broadcast(input, target, origin), dtype: 'float' };
}
