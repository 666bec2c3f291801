import type { Dim } from '../../shapes/dim';
import { formatDim, lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { LayerDesc } from '../../layers/layer';
import { argInt, argOrigin } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { known, originRelated } from './attention-helpers';
import { layerName, producerLayer } from './describe';

const SEQUENCE_PRODUCERS = new Set(['Embedding', 'RNN', 'GRU', 'LSTM', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder', 'TransformerDecoderLayer', 'TransformerDecoder', 'Transformer']);

/** The layer that made a (batch, seq, features) tensor's features, when it is one that always puts features last. */
export function sequenceProducer(d: Dim): LayerDesc | undefined {
  const p = producerLayer(d);
  return p && p.framework === 'torch' && SEQUENCE_PRODUCERS.has(p.kind) ? p : undefined;
}

export const conv1dChannelsLayout: Rule = {
  code: 'SL139',
  name: 'conv1d-channels-layout',
  severity: 'error',
  framework: 'torch',
  summary: 'A Conv1d receives (batch, seq, features) instead of (batch, channels, seq), or another channel count than in_channels.',
  docs: {
    whatItDoes: 'Checks that the channel axis (the second of three, or the first of two) of the tensor given to `nn.Conv1d` has `in_channels` entries, and recognises embeddings and RNN outputs, which keep their features last, and `F.one_hot` codes, whose classes are last, fed without `permute(0, 2, 1)`.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: Given groups=1, weight of size [100, 300, 3], expected input[32, 50, 300] to have 300 channels, but got 50 channels instead`. When the sequence length happens to equal `in_channels`, nothing raises: the convolution slides along the embedding features and treats every word as a channel.',
    example: 'emb = nn.Embedding(5000, 300)\nconv = nn.Conv1d(300, 100, kernel_size=3)\nout = conv(emb(tokens))                  # (batch, seq, 300)',
    useInstead: 'out = conv(emb(tokens).permute(0, 2, 1))  # (batch, 300, seq)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html'],
  },
  fixTitles: ['Permute to (batch, channels, seq)', 'Set in_channels=N'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Conv1d',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'torch' || layer.kind !== 'Conv1d') return;
      const input = event.args[0];
      const want = argInt(layer, 'in_channels');
      if (input?.kind !== 'tensor' || want === undefined || !input.shape.rankKnown || (input.shape.dims.length !== 3 && input.shape.dims.length !== 2)) return;
      const dims = input.shape.dims;
      const channelDim = dims[dims.length - 2];
      const lastDim = dims[dims.length - 1];
      const channels = known(channelDim);
      const last = known(lastDim);
      if (channels === undefined) return;
      const producer = sequenceProducer(lastDim);
      // A features axis no layer made (F.one_hot's classes). One a layer made that is not a sequence producer (a
      // Linear's out_features) may have been applied along the time axis on purpose: not read as features here.
      const featureAxis = !producerLayer(lastDim) && lastDim.kind !== 'unknown' && lastDim.role === 'feature';
      const featuresLast = (last === want && channels !== want) || ((!!producer || featureAxis) && channelDim.role !== 'feature');
      const expr = event.call.args[0];
      const permuted = expr && dims.length === 3 ? `${ctx.text(expr.range)}.permute(0, 2, 1)` : expr ? `${ctx.text(expr.range)}.t()` : undefined;
      const inArg = layer.args.get('in_channels');
      const at = argOrigin(layer, 'in_channels');
      // The input as the messages show it: its shape, and where it was made.
      const inputShown = `${formatShape(input.shape)}${input.origin ? ` (${input.origin.text}, ${lineOf(input.origin)})` : ''}`;
      if (channels !== want) {
        const fixes = [];
        if (featuresLast && permuted && last === want) fixes.push(fix('Permute to (batch, channels, seq)', [replace(expr!.range, permuted)], true));
        if (inArg?.expr && !featuresLast) fixes.push(fix(`Set in_channels=${channels}`, [replace(inArg.expr.range, String(channels))], fixes.length === 0));
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(layer)} expects in_channels=${want} (${lineOf(at)}) on axis ${dims.length - 2} of a (batch, channels, length) input, but receives ${inputShown} with ${channels} there: PyTorch raises "expected input[${dims.map(formatDim).join(', ')}] to have ${want} channels, but got ${channels} channels instead"${featuresLast && last === want ? `. The ${want} features are last: the input is (batch, seq, features) and needs .permute(0, 2, 1)` : ''}`,
          related: [{ range: at.range, message: `in_channels=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
          fixes,
        });
        return;
      }
      // The sizes fit, but the features are last: the convolution runs along the features, not the sequence.
      if ((!producer && !featureAxis) || channelDim.role === 'feature' || dims.length !== 3) return;
      const madeAt = lastDim.kind !== 'unknown' ? lastDim.origin : undefined;
      const made = madeAt && (!input.origin || madeAt.range.start.line !== input.origin.range.start.line) ? ` (${madeAt.text}, ${lineOf(madeAt)})` : '';
      ctx.report({
        range: expr?.range ?? event.call.range,
        severity: 'warning',
        message: producer
          ? `${layerName(layer)} receives ${formatShape(input.shape)} straight from ${producer.kind} (line ${producer.call.range.start.line + 1}), which puts its ${formatDim(lastDim)} features last: the ${channels} sequence positions are read as channels and the kernel slides along the features. Nothing raises because the sequence length equals in_channels=${want}; permute to (batch, channels, seq)`
          : `${layerName(layer)} receives ${inputShown}, whose last axis holds the ${formatDim(lastDim)} classes of F.one_hot${made}: the ${channels} positions on axis 1 are read as channels and the kernel slides along the classes. Nothing raises because axis 1 has in_channels=${want} entries; permute to (batch, ${formatDim(lastDim)}, length) and set in_channels=${formatDim(lastDim)}`,
        related: producer
          ? [{ range: producer.call.range, message: `${producer.kind} outputs (batch, seq, ${formatDim(lastDim)})` }, { range: at.range, message: `in_channels=${want} is set here` }]
          : [{ range: at.range, message: `in_channels=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
        fixes: permuted ? [fix('Permute to (batch, channels, seq)', [replace(expr!.range, permuted)], true)] : [],
      });
    },
  },
};
