// What a tensor's values are, as a loss reads them: the raw scores of a Linear layer, the probabilities of a softmax or
// a sigmoid, or the log-probabilities of a log_softmax (or of the log of probabilities). nn.NLLLoss takes
// log-probabilities and nn.BCELoss probabilities, whatever the shapes: SL172 compares the two.
//
// The mark is set by those producers only and kept only by what leaves every value as it is or moves values about
// (views, squeezes, transposes, copies, device and dtype moves, dropout, indexing): every other operation, element-wise
// arithmetic included, makes values of another kind (`x - x.logsumexp(1, keepdim=True)` is a log_softmax written out),
// so the mark is dropped, and a value with no mark is never reported.
import type { Origin } from '../shapes/dim';
import type { TensorValue, Value, ValueKind } from '../values/value';

/** Methods and torch functions whose result holds the input's values, moved about or copied. */
const KEEPS_KIND = new Set([
  'view', 'view_as', 'reshape', 'reshape_as', 'flatten', 'squeeze', 'squeeze_', 'unsqueeze', 'unsqueeze_', 'transpose', 'transpose_', 't',
  'permute', 'movedim', 'moveaxis', 'swapaxes', 'swapdims', 'contiguous', 'clone', 'detach', 'detach_', 'cpu', 'cuda', 'to', 'float',
  'double', 'half', 'bfloat16', 'type', 'type_as', 'requires_grad_', 'retain_grad', 'pin_memory', 'share_memory_', 'dropout',
  'dropout1d', 'alpha_dropout', 'feature_alpha_dropout', 'select', 'narrow', 'index_select',
]);

const PRODUCED: Record<string, ValueKind> = {
  softmax: 'probabilities',
  softmin: 'probabilities',
  sigmoid: 'probabilities',
  log_softmax: 'log-probabilities',
  linear: 'scores',
};

/** A tensor whose values were written over (an in-place op, `out=`): what it holds is not known any more. */
export function forgetKind(value: Value | undefined): void {
  if (value?.kind === 'tensor') delete value.valueKind;
}

function mark(result: TensorValue, kind: ValueKind, by: string, origin: Origin): void {
  result.valueKind = { kind, by, call: origin.range };
}

/**
 * The kind of `result`, made from `input` by the method or torch function `name` (`x.softmax(1)`, `F.log_softmax(x)`,
 * `torch.log(p)`, `x.view(-1, n)`). A result that is the input itself is left as it is.
 */
export function kindAfterOp(result: Value | undefined, input: Value | undefined, name: string, origin: Origin): void {
  // An in-place op (`o.sigmoid_()`, `torch.sigmoid_(o)`, `o.clamp_(0, 1)`) writes new values into its input, whatever
  // it returns and whatever else holds that tensor: the input's mark no longer says what it holds. A mark is never set
  // this way (a value may stand for several tensors), only taken away, and a tensor with no mark is never reported.
  if (name.endsWith('_') && !name.startsWith('_') && !KEEPS_KIND.has(name)) {
    forgetKind(input);
    forgetKind(result);
    return;
  }
  if (result?.kind !== 'tensor' || result === input) return;
  const from = input?.kind === 'tensor' ? input.valueKind : undefined;
  // The log of probabilities is log-probabilities (torch.log(F.softmax(x, 1)) for NLLLoss).
  if ((name === 'log' || name === 'log_') && from?.kind === 'probabilities') return mark(result, 'log-probabilities', `log of ${from.by}`, origin);
  const produced = Object.hasOwn(PRODUCED, name) ? { kind: PRODUCED[name], by: name } : undefined;
  follow(result, input, produced, KEEPS_KIND.has(name), origin);
}

/** What an op's result holds: what the op produces, else the input's kind when the op keeps it, else nothing known. */
function follow(result: TensorValue, input: Value | undefined, produced: { kind: ValueKind; by: string } | undefined, keeps: boolean, origin: Origin): void {
  if (produced) return mark(result, produced.kind, produced.by, origin);
  const from = input?.kind === 'tensor' ? input.valueKind : undefined;
  if (from && keeps) result.valueKind = from;
  else delete result.valueKind;
}

/** Torch layers that leave the values as they are (a dropout keeps their kind: scaled or zeroed, still not logs). */
const LAYERS_KEEPING = new Set(['Dropout', 'Dropout1d', 'AlphaDropout', 'Identity', 'Flatten', 'Unflatten']);

const LAYERS_PRODUCING: Record<string, { kind: ValueKind; by: string }> = {
  Linear: { kind: 'scores', by: 'Linear' },
  Softmax: { kind: 'probabilities', by: 'softmax' },
  Softmin: { kind: 'probabilities', by: 'softmin' },
  Sigmoid: { kind: 'probabilities', by: 'sigmoid' },
  LogSoftmax: { kind: 'log-probabilities', by: 'log_softmax' },
};

/** The kind of what the torch layer `kind` (not a container: its children are applied one by one) made of `input`. */
export function kindAfterLayer(result: Value, input: Value | undefined, kind: string, origin: Origin): void {
  // A recurrent layer's (output, state) and the like: their tensors are new values, of no kind known here.
  if ((result.kind === 'tuple' || result.kind === 'list') && kind !== 'Sequential') {
    for (const item of result.items) if (item.kind === 'tensor' && item !== input) delete item.valueKind;
    return;
  }
  if (result.kind !== 'tensor' || result === input) return;
  // A container's output is its last child's, already marked when that child was applied.
  if (kind === 'Sequential' || kind === 'ModuleList' || kind === 'ModuleDict') return;
  follow(result, input, Object.hasOwn(LAYERS_PRODUCING, kind) ? LAYERS_PRODUCING[kind] : undefined, LAYERS_KEEPING.has(kind), origin);
}
