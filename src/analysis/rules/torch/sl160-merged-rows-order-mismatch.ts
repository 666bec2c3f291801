import type { Dim } from '../../shapes/dim';
import { formatShape, shapeOf as shapeOfDims } from '../../shapes/shape';
import { isMerged } from '../../ops/regrouping';
import { knownSizes } from '../../ops/layout';
import type { Rule } from '../rule';
import { codeText } from './describe';

const ELEMENTWISE = new Set(['+', '-', '*', '/']);

/** The merged sizes of an axis when every one is known. */
function knownFactors(d: Dim): number[] | undefined {
  return isMerged(d) ? knownSizes(d.merged) : undefined;
}

/**
 * Two merge orders of the same sizes with the batch at another place: row i of one holds another sample than row i of
 * the other.
 */
function oppositeOrders(a: number[], b: number[], batchA: number, batchB: number): boolean {
  if (a.length !== b.length || batchA < 0 || batchB < 0 || batchA === batchB || a[batchA] !== b[batchB]) return false;
  if (a.every((v, i) => v === b[i])) return false;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  return sa.every((v, i) => v === sb[i]);
}

/** Where the batch is among an axis' merged sizes, or -1. */
const batchAt = (d: Dim): number => (isMerged(d) ? d.merged.findIndex((m) => m.role === 'batch') : -1);

/**
 * `enc.view(-1, H)` rows are (sample, step) in memory order; `dec.repeat(T, 1)` rows are (copy, sample). Added
 * element-wise, row i of one meets row i of the other, which belongs to another sample.
 */
export const mergedRowsOrderMismatch: Rule = {
  code: 'SL160',
  name: 'merged-rows-order-mismatch',
  severity: 'warning',
  framework: 'torch',
  summary: 'Two tensors combined element-wise whose rows merge the batch and another axis in opposite orders (sample-major against step-major): each row is paired with a row of another sample.',
  docs: {
    whatItDoes:
      'Follows axes that merge the batch with other axes, with the order of their sizes in memory: `(B, T, H).view(-1, H)` gives B × T rows ordered (sample, step); `(B, H).repeat(T, 1)` gives T × B rows ordered (copy, sample). Flags `+`, `-`, `*` or `/` of two tensors whose aligned axes merge the same known sizes in different orders. Both have the same size, so nothing raises.',
    whyIsThisBad:
      'Row i of the first operand is sample i // T, step i % T; row i of the second is copy i // B of sample i % B. Each row is combined with the state of another sample: the result depends on the rest of the batch and the model learns from scrambled pairs, with every shape as expected (a Bahdanau energy W·enc + V·dec tiled with `.repeat(steps, 1)` is the classic case).',
    example: 'rows = self.W(enc.view(-1, H))                   # (B*T, A), rows (sample, step)\nenergy = rows + self.V(dec).repeat(T, 1)          # (B*T, A), rows (step, sample)',
    useInstead: 'energy = rows + self.V(dec).repeat_interleave(T, dim=0)   # rows (sample, step)\n# or: self.V(dec).unsqueeze(1).expand(B, T, A).reshape(B * T, A)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.repeat.html', 'https://pytorch.org/docs/stable/generated/torch.repeat_interleave.html'],
  },
  fixTitles: [],
  hooks: {
    binary(event, ctx) {
      const { left, right, node } = event;
      if (!ELEMENTWISE.has(node.op) || left.kind !== 'tensor' || right.kind !== 'tensor') return;
      if (!left.shape.rankKnown || !right.shape.rankKnown) return;
      const a = left.shape.dims;
      const b = right.shape.dims;
      for (let k = 1; k <= Math.min(a.length, b.length); k++) {
        const da = a[a.length - k];
        const db = b[b.length - k];
        const fa = knownFactors(da);
        const fb = knownFactors(db);
        if (!fa || !fb || !oppositeOrders(fa, fb, batchAt(da), batchAt(db))) continue;
        // The operand whose rows are not sample-major is the one to change (a (B, T, H) view is the usual layout).
        const suspect = batchAt(da) === 0 ? node.right : batchAt(db) === 0 ? node.left : node;
        const axis = a.length - k;
        const show = (d: Dim) => formatShape(shapeOfDims(isMerged(d) ? d.merged : [d]));
        ctx.report({
          range: suspect.range,
          message:
            `${node.op} of ${codeText(ctx, node.left.range)} ${formatShape(left.shape)} and ${codeText(ctx, node.right.range)} ${formatShape(right.shape)}: ` +
            `axis ${axis} of the first holds ${show(da)} merged in that order, of the second ${show(db)}; the sizes agree, so nothing raises, ` +
            `but row i of one is paired with row i of the other, which belongs to another sample: each sample is combined with another's values`,
          related: [
            ...(left.origin ? [{ range: left.origin.range, message: `rows ${show(da)} come from here` }] : []),
            ...(right.origin ? [{ range: right.origin.range, message: `rows ${show(db)} come from here` }] : []),
          ],
        });
        return;
      }
    },
  },
};
