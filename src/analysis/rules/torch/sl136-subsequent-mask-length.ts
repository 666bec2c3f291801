import { describeOrigin, formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, batchFirstRelated, isAttention, isAttentionKind, known, originRelated } from './attention-helpers';
import { attnMaskProblems } from './sl134-attn-mask-shape';
import { layerName } from './describe';

export const subsequentMaskLength: Rule = {
  code: 'SL136',
  name: 'subsequent-mask-length',
  severity: 'error',
  framework: 'torch',
  summary: 'generate_square_subsequent_mask(sz) was given another length than the target sequence it masks (often the batch size).',
  docs: {
    whatItDoes: 'Follows the (sz, sz) mask that `generate_square_subsequent_mask(sz)` builds to the layer that receives it, and compares sz with that layer\'s target length, read by its `batch_first`.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: The shape of the 2D attn_mask is torch.Size([64, 64]), but should be (52, 52).` With batch-first data, `tgt.size(0)` is the batch size, not the length; when the two happen to be equal the mask is silently built for the wrong axis.',
    example: 'model = nn.Transformer(d_model=40, nhead=4, batch_first=True)\nmask = nn.Transformer.generate_square_subsequent_mask(x.shape[0])   # x: (64, 52, 40)\nout = model(x, x, tgt_mask=mask)',
    useInstead: 'mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1])\nout = model(x, x, tgt_mask=mask)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Transformer.html'],
  },
  fixTitles: ['Build the mask from the target length'],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      const config = attentionConfig(event.layer);
      const seen = new Set<object>();
      for (const { e, mark } of attnMaskProblems(event)) {
        if (!mark || seen.has(e.mask)) continue;
        seen.add(e.mask);
        const size = e.mask.shape.dims[0];
        const expr = argExpr(event, e.spec.mask);
        const isBatch = known(size) !== undefined && known(size) === known(e.batch);
        const call = mark.subsequentMaskOf;
        const sizeOrigin = size.kind !== 'unknown' && size.origin && size.origin.range !== call.range ? size.origin : undefined;
        const axis = e.batchFirst ? 1 : 0;
        const fixes = [];
        if (sizeOrigin && /\.(size\(\s*[01]\s*\)|shape\[\s*[01]\s*\])$/.test(sizeOrigin.text)) {
          const corrected = sizeOrigin.text.replace(/(size\(\s*)[01](\s*\))$/, `$1${axis}$2`).replace(/(shape\[\s*)[01](\s*\])$/, `$1${axis}$2`);
          if (corrected !== sizeOrigin.text) fixes.push(fix(`Build the mask from the target length: ${corrected}`, [replace(sizeOrigin.range, corrected)], true));
        }
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(event.layer)} gets ${e.spec.mask} from generate_square_subsequent_mask(${formatDim(size)}) (${describeOrigin(call)}), a ${formatShape(e.mask.shape)} mask, but its ${e.spec.rows} ${formatShape(e.rowsInput!.shape)} is ${formatDim(e.rowsLen!)} steps long (axis ${axis}, batch_first=${e.batchFirst ? 'True' : 'False'})${isBatch ? `: ${formatDim(size)} is the batch size` : ''}. PyTorch raises "The shape of the 2D attn_mask is torch.Size([${formatDim(size)}, ${formatDim(size)}]), but should be (${formatDim(e.rowsLen!)}, ${formatDim(e.colsLen)})."`,
          related: [{ range: call.range, message: `the mask is built for ${formatDim(size)} steps here` }, ...(sizeOrigin ? [{ range: sizeOrigin.range, message: `${formatDim(size)} comes from here` }] : []), ...(e.rowsInput ? originRelated(e.rowsInput, `${e.spec.rows} ${formatShape(e.rowsInput.shape)}`) : []), ...batchFirstRelated(config)],
          fixes,
        });
      }
    },
  },
};
