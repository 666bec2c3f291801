import type { IndexItem } from '../../ops/indexing';
import { formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { codeText, layerName, relatedOrigin, shapeAndOrigin, sliceGivenToLayer } from './describe';
import type { Range } from '../../findings';
import type { Subscript } from '../../parse/ast';

/** The `out[:, :, -1]` slices of this analysis, by the range of their expression (the slice's origin). */
const candidates = new WeakMap<Range, { node: Subscript; tensor: TensorValue }>();

/**
 * The axes of a recurrent layer's 3-D output that an index keeps whole, and the integer it takes on the feature axis:
 * `out[:, :, -1]` or `out[..., -1]` keeps the batch and time axes and reads one feature. Undefined for any other index
 * (a step, a slice of features, a mask, an axis added).
 */
export function lastFeatureAtEveryStep(t: TensorValue, items: readonly IndexItem[]): number | undefined {
  if (!t.rnnOutput || !t.shape.rankKnown || t.shape.dims.length !== 3) return undefined;
  let index: number | undefined;
  let axes = 0;
  let ellipsis = false;
  for (const item of items) {
    if (item.kind === 'ellipsis' && !ellipsis) ellipsis = true;
    else if (item.kind === 'slice' && item.full) axes++;
    else if (item.kind === 'int' && item.value !== undefined && index === undefined) index = item.value;
    else return undefined;
  }
  // The int must be the last item and land on the feature axis: two whole axes before it, or `...` standing for them.
  const last = items[items.length - 1];
  if (index === undefined || last.kind !== 'int' || (ellipsis ? axes > 2 : axes !== 2)) return undefined;
  return index;
}

export const rnnLastUnitAsLastStep: Rule = {
  code: 'SL143',
  name: 'rnn-last-unit-as-last-step',
  severity: 'warning',
  framework: 'torch',
  summary: 'A recurrent layer\'s output is indexed `out[:, :, -1]`: that is the last hidden unit at every step, not every unit at the last step.',
  docs: {
    whatItDoes:
      'Flags `out[:, :, -1]` (or `out[..., -1]`) on the 3-D output of nn.RNN/GRU/LSTM when the layer has more than one output feature. Both layouts put the features last, (batch, seq, features) with batch_first=True and (seq, batch, features) without, so the index keeps every step of one feature.',
    whyIsThisBad:
      'Nothing raises when the next layer happens to accept the slice (a Linear whose in_features equals the sequence length, as with padded sequences of hidden_size steps): the model trains on one hidden unit per step instead of the final state, and quietly learns little.',
    example:
      "self.rnn = nn.GRU(100, 128, batch_first=True)\nself.decoder = nn.Linear(128, 1)\n...\noutput, hidden = self.rnn(encoded)           # (batch, 128 steps, 128 units)\nreturn self.decoder(output[:, :, -1])          # the last unit of every step",
    useInstead: "output, hidden = self.rnn(encoded)\nreturn self.decoder(output[:, -1, :])          # every unit of the last step",
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.GRU.html', 'https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Take the last step: out[:, -1, :] (batch_first) or out[-1] (seq-first)'],
  hooks: {
    tensorIndex(event) {
      const index = lastFeatureAtEveryStep(event.tensor, event.items);
      const features = event.tensor.shape.dims[2];
      // -1 is the misreading of "the last step"; a layer with one output feature has nothing else to read.
      if (index === -1 && features?.kind === 'int' && features.value >= 2) candidates.set(event.node.range, { node: event.node, tensor: event.tensor });
      else candidates.delete(event.node.range);
    },
    layerCall(event, ctx) {
      // Reported where the slice reaches a layer as its input, the model's use of it.
      const slice = sliceGivenToLayer(candidates, event);
      if (!slice) return;
      const t = slice.tensor;
      const [first, second, features] = t.shape.dims;
      if (features.kind !== 'int') return;
      const batchFirst = second.kind !== 'unknown' && second.role === 'time' ? true : first.kind !== 'unknown' && first.role === 'time' ? false : undefined;
      const node = slice.node;
      const name = codeText(ctx, node.value.range);
      const layout = batchFirst === undefined ? '' : batchFirst ? ' (batch, seq, features)' : ' (seq, batch, features)';
      const lastStep = batchFirst === undefined ? undefined : batchFirst ? `${name}[:, -1, :]` : `${name}[-1]`;
      const steps = batchFirst === undefined ? 'every step' : `each of the ${formatDim(batchFirst ? second : first)} steps`;
      ctx.report({
        range: node.range,
        message: `${codeText(ctx, node.range)} reads the last of the ${features.value} hidden units at ${steps} of ${name} ${shapeAndOrigin(t)}, a recurrent layer's${layout} output, not the ${features.value} units of the last step${lastStep ? `, which is ${lastStep}` : ''}: ${layerName(event.layer)} is given one unit per step, and nothing raises when its sizes happen to fit`,
        related: relatedOrigin(t, node.range, `the recurrent output ${formatShape(t.shape)} comes from here`),
        fixes: lastStep ? [fix(`Take the last step: ${lastStep}`, [replace(node.range, lastStep)], true)] : [],
      });
    },
  },
};
