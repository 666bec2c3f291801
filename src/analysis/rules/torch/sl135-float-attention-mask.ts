import { lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { argExpr, isAttention, isAttentionKind, originRelated } from './attention-helpers';
import { maskSpecs } from './attention-masks';
import { layerName } from './describe';
import { forwardArg } from '../../layers/torch/attention';

export const floatAttentionMask: Rule = {
  code: 'SL135',
  name: 'float-attention-mask',
  severity: 'warning',
  framework: 'torch',
  summary: 'A 0/1 float mask reaches an attention or Transformer layer, which adds float masks to the scores instead of masking.',
  docs: {
    whatItDoes: 'Follows the values of the masks given to `nn.MultiheadAttention` and the Transformer layers. A float mask holding only 0 and 1 (`torch.ones`, `torch.tril(torch.ones(…))`, `(ids == pad).float()`) was meant as a bool mask.',
    whyIsThisBad: 'PyTorch treats a bool mask as "True = do not attend" but *adds* a float mask to the attention scores. A 0/1 float mask therefore masks nothing: padding and future positions get a score bonus of 1 (or 0) and are attended to. Nothing raises; the model quietly reads the padding or the answer.',
    example: 'pad = (tokens == PAD).float()\nout = encoder(x, src_key_padding_mask=pad)',
    useInstead: 'pad = tokens == PAD          # bool: True marks padding\nout = encoder(x, src_key_padding_mask=pad)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: ['Pass the mask as bool (True = masked)'],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      for (const spec of maskSpecs(event.layer.kind)) {
        const mask = forwardArg(event.layer, event.args, event.kwargs, spec.mask)?.value;
        if (mask?.kind !== 'tensor' || mask.dtype !== 'float' || mask.minValue === undefined || mask.maxValue === undefined) continue;
        if (mask.minValue < 0 || mask.maxValue !== 1) continue;
        const expr = argExpr(event, spec.mask);
        const allOnes = mask.minValue === 1;
        // A mask where 1 marks what to keep (tril of ones) inverts when cast: keep it readable as "== 0".
        const keepMarked = spec.kind === 'attention' && !!mask.origin && /tril/.test(mask.origin.text);
        const fixes = expr ? [fix(keepMarked ? 'Pass the mask as bool: True where attention is not allowed' : 'Pass the mask as bool (True = masked)', [replace(expr.range, keepMarked ? `${ctx.text(expr.range)} == 0` : `${ctx.text(expr.range)}.bool()`)], true)] : [];
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(event.layer)} receives ${spec.mask} as a float tensor of ${allOnes ? 'ones' : '0s and 1s'}${mask.origin ? ` (${mask.origin.text}, ${lineOf(mask.origin)})` : ''}: a float mask is added to the attention scores, so ${spec.kind === 'padding' ? 'padded positions get +1 and are still attended to' : 'masked positions get +0 or +1 and are still attended to'}. Nothing is masked and nothing raises; pass a bool mask (True = do not attend)`,
          related: originRelated(mask, `float mask ${formatShape(mask.shape)} built here`),
          fixes,
        });
      }
    },
  },
};
