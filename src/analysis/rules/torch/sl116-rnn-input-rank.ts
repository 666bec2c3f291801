import type { Fix } from '../../findings';
import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';
import { formatShape } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import type { LayerCallEvent, RuleContext } from '../../interpret/events';
import { layerName } from './describe';
import { isRecurrentCell, isRecurrentOrCellKind } from './sl101-rnn-input-size-mismatch';

function from(t: TensorValue): string {
  return t.origin ? ` from ${t.origin.text.length > 50 ? `${t.origin.text.slice(0, 47)}…` : t.origin.text} (line ${t.origin.range.start.line + 1})` : '';
}

/** The first tensor of an initial state: h_0, or h_0 of an LSTM's (h_0, c_0). */
function firstState(state: Value | undefined): TensorValue | undefined {
  if (state?.kind === 'tensor') return state;
  if ((state?.kind === 'tuple' || state?.kind === 'list') && state.items[0]?.kind === 'tensor') return state.items[0];
  return undefined;
}

/**
 * One step of a recurrent cell: PyTorch 1.13 asserts its input is 1-D or 2-D before it reads any size (the state's
 * checks, SL103's, come after), so any other known rank raises whatever the state.
 */
function cellInputRank(event: LayerCallEvent, ctx: RuleContext): void {
  const { layer, call } = event;
  const input = event.args[0] ?? event.kwargs.get('input');
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
  const rank = input.shape.dims.length;
  if (rank === 1 || rank === 2) return;
  const inputExpr = call.args[0];
  const hint = rank === 3 ? ': a cell takes one step, so loop over the sequence and give it one step at a time (x[t], or x[:, t] when batch-first)' : '';
  ctx.report({
    range: inputExpr?.range ?? call.range,
    message: `${layerName(layer)} takes 2-D input (batch, input_size) or 1-D input (input_size,), but receives ${rank}-D ${formatShape(input.shape)}${from(input)}: it raises "${layer.kind}: Expected input to be 1-D or 2-D but received ${rank}-D tensor"${hint}`,
    related: input.origin ? [{ range: input.origin.range, message: `the ${rank}-D input comes from here` }] : [],
  });
}

export const rnnInputRank: Rule = {
  code: 'SL116',
  name: 'rnn-input-rank',
  severity: 'error',
  framework: 'torch',
  summary: 'An RNN/GRU/LSTM receives input that is neither 3-D (batched) nor 2-D (one unbatched sequence), or 2-D input with a batched 3-D state; a recurrent cell input that is neither 2-D nor 1-D.',
  docs: {
    whatItDoes:
      'Checks the rank of the tensor reaching `nn.RNN`, `nn.GRU` or `nn.LSTM`: 3-D is a batch of sequences, 2-D one unbatched sequence (time, features) whose states must then be 2-D too. Anything else, such as 4-D image-like features per step or a 1-D vector, is reported; so is a 2-D input given 3-D states, the usual sign of a lost time axis in a decoding loop. One step of `nn.RNNCell`, `nn.GRUCell` or `nn.LSTMCell` takes 2-D (batch, input_size) or 1-D (input_size,) input: a whole 3-D sequence given to a cell is reported too.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: input must have 3 dimensions, got 5` for a 4-D input (the number counts an axis PyTorch adds itself; given a batched state, the state\'s check fails first: `For unbatched 2-D input, hx should also be 2-D`), and `For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors` when a (batch, features) step meets (layers, batch, hidden) states. A cell given a 3-D sequence raises `AssertionError: LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor`.',
    example: 'lstm = nn.LSTM(10, 20, batch_first=True)\nout, _ = lstm(torch.zeros(5, 100, 10, 10))',
    useInstead: 'lstm = nn.LSTM(100, 20, batch_first=True)\nout, _ = lstm(torch.zeros(5, 100, 10, 10).flatten(2))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: ['Flatten the features of each step'],
  hooks: {
    offers: {
      layerCall: isRecurrentOrCellKind,
    },
    layerCall(event, ctx) {
      const { layer, call } = event;
      if (isRecurrentCell(layer)) return cellInputRank(event, ctx);
      if (!isRecurrent(layer)) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
      const rank = input.shape.dims.length;
      const inputExpr = call.args[0];
      const x = inputExpr ? ctx.text(inputExpr.range) : 'input';
      const fixes: Fix[] = [];
      if (rank !== 2 && rank !== 3) {
        if (rank === 4 && inputExpr) fixes.push(fix(`Use ${x}.flatten(2)`, [replace(inputExpr.range, `${x}.flatten(2)`)], true));
        // PyTorch reads any input that is not 3-D as unbatched: a batched state given with it fails that check first.
        const given = firstState(event.args[1] ?? event.kwargs.get('hx'));
        const raised = given?.shape.rankKnown && given.shape.dims.length !== 2
          ? layer.kind === 'LSTM' ? 'For unbatched 2-D input, hx and cx should also be 2-D' : 'For unbatched 2-D input, hx should also be 2-D'
          : `input must have 3 dimensions, got ${rank + 1}`;
        ctx.report({
          range: inputExpr?.range ?? call.range,
          message: `${layerName(layer)} takes 3-D input (a batch of sequences) or 2-D input (one sequence), but receives ${rank}-D ${formatShape(input.shape)}${from(input)}: it raises "${raised}"`,
          related: input.origin ? [{ range: input.origin.range, message: `the ${rank}-D input comes from here` }] : [],
          fixes,
        });
        return;
      }
      if (rank !== 2) return;
      const state = firstState(event.args[1] ?? event.kwargs.get('hx'));
      if (!state?.shape.rankKnown || state.shape.dims.length !== 3) return;
      // No quick fix: in a decoding loop the time axis belongs where the step is made, not at this call.
      const axis = recurrentConfig(layer).batchFirst ? 1 : 0;
      const stateArg = call.args[1];
      ctx.report({
        range: inputExpr?.range ?? call.range,
        message: `${layerName(layer)} reads the 2-D input ${formatShape(input.shape)}${from(input)} as one unbatched sequence (time, features), but its state ${formatShape(state.shape)}${from(state)} is batched: it raises "For unbatched 2-D input, hx should also be 2-D"; a (batch, features) step needs its time axis, e.g. .unsqueeze(${axis}) where it is made`,
        related: [
          ...(input.origin ? [{ range: input.origin.range, message: 'the 2-D input comes from here' }] : []),
          ...(stateArg ? [{ range: stateArg.range, message: `the 3-D state ${formatShape(state.shape)} is passed here` }] : []),
        ],
        fixes,
      });
    },
  },
};
