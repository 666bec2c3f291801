// Bidirectional (runs a recurrent layer both ways and merges) and TimeDistributed (applies a layer per step).
import { UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, lastDim, shapeOf, withLast } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';
import { kerasTensor } from './dims';

export function mergeMode(layer: LayerDesc): string | null {
  const v = argValue(layer, 'merge_mode');
  if (v.kind === 'none') return null;
  return v.kind === 'str' ? v.value : 'concat';
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const inner = layer.children[0];
  const input = args[0];
  if (!inner || input?.kind !== 'tensor') return UNKNOWN;
  if (layer.kind === 'TimeDistributed') {
    if (!input.shape.rankKnown || input.shape.dims.length < 3) return kerasTensor(UNKNOWN_SHAPE, ctx.origin);
    const [batch, time, ...rest] = input.shape.dims;
    const step = ctx.applyLayer(inner, [kerasTensor(shapeOf([batch, ...rest]), ctx.origin)]);
    if (step.kind !== 'tensor' || !step.shape.rankKnown) return kerasTensor(UNKNOWN_SHAPE, ctx.origin);
    return { ...kerasTensor(shapeOf([batch, time, ...step.shape.dims.slice(1)]), ctx.origin), seqFrom: input.seqFrom };
  }
  const once = ctx.applyLayer(inner, [input]);
  const main = once.kind === 'list' ? once.items[0] : once;
  if (main?.kind !== 'tensor') return UNKNOWN;
  // return_state=True on the wrapped layer: the merged output, then the forward states and the backward states
  // (5 tensors for an LSTM, 3 for a GRU).
  const states = once.kind === 'list' ? once.items.slice(1) : [];
  const withStates = (outputs: Value[]): Value => (states.length ? { kind: 'list', items: [...outputs, ...states, ...states], tag: { kind: 'keras-states', layer, call: layer.call } } : outputs.length === 1 ? outputs[0] : { kind: 'list', items: outputs });
  const mode = mergeMode(layer);
  if (mode === null) return withStates([main, main]);
  if (mode !== 'concat') return withStates([{ ...main, origin: ctx.origin }]);
  const d = lastDim(main.shape);
  const doubled = d.kind === 'int' ? intDim(d.value * 2, { origin: ctx.origin, role: 'feature', producer: layer }) : UNKNOWN_DIM;
  const merged: TensorValue = { ...main, origin: ctx.origin, shape: withLast(main.shape, doubled), seqFrom: main.seqFrom };
  return withStates([merged]);
}

export const kerasWrappers: LayerFamily = {
  framework: 'keras',
  kinds: ['Bidirectional', 'TimeDistributed'],
  params: (kind) => (kind === 'Bidirectional' ? [{ name: 'layer' }, { name: 'merge_mode', default: { kind: 'str', value: 'concat' } }] : [{ name: 'layer' }]),
  apply,
  hover: (layer) => layer.kind === 'Bidirectional'
    ? `**layers.Bidirectional** — runs \`${layer.children[0]?.label ?? 'the layer'}\` forwards and backwards and merges them (\`merge_mode=${JSON.stringify(mergeMode(layer))}\`)${mergeMode(layer) === 'concat' ? ': the output has 2 × units features' : ''}.`
    : `**layers.TimeDistributed** — applies \`${layer.children[0]?.label ?? 'the layer'}\` to every time step.`,
};
