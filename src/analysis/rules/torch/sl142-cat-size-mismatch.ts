import { Dim, UNKNOWN_DIM, formatDim } from '../../shapes/dim';
import { formatShape, normaliseAxis } from '../../shapes/shape';
import { intValue, type TensorValue } from '../../values/value';
import type { Rule } from '../rule';
import { relatedOrigin } from './describe';
import { joinAxisTensor } from './sl123-dim-out-of-range';

const FUNCTIONS: Record<string, 'cat' | 'stack'> = { 'torch.cat': 'cat', 'torch.concat': 'cat', 'torch.stack': 'stack' };

export interface CatClash {
  /** The joined tensor that does not fit, by its place in the list. */
  index: number;
  /** The axis of the inputs where it differs. */
  axis: number;
  expected: Dim;
  got: Dim;
  /** Set when the tensor's rank differs from the first one's (then `axis`, `expected` and `got` say nothing). */
  ranks?: { expected: number; got: number };
}

/** cat skips 1-D tensors of size 0 (PyTorch's legacy empty tensor); stack skips nothing. */
function skipped(dims: readonly Dim[], stack: boolean): boolean {
  return !stack && dims.length === 1 && dims[0].kind === 'int' && dims[0].value === 0;
}

/**
 * Where tensors of the given shapes cannot be joined along `axis` (already normalised): PyTorch walks the tensors in
 * order and names the first that does not fit: one whose rank differs from the first one's (1-D empty tensors are
 * skipped by cat), or one whose known size on another axis (stack: on any axis) differs from the first tensor's,
 * each one's axes in order (ranks are not compared where a 1-D tensor of unknown size may be an empty one); against the first known size of each axis when the first tensor's is unknown. Unknown
 * sizes never clash.
 */
export function catClash(shapes: readonly (readonly Dim[])[], axis: number, stack: boolean): CatClash | undefined {
  const kept = shapes.map((dims, index) => ({ dims, index })).filter((s) => !skipped(s.dims, stack));
  if (kept.length < 2) return undefined;
  const rank = kept[0].dims.length;
  const reference: (Dim | undefined)[] = [];
  for (let k = 0; k < rank; k++) reference.push(kept.filter((s) => s.dims.length === rank).map((s) => s.dims[k]).find((d) => d.kind === 'int'));
  // A 1-D tensor of unknown size may be the empty one cat skips: where one is given, ranks are not compared.
  const maybeEmpty = !stack && kept.some((s) => s.dims.length === 1 && s.dims[0].kind !== 'int');
  for (const s of kept) {
    if (s.dims.length !== rank && maybeEmpty) return undefined;
    if (s.dims.length !== rank) return { index: s.index, axis: 0, expected: UNKNOWN_DIM, got: UNKNOWN_DIM, ranks: { expected: rank, got: s.dims.length } };
    for (let k = 0; k < rank; k++) {
      if (!stack && k === axis) continue;
      const want = reference[k];
      const got = s.dims[k];
      if (want?.kind === 'int' && got.kind === 'int' && got.value !== want.value) return { index: s.index, axis: k, expected: want, got };
    }
  }
  return undefined;
}

export const catSizeMismatch: Rule = {
  code: 'SL142',
  name: 'cat-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'torch.cat joins tensors whose sizes differ on an axis other than the joined one (torch.stack: on any axis).',
  docs: {
    whatItDoes:
      'Compares the tensors of a literal list or tuple given to `torch.cat`/`torch.concat` axis by axis: every axis but `dim` must have one size (1-D empty tensors are skipped, as PyTorch does). For `torch.stack` every axis must agree. Tensors of different ranks are refused too (cat: "Tensors must have same number of dimensions"). Only sizes known on both sides are compared; a list grown in a loop, unknown sizes and symbols are never compared.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Sizes of tensors must match except in dimension 2. Expected size 1 but got size 0 for tensor number 1 in the list.` The usual cause is upstream: the two halves of a one-layer, one-direction state (`h_n[0:1]` and an empty `h_n[1:]`), a batch-first tensor joined to a time-first one, or the last, smaller batch joined to a state built for the full one.',
    example: 'output, hidden = self.lstm(x, hidden)     # nn.LSTM(..., num_layers=1): h_n is (1, batch, 64)\nh = torch.cat([hidden[0][0:1], hidden[0][1:]], dim=2)   # (1, batch, 64) and (0, batch, 64)',
    useInstead: 'h = hidden[0]                              # one layer, one direction: the state as it is',
    references: ['https://pytorch.org/docs/stable/generated/torch.cat.html', 'https://pytorch.org/docs/stable/generated/torch.stack.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => Object.hasOwn(FUNCTIONS, qualname) && !!FUNCTIONS[qualname],
    },
    functionCall(event, ctx) {
      const kind = Object.hasOwn(FUNCTIONS, event.qualname) ? FUNCTIONS[event.qualname] : undefined;
      if (!kind || event.call.hasStarArgs) return;
      const seq = event.args[0] ?? event.kwargs.get('tensors');
      if ((seq?.kind !== 'list' && seq?.kind !== 'tuple') || seq.element || seq.items.length < 2) return;
      if (!seq.items.every((v) => v.kind === 'tensor' && v.shape.rankKnown)) return;
      const tensors = seq.items as TensorValue[];
      const stack = kind === 'stack';
      const dimArg = event.args[1] ?? event.kwargs.get('dim');
      const axisValue = dimArg === undefined ? 0 : intValue(dimArg);
      if (axisValue === undefined) return;
      // The axis is wrapped against the tensor PyTorch takes for it (SL123's joinAxisTensor).
      const at = joinAxisTensor(tensors.map((t) => t.shape.dims), stack);
      if (at === undefined) return;
      const first = tensors[at];
      const axis = normaliseAxis(axisValue, stack ? first.shape.dims.length + 1 : first.shape.dims.length);
      if (axis === undefined) return;
      const clash = catClash(tensors.map((t) => t.shape.dims), axis, stack);
      if (!clash) return;
      const shapes = tensors.map((t) => formatShape(t.shape)).join(', ');
      const raises = stack
        ? `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry ${at} and ${formatShape(tensors[clash.index].shape)} at entry ${clash.index}`
        : clash.ranks
          ? `Tensors must have same number of dimensions: got ${clash.ranks.expected} and ${clash.ranks.got}`
          : `Sizes of tensors must match except in dimension ${axis}. Expected size ${formatDim(clash.expected)} but got size ${formatDim(clash.got)} for tensor number ${clash.index} in the list.`;
      const what = stack ? `stacked on a new axis ${axis}, they must have one shape` : clash.ranks ? 'joined tensors must have the same number of axes' : `joined along axis ${axis}, they must agree on every other axis`;
      const differs = clash.ranks
        ? `is ${clash.ranks.got}-D where the first is ${clash.ranks.expected}-D`
        : `has ${formatDim(clash.got)} on axis ${clash.axis} where the others have ${formatDim(clash.expected)}`;
      ctx.report({
        range: event.call.range,
        message: `${event.qualname} of ${shapes}: ${what}, but tensor number ${clash.index} ${differs}, so PyTorch raises "${raises}"`,
        related: relatedOrigin(tensors[clash.index], event.call.range, `tensor number ${clash.index}, ${formatShape(tensors[clash.index].shape)}, comes from here`),
        fixes: [],
      });
    },
  },
};
