import type { Fix } from '../../findings';
import { argOrigin } from '../../layers/layer';
import { dataLayout, isRecurrent, isRecurrentKind, recurrentConfig } from '../../layers/torch/recurrent';
import { Dim, conflicting, formatDim, sameDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { LayerCallEvent, RuleContext } from '../../interpret/events';
import { fix, replace, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';
import { hiddenStateArg } from './sl103-hidden-state-shape';

/** True when h0's batch dimension matches the other axis of the input: the layout, not h0, is wrong. */
export function hiddenStateShowsLayout(event: LayerCallEvent): boolean {
  const input = event.args[0];
  const h0 = hiddenStateArg(event);
  const batchFirst = recurrentConfig(event.layer).batchFirst;
  if (input?.kind !== 'tensor' || !h0 || !input.shape.rankKnown || input.shape.dims.length !== 3 || !h0.shape.rankKnown || h0.shape.dims.length !== 3 || batchFirst === undefined) return false;
  const readAsBatch = input.shape.dims[batchFirst ? 0 : 1];
  const otherAxis = input.shape.dims[batchFirst ? 1 : 0];
  return conflicting(h0.shape.dims[1], readAsBatch) && sameDim(h0.shape.dims[1], otherAxis) && !(bareNumber(h0.shape.dims[1]) && bareNumber(otherAxis));
}

/**
 * A size written as a bare number, read from no name. When h0's batch and the input's other axis are both bare
 * numbers, their agreement says nothing of which one is wrong: PyTorch names the state, and so does SL103.
 */
function bareNumber(d: Dim): boolean {
  return d.kind === 'int' && !d.label && !d.role;
}

function layoutFixes(event: LayerCallEvent, ctx: RuleContext, wantBatchFirst: boolean): Fix[] {
  const fixes = [fix(`Set batch_first=${wantBatchFirst ? 'True' : 'False'}`, [setKeyword(event.layer.call, 'batch_first', wantBatchFirst ? 'True' : 'False')], true)];
  const arg = event.call.args[0];
  if (arg) fixes.push(fix('Transpose the input to the layer\'s layout', [replace(arg.range, `${ctx.text(arg.range)}.transpose(0, 1)`)]));
  return fixes;
}

export const batchFirstMismatch: Rule = {
  code: 'SL102',
  name: 'batch-first-mismatch',
  severity: 'warning',
  framework: 'torch',
  summary: 'Batch-first data reaches a sequence-first RNN (or the reverse), or its output is read along the wrong axis.',
  docs: {
    whatItDoes: 'Compares the layout of the data (from how it was built: `batch_size`, `seq_len`, `pad_sequence(batch_first=…)`) with the recurrent layer\'s `batch_first`, and checks that the "last time step" of an output is taken along the time axis.',
    whyIsThisBad: 'With the wrong layout PyTorch usually runs without a word: it treats the batch as time and the time as batch, so the model trains on scrambled sequences. It only raises when an `h0` built for the real batch size meets the wrong axis (`Expected hidden size (1, 10, 20), got [1, 32, 20]`). Likewise `out[:, -1, :]` on a sequence-first output picks the last sequence of the batch, not the last step.',
    example: 'rnn = nn.LSTM(100, 64)                 # batch_first=False\nx = torch.randn(batch_size, seq_len, 100)\nout, _ = rnn(x)\nlast = out[:, -1, :]',
    useInstead: 'rnn = nn.LSTM(100, 64, batch_first=True)\nx = torch.randn(batch_size, seq_len, 100)\nout, _ = rnn(x)\nlast = out[:, -1, :]',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Set batch_first=True', 'Transpose the input', 'Index the last time step'],
  hooks: {
    offers: {
      layerCall: isRecurrentKind,
    },
    layerCall(event, ctx) {
      if (!isRecurrent(event.layer)) return;
      const input = event.args[0];
      const batchFirst = recurrentConfig(event.layer).batchFirst;
      if (input?.kind !== 'tensor' || batchFirst === undefined) return;
      const layerLayout = batchFirst ? 'batch-first' : 'seq-first';
      const mustFail = hiddenStateShowsLayout(event);
      const layout = dataLayout(input) ?? (mustFail ? (batchFirst ? 'seq-first' : 'batch-first') : undefined);
      if (!layout || layout === layerLayout) return;
      const origin = argOrigin(event.layer, 'batch_first');
      const dims = input.shape.dims.map(formatDim).join(', ');
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        severity: mustFail ? 'error' : 'warning',
        message: `${layerName(event.layer)} is ${layerLayout} (batch_first=${batchFirst ? 'True' : 'False'}) but receives ${layout} data (${dims})${input.origin ? ` from ${input.origin.text}` : ''}: ${mustFail ? 'the hidden state was built for the other axis, so this raises' : 'it will treat the batch as time steps without any error'}`,
        related: [{ range: origin.range, message: `batch_first is ${batchFirst ? 'True' : 'False'} here` }, ...(input.origin ? [{ range: input.origin.range, message: `data built as ${formatShape(input.shape)}` }] : [])],
        fixes: layoutFixes(event, ctx, !batchFirst),
      });
    },
    subscript(event, ctx) {
      const value = event.value;
      if (value.kind !== 'tensor' || !value.rnnOutput || !value.shape.rankKnown || value.shape.dims.length !== 3) return;
      const roles = value.shape.dims.map((d) => d.role);
      const timeAxis = roles.indexOf('time');
      const batchAxis = roles.indexOf('batch');
      if (timeAxis === -1 || batchAxis === -1) return;
      const index = event.node.index;
      const lastAt = index.findIndex((e) => e.kind === 'unary' && e.op === '-' && e.operand.kind === 'int' && e.operand.value === 1);
      if (lastAt === -1 || lastAt !== batchAxis || index.some((e) => e.kind === 'ellipsis')) return;
      const items = [':', ':', ':'];
      items[timeAxis] = '-1';
      while (items.length > 1 && items[items.length - 1] === ':' && index.length < 3) items.pop();
      const base = ctx.text(event.node.value.range);
      const corrected = `${base}[${items.join(', ')}]`;
      ctx.report({
        range: event.node.range,
        message:
          `${ctx.text(event.node.range)} takes the last element of the batch axis (axis ${batchAxis}) of a ${timeAxis === 0 ? 'sequence-first' : 'batch-first'} output ${formatShape(value.shape)}; the last time step is ${corrected}` +
          // The data's layout was not known: the layer's flag may be what misreads it.
          (value.layoutFromFlag ? `, unless the data fed to ${layerName(value.layoutFromFlag)} is ${timeAxis === 0 ? 'batch-first' : 'sequence-first'}: then that layer needs batch_first=${timeAxis === 0 ? 'True' : 'False'}` : ''),
        related: value.origin ? [{ range: value.origin.range, message: `output ${formatShape(value.shape)} comes from here` }] : [],
        fixes: [
          fix(`Use ${corrected}`, [replace(event.node.range, corrected)], true),
          // The data's layout was not known: it may be the layer's flag that misreads it (time-first data, batch_first=True).
          ...(value.layoutFromFlag ? [fix(`Set batch_first=${timeAxis === 0 ? 'True' : 'False'} (if the data is ${timeAxis === 0 ? 'batch-first' : 'sequence-first'})`, [setKeyword(value.layoutFromFlag.call, 'batch_first', timeAxis === 0 ? 'True' : 'False')])] : []),
        ],
      });
    },
  },
};
