import type { BinaryEvent } from '../../interpret/events';
import type { Expr } from '../../parse/ast';
import { formatDim, sameDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { known, originRelated } from './attention-helpers';
import { dataLayout } from './sl130-attention-batch-first';

/** `table[:n]`: the first n rows cut from a longer table (a positional encoding buffer). */
function slicedRows(e: Expr): boolean {
  return e.kind === 'subscript' && e.index.length >= 1 && e.index[0].kind === 'slice' && !e.index[0].start && !!e.index[0].stop && e.index.slice(1).every((i) => i.kind === 'slice' && !i.start && !i.stop);
}

/** A (rows, 1, d_model) positional table: one vector per position along axis 0, broadcast over axis 1. */
function isSequenceFirstTable(t: TensorValue): boolean {
  return t.shape.rankKnown && t.shape.dims.length === 3 && known(t.shape.dims[1]) === 1;
}

/** A sliced (rows, 1, d_model) positional table added to 3-D data: SL131 speaks for it, no other rule. */
export function positionalTableAddition(event: BinaryEvent): boolean {
  const { left, right, node } = event;
  if (node.op !== '+' || left.kind !== 'tensor' || right.kind !== 'tensor') return false;
  return ([[left, right, node.right], [right, left, node.left]] as const).some(
    ([data, table, tableExpr]) => isSequenceFirstTable(table) && slicedRows(tableExpr) && data.shape.rankKnown && data.shape.dims.length === 3,
  );
}

export const positionalEncodingLayout: Rule = {
  code: 'SL131',
  name: 'positional-encoding-layout',
  severity: 'error',
  framework: 'torch',
  summary: 'A sequence-first positional encoding table (max_len, 1, d_model) is added to batch-first data.',
  docs: {
    whatItDoes: 'Looks at additions of a positional table cut as `pe[:n]` from a (max_len, 1, d_model) buffer, the layout of the PyTorch tutorial\'s `PositionalEncoding`, to data of shape (batch, seq, d_model).',
    whyIsThisBad: 'The table holds one vector per position along axis 0, which is the batch axis of batch-first data. With `pe[:x.size(0)]` every sequence of the batch gets the encoding of one position, the same for all its steps, so the model sees no word order and nothing raises. With `pe[:x.size(1)]` PyTorch raises `The size of tensor a (32) must match the size of tensor b (50) at non-singleton dimension 0`.',
    example: "pe = torch.zeros(max_len, 1, d_model)          # registered as a buffer\nx = emb(tokens)                                  # (batch, seq, d_model)\nx = x + self.pe[:x.size(0)]",
    useInstead: "pe = torch.zeros(1, max_len, d_model)\nx = emb(tokens)                                  # (batch, seq, d_model)\nx = x + self.pe[:, :x.size(1)]",
    references: ['https://pytorch.org/tutorials/beginner/transformer_tutorial.html'],
  },
  fixTitles: ['Index the table by position: pe[:x.size(1)].transpose(0, 1)'],
  hooks: {
    binary(event, ctx) {
      if (event.node.op !== '+') return;
      const { left, right, node } = event;
      if (left.kind !== 'tensor' || right.kind !== 'tensor') return;
      const pairs: [TensorValue, TensorValue, Expr][] = [[left, right, node.right], [right, left, node.left]];
      for (const [data, table, tableExpr] of pairs) {
        if (!isSequenceFirstTable(table) || !slicedRows(tableExpr) || !data.shape.rankKnown || data.shape.dims.length !== 3) continue;
        const [d0, d1] = data.shape.dims;
        const rows = table.shape.dims[0];
        if (known(d1) === 1) continue;
        const raises = known(rows) !== undefined && known(d0) !== undefined && known(rows) !== known(d0) && known(rows) !== 1 && known(d0) !== 1;
        const batchFirst = dataLayout(data) === 'batch-first';
        // Silent: the table was cut to the batch size and the data is batch-first, so each sequence gets one position.
        const silent = !raises && batchFirst && sameDim(rows, d0) && known(d1) !== known(d0);
        if (!raises && !silent) continue;
        const fixed = `${ctx.text(tableExpr.range).replace(/\[\s*:\s*([^\]]+?)\.(size\(\s*)0(\s*\))/, '[:$1.$21$3').replace(/\[\s*:\s*([^\]]+?)\.shape\[\s*0\s*\]/, '[:$1.shape[1]')}.transpose(0, 1)`;
        ctx.report({
          range: tableExpr.range,
          severity: raises ? 'error' : 'warning',
          message: raises
            ? `${ctx.text(tableExpr.range)} is a sequence-first positional table ${formatShape(table.shape)} (one row per position, axis 1 broadcast), added to ${formatShape(data.shape)}${batchFirst ? ', batch-first data' : ''}: axis 0 holds ${formatDim(rows)} positions against ${formatDim(d0)}, so PyTorch raises "The size of tensor a (${formatDim(d0)}) must match the size of tensor b (${formatDim(rows)}) at non-singleton dimension 0"`
            : `${ctx.text(tableExpr.range)} cuts the sequence-first positional table to the batch size and adds ${formatShape(table.shape)} to batch-first data ${formatShape(data.shape)}: sequence i of the batch gets the encoding of position i at every one of its ${formatDim(d1)} steps, so the model sees no word order. Nothing raises`,
          related: [...originRelated(table, `positional table ${formatShape(table.shape)}`), ...originRelated(data, `data ${formatShape(data.shape)} (batch first)`)],
          fixes: [fix('Index the table by position: pe[:x.size(1)].transpose(0, 1)', [replace(tableExpr.range, fixed)], true)],
        });
        return;
      }
    },
  },
};
