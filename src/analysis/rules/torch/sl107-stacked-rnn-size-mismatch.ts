import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';
import type { Rule } from '../rule';
import { expected, layerName, relatedArg, relatedDim } from './describe';
import { inputSizeFixes, inputSizeMismatch, isRecurrentOrCellKind } from './sl101-rnn-input-size-mismatch';

export const stackedRnnSizeMismatch: Rule = {
  code: 'SL107',
  name: 'stacked-rnn-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'A recurrent layer fed by another one has an input_size other than the first layer\'s output size.',
  docs: {
    whatItDoes: 'When one RNN/GRU/LSTM feeds another, checks that the second layer\'s `input_size` equals the first layer\'s output features: `hidden_size`, times 2 when it is bidirectional (or `proj_size` for projected LSTMs).',
    whyIsThisBad: 'PyTorch raises `RuntimeError: input.size(-1) must be equal to input_size` on the second layer. A bidirectional first layer doubles its output size, which is easy to forget.',
    example: 'self.lstm1 = nn.LSTM(100, 128, batch_first=True, bidirectional=True)\nself.lstm2 = nn.LSTM(128, 64, batch_first=True)',
    useInstead: 'self.lstm1 = nn.LSTM(100, 128, batch_first=True, bidirectional=True)\nself.lstm2 = nn.LSTM(128 * 2, 64, batch_first=True)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Set input_size=N'],
  hooks: {
    offers: {
      layerCall: isRecurrentOrCellKind,
    },
    layerCall(event, ctx) {
      const mismatch = inputSizeMismatch(event);
      if (!mismatch?.producer || !isRecurrent(mismatch.producer)) return;
      const { got, want, producer } = mismatch;
      const p = recurrentConfig(producer);
      const how = p.directions === 2 ? `2 directions × ${p.projSize > 0 ? `proj_size=${p.projSize}` : `hidden_size=${p.hiddenSize}`}` : p.projSize > 0 ? `proj_size=${p.projSize}` : `hidden_size=${p.hiddenSize}`;
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        message: `${event.layer.kind} expects ${expected(event.layer, 'input_size', want)} but the ${layerName(producer)} before it outputs ${got.value} features per step (${how})`,
        related: [relatedArg(event.layer, 'input_size', `input_size=${want} is set here`), ...relatedDim(got, `${got.value} output features come from here`)],
        fixes: inputSizeFixes(event, got.value, ctx),
      });
    },
  },
};
