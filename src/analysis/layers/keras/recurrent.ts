// keras.layers.SimpleRNN / GRU / LSTM: (batch, timesteps, features) → (batch, units) or (batch, timesteps, units).
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argBool, argDim, argInt } from '../layer';
import { kerasTensor, noneDim } from './dims';

export const KERAS_RECURRENT = new Set(['SimpleRNN', 'GRU', 'LSTM']);

export function isKerasRecurrent(layer: LayerDesc): boolean {
  return layer.framework === 'keras' && KERAS_RECURRENT.has(layer.kind);
}

function applyRecurrent(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const units = argDim(layer, 'units', 'feature');
  const sequences = argBool(layer, 'return_sequences') ?? false;
  const state = argBool(layer, 'return_state') ?? false;
  if (input?.kind !== 'tensor') return UNKNOWN;
  if (input.shape.rankKnown && input.shape.dims.length !== 3) return kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  const batch = input.shape.rankKnown ? input.shape.dims[0] : noneDim('batch');
  const time = input.shape.rankKnown ? input.shape.dims[1] : noneDim('time');
  const output = { ...kerasTensor(shapeOf(sequences ? [batch, time, units] : [batch, units]), ctx.origin), rnnOutput: sequences, seqFrom: sequences ? layer : undefined };
  if (!state) return output;
  const h = kerasTensor(shapeOf([batch, units]), ctx.origin);
  return { kind: 'list', items: [output, ...Array.from({ length: stateCount(layer) }, () => h)], tag: { kind: 'keras-states', layer, call: layer.call } };
}

/** The states a recurrent layer returns with return_state=True: h and c for an LSTM, h otherwise. */
export function stateCount(layer: LayerDesc): number {
  return layer.kind === 'LSTM' ? 2 : 1;
}

function hoverRecurrent(layer: LayerDesc): string {
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
  kinds: ['SimpleRNN', 'GRU', 'LSTM'],
  params: () => [{ name: 'units' }, { name: 'activation' }],
  apply: applyRecurrent,
  hover: hoverRecurrent,
};

