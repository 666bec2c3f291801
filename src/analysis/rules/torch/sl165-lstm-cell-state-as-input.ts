import type { Rule } from '../rule';
import { layerName } from './describe';

const RECURRENT = new Set(['RNN', 'GRU', 'LSTM', 'RNNCell', 'GRUCell', 'LSTMCell']);

/**
 * `h_t, c_t = self.lstm1(x_t, (h_t, c_t))` then `self.lstm2(c_t, ...)`: the layer stacked on the LSTM reads its cell
 * state, not its output. Both are (batch, hidden), so nothing raises.
 */
export const lstmCellStateAsInput: Rule = {
  code: 'SL165',
  name: 'lstm-cell-state-as-input',
  severity: 'warning',
  framework: 'torch',
  summary: "A recurrent layer or cell receives as its input the cell state c an LSTM or LSTMCell returned, not that layer's output h.",
  docs: {
    whatItDoes:
      "Flags an nn.RNN/GRU/LSTM or nn.RNNCell/GRUCell/LSTMCell whose input (its first argument) is, as it came out, the cell state an nn.LSTM (c_n of its (h_n, c_n)) or an nn.LSTMCell (c' of its (h', c')) returned.",
    whyIsThisBad:
      "An LSTM's output is h = o * tanh(c): its cell state c is the memory the output gate keeps to itself, unbounded and not what the layer outputs. A layer stacked on an LSTM reads h, as nn.LSTM's own num_layers do; fed c, the upper layer learns from the lower one's memory instead. h and c have the same shape, so nothing raises, and a model trained this way may still fit a simple series, which hides the mistake.",
    example: 'h_t, c_t = self.lstm1(input_t, (h_t, c_t))\nh_t2, c_t2 = self.lstm2(c_t, (h_t2, c_t2))',
    useInstead: 'h_t, c_t = self.lstm1(input_t, (h_t, c_t))\nh_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTMCell.html', 'https://github.com/pytorch/examples/pull/222'],
  },
  fixTitles: [],
  hooks: {
    offers: { layerCall: (kind) => RECURRENT.has(kind) },
    layerCall(event, ctx) {
      if (event.layer.framework !== 'torch' || !RECURRENT.has(event.layer.kind) || event.call.hasStarArgs) return;
      const input = event.args[0];
      const argument = event.call.args[0];
      if (input?.kind !== 'tensor' || !input.cellStateOf || !argument) return;
      const source = input.cellStateOf;
      const state = source.kind === 'LSTMCell' ? "c' of the (h', c') it returns" : 'c_n of the (h_n, c_n) it returns';
      ctx.report({
        range: argument.range,
        message:
          `${layerName(event.layer)} receives as its input ${ctx.text(argument.range)}, the cell state of ${layerName(source)} (${state}), not its output h: ` +
          'a layer stacked on an LSTM reads h = o * tanh(c); the cell state is the memory the output gate keeps. Nothing raises: h and c have the same shape',
        related: [{ range: source.call.range, message: `the ${source.kind} whose cell state this is` }],
      });
    },
  },
};
