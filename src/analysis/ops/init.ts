// torch.nn.init: each initialiser fills its tensor in place and returns that same tensor (`w = nn.Parameter(
// nn.init.xavier_uniform_(torch.empty(d, k)))`), so the result has the argument's shape and dtype; its values are new.
// Some refuse a rank (PyTorch 1.13 raises ValueError): the fan-based ones (xavier_*, kaiming_*) and orthogonal_ need at
// least two axes, eye_ exactly two, dirac_ three to five. The names without the trailing underscore are 1.13's
// deprecated aliases of the same functions. sparse_ (2-D only, with a required sparsity) is not modelled.
import type { Value } from '../values/value';
import { UNKNOWN } from '../values/value';
import { rewritten } from './in-place';

/** Every initialiser of torch.nn.init that returns its tensor, with the ranks PyTorch accepts (all when absent). */
const INITIALISERS: Record<string, { atLeast?: number; atMost?: number }> = {
  uniform_: {},
  normal_: {},
  trunc_normal_: {},
  constant_: {},
  ones_: {},
  zeros_: {},
  eye_: { atLeast: 2, atMost: 2 },
  dirac_: { atLeast: 3, atMost: 5 },
  xavier_uniform_: { atLeast: 2 },
  xavier_normal_: { atLeast: 2 },
  kaiming_uniform_: { atLeast: 2 },
  kaiming_normal_: { atLeast: 2 },
  orthogonal_: { atLeast: 2 },
};

/** The deprecated aliases 1.13 still has (`nn.init.xavier_uniform(w)` warns and runs xavier_uniform_). */
const ALIASES = new Set(['uniform', 'normal', 'constant', 'eye', 'dirac', 'xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'orthogonal']);

/** Whether `name` (after `torch.nn.init.`) is an initialiser this module reads. */
export function isInitialiser(name: string): boolean {
  return Object.hasOwn(INITIALISERS, name) || ALIASES.has(name);
}

/**
 * `torch.nn.init.<name>(tensor, ...)`: the tensor, refilled (its layout kept, its values' bounds and literal contents
 * dropped); unknown when the argument is no tensor or has a rank the initialiser refuses.
 */
export function initialise(name: string, args: Value[], kwargs: Map<string, Value>): Value {
  const rule = INITIALISERS[ALIASES.has(name) ? `${name}_` : name];
  const tensor = args[0] ?? kwargs.get('tensor');
  // A NumPy array has no such method: torch.nn.init raises on it.
  if (!rule || tensor?.kind !== 'tensor' || tensor.numpy) return UNKNOWN;
  if (tensor.shape.rankKnown) {
    const rank = tensor.shape.dims.length;
    if ((rule.atLeast !== undefined && rank < rule.atLeast) || (rule.atMost !== undefined && rank > rule.atMost)) return UNKNOWN;
  }
  return rewritten(tensor, tensor.origin);
}
