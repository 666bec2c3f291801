import { argFromAssumedDefault, argInt } from '../../layers/layer';
import { isRecurrent } from '../../layers/torch/recurrent';
import { numberValue } from '../../values/value';
import { fix, removeKeyword, setKeyword } from '../edits';
import type { Rule } from '../rule';

export const rnnDropoutSingleLayer: Rule = {
  code: 'SL114',
  name: 'rnn-dropout-single-layer',
  severity: 'warning',
  framework: 'torch',
  summary: 'dropout > 0 on a single-layer RNN/GRU/LSTM does nothing.',
  docs: {
    whatItDoes: 'Flags `dropout` on a recurrent layer with `num_layers=1`: PyTorch applies it only between stacked layers.',
    whyIsThisBad: 'No dropout is applied, so the model is less regularised than intended; PyTorch warns `dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1`.',
    example: 'self.lstm = nn.LSTM(100, 128, batch_first=True, dropout=0.3)',
    useInstead: 'self.lstm = nn.LSTM(100, 128, batch_first=True)\nself.dropout = nn.Dropout(0.3)   # applied to the LSTM output in forward',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Remove dropout', 'Set num_layers=2'],
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (!isRecurrent(layer)) return;
      const dropout = numberValue(layer.args.get('dropout')?.value);
      if (dropout === undefined || dropout <= 0 || argInt(layer, 'num_layers') !== 1) return;
      // num_layers=1 as the default of a constructor parameter, in a model this file never builds: the
      // caller (train.py, a config) may well pass n_layers=2, so the number is an assumption, not a fact.
      if (argFromAssumedDefault(layer, 'num_layers')) return;
      const keyword = layer.call.keywords.find((k) => k.name === 'dropout');
      const fixes = [];
      const removal = removeKeyword(layer.call, 'dropout');
      if (removal) fixes.push(fix('Remove dropout', [removal], true));
      fixes.push(fix('Set num_layers=2', [setKeyword(layer.call, 'num_layers', '2')]));
      // PyTorch attributes its warning to the constructor's first line: report on the layer name there.
      ctx.report({
        range: layer.call.func.range,
        message: `dropout=${dropout} has no effect on a single-layer ${layer.kind} (num_layers=1): PyTorch applies it only between stacked layers; add nn.Dropout on the output instead`,
        related: keyword ? [{ range: keyword.range, message: `dropout=${dropout} is set here` }] : [],
        fixes,
      });
    },
  },
};
