// keras.layers.SimpleRNN / GRU / LSTM (and Keras 2's CuDNNGRU / CuDNNLSTM, the same layers run by cuDNN):
// (batch, timesteps, features) → (batch, units) or (batch, timesteps, units). keras.layers.RNN(cell) runs an
// LSTMCell, GRUCell or SimpleRNNCell (or a list of them, stacked) over the steps the same way, with the last cell's
// units.
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argBool, argDim, argFlag, argInt, argValue } from '../layer';
import { kerasTensor, noneDim } from './dims';

export const KERAS_RECURRENT = new Set(['SimpleRNN', 'GRU', 'LSTM', 'CuDNNGRU', 'CuDNNLSTM']);

const CELLS = ['LSTMCell', 'GRUCell', 'SimpleRNNCell'];

export function isKerasRecurrent(layer: LayerDesc): boolean {
  return layer.framework === 'keras' && KERAS_RECURRENT.has(layer.kind);
}

/** RNN(cell)'s cells, in order, when every one is a known cell layer. */
function cellsOf(layer: LayerDesc): LayerDesc[] | undefined {
  const cell = argValue(layer, 'cell');
  const items = cell.kind === 'list' || cell.kind === 'tuple' ? (cell.element ? undefined : cell.items) : [cell];
  if (!items?.length) return undefined;
  const cells = items.map((c) => (c.kind === 'layer' && CELLS.includes(c.layer.kind) ? c.layer : undefined));
  return cells.every((c) => c !== undefined) ? (cells as LayerDesc[]) : undefined;
}

function applyRecurrent(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (CELLS.includes(layer.kind)) return UNKNOWN;
  const cells = layer.kind === 'RNN' ? cellsOf(layer) : undefined;
  if (layer.kind === 'RNN' && !cells) return input?.kind === 'tensor' ? kerasTensor(UNKNOWN_SHAPE, ctx.origin) : UNKNOWN;
  const units = cells ? argDim(cells[cells.length - 1], 'units', 'feature') : argDim(layer, 'units', 'feature');
  const sequences = argFlag(layer, 'return_sequences');
  const state = argFlag(layer, 'return_state');
  if (input?.kind !== 'tensor') return UNKNOWN;
  // A flag given a value the analysis does not know: one of two ranks, or one of two kinds of output.
  if (state === undefined) return UNKNOWN;
  if (sequences === undefined) return state ? UNKNOWN : kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  if (input.shape.rankKnown && input.shape.dims.length !== 3) return kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  const batch = input.shape.rankKnown ? input.shape.dims[0] : noneDim('batch');
  const time = input.shape.rankKnown ? input.shape.dims[1] : noneDim('time');
  const output = { ...kerasTensor(shapeOf(sequences ? [batch, time, units] : [batch, units]), ctx.origin), rnnOutput: sequences, seqFrom: sequences ? layer : undefined };
  if (!state) return output;
  if (cells) {
    // Each cell's own states, of its own units, in order.
    const states = cells.flatMap((cell) => {
      const h = kerasTensor(shapeOf([batch, argDim(cell, 'units', 'feature')]), ctx.origin);
      return cell.kind === 'LSTMCell' ? [h, h] : [h];
    });
    return { kind: 'list', items: [output, ...states] };
  }
  const h = kerasTensor(shapeOf([batch, units]), ctx.origin);
  return { kind: 'list', items: [output, ...Array.from({ length: stateCount(layer) }, () => h)], tag: { kind: 'keras-states', layer, call: layer.call } };
}

/** The states a recurrent layer returns with return_state=True: h and c for an LSTM, h otherwise. */
export function stateCount(layer: LayerDesc): number {
  return layer.kind === 'LSTM' || layer.kind === 'CuDNNLSTM' ? 2 : 1;
}

function hoverRecurrent(layer: LayerDesc): string {
  if (CELLS.includes(layer.kind)) return `**layers.${layer.kind}** — one step of ${layer.kind.replace('Cell', '')} with \`units=${argInt(layer, 'units') ?? '?'}\`; \`layers.RNN(cell)\` runs it over the steps.`;
  if (layer.kind === 'RNN') return '**layers.RNN** — runs its cell (or stacked cells) over the steps: (None, timesteps, features) → (None, units of the last cell), or every step with return_sequences=True.';
  const units = argInt(layer, 'units');
  const sequences = argBool(layer, 'return_sequences') ?? false;
  const u = units ?? 'units';
  return [
    `**layers.${layer.kind}** — ${sequences ? 'returns the whole sequence' : 'returns the last step only'}`,
    '',
    '```',
    `input (None, timesteps, features) → output ${sequences ? `(None, timesteps, ${u})` : `(None, ${u})`}`,
    '```',
    '',
    '| argument | value | meaning |',
    '|---|---|---|',
    `| \`units\` | ${units ?? '?'} | size of the hidden state, and of the output's last dimension |`,
    `| \`return_sequences\` | ${sequences ? 'True' : 'False'} | ${sequences ? 'output every time step: (None, timesteps, units)' : 'output only the last step: (None, units)'} |`,
    `| \`return_state\` | ${argBool(layer, 'return_state') ? 'True' : 'False'} | also return the final state${layer.kind === 'LSTM' ? 's h and c' : ''} |`,
    '',
    '**Common mistakes**',
    '- `input_shape` is (timesteps, features) without the batch: `(100,)` is missing the features axis — use `(100, 1)` for 100 steps of one feature.',
    '- Stacking recurrent layers needs `return_sequences=True` on every one but the last (otherwise: "expected ndim=3, found ndim=2").',
    '- A `Dense` after `return_sequences=True` is applied at every step and outputs 3-D predictions.',
  ].join('\n');
}

export const kerasRecurrent: LayerFamily = {
  framework: 'keras',
  kinds: [...KERAS_RECURRENT, 'RNN', ...CELLS],
  params: (kind) => (kind === 'RNN' ? [{ name: 'cell' }, { name: 'return_sequences' }, { name: 'return_state' }] : [{ name: 'units' }, { name: 'activation' }]),
  apply: applyRecurrent,
  hover: hoverRecurrent,
};

