import type { Rule } from '../rule';
import { formatShape } from '../../shapes/shape';
import { codeText, relatedOrigin, shapeAndOrigin } from './describe';

/**
 * `out.view(-1, hidden)` followed by `.view(batch, -1)[:, -1]` on a recurrent output with no layer between them that
 * maps each step's features to one value: the column taken is one hidden unit of one step, not a prediction.
 */
export const rnnFlattenedOutputOneColumn: Rule = {
  code: 'SL154',
  name: 'rnn-flattened-output-one-column',
  severity: 'warning',
  framework: 'torch',
  summary: 'One column of a recurrent output flattened to (batch × steps, features) and viewed back as (batch, steps × features): a single hidden unit of one step, not a per-step output.',
  docs: {
    whatItDoes:
      'Follows the output of nn.RNN/GRU/LSTM through `out.contiguous().view(-1, hidden)` (one row of features per step) and element-wise functions of it alone (dropout, a sigmoid), and flags `x[:, k]` (an integer column, such as `-1`) of a second view `.view(batch, -1)` of those rows when each step still has more than one feature: the column is one feature of one step. A Linear (or any layer) that maps the features to one value per step ends the flattened layout, so the usual `fc(out).view(batch, -1)[:, -1]` (the last step\'s output) is not flagged.',
    whyIsThisBad:
      'Nothing raises: the model returns one number per sample, the shape its labels have, and trains on whatever one hidden unit of the last step does, ignoring the layer meant to read the whole state (a sentiment model whose `self.fc` is defined and never called).',
    example:
      "rnn_out, hidden = self.rnn(embeds, hidden)          # (batch, steps, 256)\nrnn_out = rnn_out.contiguous().view(-1, 256)\nsig_out = self.sig(self.dropout(rnn_out))\nsig_out = sig_out.view(batch_size, -1)[:, -1]      # hidden unit 255 of the last step",
    useInstead:
      "rnn_out = rnn_out.contiguous().view(-1, 256)\nout = self.fc(self.dropout(rnn_out))               # Linear(256, 1): one value per step\nsig_out = self.sig(out).view(batch_size, -1)[:, -1] # the last step's output",
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: [],
  hooks: {
    tensorIndex(event, ctx) {
      const t = event.tensor;
      const laidOut = t.stepFeatures;
      if (laidOut?.layout !== 'columns' || !t.shape.rankKnown || t.shape.dims.length !== 2) return;
      const [first, second] = event.items;
      if (event.items.length !== 2 || first.kind !== 'slice' || !first.full || second.kind !== 'int' || second.value === undefined) return;
      const node = event.node;
      const steps = laidOut.steps !== undefined ? `${laidOut.steps} steps × ${laidOut.features} features` : `steps × ${laidOut.features} features`;
      ctx.report({
        range: node.range,
        message: `${codeText(ctx, node.range)} takes one column of ${codeText(ctx, node.value.range)} ${shapeAndOrigin(t)}, whose second axis is a recurrent output's ${steps} laid out in a row: it is a single hidden unit of one step (${second.value === -1 ? `unit ${laidOut.features - 1} of the last step` : `one of the ${laidOut.features} units of a step`}), not an output per step; a layer mapping each step's ${laidOut.features} features to one value (nn.Linear(${laidOut.features}, 1)) before the second view makes that axis the steps`,
        related: relatedOrigin(t, node.range, `the (batch, steps × features) layout ${formatShape(t.shape)} comes from here`),
      });
    },
  },
};
