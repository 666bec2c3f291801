import type { LayerDesc } from '../../layers/layer';
import { isKerasRecurrent, stateCount } from '../../layers/keras/recurrent';
import type { Value } from '../../values/value';
import type { Rule } from '../rule';
import { mergeMode } from '../../layers/keras/wrappers';
import { kerasLayerName, recurrentBehind } from './helpers';

/** How many tensors a recurrent layer (or a Bidirectional around one) returns with return_state=True. */
function outputsWithState(layer: LayerDesc): number | undefined {
  if (isKerasRecurrent(layer)) return 1 + stateCount(layer);
  const inner = layer.kind === 'Bidirectional' ? layer.children[0] : undefined;
  return inner && isKerasRecurrent(inner) ? 1 + 2 * stateCount(inner) : undefined;
}

/** What the tensors of a return_state=True list are, in order: a Bidirectional with merge_mode=None gives both directions'
 *  outputs before the states, an LSTM has h and c per direction, a GRU or SimpleRNN h. */
function describeStates(layer: LayerDesc, count: number): string {
  const inner = layer.kind === 'Bidirectional' ? layer.children[0] : layer;
  if (inner && isKerasRecurrent(inner)) {
    const per = stateCount(inner) === 2 ? 'h and c' : 'h';
    if (layer.kind !== 'Bidirectional') return `output, ${stateCount(inner) === 2 ? 'h, c' : 'h'}`;
    return `${mergeMode(layer) === null ? 'forward output, backward output' : 'output'}, forward ${per}, backward ${per}`;
  }
  return `output and ${count - 1} states`;
}

function statesTagged(value: Value): LayerDesc | undefined {
  return (value.kind === 'list' || value.kind === 'tuple') && value.tag?.kind === 'keras-states' ? value.tag.layer : undefined;
}

/** Layers that take a list of tensors. */
const TAKES_LISTS = new Set(['Concatenate', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Dot', 'Attention', 'AdditiveAttention', 'MultiHeadAttention', 'Lambda']);

export const kerasRecurrentOutputCount: Rule = {
  code: 'SL213',
  name: 'keras-recurrent-output-count',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras recurrent layer\'s outputs are unpacked or used in the wrong number: return_state=True gives [output, h, c] for an LSTM, [output, h] for a GRU or SimpleRNN, 5 or 3 tensors from a Bidirectional; without it, one tensor.',
  docs: {
    whatItDoes: 'Follows what a Keras `LSTM`, `GRU`, `SimpleRNN` or `Bidirectional` call returns: one tensor, or with `return_state=True` a list of the output and the final states (LSTM 3, GRU and SimpleRNN 2, Bidirectional LSTM 5, Bidirectional GRU 3). It flags an unpacking into another number of names, and the whole list passed to a layer that takes one tensor.',
    whyIsThisBad: 'Python raises `ValueError: too many values to unpack (expected 3)` or `not enough values to unpack`; unpacking a single output tensor iterates over its batch axis. A list handed to `Dense` fails inside the layer (`TypeError: can only concatenate tuple (not "int") to tuple` in Keras 2, "expects 1 input" in tf.keras 2.x and Keras 3).',
    example: 'out, state_h, state_c = Bidirectional(LSTM(64, return_state=True))(x)',
    useInstead: 'out, fh, fc, bh, bc = Bidirectional(LSTM(64, return_state=True))(x)',
    references: ['https://keras.io/api/layers/recurrent_layers/lstm/', 'https://keras.io/api/layers/recurrent_layers/bidirectional/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    unpack(event, ctx) {
      const target = event.target;
      if (target.kind !== 'tuple' && target.kind !== 'list') return;
      if (target.items.some((t) => t.kind === 'starred')) return;
      const n = target.items.length;
      const value = event.value;
      const tagged = statesTagged(value);
      if (tagged && (value.kind === 'list' || value.kind === 'tuple')) {
        const count = value.items.length;
        if (count === n) return;
        ctx.report({
          range: event.stmt?.range ?? target.range,
          message: `${kerasLayerName(tagged)} with return_state=True returns ${count} tensors (${describeStates(tagged, count)}) but they are unpacked into ${n} names: Python raises "${count > n ? 'too many' : 'not enough'} values to unpack (expected ${n})"`,
          related: [{ range: tagged.call.range, message: 'the layer is built here' }],
        });
        return;
      }
      if (value.kind !== 'tensor' || n < 2) return;
      const layer = recurrentBehind(value);
      // Only the recurrent layer's own result: another layer's output that keeps its features (an Attention over it)
      // is not what return_state would change.
      const node = value.kerasNode?.layer;
      if (node && node !== layer && !(node.kind === 'Bidirectional' && node.children[0] === layer)) return;
      // Only the layer call's own result, unpacked where it is made.
      const made = value.origin?.range;
      const at = event.stmt?.value.range;
      if (!layer || !made || !at || made.start.line !== at.start.line || made.start.column !== at.start.column) return;
      const first = value.shape.rankKnown ? value.shape.dims[0] : undefined;
      if (first?.kind === 'int' && first.value === n) return;
      const expected = outputsWithState(layer);
      ctx.report({
        range: event.stmt?.range ?? target.range,
        message: `${kerasLayerName(layer)} has no return_state=True, so it returns one tensor, which is unpacked into ${n} names: Python iterates over its first axis${first?.kind === 'int' ? ` (${first.value} rows: "too many values to unpack")` : ''}. Set return_state=True to get ${expected ?? 'the output and its states'} tensors`,
        related: [{ range: layer.call.range, message: 'the layer is built here' }],
      });
    },
    layerCall(event, ctx) {
      if (event.layer.framework !== 'keras' || TAKES_LISTS.has(event.layer.kind)) return;
      const tagged = event.args[0] ? statesTagged(event.args[0]) : undefined;
      if (!tagged) return;
      ctx.report({
        range: event.call.range,
        message: `${event.layer.kind} receives the whole list that ${kerasLayerName(tagged)} returns with return_state=True (the output and its states), not one tensor: unpack it first, e.g. output, state_h, state_c = ...`,
        related: [{ range: tagged.call.range, message: 'return_state=True is set here' }],
      });
    },
  },
};
