import { attentionAxes } from '../../layers/torch/attention';
import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { argExpr, attentionConfig, batchFirstRelated, known, originRelated, tensorArg, tensorFrom } from './attention-helpers';
import { layerName } from './describe';

export const attentionBatchMismatch: Rule = {
  code: 'SL141',
  name: 'attention-batch-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'The query of nn.MultiheadAttention holds another batch size than its key and value.',
  docs: {
    whatItDoes: 'Reads the batch axis of the query and of the key given to `nn.MultiheadAttention` (the first axis when `batch_first=True`, else the second) and compares their sizes when both are known.',
    whyIsThisBad: 'Every query attends to the keys of its own sequence, so the two must hold the same sequences. PyTorch 1.13 raises when it splits the key into heads, with a message that names neither input: `RuntimeError: shape \'[196, 1, 640]\' is invalid for input of size 501760`. The usual cause is a query that lost its batch axis or was built for one sequence (a decoder step, a learned query) while the keys hold a batch.',
    example: 'attn = nn.MultiheadAttention(640, 1, batch_first=True)\nquery = torch.randn(1, 1, 640)\nkeys = torch.randn(4, 196, 640)\nout, w = attn(query, keys, keys)',
    useInstead: 'attn = nn.MultiheadAttention(640, 1, batch_first=True)\nquery = torch.randn(1, 1, 640).expand(4, -1, -1)\nkeys = torch.randn(4, 196, 640)\nout, w = attn(query, keys, keys)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.MultiheadAttention.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'MultiheadAttention',
    },
    layerCall(event, ctx) {
      if (event.layer.kind !== 'MultiheadAttention') return;
      const config = attentionConfig(event.layer);
      const query = tensorArg(event, 'query');
      const key = tensorArg(event, 'key');
      if (!query || !key) return;
      const q = attentionAxes(config.batchFirst, query.shape);
      const k = attentionAxes(config.batchFirst, key.shape);
      const qBatch = known(q?.batch);
      const kBatch = known(k?.batch);
      if (qBatch === undefined || kBatch === undefined || qBatch === kBatch) return;
      // Agreeing on the other axis, they are one batch laid out the other way: SL130 reports the layout.
      const qOther = known(query.shape.dims[config.batchFirst ? 1 : 0]);
      if (query.shape.dims.length === 3 && key.shape.dims.length === 3 && qOther !== undefined && qOther === known(key.shape.dims[config.batchFirst ? 1 : 0])) return;
      const axis = config.batchFirst ? 'first' : 'second';
      ctx.report({
        range: argExpr(event, 'query')?.range ?? event.call.range,
        message: `${layerName(event.layer)} reads the ${axis} axis as the batch (batch_first=${config.batchFirst ? 'True' : 'False'}): the query ${formatShape(query.shape)}${tensorFrom(query)} holds ${qBatch} sequence${qBatch === 1 ? '' : 's'}, but the key ${formatShape(key.shape)}${tensorFrom(key)} holds ${kBatch}; PyTorch raises when it splits the key into heads ("shape '[…]' is invalid for input of size …")`,
        related: [...originRelated(query, `the query's batch of ${qBatch} comes from here`), ...originRelated(key, `the key's batch of ${kBatch} comes from here`), ...batchFirstRelated(config)],
        fixes: [],
      });
    },
  },
};
