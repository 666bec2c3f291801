// Loss functions of torch.nn.functional (F.cross_entropy, F.mse_loss, …, F.ctc_loss): a scalar when they reduce, one
// loss per sample or element with reduction='none' or the legacy reduce=False (read in loss-reduction.ts, as for the
// nn.*Loss modules). The input/target layout checks live in the rules.
import { Origin } from '../shapes/dim';
import { UNKNOWN_SHAPE } from '../shapes/shape';
import { TensorValue, Value } from '../values/value';
import { LossName, lossReduces, reducedLoss, unreducedLoss } from './loss-reduction';

/** Each loss's tensor arguments, then its other parameters, in PyTorch 1.13's positional order. */
const SIGNATURES: Record<LossName, { tensors: string[]; params: string[] }> = {
  cross_entropy: { tensors: ['input', 'target'], params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'] },
  nll_loss: { tensors: ['input', 'target'], params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'] },
  mse_loss: { tensors: ['input', 'target'], params: ['size_average', 'reduce', 'reduction'] },
  l1_loss: { tensors: ['input', 'target'], params: ['size_average', 'reduce', 'reduction'] },
  smooth_l1_loss: { tensors: ['input', 'target'], params: ['size_average', 'reduce', 'reduction', 'beta'] },
  huber_loss: { tensors: ['input', 'target'], params: ['reduction', 'delta'] },
  binary_cross_entropy: { tensors: ['input', 'target'], params: ['weight', 'size_average', 'reduce', 'reduction'] },
  binary_cross_entropy_with_logits: { tensors: ['input', 'target'], params: ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'] },
  kl_div: { tensors: ['input', 'target'], params: ['size_average', 'reduce', 'reduction', 'log_target'] },
  ctc_loss: { tensors: ['log_probs', 'targets', 'input_lengths', 'target_lengths'], params: ['blank', 'reduction', 'zero_infinity'] },
};

export function isFunctionalLoss(name: string): name is LossName {
  return Object.hasOwn(SIGNATURES, name);
}

/** `F.<name>(input, target, …)` for the loss functions above; undefined for any other name. */
export function functionalLoss(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  if (!isFunctionalLoss(name)) return undefined;
  const base: TensorValue = { kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE };
  const { tensors, params } = SIGNATURES[name];
  const all = [...tensors, ...params];
  // Arguments past the signature make PyTorch raise; so does a keyword it does not take.
  if (args.length > all.length || [...kwargs.keys()].some((k) => !all.includes(k))) return base;
  const given = (param: string): Value | undefined => {
    const i = all.indexOf(param);
    return (i >= 0 ? args[i] : undefined) ?? kwargs.get(param);
  };
  const reduced = lossReduces(name, given);
  if (reduced) return reducedLoss(origin);
  if (reduced === undefined) return base;
  return unreducedLoss(name, given(tensors[0]), given(tensors[1]), origin);
}
