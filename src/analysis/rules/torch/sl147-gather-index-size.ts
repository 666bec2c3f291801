import type { Range } from '../../findings';
import type { Dim } from '../../shapes/dim';
import { knownValue } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import { intValue } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { originRelated } from './attention-helpers';
import { keywordExpr } from './describe';

export type GatherClash = { kind: 'rank' } | { kind: 'size'; axis: number; exact: boolean };

/**
 * What PyTorch 1.13's torch.gather(input, dim, index) refuses in the shapes (gather_shape_check): an index of another
 * rank than the input, or an index larger than the input on an axis other than `dim`. PyTorch checks nothing when the
 * index is empty, so every size of the index must be known and non-zero; `exact` says whether PyTorch's message
 * names this axis (every axis before it is known to fit). Undefined where nothing is sure to raise, or `dim` is out
 * of range (SL123's finding).
 */
export function gatherClash(input: Dim[], index: Dim[], dim: number): GatherClash | undefined {
  const sizes = index.map(knownValue);
  if (sizes.some((n) => n === undefined || n === 0)) return undefined;
  // A 0-D tensor counts as 1-D of one entry (ensure_nonempty_dim and ensure_nonempty_size).
  const rank = Math.max(input.length, 1);
  if (rank !== Math.max(index.length, 1)) return { kind: 'rank' };
  const axis = dim < 0 ? dim + rank : dim;
  if (axis < 0 || axis >= rank) return undefined;
  let exact = true;
  for (let i = 0; i < rank; i++) {
    if (i === axis) continue;
    const want = input.length === 0 ? 1 : knownValue(input[i]);
    const got = index.length === 0 ? 1 : (sizes[i] as number);
    if (want === undefined) {
      exact = false;
      continue;
    }
    if (got > want) return { kind: 'size', axis: i, exact };
  }
  return undefined;
}

function report(ctx: RuleContext, range: Range, input: TensorValue, index: TensorValue, dimValue: Value | undefined, indexRange: Range | undefined): void {
  const dim = intValue(dimValue);
  if (dim === undefined || !input.shape.rankKnown || !index.shape.rankKnown) return;
  const clash = gatherClash(input.shape.dims, index.shape.dims, dim);
  if (!clash) return;
  const x = formatShape(input.shape);
  const ix = formatShape(index.shape);
  const words = clash.kind === 'rank'
    ? '"Index tensor must have the same number of dimensions as input tensor"'
    : clash.exact
      ? `"Size does not match at dimension ${clash.axis} expected index [${ix.slice(1, -1)}] to be smaller than self [${x.slice(1, -1)}] apart from dimension ${dim}"`
      : '"Size does not match at dimension …"';
  const what = clash.kind === 'rank'
    ? `its index ${ix} has ${index.shape.dims.length} axes and the input ${x} ${input.shape.dims.length}`
    : `its index ${ix} is larger than the input ${x} on axis ${clash.axis}, which gather does not select along (dim=${dim})`;
  ctx.report({
    range: indexRange ?? range,
    message: `${clash.kind === 'rank' ? 'torch.gather needs an index with as many axes as its input' : 'torch.gather takes one entry per position of the index, so the index may not be larger than the input except along dim'}, but ${what}: PyTorch raises ${words}`,
    related: [...originRelated(input, `input ${x}`), ...originRelated(index, `index ${ix}`)],
    fixes: [],
  });
}

export const gatherIndexSize: Rule = {
  code: 'SL147',
  name: 'gather-index-size',
  severity: 'error',
  framework: 'torch',
  summary: 'torch.gather (or .gather) is given an index of another rank than its input, or larger than the input on an axis other than dim.',
  docs: {
    whatItDoes:
      'Compares the shape of the index given to `torch.gather(input, dim, index)` and `input.gather(dim, index)` with the input\'s: the same number of axes, and on every axis but `dim` no more entries than the input. As PyTorch does, an empty index is never checked, so every size of the index must be known; sizes of the input that are not known are not compared.',
    whyIsThisBad:
      'PyTorch 1.13 raises `RuntimeError: Size does not match at dimension 0 expected index [1920, 1] to be smaller than self [768, 42005] apart from dimension 1` (or "Index tensor must have the same number of dimensions as input tensor"). In a masked loss the usual cause is a target padded to another length than the logits, both flattened: the rows no longer line up.',
    example: 'log_probs = F.log_softmax(logits.view(-1, vocab), dim=1)   # (128 * 6, vocab)\nlosses = -torch.gather(log_probs, 1, target.view(-1, 1))  # target (128, 15)',
    useInstead: 'target = target[:, :logits.size(1)]                        # the steps the decoder ran\nlosses = -torch.gather(log_probs, 1, target.reshape(-1, 1))',
    references: ['https://pytorch.org/docs/stable/generated/torch.gather.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname === 'torch.gather',
      tensorMethod: (name) => name === 'gather',
    },
    tensorMethod(event, ctx) {
      if (event.name !== 'gather' || event.call.hasStarArgs) return;
      const index = event.args[1] ?? event.kwargs.get('index');
      if (index?.kind !== 'tensor') return;
      const indexExpr = event.args[1] ? event.call.args[1] : keywordExpr(event.call, 'index');
      report(ctx, event.call.range, event.receiver, index, event.args[0] ?? event.kwargs.get('dim'), indexExpr?.range);
    },
    functionCall(event, ctx) {
      if (event.qualname !== 'torch.gather' || event.call.hasStarArgs) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      const index = event.args[2] ?? event.kwargs.get('index');
      if (input?.kind !== 'tensor' || index?.kind !== 'tensor') return;
      const indexExpr = event.args[2] ? event.call.args[2] : keywordExpr(event.call, 'index');
      report(ctx, event.call.range, input, index, event.args[1] ?? event.kwargs.get('dim'), indexExpr?.range);
    },
  },
};
