// nn.RNNCell, nn.GRUCell and nn.LSTMCell: one time step. (batch, input_size) → h' (batch, hidden_size),
// and for LSTMCell the pair (h', c'). An unbatched (input_size,) input gives (hidden_size,) states.
import { Dim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argInt } from '../layer';

function applyCell(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const hidden = argDim(layer, 'hidden_size', 'feature');
  let dims: Dim[] | undefined;
  if (input?.kind === 'tensor' && input.shape.rankKnown) {
    if (input.shape.dims.length === 2) dims = [{ ...input.shape.dims[0], role: 'batch' } as Dim, hidden];
    else if (input.shape.dims.length === 1) dims = [hidden];
  } else {
    // The input's rank is unknown, but the state's must match it: a 2-D (batch, hidden) state means a batched step.
    const hx = args[1] ?? kwargs.get('hx');
    const h = hx?.kind === 'tuple' && layer.kind === 'LSTMCell' ? hx.items[0] : hx;
    if (h?.kind === 'tensor' && h.shape.rankKnown && h.shape.dims.length === 2) dims = [{ ...h.shape.dims[0], role: 'batch' } as Dim, hidden];
    else if (h?.kind === 'tensor' && h.shape.rankKnown && h.shape.dims.length === 1) dims = [hidden];
  }
  const state = (): TensorValue => ({ kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: dims ? shapeOf(dims) : input?.kind === 'tensor' && !input.shape.rankKnown ? { dims: [hidden], rankKnown: false } : UNKNOWN_SHAPE });
  return layer.kind === 'LSTMCell' ? { kind: 'tuple', items: [state(), { ...state(), cellStateOf: layer }] } : state();
}

function hoverCell(layer: LayerDesc): string {
  const i = argInt(layer, 'input_size');
  const h = argInt(layer, 'hidden_size');
  const state = layer.kind === 'LSTMCell' ? `(h', c'), each (batch, ${h ?? 'hidden_size'})` : `h' (batch, ${h ?? 'hidden_size'})`;
  return [
    `**nn.${layer.kind}** — one recurrent step`,
    '',
    '```',
    `input (batch, ${i ?? 'input_size'})${layer.kind === 'LSTMCell' ? ', (h, c)' : ', h'} → ${state}`,
    '```',
    '',
    '**Common mistakes**',
    '- A cell takes one time step: loop over the sequence and feed `x[t]` (2-D), not the whole 3-D sequence.',
    layer.kind === 'LSTMCell' ? '- The state is the pair `(h, c)`, each 2-D (batch, hidden_size), with no num_layers axis.' : '- The state is 2-D (batch, hidden_size), with no num_layers axis.',
  ].join('\n');
}

export const torchCells: LayerFamily = {
  framework: 'torch',
  kinds: ['RNNCell', 'GRUCell', 'LSTMCell'],
  params: (kind) => [{ name: 'input_size' }, { name: 'hidden_size' }, { name: 'bias', default: { kind: 'bool', value: true } }, ...(kind === 'RNNCell' ? [{ name: 'nonlinearity', default: { kind: 'str', value: 'tanh' } as Value }] : [])],
  apply: applyCell,
  hover: hoverCell,
};
