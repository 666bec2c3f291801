import { Dim, formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, batchFirstFix, batchFirstRelated, isAttention, isAttentionKind, known, originRelated, tensorArg, transposeFix } from './attention-helpers';
import { layerName } from './describe';

/** The first input of each layer kind: the one whose layout the layer reads first. */
const FIRST: Record<string, string> = { MultiheadAttention: 'query', TransformerEncoderLayer: 'src', TransformerEncoder: 'src', TransformerDecoderLayer: 'tgt', TransformerDecoder: 'tgt', Transformer: 'src' };

/** The second input that shares the first's batch axis, for the layers that take two sequences. */
const PARTNER: Record<string, string> = { Transformer: 'tgt', MultiheadAttention: 'key' };

/** The data's own layout, from the names its sizes were built from (batch_size, seq_len) or the layer that made them. */
export function dataLayout(t: TensorValue): 'batch-first' | 'seq-first' | undefined {
  if (!t.shape.rankKnown || t.shape.dims.length !== 3) return undefined;
  const [a, b] = t.shape.dims;
  const role = (d: Dim) => d.role;
  if ((role(a) === 'batch' && role(b) !== 'batch') || (role(b) === 'time' && role(a) !== 'time')) return 'batch-first';
  if ((role(a) === 'time' && role(b) !== 'time') || (role(b) === 'batch' && role(a) !== 'batch')) return 'seq-first';
  return undefined;
}

function count(d: Dim, what: string): string {
  return known(d) !== undefined ? `${known(d)} ${what}` : `the ${what}`;
}

export const attentionBatchFirst: Rule = {
  code: 'SL130',
  name: 'attention-batch-first',
  severity: 'warning',
  framework: 'torch',
  summary: 'Batch-first data reaches a sequence-first MultiheadAttention or Transformer layer (or the reverse): attention runs across the batch.',
  docs: {
    whatItDoes: 'Compares the layout of the data given to `nn.MultiheadAttention`, `nn.TransformerEncoder(Layer)`, `nn.TransformerDecoder(Layer)` and `nn.Transformer` (from how it was built: `batch_size`, `seq_len`, `pad_sequence(batch_first=…)`, the layers it went through) with the layer\'s `batch_first`, which defaults to False. For `nn.Transformer`, a source and a target whose batch axes differ while their other axes agree show the same mistake, and so do a `MultiheadAttention` query and key (an error: PyTorch raises when it splits the key into heads).',
    whyIsThisBad: 'Nothing raises when the sizes fit: a (batch, seq, embed) tensor read as (seq, batch, embed) makes every position attend to the same position of the other sequences in the batch, so the sequences are mixed with each other and the model never sees word order. Training still lowers the loss, which hides the bug. `nn.Transformer` raises `the batch number of src and tgt must be equal` only when source and target lengths differ.',
    example: 'layer = nn.TransformerEncoderLayer(d_model=512, nhead=8)        # batch_first=False\nx = torch.randn(batch_size, seq_len, 512)\nout = nn.TransformerEncoder(layer, 6)(x)',
    useInstead: 'layer = nn.TransformerEncoderLayer(d_model=512, nhead=8, batch_first=True)\nx = torch.randn(batch_size, seq_len, 512)\nout = nn.TransformerEncoder(layer, 6)(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.TransformerEncoderLayer.html', 'https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: ['Set batch_first=True', 'Transpose the input to (seq, batch, feature)'],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      const config = attentionConfig(event.layer);
      if (config.batchFirst === undefined) return;
      const first = FIRST[event.layer.kind];
      const input = tensorArg(event, first);
      if (!input) return;
      const layerLayout = config.batchFirst ? 'batch-first' : 'seq-first';
      const words = (l: string) => (l === 'seq-first' ? 'sequence-first' : l);
      // nn.Transformer's source and target, and MultiheadAttention's query and key, share their batch axis. Different on
      // the axis the layer reads as the batch, the same on the other: the data is the other layout.
      const partner = PARTNER[event.layer.kind];
      if (partner) {
        const tgt = tensorArg(event, partner);
        const s = input.shape;
        const t = tgt?.shape;
        if (tgt && t && s.rankKnown && t.rankKnown && s.dims.length === 3 && t.dims.length === 3) {
          const batchAxis = config.batchFirst ? 0 : 1;
          const other = 1 - batchAxis;
          const [sb, tb, so, to] = [known(s.dims[batchAxis]), known(t.dims[batchAxis]), known(s.dims[other]), known(t.dims[other])];
          if (sb !== undefined && tb !== undefined && sb !== tb) {
            const flipped = so !== undefined && so === to;
            // A query and key that differ on both axes hold different batches: SL141's finding, not a layout.
            if (event.layer.kind === 'MultiheadAttention' && !flipped) return;
            const raises = event.layer.kind === 'Transformer' ? 'PyTorch raises "the batch number of src and tgt must be equal"' : 'PyTorch raises when it splits the key into heads ("shape \'[…]\' is invalid for input of size …")';
            ctx.report({
              range: argExpr(event, partner)?.range ?? event.call.range,
              severity: 'error',
              message: `${layerName(event.layer)} reads the batch from axis ${batchAxis} (batch_first=${config.batchFirst ? 'True' : 'False'}): ${first} ${formatShape(s)} has ${sb} and ${partner} ${formatShape(t)} has ${tb}, so ${raises}${flipped ? `; both agree on axis ${other} (${so}), so the data is ${config.batchFirst ? 'sequence-first' : 'batch-first'}` : ''}`,
              related: [...originRelated(input, `${first} ${formatShape(s)}`), ...originRelated(tgt, `${partner} ${formatShape(t)}`), ...batchFirstRelated(config)],
              fixes: flipped ? batchFirstFix(config, !config.batchFirst) : [],
            });
            return;
          }
        }
      }
      const layout = dataLayout(input);
      if (!layout || layout === layerLayout) return;
      const dims = input.shape.dims;
      const dataBatch = layout === 'batch-first' ? dims[0] : dims[1];
      const dataSeq = layout === 'batch-first' ? dims[1] : dims[0];
      // One position per sequence in the data's own reading would make attention a no-op: attending across the batch
      // is then what the code means (BatchFormer's x.unsqueeze(1) into a sequence-first layer).
      if (known(dataSeq) === 1) return;
      // "Nothing raises while the sizes fit" needs sizes that fit: a feature axis nothing follows (raw columns read
      // from a file) may not be the model width at all, and then the program raises before attention runs.
      if (dims[2].kind === 'unknown') return;
      ctx.report({
        range: argExpr(event, first)?.range ?? event.call.range,
        message: `${layerName(event.layer)} is ${words(layerLayout)} (batch_first=${config.batchFirst ? 'True' : 'False'}) but receives ${words(layout)} data ${formatShape(input.shape)}${input.origin ? ` from ${input.origin.text} (line ${input.origin.range.start.line + 1})` : ''}: it attends over the batch axis: ${count(dataBatch, 'sequences')} are mixed with each other, and each of ${count(dataSeq, 'positions')} is treated as a separate sequence. Nothing raises while the sizes fit`,
        related: [...batchFirstRelated(config), ...originRelated(input, `data built as ${formatShape(input.shape)} (${layout === 'batch-first' ? `batch ${formatDim(dataBatch)} first` : `sequence ${formatDim(dataSeq)} first`})`)],
        fixes: [...batchFirstFix(config, layout === 'batch-first'), ...transposeFix(event, ctx, first, layout === 'batch-first' ? 'Transpose the input to (seq, batch, feature)' : 'Transpose the input to (batch, seq, feature)')],
      });
    },
  },
};
