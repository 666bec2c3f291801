import { formatDim, lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, batchFirstFix, batchFirstRelated, isAttention, isAttentionKind, known, originRelated } from './attention-helpers';
import { maskExpectations } from './attention-masks';
import { layerName } from './describe';

export const keyPaddingMaskShape: Rule = {
  code: 'SL133',
  name: 'key-padding-mask-shape',
  severity: 'error',
  framework: 'torch',
  summary: 'A key_padding_mask is not (batch, src_len) for the keys it masks.',
  docs: {
    whatItDoes: 'Reads the batch size and the key length from the keys given to `nn.MultiheadAttention` or a Transformer layer (by its `batch_first`) and checks that `key_padding_mask` (`src_key_padding_mask`, `tgt_key_padding_mask`, `memory_key_padding_mask`) is (batch, src_len).',
    whyIsThisBad: 'PyTorch raises: `AssertionError: expecting key_padding_mask shape of (32, 10), but got torch.Size([10, 32])`. A mask built sequence-first, or data fed in the other layout than the layer\'s `batch_first`, are the usual causes.',
    example: 'encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(512, 8), 6)   # (seq, batch, feature)\nsrc = torch.randn(10, 32, 512)\npad = torch.zeros(10, 32, dtype=torch.bool)\nencoder(src, src_key_padding_mask=pad)',
    useInstead: 'pad = torch.zeros(32, 10, dtype=torch.bool)   # (batch, src_len)\nencoder(src, src_key_padding_mask=pad)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: ['Transpose the mask to (batch, src_len)', 'Set batch_first=True'],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      for (const e of maskExpectations(event)) {
        if (e.spec.kind !== 'padding') continue;
        const s = e.mask.shape;
        if (!s.rankKnown) continue;
        const b = known(e.batch);
        const l = known(e.colsLen);
        const wrongRank = s.dims.length !== 2;
        const d0 = known(s.dims[0]);
        const d1 = known(s.dims[1]);
        const wrong = wrongRank || (b !== undefined && d0 !== undefined && d0 !== b) || (l !== undefined && d1 !== undefined && d1 !== l);
        if (!wrong || (wrongRank && s.dims.length === 0)) continue;
        const transposed = !wrongRank && b !== undefined && l !== undefined && d0 === l && d1 === b;
        const config = attentionConfig(event.layer);
        const expr = argExpr(event, e.spec.mask);
        const fixes = [];
        if (transposed && expr) fixes.push(fix('Transpose the mask to (batch, src_len)', [replace(expr.range, `${ctx.text(expr.range)}.transpose(0, 1)`)], true));
        if (transposed) fixes.push(...batchFirstFix(config, !e.batchFirst, false));
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(event.layer)} needs ${e.spec.mask} of shape (batch=${formatDim(e.batch)}, src_len=${formatDim(e.colsLen)}), read from its ${e.spec.cols} ${formatShape(e.colsInput.shape)} with batch_first=${e.batchFirst ? 'True' : 'False'}, but gets ${formatShape(s)}${e.mask.origin ? ` (${e.mask.origin.text}, ${lineOf(e.mask.origin)})` : ''}: PyTorch raises "expecting key_padding_mask shape of (${formatDim(e.batch)}, ${formatDim(e.colsLen)})"${transposed ? '. The mask is (src_len, batch): transpose it, or, if the data is really the other layout, change batch_first' : ''}`,
          related: [...originRelated(e.mask, `mask built as ${formatShape(s)}`), ...originRelated(e.colsInput, `${e.spec.cols} ${formatShape(e.colsInput.shape)}`), ...batchFirstRelated(config)],
          fixes,
        });
      }
    },
  },
};
