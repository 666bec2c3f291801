import { argOrigin } from '../../layers/layer';
import { lastDim } from '../../shapes/shape';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, isAttention, isAttentionKind, known, originRelated, tensorArg, tensorFrom } from './attention-helpers';
import { layerName, producerLayer, relatedDim } from './describe';

/** The inputs whose last axis must be the model width, per layer kind (MultiheadAttention's key/value may differ via kdim/vdim). */
const WIDE_INPUTS: Record<string, [string, 'embed' | 'kdim' | 'vdim'][]> = {
  MultiheadAttention: [['query', 'embed'], ['key', 'kdim'], ['value', 'vdim']],
  TransformerEncoderLayer: [['src', 'embed']],
  TransformerEncoder: [['src', 'embed']],
  TransformerDecoderLayer: [['tgt', 'embed'], ['memory', 'embed']],
  TransformerDecoder: [['tgt', 'embed'], ['memory', 'embed']],
  Transformer: [['src', 'embed'], ['tgt', 'embed']],
};

export const attentionEmbedSize: Rule = {
  code: 'SL138',
  name: 'attention-embed-size',
  severity: 'error',
  framework: 'torch',
  summary: 'The features reaching an attention or Transformer layer differ from its embed_dim / d_model.',
  docs: {
    whatItDoes: 'Compares the last dimension of the query, key and value of `nn.MultiheadAttention` (against `embed_dim`, `kdim`, `vdim`), and of the source, target and memory of the Transformer layers, with the width the layer was built for, `d_model`.',
    whyIsThisBad: 'PyTorch raises at the first forward pass: `AssertionError: was expecting embedding dimension of 512, but got 300` (MultiheadAttention, and every Transformer layer through it), or `RuntimeError: the feature number of src and tgt must be equal to d_model` (nn.Transformer). The usual cause is an embedding size that is not `d_model`.',
    example: 'emb = nn.Embedding(10000, 300)\nencoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=512, nhead=8), 6)\nout = encoder(emb(tokens))',
    useInstead: 'emb = nn.Embedding(10000, 512)\nencoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=512, nhead=8), 6)\nout = encoder(emb(tokens))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.TransformerEncoderLayer.html'],
  },
  fixTitles: ['Set d_model=N', 'Set embedding_dim=d_model on the producing layer'],
  hooks: {
    offers: {
      layerCall: isAttentionKind,
    },
    layerCall(event, ctx) {
      if (!isAttention(event.layer)) return;
      const c = attentionConfig(event.layer);
      if (!c.holder) return;
      for (const [name, which] of WIDE_INPUTS[event.layer.kind] ?? []) {
        const t = tensorArg(event, name);
        const want = which === 'embed' ? c.embedDim : which === 'kdim' ? c.kdim : c.vdim;
        if (!t || want === undefined) continue;
        const got = lastDim(t.shape);
        const size = known(got);
        if (size === undefined || size === want) continue;
        const setter = which === 'embed' ? c.embedArg : which;
        const at = argOrigin(c.holder, c.holder.args.has(setter) && c.holder.args.get(setter)?.value.kind !== 'none' ? setter : c.embedArg);
        const producer = producerLayer(got);
        const expr = argExpr(event, name);
        const setterExpr = c.holder.args.get(setter)?.expr;
        const fixes = setterExpr && which === 'embed' && event.layer.kind !== 'MultiheadAttention' && (c.numHeads === undefined || size % c.numHeads === 0) ? [fix(`Set ${setter}=${size}`, [replace(setterExpr.range, String(size))], true)] : [];
        const producerDim = producer?.args.get('embedding_dim') ?? producer?.args.get('out_features');
        if (producer && producerDim?.expr) fixes.push(fix(`Set ${producer.args.has('embedding_dim') ? 'embedding_dim' : 'out_features'}=${want} on ${producer.kind} (line ${producer.call.range.start.line + 1})`, [replace(producerDim.expr.range, String(want))], fixes.length === 0));
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(event.layer)} expects ${setter}=${want} (line ${at.range.start.line + 1}) features in its ${name}, but receives ${size}${producer ? ` from ${producer.kind} (line ${producer.call.range.start.line + 1})` : tensorFrom(t)}: PyTorch raises "${event.layer.kind === 'Transformer' ? 'the feature number of src and tgt must be equal to d_model' : `was expecting embedding dimension of ${want}, but got ${size}`}"`,
          related: [{ range: at.range, message: `${setter}=${want} is set here` }, ...(relatedDim(got, `${size} features come from here`).length ? relatedDim(got, `${size} features come from here`) : originRelated(t, `${size} features come from here`))],
          fixes,
        });
        return;
      }
    },
  },
};
