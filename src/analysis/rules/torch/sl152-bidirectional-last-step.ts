import type { IndexItem } from '../../ops/indexing';
import { recurrentConfig } from '../../layers/torch/recurrent';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import type { LayerDesc } from '../../layers/layer';
import { argOrigin } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { codeText, layerName, relatedOrigin, shapeAndOrigin, sliceGivenToLayer } from './describe';
import type { Range } from '../../findings';
import type { Subscript } from '../../parse/ast';

/** The last-step slices of bidirectional outputs in this analysis, by the range of their expression (the slice's origin). */
const candidates = new WeakMap<Range, { node: Subscript; tensor: TensorValue; layer: LayerDesc; timeAxis: number }>();

/**
 * The time axis of a bidirectional recurrent output `t` when `items` take its last step and keep every feature of every
 * sequence: `out[:, -1, :]` and `out[:, -1]` batch-first, `out[-1]` and `out[-1, :, :]` sequence-first (or the last
 * index written as a number). Undefined for anything else: a slice of the features (`out[:, -1, :hidden]`), another
 * step, one sequence, an ellipsis, a step count known to be 1 (whose one step is the whole sequence).
 */
export function lastStepOfBothDirections(t: TensorValue, items: readonly IndexItem[]): number | undefined {
  // On the padded output of pad_packed_sequence the last step is padding for shorter sequences: SL156 says so instead.
  if (!t.bidirectionalOf || t.paddedSteps || !t.shape.rankKnown || t.shape.dims.length !== 3) return undefined;
  const timeAxis = t.shape.dims.findIndex((d) => d.role === 'time');
  if (timeAxis !== 0 && timeAxis !== 1) return undefined;
  return readsLastStepOfEach(t, items, timeAxis) ? timeAxis : undefined;
}

/**
 * Whether `items` take the last step along `timeAxis` of every sequence and keep every other axis whole: `out[:, -1, :]`
 * and `out[:, -1]` for axis 1, `out[-1]` and `out[-1, :, :]` for axis 0 (or the last index written as a number). False
 * for a step count known to be below 2, whose one step is the whole sequence.
 */
export function readsLastStepOfEach(t: TensorValue, items: readonly IndexItem[], timeAxis: number): boolean {
  const time = t.shape.rankKnown ? t.shape.dims[timeAxis] : undefined;
  if (!time || (time.kind === 'int' && time.value < 2)) return false;
  if (items.length <= timeAxis || items.length > t.shape.dims.length) return false;
  for (let axis = 0; axis < items.length; axis++) {
    const item = items[axis];
    if (axis === timeAxis) {
      if (item.kind !== 'int' || item.value === undefined) return false;
      if (!(item.value === -1 || (time.kind === 'int' && item.value === time.value - 1))) return false;
    } else if (item.kind !== 'slice' || !item.full) return false;
  }
  return true;
}

/** The size of one direction's features, when known: hidden_size, or proj_size when the layer projects. */
function perDirection(layer: LayerDesc): number | undefined {
  const size = recurrentConfig(layer).outputSize;
  return size === undefined ? undefined : size / 2;
}

export const bidirectionalLastStep: Rule = {
  code: 'SL152',
  name: 'bidirectional-last-step',
  // Information, not a warning: the model runs and trains, and whether half a summary is what the author meant is a
  // modelling question the code cannot answer (a fixed program often keeps the idiom).
  severity: 'information',
  framework: 'torch',
  summary:
    "A bidirectional RNN's output is read at its last step (`out[:, -1, :]`) as a summary of the sequence: the reverse direction's half of that step has read one step only.",
  docs: {
    whatItDoes:
      "Flags `out[:, -1, :]` (batch_first) or `out[-1]` (sequence-first) on the output of an nn.RNN/GRU/LSTM built with bidirectional=True, when the slice keeps all 2 × hidden_size features and reaches a layer (a classifier, a dropout before it). At every step the output joins the forward direction's state (first hidden_size features) and the reverse direction's (last hidden_size). The reverse direction starts at the last step, so there its state has seen that step only; its final state, over the whole sequence, sits at the first step.",
    whyIsThisBad:
      'Nothing raises: the sizes are exactly those of the right summary. The model trains, but half of what its classifier reads is the reverse direction after a single step, so the backward pass over the sequence is thrown away.',
    example:
      "self.lstm = nn.LSTM(28, 128, num_layers=2, batch_first=True, bidirectional=True)\nself.fc = nn.Linear(2 * 128, 10)\n...\nout, (h_n, c_n) = self.lstm(x)\nreturn self.fc(out[:, -1, :])     # reverse half: one step",
    useInstead:
      "out, (h_n, c_n) = self.lstm(x)\nlast = torch.cat((out[:, -1, :128], out[:, 0, 128:]), 1)   # or torch.cat((h_n[-2], h_n[-1]), 1)\nreturn self.fc(last)",
    references: [
      'https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html',
      'https://github.com/yunjey/pytorch-tutorial/issues/149',
    ],
  },
  fixTitles: ["Join the forward direction's last step and the reverse direction's first: torch.cat((out[:, -1, :H], out[:, 0, H:]), 1)"],
  hooks: {
    tensorIndex(event) {
      const timeAxis = lastStepOfBothDirections(event.tensor, event.items);
      const layer = event.tensor.bidirectionalOf;
      if (timeAxis !== undefined && layer) candidates.set(event.node.range, { node: event.node, tensor: event.tensor, layer, timeAxis });
      else candidates.delete(event.node.range);
    },
    layerCall(event, ctx) {
      // Reported where the slice reaches a layer as its input, the model's use of it as the sequence's summary.
      const slice = sliceGivenToLayer(candidates, event);
      if (!slice) return;
      const { node, tensor: t, layer, timeAxis } = slice;
      const name = codeText(ctx, node.value.range);
      const hidden = perDirection(layer);
      const halves = hidden === undefined ? 'its first half' : `its first ${hidden} features`;
      const reverse = hidden === undefined ? 'its second half' : `its last ${hidden}`;
      const first = timeAxis === 1 ? `${name}[:, 0, ${hidden ?? 'H'}:]` : `${name}[0, :, ${hidden ?? 'H'}:]`;
      const joined =
        hidden === undefined
          ? undefined
          : timeAxis === 1
            ? `torch.cat((${name}[:, -1, :${hidden}], ${name}[:, 0, ${hidden}:]), 1)`
            : `torch.cat((${name}[-1, :, :${hidden}], ${name}[0, :, ${hidden}:]), 1)`;
      const bidirectional = argOrigin(layer, 'bidirectional');
      ctx.report({
        range: node.range,
        message: `${codeText(ctx, node.range)} takes the last step of ${name} ${shapeAndOrigin(t)}, the output of a bidirectional ${layerName(layer)}: ${halves} are the forward direction's final state, but ${reverse} come from the reverse direction after one step (it starts at the last step; its final state is ${first}). ${layerName(event.layer)} gets half a summary, and nothing raises`,
        related: [
          { range: bidirectional.range, message: 'bidirectional=True here: the reverse direction reads the sequence from its last step' },
          ...relatedOrigin(t, node.range, `the output ${formatShape(t.shape)} comes from here`),
        ],
        fixes: joined ? [fix(`Join the forward direction's last step and the reverse direction's first: ${joined}`, [replace(node.range, joined)], true)] : [],
      });
    },
  },
};
