import type { LayerCallEvent } from '../../interpret/events';
import { subsequentMaskMark } from '../../layers/torch/attention';
import { Dim, formatDim, lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, batchFirstRelated, isAttention, isAttentionKind, known, originRelated } from './attention-helpers';
import { MaskExpectation, maskExpectations } from './attention-masks';
import { layerName } from './describe';

/** What PyTorch says about a 2-D or 3-D attention mask of the wrong size, or undefined when it fits (or cannot be told). */
export function attnMaskProblem(e: MaskExpectation, heads: number | undefined): { want: string; torch: string } | undefined {
  const s = e.mask.shape;
  if (!s.rankKnown || e.rowsLen === undefined) return undefined;
  const [l, sl] = [known(e.rowsLen), known(e.colsLen)];
  const fits = (d: Dim | undefined, n: number | undefined) => n === undefined || known(d) === undefined || known(d) === n;
  if (s.dims.length === 2) {
    if (fits(s.dims[0], l) && fits(s.dims[1], sl)) return undefined;
    return { want: `(tgt_len=${formatDim(e.rowsLen)}, src_len=${formatDim(e.colsLen)})`, torch: `The shape of the 2D attn_mask is torch.Size([${s.dims.map(formatDim).join(', ')}]), but should be (${formatDim(e.rowsLen)}, ${formatDim(e.colsLen)}).` };
  }
  if (s.dims.length === 3) {
    const b = known(e.batch);
    const bh = b !== undefined && heads !== undefined ? b * heads : undefined;
    if (fits(s.dims[0], bh) && fits(s.dims[1], l) && fits(s.dims[2], sl)) return undefined;
    return { want: `(batch × num_heads=${bh ?? '?'}, tgt_len=${formatDim(e.rowsLen)}, src_len=${formatDim(e.colsLen)})`, torch: `The shape of the 3D attn_mask is torch.Size([${s.dims.map(formatDim).join(', ')}]), but should be (${bh ?? '?'}, ${formatDim(e.rowsLen)}, ${formatDim(e.colsLen)}).` };
  }
  return { want: '2-D or 3-D', torch: `attn_mask's dimension ${s.dims.length} is not supported` };
}

/** Attention masks of this call with a problem, split by whether generate_square_subsequent_mask built them. */
export function attnMaskProblems(event: LayerCallEvent) {
  const config = attentionConfig(event.layer);
  const out = [];
  for (const e of maskExpectations(event)) {
    if (e.spec.kind !== 'attention') continue;
    const problem = attnMaskProblem(e, config.numHeads);
    if (!problem) continue;
    const mark = e.mask.shape.dims.map(subsequentMaskMark).find(Boolean);
    out.push({ e, problem, mark });
  }
  return out;
}

const PADDING_NAME: Record<string, string> = { attn_mask: 'key_padding_mask', src_mask: 'src_key_padding_mask', mask: 'src_key_padding_mask', tgt_mask: 'tgt_key_padding_mask', memory_mask: 'memory_key_padding_mask' };

export const attnMaskShape: Rule = {
  code: 'SL134',
  name: 'attn-mask-shape',
  severity: 'error',
  framework: 'torch',
  summary: 'An attn_mask (src_mask, tgt_mask, memory_mask) is not (tgt_len, src_len) or (batch · num_heads, tgt_len, src_len).',
  docs: {
    whatItDoes: 'Reads the target and source lengths from the inputs of `nn.MultiheadAttention` or a Transformer layer (by its `batch_first`) and checks the shape of the attention masks: `attn_mask`, `src_mask`, `tgt_mask`, `memory_mask`.',
    whyIsThisBad: 'PyTorch raises: `RuntimeError: The shape of the 2D attn_mask is torch.Size([4, 1024]), but should be (1024, 1024).` A padding mask of shape (batch, seq) passed as `tgt_mask` is the usual cause: it belongs in `tgt_key_padding_mask`.',
    example: 'decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(512, 8, batch_first=True), 6)\nout = decoder(tgt, memory, tgt_mask=attention_mask)      # attention_mask: (batch, seq)',
    useInstead: 'causal = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))\nout = decoder(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=attention_mask == 0)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      const config = attentionConfig(event.layer);
      for (const { e, problem, mark } of attnMaskProblems(event)) {
        if (mark) continue; // subsequent-mask-length explains masks built by generate_square_subsequent_mask
        const expr = argExpr(event, e.spec.mask);
        const s = e.mask.shape;
        const looksLikePadding = s.dims.length === 2 && known(s.dims[0]) !== undefined && known(s.dims[0]) === known(e.batch) && known(s.dims[1]) === known(e.colsLen) && known(e.batch) !== known(e.rowsLen);
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(event.layer)} needs ${e.spec.mask} of shape ${problem.want}, from its ${e.spec.rows} and ${e.spec.cols} with batch_first=${e.batchFirst ? 'True' : 'False'}, but gets ${formatShape(s)}${e.mask.origin ? ` (${e.mask.origin.text}, ${lineOf(e.mask.origin)})` : ''}: PyTorch raises "${problem.torch}"${looksLikePadding ? `. A (batch, src_len) mask is a padding mask: pass it as ${PADDING_NAME[e.spec.mask] ?? 'key_padding_mask'} (True marks padding)` : ''}`,
          related: [...originRelated(e.mask, `mask built as ${formatShape(s)}`), ...(e.rowsInput ? originRelated(e.rowsInput, `${e.spec.rows} ${formatShape(e.rowsInput.shape)}`) : []), ...batchFirstRelated(config)],
        });
      }
    },
  },
};
